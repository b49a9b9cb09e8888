//! The `Transport` trait through which CDBs reach a drive — real or
//! emulated — and middleware that is itself a transport.
