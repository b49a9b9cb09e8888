//! Validation of raw images, sector by sector (not implemented yet: see the
//! validation issue).
