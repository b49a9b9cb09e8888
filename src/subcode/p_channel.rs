//! The P channel (spec/cd-format.md §4.2): one flag per sector, 0 in the
//! lead-in and in index ≥ 1, 1 in index 0 (pauses), toggling at 2 Hz in the
//! lead-out after its first two seconds.

/// Lead-out sectors at the start of the lead-out with P = 0 (2 s).
pub const LEADOUT_QUIET_SECTORS: u32 = 150;

/// P flag of the lead-out at relative sector `r` (§4.2): 0 for `r < 150`,
/// then 1 when `floor(4·(r−150)/75)` is even — runs of 19, 19, 19, 18 sectors
/// alternating on/off (2 Hz, 50 % duty, as libburn).
pub fn leadout(r: u32) -> bool {
    match r.checked_sub(LEADOUT_QUIET_SECTORS) {
        None => false,
        Some(t) => (u64::from(t) * 4 / 75) % 2 == 0,
    }
}
