//! The workbench's POP3 form as state: the account as typed (remembered without its
//! password), and the account's mail in this browser (`StoredMail`), checked from here.

use leptos::prelude::*;

use super::check::{Account, Run, ServerCopy};
use super::stored::StoredMail;
use crate::browser::settings;
use crate::components::account_fields::typed_port;
use crate::net::client::{remember_exception, TrustedCertificate};

const ACCOUNT_KEY: &str = "mailscope.pop3-account";

#[derive(Clone, Copy)]
pub struct Pop3Form {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    pub security: RwSignal<String>,
    pub user: RwSignal<String>,
    pub password: RwSignal<String>,
    /// "leave", "delete" or "days".
    pub keep: RwSignal<String>,
    pub days: RwSignal<String>,
    pub mail: StoredMail,
}

impl Pop3Form {
    /// The account remembered in this browser (its stored mail shown at once), or defaults.
    pub fn new() -> Pop3Form {
        let saved: Option<Account> = settings::load(ACCOUNT_KEY);
        let s = saved.as_ref();
        let form = Pop3Form {
            host: RwSignal::new(s.map(|a| a.host.clone()).unwrap_or_default()),
            port: RwSignal::new(s.map_or("995".into(), |a| a.port.to_string())),
            security: RwSignal::new(s.map_or("tls".into(), |a| a.security.clone())),
            user: RwSignal::new(s.map(|a| a.user.clone()).unwrap_or_default()),
            password: RwSignal::new(String::new()),
            keep: RwSignal::new(
                match s.map(|a| a.keep) {
                    Some(ServerCopy::DeleteAfterDownload) => "delete",
                    Some(ServerCopy::DeleteAfterDays(_)) => "days",
                    _ => "leave",
                }
                .to_string(),
            ),
            days: RwSignal::new(match s.map(|a| a.keep) {
                Some(ServerCopy::DeleteAfterDays(d)) => d.to_string(),
                _ => "14".to_string(),
            }),
            mail: StoredMail::new(),
        };
        if let Some(a) = saved {
            form.mail.refresh(a.id());
        }
        form
    }

    /// The account as typed, or what to correct.
    fn account(&self) -> Result<Account, String> {
        let port = typed_port(&self.port.get_untracked(), "")?;
        let host = self.host.get_untracked().trim().to_string();
        let user = self.user.get_untracked().trim().to_string();
        if host.is_empty() || user.is_empty() {
            return Err("Enter the server and the user name.".into());
        }
        let keep = match self.keep.get_untracked().as_str() {
            "delete" => ServerCopy::DeleteAfterDownload,
            "days" => {
                ServerCopy::DeleteAfterDays(self.days.get_untracked().trim().parse().unwrap_or(14))
            }
            _ => ServerCopy::OnServer,
        };
        Ok(Account {
            host,
            port,
            security: self.security.get_untracked(),
            user,
            keep,
        })
    }

    /// Checks the server with the account as typed (remembered for next time).
    pub fn check(&self, run: Run) {
        match self.account() {
            Ok(a) => {
                settings::save(ACCOUNT_KEY, &a);
                self.mail.check(a, self.password.get_untracked(), run);
            }
            Err(e) => self.mail.status.set(e),
        }
    }

    /// Trusts the certificate met for this server and port, and checks again.
    pub fn trust(&self) {
        let (Some(u), Ok(a)) = (self.mail.untrusted.get_untracked(), self.account()) else {
            return;
        };
        remember_exception(TrustedCertificate {
            host: a.host.clone(),
            port: a.port,
            sha256: u.sha256,
        });
        self.check(Run::Ask);
    }
}
