//! Reading on the server: a message fetched whole (BODY.PEEK, with progress) into the
//! inspector, and the original marked once its answer is sent (answered, forwarded, or a
//! continued draft removed).

use leptos::prelude::*;
use mailscope_core::compose::Respond;
use mailscope_core::imap::commands::{self, Mark};
use mailscope_core::imap::{Summary, Uids};

use super::folder_state::load;
use super::folders::{invalid, recount, refused};
use super::opened::OpenedMail;
use super::session::work;
use super::state::MailboxState;
use crate::net::imap::Imap;
use crate::net::session::Failure;
use crate::state::inspector::Inspector;

/// Message `uid` of the selected folder, whole (BODY.PEEK: it stays unread), the status
/// saying how far the download is at each whole percent of `size` (when known).
async fn download(
    imap: &mut Imap,
    folder: &str,
    uid: u32,
    size: Option<usize>,
    status: RwSignal<String>,
) -> Result<Vec<u8>, Failure> {
    let command = commands::fetch_message(uid).map_err(invalid)?;
    let shown = std::cell::Cell::new(u32::MAX);
    let done = imap
        .run_with_progress(command, move |got| {
            let text = match size {
                Some(size) => {
                    let percent = (got * 100).checked_div(size).unwrap_or(100).min(100) as u32;
                    if shown.replace(percent) == percent {
                        return;
                    }
                    format!(
                        "Downloading the message: {} of {} ({percent} %)…",
                        crate::format::bytes(got.min(size)),
                        crate::format::bytes(size),
                    )
                }
                None => format!("Downloading the message: {}…", crate::format::bytes(got)),
            };
            status.set(text);
        })
        .await?;
    mailscope_core::imap::bodies(&done)
        .into_iter()
        .next()
        .ok_or_else(|| invalid(format!("the message is no longer in {folder}")))
}

impl MailboxState {
    fn is_drafts(&self, folder: &str) -> bool {
        self.folder_list.with_untracked(|l| {
            l.iter()
                .any(|f| f.name == folder && f.role.as_deref() == Some("Drafts"))
        })
    }

    /// The whole message (BODY.PEEK: it stays unread), with progress, into the inspector.
    pub fn open_message(self, row: Summary, inspector: Inspector) {
        let MailboxState { status, opened, .. } = self;
        let folder = self.here();
        let (uid, size) = (row.uid, row.size as usize);
        status.set("Opening the message…".into());
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                let raw = download(&mut imap, &folder, uid, Some(size), status).await?;
                status.set(String::new());
                let name = format!("{folder}-{uid}.eml");
                let draft = self.is_drafts(&folder);
                // What can be answered is what the inspector shows (an mbox-shaped message
                // opened as several has no one original to answer).
                let shown = inspector.open_shared(name.clone(), raw).await;
                opened.set(shown.map(|raw| OpenedMail {
                    name,
                    subject: row.subject.clone(),
                    folder: folder.clone(),
                    draft,
                    uid,
                    raw,
                }));
                Ok(())
            }
            .await;
            (imap, result)
        }));
    }

    /// Message `uid` of the open folder into the reading pane, if the folder still has
    /// UIDVALIDITY `validity` (else the UID may name another message: said, not shown);
    /// from this browser when kept there (no network), else downloaded and kept. Read as a
    /// person reads it, so marked seen (\\Seen) on the server when it was not (offline: the
    /// change waits for the session).
    pub fn read(self, validity: u32, uid: u32, inspector: Inspector) {
        let MailboxState {
            status,
            reading,
            list,
            ..
        } = self;
        let folder = self.here();
        let failed = self.reading_failed;
        failed.set(None);
        if let Some(uids) = self.conversation_of(uid) {
            return self.read_conversation(validity, uids, inspector);
        }
        self.conversation.set(Vec::new());
        let kept = self.kept();
        leptos::task::spawn_local(async move {
            if let Some(raw) = kept.body(&folder, validity, uid).await {
                if list.validity.get_untracked().is_some_and(|v| v != validity) {
                    return;
                }
                self.show_read(&folder, validity, uid, raw, inspector);
                let unseen = list
                    .rows
                    .with_untracked(|r| r.values().find(|s| s.uid == uid).map(|s| !s.seen));
                if unseen != Some(false) {
                    self.act((vec![uid], super::actions::Action::Read(true)));
                }
                return;
            }
            if self.session.with_value(|s| s.is_none()) {
                reading.set(None);
                let said = "This message is not kept in this browser; it opens when the server can be reached.".to_string();
                failed.set(Some(said.clone()));
                status.set(said);
                return;
            }
            self.download_and_read(folder, validity, uid, inspector);
        });
    }

    /// Shows `raw` in the reading pane as message `uid` of `folder`.
    fn show_read(self, folder: &str, validity: u32, uid: u32, raw: Vec<u8>, inspector: Inspector) {
        let name = format!("{folder}-{uid}.eml");
        let shown = inspector.analyse(name.clone(), raw);
        let subject = shown
            .outcome
            .as_ref()
            .ok()
            .and_then(|r| r.subject.clone())
            .unwrap_or_default();
        self.opened.set(Some(OpenedMail {
            name,
            subject,
            folder: folder.to_string(),
            draft: self.is_drafts(folder),
            uid,
            raw: shown.raw.clone(),
        }));
        self.reading.set(Some((validity, shown)));
    }

    fn download_and_read(self, folder: String, validity: u32, uid: u32, inspector: Inspector) {
        let MailboxState {
            status,
            reading,
            list,
            folder_list,
            ..
        } = self;
        let failed = self.reading_failed;
        let kept = self.kept();
        status.set("Opening the message…".into());
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                // Checked when the work runs: the folder's SELECT is queued before it.
                if list.validity.get_untracked().is_some_and(|v| v != validity) {
                    reading.set(None);
                    let said = format!(
                        "That message link is from before {folder} was rebuilt on the server; find the message in the list."
                    );
                    failed.set(Some(said.clone()));
                    status.set(said);
                    return Ok(());
                }
                let row = list
                    .rows
                    .with_untracked(|r| r.values().find(|s| s.uid == uid).cloned());
                let size = row.as_ref().map(|s| s.size as usize);
                let raw = match download(&mut imap, &folder, uid, size, status).await {
                    Ok(raw) => raw,
                    Err(e) => {
                        failed.set(Some(match &e {
                            Failure::Failed(why) => format!("It could not be opened: {why}."),
                            Failure::Untrusted(_) => "It could not be opened: the server's certificate is not trusted.".into(),
                        }));
                        return Err(e);
                    }
                };
                status.set(String::new());
                kept.save_body(&folder, validity, uid, &raw).await;
                self.show_read(&folder, validity, uid, raw, inspector);
                if row.is_none_or(|r| !r.seen) {
                    let u = Uids::one(uid).ok_or_else(|| invalid("UID 0 is no message"))?;
                    let done = imap
                        .run(commands::mark(&u, Mark::Seen, true).map_err(invalid)?)
                        .await?;
                    if done.is_ok() {
                        list.set_flags_of(&[uid], |s| s.seen = true);
                        if let Some(v) = list.validity.get_untracked() {
                            let rows: Vec<_> = list.rows.with_untracked(|r| r.values().filter(|s| s.uid == uid).cloned().collect());
                            kept.save_rows(&folder, v, &rows).await;
                        }
                        recount(&mut imap, folder_list, std::slice::from_ref(&folder)).await?;
                    }
                }
                Ok(())
            }
            .await;
            (imap, result)
        }));
    }

    /// An answer went out: the original is marked answered (\\Answered) or forwarded
    /// ($Forwarded) on the server, in whatever folder it is, and the open folder read again.
    pub fn answered(self, (how, o): (Respond, OpenedMail)) {
        let MailboxState {
            status,
            folder_list,
            query,
            list,
            ..
        } = self;
        let mark = match how {
            Respond::Reply | Respond::ReplyAll => Mark::Answered,
            Respond::ForwardInline | Respond::ForwardAsAttachment => Mark::Forwarded,
            // The draft was sent: it goes from Drafts.
            Respond::EditDraft => Mark::Deleted,
        };
        let here = self.here();
        let q = query.get_untracked();
        let (kept, states) = (self.kept(), self.states);
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                if o.folder != here {
                    imap.run(commands::select(&o.folder).map_err(invalid)?)
                        .await?;
                }
                let u = Uids::one(o.uid).ok_or_else(|| invalid("UID 0 is no message"))?;
                let done = imap
                    .run(commands::mark(&u, mark, true).map_err(invalid)?)
                    .await?;
                if !done.is_ok() {
                    return Err(refused("mark the message", &done));
                }
                if mark == Mark::Deleted {
                    let gone = imap
                        .run(commands::expunge_uids(&u).map_err(invalid)?)
                        .await?;
                    if !gone.is_ok() {
                        return Err(refused("remove the sent draft", &gone));
                    }
                    recount(&mut imap, folder_list, std::slice::from_ref(&o.folder)).await?;
                }
                load(&mut imap, &here, q, list, status, true, &kept, states).await?;
                if mark == Mark::Deleted {
                    status.set(format!(
                        "The draft was sent, and is gone from {}.",
                        o.folder
                    ));
                }
                Ok(())
            }
            .await;
            (imap, result)
        }));
    }
}
