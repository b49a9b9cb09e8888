//! rawcd-conformance: the scenario suite and its runner (not implemented yet:
//! see the conformance issue).
#![deny(unsafe_code)]
#![warn(missing_docs)]
