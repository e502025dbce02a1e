//! The mail app's accounts: the list kept in this browser (without passwords), and for each
//! account what lives only while the page is open: its IMAP session and list, and its
//! passwords, in memory.

use leptos::prelude::*;
use mailscope_core::account::{Account, Incoming};

use crate::browser::settings;
use crate::pages::imap::{ImapAccount, MailboxState};

const KEY: &str = "mailscope.accounts";

/// What an account has while the page is open.
#[derive(Clone, Copy)]
pub struct Live {
    /// The IMAP session, folders, list and open message (unused by a POP3 account).
    pub imap: MailboxState,
    /// The incoming server's password, in memory only.
    pub password: RwSignal<String>,
    /// The outgoing server's password where it differs from the incoming one.
    pub smtp_password: RwSignal<Option<String>>,
    /// The conversation of the last message sent, for the settings view.
    pub smtp_transcript: RwSignal<Vec<(bool, String)>>,
    /// The messages stored in this browser (a POP3 account).
    pub device: crate::pages::pop3::stored::StoredMail,
}

impl Live {
    fn new(account: &Account) -> Live {
        let imap = MailboxState::new(Some(&ImapAccount {
            host: account.incoming.host.clone(),
            port: account.incoming.port,
            security: account.incoming.security.as_str().to_string(),
            user: account.incoming_user.clone(),
            legacy_password: None,
        }));
        Live {
            imap,
            password: RwSignal::new(String::new()),
            smtp_password: RwSignal::new(None),
            smtp_transcript: RwSignal::new(Vec::new()),
            device: crate::pages::pop3::stored::StoredMail::new(),
        }
    }

    /// The password for the outgoing server.
    pub fn outgoing_password(&self) -> String {
        self.smtp_password
            .get_untracked()
            .unwrap_or_else(|| self.password.get_untracked())
    }

    /// Signed in (IMAP: the folders are listed; POP3: a password is known).
    pub fn signed_in(&self, kind: Incoming) -> bool {
        match kind {
            Incoming::Imap => {
                !self.imap.offline.get() && self.imap.folder_list.with(|l| !l.is_empty())
            }
            Incoming::Pop3 => self.password.with(|p| !p.is_empty()),
        }
    }
}

/// Where an account opens: INBOX, or for POP3 the mail stored in this browser.
pub fn home(a: &Account) -> mailscope_core::app_path::Place {
    use mailscope_core::app_path::Place;
    match a.incoming_kind {
        Incoming::Imap => Place::inbox(),
        Incoming::Pop3 => Place::Device { open: None },
    }
}

#[derive(Clone, Copy)]
pub struct Accounts {
    pub list: RwSignal<Vec<Account>>,
    live: StoredValue<Vec<(String, Live)>>,
    /// The app's own owner: live state outlives the view that first asked for it (a setup
    /// page that saves an account and goes away).
    owner: StoredValue<Owner>,
}

impl Accounts {
    pub fn provide() {
        provide_context(Accounts {
            list: RwSignal::new(settings::load(KEY).unwrap_or_default()),
            live: StoredValue::new(Vec::new()),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        });
    }

    pub fn get(&self, id: &str) -> Option<Account> {
        self.list.with(|l| l.iter().find(|a| a.id() == id).cloned())
    }

    /// The account's live state (made the first time it is asked for).
    pub fn live(&self, id: &str) -> Option<Live> {
        if let Some(l) = self
            .live
            .with_value(|v| v.iter().find(|(k, _)| k == id).map(|(_, l)| *l))
        {
            return Some(l);
        }
        let account = self
            .list
            .with_untracked(|l| l.iter().find(|a| a.id() == id).cloned())?;
        let l = self.owner.with_value(|o| o.with(|| Live::new(&account)));
        self.live.update_value(|v| v.push((id.to_string(), l)));
        Some(l)
    }

    /// Adds `account` (or replaces the one with its address), remembered without passwords;
    /// its live state starts again with these settings.
    pub fn save(&self, account: Account) {
        let id = account.id();
        self.forget_live(&id);
        self.list
            .update(|l| match l.iter_mut().find(|a| a.id() == id) {
                Some(a) => *a = account,
                None => l.push(account),
            });
        self.list.with_untracked(|l| settings::save(KEY, l));
    }

    /// Forgets the account, the IMAP mail this browser keeps of it, and the work that
    /// waited for its server (changes made offline, the outbox). A POP3 account's downloaded
    /// mail stays (it may be the only copy); adding the account again shows it.
    pub fn remove(&self, id: &str) {
        let account = self
            .list
            .with_untracked(|l| l.iter().find(|a| a.id() == id).cloned());
        if let (Some(l), Some(account)) = (self.live(id), account) {
            let kept = l.imap.kept();
            leptos::task::spawn_local(async move {
                kept.erase().await;
                super::outbox::erase(&account).await;
            });
        }
        self.forget_live(id);
        self.list.update(|l| l.retain(|a| a.id() != id));
        self.list.with_untracked(|l| settings::save(KEY, l));
    }

    fn forget_live(&self, id: &str) {
        self.live.update_value(|v| {
            if let Some(i) = v.iter().position(|(k, _)| k == id) {
                let (_, l) = v.remove(i);
                l.imap.sign_out();
            }
        });
    }

    /// Every account's INBOX unread count, summed (0 for those not signed in).
    pub fn unread(&self) -> u32 {
        self.live
            .with_value(|v| v.iter().map(|(_, l)| l.imap.inbox_unread()).sum())
    }
}

pub fn use_accounts() -> Accounts {
    expect_context::<Accounts>()
}
