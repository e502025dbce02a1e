//! Reading on the server: a message fetched whole (BODY.PEEK, with progress) into the
//! inspector, and the original marked once its answer is sent (answered, forwarded, or a
//! continued draft removed).

use leptos::prelude::*;
use mailscope_core::compose::Respond;
use mailscope_core::imap::commands::{self, Mark};
use mailscope_core::imap::{Summary, Uids};

use super::folders::{invalid, recount, refused};
use super::list::load;
use super::opened::OpenedMail;
use super::session::work;
use super::state::MailboxState;
use crate::net::imap::Imap;
use crate::state::inspector::Inspector;

impl MailboxState {
    /// The whole message (BODY.PEEK: it stays unread), with progress, into the inspector.
    pub fn open_message(self, row: Summary, inspector: Inspector) {
        let MailboxState {
            status,
            folder_list,
            opened,
            ..
        } = self;
        let folder = self.here();
        let (uid, size) = (row.uid, row.size as usize);
        status.set("Opening the message…".into());
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                let command = commands::fetch_message(uid).map_err(invalid)?;
                // The status changes with each whole percent, not with every packet.
                let shown = std::cell::Cell::new(u32::MAX);
                let done = imap
                    .run_with_progress(command, move |got| {
                        let percent = (got * 100).checked_div(size).unwrap_or(100).min(100) as u32;
                        if shown.replace(percent) != percent {
                            status.set(format!(
                                "Downloading the message: {} of {} ({percent} %)…",
                                crate::format::bytes(got.min(size)),
                                crate::format::bytes(size),
                            ));
                        }
                    })
                    .await?;
                let raw = mailscope_core::imap::bodies(&done)
                    .into_iter()
                    .next()
                    .ok_or_else(|| invalid(format!("the message is no longer in {folder}")))?;
                status.set(String::new());
                let name = format!("{folder}-{uid}.eml");
                let draft = folder_list.with_untracked(|l| {
                    l.iter()
                        .any(|f| f.name == folder && f.role.as_deref() == Some("Drafts"))
                });
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
                load(&mut imap, &here, q, list, status, true).await?;
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
