//! Everything the proxy can be told at start.

use std::path::PathBuf;
use std::time::Duration;

use crate::policy::Policy;

#[derive(Debug, Clone)]
pub struct Config {
    /// The built app (Trunk's dist/), served at `/`.
    pub static_dir: Option<PathBuf>,
    pub policy: Policy,
    /// Origins besides the proxy's own that may open sessions.
    pub origins: Vec<String>,
    /// Required as `&token=` when set (always set when listening beyond loopback).
    pub token: Option<String>,
    pub max_sessions: usize,
    pub max_per_ip: usize,
    pub connect_timeout: Duration,
    /// No byte either way for this long closes a session. IMAP IDLE is re-issued before 29
    /// minutes, so the default of 31 minutes never cuts an idling mailbox.
    pub idle_timeout: Duration,
    /// Largest WebSocket message or frame accepted from a client.
    pub max_frame: usize,
    /// After a shutdown signal, sessions may go on this long before they are closed.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            static_dir: None,
            policy: Policy::default(),
            origins: Vec::new(),
            token: None,
            max_sessions: 1024,
            max_per_ip: 64,
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(31 * 60),
            max_frame: 1 << 20,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}
