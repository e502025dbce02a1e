//! Connections to mail servers. The page side ([`client`], [`session`]: the session
//! layer's browser transport; [`imap`], [`pop3`], [`smtp`]: connecting with it) talks to a
//! Web Worker of its own (`mailscope-net`, [`worker`]), which holds the WebSocket to the
//! proxy and the TLS client, so the TLS code is loaded only when a connection is made.
//! [`messages`] is how the two talk.

pub mod client;
pub mod imap;
pub mod messages;
pub mod pop3;
pub mod session;
pub mod smtp;
pub mod worker;
