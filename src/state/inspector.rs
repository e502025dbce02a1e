//! The messages opened in the inspector, which one is shown, and what is in progress.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{mbox, Report};

use crate::browser::files;

/// One opened message.
#[derive(Clone)]
pub struct OpenedFile {
    pub id: usize,
    /// File name (with `#n` for the n-th message of an mbox).
    pub name: String,
    pub raw: Arc<Vec<u8>>,
    pub outcome: Result<Arc<Report>, String>,
    /// Only the header is read and analysed yet: the size of the whole file (a large file
    /// is shown from its header while the rest comes in; the whole analysis replaces it).
    pub reading_rest: Option<usize>,
}

impl OpenedFile {
    pub fn title(&self) -> String {
        match &self.outcome {
            Ok(r) => r
                .subject
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "(no subject)".into()),
            Err(_) => self.name.clone(),
        }
    }
}

/// Work in progress, for the progress bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub label: String,
    pub done: usize,
    pub total: usize,
}

#[derive(Clone, Copy)]
pub struct Inspector {
    pub messages: RwSignal<Vec<OpenedFile>>,
    pub selected: RwSignal<Option<usize>>,
    pub progress: RwSignal<Option<Progress>>,
    /// Problems with files the user tried to open, newest last.
    pub alerts: RwSignal<Vec<String>>,
    next_id: StoredValue<usize>,
    /// How a message is read: the whole analysis, or what a reading view needs.
    analyzer: Analyzer,
}

type Analyzer = fn(&[u8]) -> Result<Report, mailscope_core::AnalysisError>;

/// The inspector's state for this page, analysing messages whole (route, authentication,
/// defects and all).
pub fn provide_inspector() {
    provide_with(mailscope_core::analyze);
}

/// The same for the mail app's reading pane, which shows no route, authentication or
/// defects (its "Inspect this message" frames the inspector): its bundle carries only
/// [`mailscope_core::analyze_for_reading`].
pub fn provide_reader() {
    provide_with(mailscope_core::analyze_for_reading);
}

fn provide_with(analyzer: Analyzer) {
    provide_context(Inspector {
        messages: RwSignal::new(Vec::new()),
        selected: RwSignal::new(None),
        progress: RwSignal::new(None),
        alerts: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(1),
        analyzer,
    });
}

pub fn use_inspector() -> Inspector {
    expect_context::<Inspector>()
}

/// Messages analysed between two yields to the browser when opening an mbox.
const BATCH: usize = 25;

/// How much of a large file is read first, to show its header (real headers are a few KB;
/// one with hundreds of Received fields still fits).
const HEADER_PEEK: usize = 256 * 1024;

/// Where the header ends: after the empty line (CRLF CRLF or LF LF), which is kept.
fn header_end(head: &[u8]) -> Option<usize> {
    let crlf = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4);
    let lf = head.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Inspector {
    pub fn selected_message(&self) -> Option<OpenedFile> {
        let id = self.selected.get()?;
        self.messages
            .with(|m| m.iter().find(|o| o.id == id).cloned())
    }

    pub fn alert(&self, text: String) {
        self.alerts.update(|a| a.push(text));
    }

    pub fn dismiss_alert(&self, index: usize) {
        self.alerts.update(|a| {
            if index < a.len() {
                a.remove(index);
            }
        });
    }

    /// Adds the message(s) in `raw`: one message, or every message of an mbox.
    /// Opens `raw`: a message, or an mbox of them.
    pub async fn open_bytes(&self, name: String, raw: Vec<u8>) {
        self.open_shared(name, raw).await;
    }

    /// `open_bytes`, giving a single message's bytes back as the inspector keeps them
    /// (shared, not copied); None for an mbox.
    pub async fn open_shared(&self, name: String, raw: Vec<u8>) -> Option<Arc<Vec<u8>>> {
        if mbox::is_mbox(&raw) {
            let ranges = mbox::split(&raw);
            if ranges.is_empty() {
                self.alert(format!("{name}: the mbox holds no message."));
                return None;
            }
            let total = ranges.len();
            let mut first = None;
            for (n, chunk) in ranges.chunks(BATCH).enumerate() {
                let opened: Vec<OpenedFile> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        self.make(
                            format!("{name}#{}", n * BATCH + i + 1),
                            raw[r.clone()].to_vec(),
                        )
                    })
                    .collect();
                first = first.or(opened.first().map(|o| o.id));
                self.messages.update(|m| m.extend(opened));
                if total > BATCH {
                    self.progress.set(Some(Progress {
                        label: format!("Analysing {name}"),
                        done: ((n + 1) * BATCH).min(total),
                        total,
                    }));
                    files::yield_to_browser().await;
                }
            }
            self.selected.set(first);
            None
        } else {
            let opened = self.make(name, raw);
            let (id, shared) = (opened.id, opened.raw.clone());
            if let Err(e) = &opened.outcome {
                self.alert(format!("{}: {e}.", opened.name));
            }
            self.messages.update(|m| m.push(opened));
            self.selected.set(Some(id));
            Some(shared)
        }
    }

    /// `raw` analysed, without adding it to the opened files (the mail app's reading pane
    /// shows one message at a time).
    pub fn analyse(&self, name: String, raw: Vec<u8>) -> OpenedFile {
        self.make(name, raw)
    }

    fn make(&self, name: String, raw: Vec<u8>) -> OpenedFile {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        crate::browser::time::mark("mailscope:analyze-start");
        let outcome = (self.analyzer)(&raw)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        crate::browser::time::mark("mailscope:analyze-end");
        OpenedFile {
            id,
            name,
            raw: Arc::new(raw),
            outcome,
            reading_rest: None,
        }
    }

    /// Reads and opens files from a picker or a drop, one after another, with progress.
    pub async fn open_files(&self, list: Vec<web_sys::File>) {
        for file in list {
            let name = file.name();
            let size = file.size();
            if size == 0.0 {
                self.alert(format!(
                    "{name}: the file is empty. Pick a .eml or .mbox file that holds a message."
                ));
                continue;
            }
            if size > files::MAX_FILE_BYTES {
                self.alert(format!(
                    "{name} is {}; Mailscope opens files up to {}. Split an mbox into smaller files, or open the message without its largest attachments.",
                    crate::format::bytes(size as usize),
                    crate::format::bytes(files::MAX_FILE_BYTES as usize)
                ));
                continue;
            }
            let this = *self;
            crate::browser::time::mark("mailscope:read-start");
            let label = format!("Reading {name}");
            let show = size > 4_000_000.0;
            if show {
                this.progress.set(Some(Progress {
                    label: label.clone(),
                    done: 0,
                    total: size as usize,
                }));
            }
            // A large message is shown from its header at once; its parts follow.
            let early = if show {
                self.open_header_first(&file, &name).await
            } else {
                None
            };
            let bytes = files::read(&file, |done, total| {
                if show {
                    this.progress.set(Some(Progress {
                        label: label.clone(),
                        done,
                        total,
                    }));
                }
            })
            .await;
            crate::browser::time::mark("mailscope:read-end");
            match bytes {
                Ok(raw) => {
                    if show {
                        self.progress.set(Some(Progress {
                            label: format!("Analysing {name}"),
                            done: 1,
                            total: 1,
                        }));
                        files::yield_to_browser().await;
                    }
                    match early {
                        Some(id) if !mbox::is_mbox(&raw) => self.complete(id, raw),
                        _ => {
                            if let Some(id) = early {
                                self.close(id);
                            }
                            self.open_bytes(name, raw).await;
                        }
                    }
                }
                Err(e) => {
                    if let Some(id) = early {
                        self.close(id);
                    }
                    self.alert(format!("{name}: {e}."));
                }
            }
        }
        self.progress.set(None);
    }

    /// Reads the start of a large file and, when its header ends there, shows the message
    /// from its header (summary, route, authentication) while the rest is read. Returns the
    /// entry to complete.
    async fn open_header_first(&self, file: &web_sys::File, name: &str) -> Option<usize> {
        let head = files::read_start(file, HEADER_PEEK).await.ok()?;
        if mbox::is_mbox(&head) {
            return None;
        }
        let end = header_end(&head)?;
        let report = (self.analyzer)(&head[..end]).ok()?;
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.messages.update(|m| {
            m.push(OpenedFile {
                id,
                name: name.to_string(),
                raw: Arc::new(head[..end].to_vec()),
                outcome: Ok(Arc::new(report)),
                reading_rest: Some(file.size() as usize),
            })
        });
        self.selected.set(Some(id));
        crate::browser::time::mark("mailscope:header-shown");
        // Let the summary paint before the long read.
        files::yield_to_browser().await;
        Some(id)
    }

    /// Replaces a message shown from its header with its whole analysis.
    fn complete(&self, id: usize, raw: Vec<u8>) {
        crate::browser::time::mark("mailscope:analyze-start");
        let outcome = (self.analyzer)(&raw)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        crate::browser::time::mark("mailscope:analyze-end");
        if let Err(e) = &outcome {
            self.alert(format!("{e}."));
        }
        self.messages.update(|m| {
            if let Some(o) = m.iter_mut().find(|o| o.id == id) {
                o.raw = Arc::new(raw);
                o.outcome = outcome;
                o.reading_rest = None;
            }
        });
    }

    /// Moves the selection by `delta` in the list (keyboard shortcuts).
    pub fn step(&self, delta: isize) {
        let ids: Vec<usize> = self.messages.with(|m| m.iter().map(|o| o.id).collect());
        if ids.is_empty() {
            return;
        }
        let current = self
            .selected
            .get()
            .and_then(|id| ids.iter().position(|x| *x == id));
        let next = match current {
            Some(i) => (i as isize + delta).clamp(0, ids.len() as isize - 1) as usize,
            None => 0,
        };
        self.selected.set(Some(ids[next]));
    }

    pub fn close(&self, id: usize) {
        let ids: Vec<usize> = self.messages.with(|m| m.iter().map(|o| o.id).collect());
        let pos = ids.iter().position(|x| *x == id);
        self.messages.update(|m| m.retain(|o| o.id != id));
        if self.selected.get() == Some(id) {
            let remaining: Vec<usize> = ids.into_iter().filter(|x| *x != id).collect();
            let next = pos.and_then(|p| {
                remaining
                    .get(p.min(remaining.len().saturating_sub(1)))
                    .copied()
            });
            self.selected.set(next);
        }
    }
}
