//! Readers of other disc descriptions and images: cue sheets, cdrdao `.toc`
//! files, JSON layouts, CloneCD `.ccd`/`.img`/`.sub` and IMAPI raw images.
