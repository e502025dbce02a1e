//! Connection test: reach a mail server through the proxy, with TLS in this browser, and see
//! what it answers. An untrusted certificate is shown with its fingerprint and can be trusted
//! for that host and port.

mod page;
mod state;

pub use page::ConnectPage;
