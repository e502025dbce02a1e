//! What is being written, as signals: the addresses, subject, text, HTML version and
//! attachments of one message, with what both compose forms (the app's and the workbench's)
//! do with them: keep them in this browser, fill them from an answer, build the draft, add
//! files, estimate the size on the wire.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::compose::{self, encoded_size, Attachment, Draft, Respond};

use super::draft::SavedDraft;
use super::parse;
use crate::browser::files;

/// The fields of one message; signals only, so handlers copy it freely.
#[derive(Clone, Copy)]
pub struct MessageFields {
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
    pub cc: RwSignal<String>,
    pub bcc: RwSignal<String>,
    pub reply_to: RwSignal<String>,
    pub subject: RwSignal<String>,
    pub body: RwSignal<String>,
    pub html: RwSignal<Option<String>>,
    pub in_reply_to: RwSignal<Option<String>>,
    pub references: RwSignal<Vec<String>>,
    pub attachments: RwSignal<Vec<Attachment>>,
}

impl MessageFields {
    /// Empty fields, sending from `from`.
    pub fn new(from: String) -> MessageFields {
        MessageFields {
            from: RwSignal::new(from),
            to: RwSignal::new(String::new()),
            cc: RwSignal::new(String::new()),
            bcc: RwSignal::new(String::new()),
            reply_to: RwSignal::new(String::new()),
            subject: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            html: RwSignal::new(None),
            in_reply_to: RwSignal::new(None),
            references: RwSignal::new(Vec::new()),
            attachments: RwSignal::new(Vec::new()),
        }
    }

    /// What is kept in this browser (read tracked, so an effect saving it reruns on a change).
    pub fn saved(&self) -> SavedDraft {
        SavedDraft {
            from: self.from.get(),
            to: self.to.get(),
            cc: self.cc.get(),
            bcc: self.bcc.get(),
            reply_to: self.reply_to.get(),
            subject: self.subject.get(),
            body: self.body.get(),
            html: self.html.get(),
            in_reply_to: self.in_reply_to.get(),
            references: self.references.get(),
        }
    }

    /// Brings back what was kept; an empty sender leaves the current one.
    pub fn restore(&self, d: SavedDraft) {
        if !d.from.trim().is_empty() {
            self.from.set(d.from);
        }
        self.to.set(d.to);
        self.cc.set(d.cc);
        self.bcc.set(d.bcc);
        self.reply_to.set(d.reply_to);
        self.subject.set(d.subject);
        self.body.set(d.body);
        self.html.set(d.html);
        self.in_reply_to.set(d.in_reply_to);
        self.references.set(d.references);
    }

    /// Fills the fields with an answer (`how`) to a message; a draft taken up again keeps
    /// its own sender, Reply-To and HTML version.
    pub fn answer(&self, how: Respond, d: Draft) {
        self.to.set(compose::format_list(&d.to));
        self.cc.set(compose::format_list(&d.cc));
        self.bcc.set(compose::format_list(&d.bcc));
        if how == Respond::EditDraft {
            if let Some(f) = &d.from {
                self.from.set(compose::format_list(std::slice::from_ref(f)));
            }
            self.reply_to.set(compose::format_list(&d.reply_to));
            self.html.set(d.html.clone());
        }
        self.subject.set(d.subject);
        self.body.set(d.text);
        self.in_reply_to.set(d.in_reply_to);
        self.references.set(d.references);
        self.attachments.set(d.attachments);
    }

    pub fn is_empty(&self) -> bool {
        [self.to, self.cc, self.bcc, self.subject, self.body]
            .iter()
            .all(|s| s.with_untracked(|t| t.trim().is_empty()))
            && self.attachments.with_untracked(|a| a.is_empty())
    }

    /// Empties everything but the sender and Reply-To (after a send).
    pub fn clear(&self) {
        for s in [self.to, self.cc, self.bcc, self.subject, self.body] {
            s.set(String::new());
        }
        self.html.set(None);
        self.in_reply_to.set(None);
        self.references.set(Vec::new());
        self.attachments.set(Vec::new());
    }

    /// The sender as typed, or `fallback` (the user name) when From is empty.
    pub fn sender(&self, fallback: &str) -> String {
        let f = self.from.get_untracked();
        if f.trim().is_empty() {
            fallback.to_string()
        } else {
            f
        }
    }

    /// The message as a draft, or which field is wrong; From falls back to `fallback`.
    pub fn draft(&self, fallback: &str) -> Result<Draft, String> {
        let from = compose::parse_one(&self.sender(fallback))
            .map_err(|e| format!("From: {e}. Enter the address to send from."))?;
        Ok(Draft {
            from: Some(from),
            to: parse("To", &self.to.get_untracked())?,
            cc: parse("Cc", &self.cc.get_untracked())?,
            bcc: parse("Bcc", &self.bcc.get_untracked())?,
            reply_to: parse("Reply-To", &self.reply_to.get_untracked())?,
            subject: self.subject.get_untracked(),
            text: self.body.get_untracked(),
            html: self.html.get_untracked().filter(|h| !h.trim().is_empty()),
            attachments: self.attachments.get_untracked(),
            in_reply_to: self.in_reply_to.get_untracked(),
            references: self.references.get_untracked(),
        })
    }

    /// Reads the files into attachments; a file that cannot be read is named in `status`.
    pub fn add_files(&self, list: Vec<web_sys::File>, status: RwSignal<String>) {
        let attachments = self.attachments;
        spawn_local(async move {
            for file in list {
                let name = file.name();
                let content_type = file.type_();
                match files::read(&file, |_, _| {}).await {
                    Ok(bytes) => attachments.update(|a| {
                        a.push(Attachment {
                            name,
                            content_type,
                            bytes,
                        })
                    }),
                    Err(e) => status.set(format!("{name}: {e}")),
                }
            }
        });
    }

    /// Bytes attached, and about how many go over the wire (base64 adds a third).
    pub fn estimate(&self) -> (u64, u64) {
        let raw: u64 = self
            .attachments
            .with(|a| a.iter().map(|x| x.bytes.len() as u64).sum());
        let encoded: u64 = self.attachments.with(|a| {
            a.iter()
                .map(|x| encoded_size(x.bytes.len() as u64) + 300)
                .sum()
        });
        let text = self
            .body
            .with(|b| encoded_size(b.len() as u64).min(b.len() as u64 * 3 + 2));
        (raw, 1_000 + text + encoded)
    }
}
