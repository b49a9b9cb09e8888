//! Repair: a copy of an image with Q CRC/position and EDC/ECC regenerated
//! where only those were wrong (not implemented yet).
