//! The MMC/SPC wire format: typed CDBs, parameter pages, responses and sense
//! data. The only home of MMC byte layouts; shared by the writer and the
//! emulator.
