//! The raw image creator (`IRawCDImageCreator` + `IRawCDImageTrackInfo`) and
//! its streaming result image.
