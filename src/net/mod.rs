//! The only code that touches a WebSocket. It runs in a Web Worker of its own
//! (`mailscope-net`), so the TLS code is loaded only when a connection is made and the
//! inspector page stays small.

pub mod client;
pub mod imap;
pub mod pop3;
pub mod session;
pub mod smtp;
pub mod worker;
