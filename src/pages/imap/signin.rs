//! Signing an account in: connect (TLS, STARTTLS or none), list the folders, start the
//! session that runs the account's work and IDLE, open INBOX; and trusting a certificate.

use std::rc::Rc;

use crate::components::account_fields::typed_port;
use leptos::{prelude::*, task::spawn_local};
use mailscope_core::imap::pages::Source;

use super::folders::{list_folders, recount};
use super::session::{work, Credentials, Hooks, Session};
use super::state::MailboxState;
use crate::net::client::{remember_exception, TrustedCertificate};
use crate::net::imap::Imap;
use crate::net::pop3::Security;
use crate::net::session::Failure;
use mailscope_session::SessionError;

/// How often a mail server that could not be reached is looked for again.
pub const RETRY_MS: i32 = 20_000;

impl MailboxState {
    pub fn sign_out_said(self) {
        let MailboxState { status, .. } = self;
        self.sign_out();
        status.set("Signed out.".into());
    }

    /// While the mail server cannot be reached (the Mailscope server up) and the password is
    /// in memory, it is looked for every [`RETRY_MS`] without a sign on screen; once a
    /// connection signs in, the session starts again as by "Try again" (and what was changed
    /// offline is made). A refusal (the password changed, the certificate) ends the looking:
    /// the user is then asked, not the server asked again and again.
    pub fn retry_later(self) {
        if self.retrying.get_value() {
            return;
        }
        self.retrying.set_value(true);
        spawn_local(async move {
            loop {
                crate::browser::time::sleep(RETRY_MS).await;
                let gone =
                    self.offline.get_untracked() && self.offline_why.get_untracked().is_some();
                let pw = self.password.get_untracked();
                let Ok(p) = self.port.get_untracked().trim().parse::<u16>() else {
                    break;
                };
                if !gone || pw.is_empty() {
                    break;
                }
                let (h, u) = (self.host.get_untracked(), self.user.get_untracked());
                let sec = Security::parse(&self.security.get_untracked());
                match crate::net::imap::connect_typed(h.trim(), p, sec, u.trim(), &pw).await {
                    Ok(mut imap) => {
                        imap.logout().await;
                        self.retrying.set_value(false);
                        return self.back_online();
                    }
                    Err(e) if e.is_lost() => continue,
                    Err(_) => break,
                }
            }
            self.retrying.set_value(false);
        });
    }

    pub fn sign_in(self, on_signed_in: Callback<()>) {
        let MailboxState {
            host,
            port,
            security,
            user,
            password,
            status,
            busy,
            untrusted,
            folder_list,
            current,
            list,
            transcript,
            alerts,
            session,
            ..
        } = self;
        let p = match typed_port(&port.get_untracked(), "") {
            Ok(p) => p,
            Err(e) => return status.set(e),
        };
        let (h, u, pw) = (
            host.get_untracked().trim().to_string(),
            user.get_untracked().trim().to_string(),
            password.get_untracked(),
        );
        if h.is_empty() || u.is_empty() {
            return status.set("Enter the server and the user name.".into());
        }
        let sec_name = security.get_untracked();
        let sec = Security::parse(&sec_name);
        self.sign_out_said();
        untrusted.set(None);
        busy.set(true);
        status.set(format!("Connecting to {h}:{p}…"));
        spawn_local(async move {
            let connected = crate::net::imap::connect_typed(&h, p, sec, &u, &pw).await;
            // The server (or the proxy) cannot be reached, as against a refusal.
            let unreachable = matches!(
                &connected,
                Err(SessionError::Connect { .. }
                    | SessionError::Io(_)
                    | SessionError::Timeout { .. }
                    | SessionError::Closed)
            );
            match connected.map_err(Failure::from) {
                Ok(mut imap) => {
                    let listed = list_folders(&mut imap).await;
                    alerts.set(imap.take_alerts());
                    transcript.set(imap.transcript());
                    busy.set(false);
                    match listed {
                        Ok(folders) => {
                            folder_list.set(folders);
                            on_signed_in.run(());
                            let credentials = Credentials {
                                host: h,
                                port: p,
                                security: sec,
                                user: u,
                                password: pw,
                            };
                            let hooks = Hooks {
                                busy,
                                status,
                                transcript,
                                alerts,
                                refresh: Rc::new(move || self.refresh()),
                                news: Rc::new(move |news| self.apply_news(news)),
                                tick: Rc::new(move || {
                                    work(move |mut imap: Imap| async move {
                                        let inbox = ["INBOX".to_string()];
                                        let r = recount(&mut imap, folder_list, &inbox).await;
                                        (imap, r)
                                    })
                                }),
                                watching_inbox: Rc::new(move || {
                                    current
                                        .get_untracked()
                                        .is_none_or(|c| c.eq_ignore_ascii_case("INBOX"))
                                }),
                                // The status says why; the lists of a session that is gone go.
                                // What this browser keeps stays readable.
                                ended: Rc::new(move || {
                                    session.set_value(None);
                                    list.reset(Source::Folder(0));
                                    self.offline_why.set(Some(status.get_untracked()));
                                    self.show_offline();
                                    self.retry_later();
                                }),
                            };
                            session.set_value(Some(Session::start(imap, credentials, hooks)));
                            self.offline.set(false);
                            self.offline_why.set(None);
                            let kept = self.kept();
                            let folders = folder_list.get_untracked();
                            let states = self.states;
                            spawn_local(async move {
                                kept.save_folders(&folders).await;
                                // Every kept folder in memory: each opens with no store read.
                                states.preload(kept.every_state().await);
                            });
                            self.open_folder("INBOX".into());
                            self.replay();
                        }
                        Err(e) => status.set(format!("Listing the folders failed: {e:?}.")),
                    }
                }
                Err(Failure::Untrusted(c)) => {
                    busy.set(false);
                    status.set(format!(
                        "The server's certificate is not trusted: {}.",
                        c.reason
                    ));
                    untrusted.set(Some(c));
                }
                Err(Failure::Failed(e)) => {
                    busy.set(false);
                    let said = format!("Signing in failed: {e}.");
                    status.set(said.clone());
                    // The server cannot be reached: what this browser keeps is shown. The
                    // Mailscope server up, the mail server is the one gone: said over the list
                    // (the line at the top of the page speaks of the Mailscope server).
                    // (The proxy is asked only when there is something kept to show.)
                    if self.kept().folders().await.is_none_or(|f| f.is_empty()) {
                        return;
                    }
                    let proxy_up = crate::browser::online::server_reachable().await;
                    if unreachable || !proxy_up {
                        self.offline_why.set(proxy_up.then_some(said));
                        self.show_offline();
                        self.retry_later();
                    }
                }
            }
        });
    }

    pub fn trust(self, on_signed_in: Callback<()>) {
        let MailboxState {
            host,
            port,
            untrusted,
            ..
        } = self;
        let (Some(u), Ok(p)) = (
            untrusted.get_untracked(),
            port.get_untracked().trim().parse::<u16>(),
        ) else {
            return;
        };
        remember_exception(TrustedCertificate {
            host: host.get_untracked().trim().to_string(),
            port: p,
            sha256: u.sha256,
        });
        self.sign_in(on_signed_in);
    }
}
