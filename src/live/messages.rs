//! The page's and the live worker's messages, posted as the other workers' are (`{json,
//! bytes?}`): the message's raw bytes travel beside the JSON.

use mailscope_auth::LiveReport;
use serde::{Deserialize, Serialize};

use crate::net::messages::Message;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToLive {
    /// Check this message, asking `resolver` through the proxy's WebSocket at `url`.
    Check {
        #[serde(skip)]
        raw: Vec<u8>,
        url: String,
        resolver: String,
        spf_hop: Option<usize>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromLive {
    /// The worker is listening: messages posted before this were lost.
    Ready,
    /// A round of questions went out at once.
    Round {
        round: usize,
        questions: usize,
    },
    /// A line of the DNS transcript.
    Line {
        text: String,
    },
    Done {
        report: LiveReport,
    },
}

impl Message for ToLive {
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            ToLive::Check { raw, .. } => Some(raw),
        }
    }
    fn set_bytes(&mut self, bytes: Vec<u8>) {
        let ToLive::Check { raw, .. } = self;
        *raw = bytes;
    }
}

impl Message for FromLive {
    fn bytes(&self) -> Option<&[u8]> {
        None
    }
    fn set_bytes(&mut self, _: Vec<u8>) {}
}
