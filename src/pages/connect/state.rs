//! The connection test as state: the server as typed, what the connection did (status, log,
//! what was received), the certificate that did not verify, and the connection itself with
//! its STARTTLS upgrade. Connecting and trusting are methods; the view is `page.rs`.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use mailscope_core::starttls::{Step, Upgrade};

use crate::components::account_fields::typed_port;
use crate::net::client::{
    advice, remember_exception, Connection, FromWorker, TrustedCertificate, UntrustedCertificate,
};

#[derive(Clone, Copy)]
pub struct ConnectionTest {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    /// "tls" (from the first byte), "starttls" (plain, then upgrade) or "none".
    pub security: RwSignal<String>,
    pub status: RwSignal<String>,
    /// What happened to the connection, a line each.
    pub log: RwSignal<Vec<String>>,
    /// Everything the server sent (and the STARTTLS commands sent to it).
    pub received: RwSignal<String>,
    pub untrusted: RwSignal<Option<UntrustedCertificate>>,
    // The worker lives in the browser's thread only; kept out of the reactive graph.
    connection: StoredValue<Option<Connection>, LocalStorage>,
    upgrade: StoredValue<Upgrade, LocalStorage>,
}

impl ConnectionTest {
    pub fn new() -> ConnectionTest {
        ConnectionTest {
            host: RwSignal::new(String::new()),
            port: RwSignal::new("993".to_string()),
            security: RwSignal::new("tls".to_string()),
            status: RwSignal::new(String::new()),
            log: RwSignal::new(Vec::new()),
            received: RwSignal::new(String::new()),
            untrusted: RwSignal::new(None),
            connection: StoredValue::new_local(None),
            upgrade: StoredValue::new_local(Upgrade::new()),
        }
    }

    /// The server as typed, or what to correct.
    fn target(&self) -> Result<(String, u16), String> {
        let port = typed_port(&self.port.get_untracked(), "")?;
        let host = self.host.get_untracked().trim().to_string();
        if host.is_empty() {
            return Err("Enter the server's host name.".into());
        }
        Ok((host, port))
    }

    /// Connects anew to the server as typed.
    pub fn connect(self) {
        let (host, port) = match self.target() {
            Ok(t) => t,
            Err(e) => return self.status.set(e),
        };
        self.log.set(Vec::new());
        self.received.set(String::new());
        self.untrusted.set(None);
        self.status.set(format!("Connecting to {host}:{port}…"));
        let mode = self.security.get_untracked();
        let (tls, starttls) = (mode == "tls", mode == "starttls");
        self.upgrade.set_value(Upgrade::new());
        // Plain state, not a reactive value: the handler may outlive the view that made it
        // (the "Trust" button reconnects from inside a block it then removes).
        let secure = Rc::new(Cell::new(false));
        let opened = Connection::open(&host, port, tls, move |event| {
            self.on_event(event, tls, starttls, &secure)
        });
        match opened {
            Ok(c) => self.connection.set_value(Some(c)),
            Err(e) => self.status.set(e),
        }
    }

    /// Trusts the certificate met, for this server and port, and connects again.
    pub fn trust(self) {
        let (Some(u), Ok((host, port))) = (self.untrusted.get_untracked(), self.target()) else {
            return;
        };
        remember_exception(TrustedCertificate {
            host,
            port,
            sha256: u.sha256,
        });
        self.connect();
    }

    fn send(&self, bytes: &[u8]) {
        self.connection
            .with_value(|c| c.as_ref().map(|c| c.send(bytes)));
    }

    fn close(&self) {
        self.connection
            .with_value(|c| c.as_ref().map(|c| c.close()));
    }

    /// One event of the connection: what it means for the page, and for STARTTLS the next
    /// step of the upgrade.
    fn on_event(self, event: FromWorker, tls: bool, starttls: bool, secure: &Cell<bool>) {
        let said = |s: &[u8]| {
            self.received
                .update(|r| r.push_str(&String::from_utf8_lossy(s)))
        };
        match event {
            FromWorker::ProxyConnected { address } => {
                self.log
                    .update(|l| l.push(format!("proxy connected to {address}")));
                self.status.set(
                    if tls {
                        "Connected; TLS handshake…"
                    } else if starttls {
                        "Connected; waiting for the greeting to ask for STARTTLS…"
                    } else {
                        "Connected (no TLS)."
                    }
                    .into(),
                );
            }
            FromWorker::Secure => {
                secure.set(true);
                self.log.update(|l| l.push("TLS handshake complete".into()));
                self.status
                    .set("Secure connection established (TLS in this browser).".into());
                // After STARTTLS the server waits for a command: ask what it offers now.
                if let Some(p) = self
                    .upgrade
                    .with_value(|u| u.protocol())
                    .filter(|_| starttls)
                {
                    let probe = p.capability_probe();
                    said(probe);
                    self.send(probe);
                }
            }
            FromWorker::Data { bytes } => {
                said(&bytes);
                if !starttls || secure.get() {
                    return;
                }
                match self
                    .upgrade
                    .try_update_value(|u| u.step(&bytes))
                    .unwrap_or(Step::Wait)
                {
                    Step::Send(b) => {
                        said(&b);
                        self.send(&b);
                    }
                    Step::Wait => {}
                    Step::Ready => {
                        let name = self
                            .upgrade
                            .with_value(|u| u.protocol().map_or("", |p| p.name()));
                        self.log
                            .update(|l| l.push(format!("{name} server agreed to STARTTLS")));
                        self.status
                            .set("The server agreed to STARTTLS; TLS handshake…".into());
                        self.connection
                            .with_value(|c| c.as_ref().map(|c| c.start_tls()));
                    }
                    Step::Refused(why) => {
                        self.status.set(format!("STARTTLS did not happen: {why}"));
                        self.close();
                    }
                    Step::Injected => {
                        self.status.set("Refused: the server sent data after its STARTTLS go-ahead, before TLS began. Someone on the network may be injecting commands (CVE-2011-0411); the connection was closed.".into());
                        self.close();
                    }
                }
            }
            FromWorker::Untrusted(certificate) => {
                self.status.set(format!(
                    "The server's certificate is not trusted: {}.",
                    certificate.reason
                ));
                self.untrusted.set(Some(certificate));
            }
            FromWorker::Error { reason, message } => {
                self.status
                    .set(format!("{message} ({reason}); {}.", advice(&reason)));
            }
            FromWorker::Closed => self.log.update(|l| l.push("connection closed".into())),
            FromWorker::Ready => {}
        }
    }
}
