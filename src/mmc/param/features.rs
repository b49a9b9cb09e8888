//! GET CONFIGURATION response (mmc.md §2.2): 8-byte header with the current
//! profile, then feature descriptors (code, version/persistent/current,
//! additional length, data). The list parser stops at the response length
//! or the buffer end and never reads a truncated descriptor.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Header length.
pub const HEADER_LEN: usize = 8;

/// An MMC profile number.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Profile(pub u16);

impl Profile {
    /// No current profile (no medium).
    pub const NONE: Profile = Profile(0x0000);
    /// CD-ROM.
    pub const CD_ROM: Profile = Profile(0x0008);
    /// CD-R.
    pub const CD_R: Profile = Profile(0x0009);
    /// CD-RW.
    pub const CD_RW: Profile = Profile(0x000a);
    /// DVD-ROM.
    pub const DVD_ROM: Profile = Profile(0x0010);
}

/// A feature code.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct FeatureCode(pub u16);

impl FeatureCode {
    /// 0000h Profile List.
    pub const PROFILE_LIST: FeatureCode = FeatureCode(0x0000);
    /// 0001h Core.
    pub const CORE: FeatureCode = FeatureCode(0x0001);
    /// 0002h Morphing.
    pub const MORPHING: FeatureCode = FeatureCode(0x0002);
    /// 0003h Removable Medium.
    pub const REMOVABLE_MEDIUM: FeatureCode = FeatureCode(0x0003);
    /// 001Dh Multi-Read.
    pub const MULTI_READ: FeatureCode = FeatureCode(0x001d);
    /// 001Eh CD Read.
    pub const CD_READ: FeatureCode = FeatureCode(0x001e);
    /// 002Dh CD Track at Once.
    pub const CD_TRACK_AT_ONCE: FeatureCode = FeatureCode(0x002d);
    /// 002Eh CD Mastering (SAO/raw).
    pub const CD_MASTERING: FeatureCode = FeatureCode(0x002e);
    /// 0037h CD-RW Media Write Support.
    pub const CD_RW_MEDIA_WRITE_SUPPORT: FeatureCode = FeatureCode(0x0037);
    /// 0100h Power Management.
    pub const POWER_MANAGEMENT: FeatureCode = FeatureCode(0x0100);
    /// 0107h Real Time Streaming.
    pub const REAL_TIME_STREAMING: FeatureCode = FeatureCode(0x0107);
}

/// One entry of the Profile List feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileDescriptor {
    /// Profile number.
    pub profile: Profile,
    /// CurrentP.
    pub current: bool,
}

/// Decoded feature data (bytes after the 4-byte descriptor header).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FeatureData {
    /// 0000h.
    ProfileList(Vec<ProfileDescriptor>),
    /// 0001h: physical interface; DBE and INQ2 when 8 bytes long (MMC-4+).
    Core {
        /// Physical interface standard (1 SCSI, 2 ATAPI, 7 SATA, 8 USB…).
        physical_interface: u32,
        /// Byte 8 (DBE b0, INQ2 b1) when present.
        flags: Option<u8>,
    },
    /// 0003h.
    RemovableMedium {
        /// Loading mechanism (0 caddy, 1 tray, 2 pop-up).
        loading_mechanism: u8,
        /// Eject.
        eject: bool,
        /// Prevent jumper.
        prevent_jumper: bool,
        /// Lock.
        lock: bool,
    },
    /// 001Eh.
    CdRead {
        /// DAP.
        dap: bool,
        /// C2 flags.
        c2_flags: bool,
        /// CD-Text.
        cd_text: bool,
    },
    /// 002Dh: byte 4 flags (b6 BUF, b4 R-W raw, b3 R-W pack, b2 test write,
    /// b1 CD-RW, b0 R-W sub-code) and the data block type mask.
    CdTrackAtOnce {
        /// Byte 4.
        flags: u8,
        /// Bytes 6-7: bit n = DBT n supported.
        data_block_types: u16,
    },
    /// 002Eh: byte 4 flags and the maximum cue sheet length.
    CdMastering {
        /// Byte 4 (see the `CD_MASTERING_*` constants).
        flags: u8,
        /// Bytes 5-7.
        max_cue_sheet_length: u32,
    },
    /// 0107h: byte 4 flags (b4 RBCB, b3 SCS, b2 MP2A, b1 WSPD, b0 SW).
    RealTimeStreaming {
        /// Byte 4.
        flags: u8,
    },
    /// Anything else, or a known feature with too little data.
    Raw(Vec<u8>),
}

/// CD Mastering byte 4 b6: buffer-underrun-free recording.
pub const CD_MASTERING_BUF: u8 = 0x40;
/// CD Mastering byte 4 b5: SAO (write type 2).
pub const CD_MASTERING_SAO: u8 = 0x20;
/// CD Mastering byte 4 b4: raw multi-session.
pub const CD_MASTERING_RAW_MS: u8 = 0x10;
/// CD Mastering byte 4 b3: raw (write type 3).
pub const CD_MASTERING_RAW: u8 = 0x08;
/// CD Mastering byte 4 b2: test write.
pub const CD_MASTERING_TEST_WRITE: u8 = 0x04;
/// CD Mastering byte 4 b1: CD-RW.
pub const CD_MASTERING_CD_RW: u8 = 0x02;
/// CD Mastering byte 4 b0: R-W sub-channel.
pub const CD_MASTERING_RW: u8 = 0x01;

/// One feature descriptor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeatureDescriptor {
    /// Feature code.
    pub code: FeatureCode,
    /// Byte 2 b5-2 version.
    pub version: u8,
    /// Byte 2 b1 persistent.
    pub persistent: bool,
    /// Byte 2 b0 current.
    pub current: bool,
    /// Decoded data.
    pub data: FeatureData,
}

impl FeatureDescriptor {
    fn parse_data(code: FeatureCode, d: &[u8]) -> FeatureData {
        match (code, d.len()) {
            (FeatureCode::PROFILE_LIST, _) => FeatureData::ProfileList(
                d.chunks_exact(4)
                    .map(|p| ProfileDescriptor {
                        profile: Profile(field::be16(p)),
                        current: p[2] & 1 != 0,
                    })
                    .collect(),
            ),
            (FeatureCode::CORE, n) if n >= 4 => FeatureData::Core {
                physical_interface: field::be32(d),
                flags: d.get(4).copied(),
            },
            (FeatureCode::REMOVABLE_MEDIUM, n) if n >= 1 => FeatureData::RemovableMedium {
                loading_mechanism: d[0] >> 5,
                eject: field::bit(d[0], 3),
                prevent_jumper: field::bit(d[0], 2),
                lock: field::bit(d[0], 0),
            },
            (FeatureCode::CD_READ, n) if n >= 1 => FeatureData::CdRead {
                dap: field::bit(d[0], 7),
                c2_flags: field::bit(d[0], 1),
                cd_text: field::bit(d[0], 0),
            },
            (FeatureCode::CD_TRACK_AT_ONCE, n) if n >= 4 => FeatureData::CdTrackAtOnce {
                flags: d[0],
                data_block_types: field::be16(&d[2..4]),
            },
            (FeatureCode::CD_MASTERING, n) if n >= 4 => FeatureData::CdMastering {
                flags: d[0],
                max_cue_sheet_length: field::be24(&d[1..4]),
            },
            (FeatureCode::REAL_TIME_STREAMING, n) if n >= 1 => {
                FeatureData::RealTimeStreaming { flags: d[0] }
            }
            _ => FeatureData::Raw(d.to_vec()),
        }
    }

    fn data_bytes(&self) -> Vec<u8> {
        match &self.data {
            FeatureData::ProfileList(ps) => ps
                .iter()
                .flat_map(|p| {
                    let [h, l] = p.profile.0.to_be_bytes();
                    [h, l, u8::from(p.current), 0]
                })
                .collect(),
            FeatureData::Core {
                physical_interface,
                flags,
            } => {
                let mut v = physical_interface.to_be_bytes().to_vec();
                if let Some(f) = flags {
                    v.extend([*f, 0, 0, 0]);
                }
                v
            }
            FeatureData::RemovableMedium {
                loading_mechanism,
                eject,
                prevent_jumper,
                lock,
            } => vec![
                (loading_mechanism << 5)
                    | (u8::from(*eject) << 3)
                    | (u8::from(*prevent_jumper) << 2)
                    | u8::from(*lock),
                0,
                0,
                0,
            ],
            FeatureData::CdRead {
                dap,
                c2_flags,
                cd_text,
            } => {
                vec![
                    (u8::from(*dap) << 7) | (u8::from(*c2_flags) << 1) | u8::from(*cd_text),
                    0,
                    0,
                    0,
                ]
            }
            FeatureData::CdTrackAtOnce {
                flags,
                data_block_types,
            } => {
                let [h, l] = data_block_types.to_be_bytes();
                vec![*flags, 0, h, l]
            }
            FeatureData::CdMastering {
                flags,
                max_cue_sheet_length,
            } => {
                let b = max_cue_sheet_length.to_be_bytes();
                vec![*flags, b[1], b[2], b[3]]
            }
            FeatureData::RealTimeStreaming { flags } => vec![*flags, 0, 0, 0],
            FeatureData::Raw(v) => v.clone(),
        }
    }

    /// Descriptor bytes (header + data).
    pub fn to_bytes(&self) -> Vec<u8> {
        let data = self.data_bytes();
        let [h, l] = self.code.0.to_be_bytes();
        let mut v = vec![
            h,
            l,
            ((self.version & 0x0f) << 2)
                | (u8::from(self.persistent) << 1)
                | u8::from(self.current),
            data.len() as u8,
        ];
        v.extend(data);
        v
    }
}

/// A whole GET CONFIGURATION response.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Configuration {
    /// Bytes 6-7 current profile.
    pub current_profile: Profile,
    /// Feature descriptors in order.
    pub features: Vec<FeatureDescriptor>,
}

impl Configuration {
    /// Parses the header (8 bytes needed) and every complete descriptor.
    pub fn parse(b: &[u8]) -> Result<Configuration> {
        check_len(b, HEADER_LEN)?;
        let declared = field::be32(&b[0..4]) as usize;
        let end = declared.saturating_add(4).min(b.len());
        let mut features = Vec::new();
        let mut at = HEADER_LEN;
        while at + 4 <= end {
            let len = usize::from(b[at + 3]);
            let Some(data) = b.get(at + 4..at + 4 + len).filter(|_| at + 4 + len <= end) else {
                break; // truncated descriptor: stop, never read past the end
            };
            let code = FeatureCode(field::be16(&b[at..at + 2]));
            features.push(FeatureDescriptor {
                code,
                version: (b[at + 2] >> 2) & 0x0f,
                persistent: field::bit(b[at + 2], 1),
                current: field::bit(b[at + 2], 0),
                data: FeatureDescriptor::parse_data(code, data),
            });
            at += 4 + len;
        }
        Ok(Configuration {
            current_profile: Profile(field::be16(&b[6..8])),
            features,
        })
    }

    /// The first descriptor with this code.
    pub fn feature(&self, code: FeatureCode) -> Option<&FeatureDescriptor> {
        self.features.iter().find(|f| f.code == code)
    }

    /// Response bytes (data length = bytes after byte 3).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_LEN];
        field::set_be16(&mut b[6..8], self.current_profile.0);
        for f in &self.features {
            b.extend(f.to_bytes());
        }
        let len = (b.len() - 4) as u32;
        field::set_be32(&mut b[0..4], len);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;
    use proptest::prelude::*;

    // CD-RW recorder with a blank CD-R: profiles A/9/8 (9 current), Core
    // ATAPI, Removable Medium (tray, eject, lock), CD Track at Once (BUF, test
    // write, CD-RW, DBT 0..3 + 8..13), CD Mastering (BUF SAO Raw Test CD-RW
    // R-W, max cue sheet 0x000F00), Real Time Streaming (SCS, WSPD).
    const CFG: &str = "00 00 00 44 00 00 00 09
        00 00 03 0c 00 0a 00 00 00 09 01 00 00 08 00 00
        00 01 0b 04 00 00 00 02
        00 03 03 04 29 00 00 00
        00 2d 09 04 46 00 3f 0f
        00 2e 01 04 6f 00 0f 00
        01 07 03 04 0a 00 00 00
        00 1e 09 04 00 00 00 00";

    #[test]
    fn test_deconstruct_configuration() {
        let c = Configuration::parse(&h(CFG)).unwrap();
        assert_eq!(c.current_profile, Profile::CD_R);
        assert_eq!(c.features.len(), 7);
        let FeatureData::ProfileList(p) = &c.features[0].data else {
            panic!()
        };
        assert_eq!(
            p[1],
            ProfileDescriptor {
                profile: Profile::CD_R,
                current: true
            }
        );
        let m = c.feature(FeatureCode::CD_MASTERING).unwrap();
        assert!(m.current);
        assert_eq!(
            m.data,
            FeatureData::CdMastering {
                flags: 0x6f,
                max_cue_sheet_length: 0x0f00
            }
        );
        let t = c.feature(FeatureCode::CD_TRACK_AT_ONCE).unwrap();
        assert_eq!(t.version, 2);
        assert_eq!(
            t.data,
            FeatureData::CdTrackAtOnce {
                flags: 0x46,
                data_block_types: 0x3f0f
            }
        );
        assert_eq!(
            c.feature(FeatureCode::REMOVABLE_MEDIUM).unwrap().data,
            FeatureData::RemovableMedium {
                loading_mechanism: 1,
                eject: true,
                prevent_jumper: false,
                lock: true
            }
        );
    }

    #[test]
    fn test_construct_configuration() {
        let c = Configuration::parse(&h(CFG)).unwrap();
        assert_eq!(c.to_bytes(), h(CFG));
    }

    #[test]
    fn test_header_only_means_no_such_feature() {
        // RT=2 for an unknown feature: data length 4, no descriptors.
        let c = Configuration::parse(&h("00 00 00 04 00 00 00 09")).unwrap();
        assert!(c.features.is_empty());
    }

    #[test]
    fn test_truncated_descriptor_is_dropped() {
        // wodim's 8-byte first read, and a buffer cut mid-descriptor.
        let full = h(CFG);
        let c = Configuration::parse(&full[..30]).unwrap();
        assert_eq!(c.features.len(), 1);
        assert!(Configuration::parse(&full[..7]).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..96)) {
            let _ = Configuration::parse(&b);
        }
    }
}
