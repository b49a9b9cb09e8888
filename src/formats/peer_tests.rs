//! Tests against the libcdio peer suite.
