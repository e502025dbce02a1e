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
    /// The address users reach the proxy at when it is not the listening address (a name,
    /// or a reverse proxy in front): its host is accepted in `Host` and as the page's origin.
    pub public_url: Option<String>,
    /// Required as `&token=` when set (always set when listening beyond loopback).
    pub token: Option<String>,
    pub max_sessions: usize,
    pub max_per_ip: usize,
    /// Open connections of any kind (page loads, WebSockets, ones still sending their
    /// request), in total and per client (an IPv4 address or an IPv6 /64).
    pub max_connections: usize,
    pub max_connections_per_client: usize,
    /// A request's header must arrive within this (also the idle time of a kept-alive
    /// connection between requests).
    pub header_timeout: Duration,
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
            public_url: None,
            token: None,
            max_sessions: 1024,
            max_per_ip: 64,
            // Room for every session plus page loads; per client, for its sessions plus a
            // browser's handful of parallel requests.
            max_connections: 1024 + 256,
            max_connections_per_client: 64 + 32,
            header_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(31 * 60),
            max_frame: 1 << 20,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}
