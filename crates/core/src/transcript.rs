//! A protocol conversation as the transcript panel shows it: what was sent (secrets as
//! `***`) and what came back, bounded in length.

use std::collections::VecDeque;

/// Lines kept (the oldest are dropped).
const MAX_LINES: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptLine {
    /// True for what the client sent.
    pub sent: bool,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Transcript(VecDeque<TranscriptLine>);

impl Transcript {
    pub(crate) fn push(&mut self, sent: bool, text: String) {
        if self.0.len() == MAX_LINES {
            self.0.pop_front();
        }
        self.0.push_back(TranscriptLine { sent, text });
    }

    pub fn lines(&self) -> impl Iterator<Item = &TranscriptLine> {
        self.0.iter()
    }
}
