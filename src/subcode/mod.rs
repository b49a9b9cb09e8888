//! Sub-channel codecs: P and Q channels, Q frames (modes 1, 2, 3 and lead-in
//! TOC points), CRC-16, raw/cooked/PQ-16 packing, R–W and CD-Text packs.
