//! Writing and sending mail over SMTP submission: the form, attachments by picker or drop,
//! the size on the wire before sending, every refusal explained, the transcript, and the
//! draft kept in this browser until the message is sent.

pub mod copies;
pub mod draft;
pub mod fields;
pub mod outcome;
mod page;
pub mod send;
mod state;

use leptos::prelude::*;
use mailscope_core::compose::{self, Mailbox, Respond, Stamp};

pub use page::ComposePage;

/// A request from a message list to answer a message: set it, and the form fills in.
#[derive(Clone, Copy)]
pub struct ComposeRequest {
    pub answer: RwSignal<Option<(Respond, Vec<u8>)>>,
    /// Runs once that answer has been sent (the web mail then marks the original answered
    /// or forwarded on the server).
    pub on_sent: StoredValue<Option<Callback<()>>>,
}

impl ComposeRequest {
    pub fn provide() {
        provide_context(ComposeRequest {
            answer: RwSignal::new(None),
            on_sent: StoredValue::new(None),
        });
    }

    /// Asks the form to answer `raw`; `on_sent` runs once the answer is sent.
    pub fn ask(&self, how: Respond, raw: Vec<u8>, on_sent: Option<Callback<()>>) {
        self.on_sent.set_value(on_sent);
        self.answer.set(Some((how, raw)));
    }
}

pub fn parse(field: &str, text: &str) -> Result<Vec<Mailbox>, String> {
    compose::parse_list(text).map_err(|e| format!("{field}: {e}."))
}

pub fn stamp() -> Stamp {
    let mut random = [0u8; 16];
    for b in &mut random {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    Stamp {
        unix_time: (js_sys::Date::now() / 1000.0) as i64,
        random,
    }
}

/// The message to send, built and stamped now, with what the client can warn about before
/// any server is asked (size, recipient count); or why it cannot be built.
pub fn build_for_sending(draft: &compose::Draft) -> Result<(compose::Built, Vec<String>), String> {
    let built =
        compose::build(draft, stamp()).map_err(|e| format!("The message cannot be sent: {e}."))?;
    let early = compose::check_limits(compose::Limits {
        size: built.bytes.len() as u64,
        server_size: None,
        recipients: built.recipients.len(),
        server_recipients: None,
    });
    Ok((built, early.warnings))
}
