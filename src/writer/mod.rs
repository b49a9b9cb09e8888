//! The DAO writer (`IDiscFormat2RawCD`) — not implemented yet: see the DAO
//! writer issue.
