//! What the live checks found: `auth.live` in the JSON report. Results are in the RFCs'
//! words (`pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`; DKIM also
//! `policy` for a signature too weak to trust).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LiveReport {
    /// The resolver asked (`HOST:PORT`), set by whoever carried the queries.
    pub resolver: Option<String>,
    pub dkim: Vec<DkimCheck>,
    /// Null when no hop has an address to check.
    pub spf: Option<SpfCheck>,
    /// Null when the message has no From domain.
    pub dmarc: Option<DmarcCheck>,
    /// Null when the message has no ARC set.
    pub arc: Option<ArcCheck>,
    pub hops: Vec<HopCheck>,
    /// Our result beside the one the receiving server wrote in Authentication-Results.
    pub compare: Vec<Agreement>,
    /// DNS questions asked, and in how many rounds (each round's questions go out at once).
    pub queries: usize,
    pub rounds: usize,
    /// Set by the transport: from the first query to the last answer.
    pub elapsed_ms: Option<u64>,
    /// Why the checks could not be finished, when they could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DkimCheck {
    pub domain: String,
    pub selector: String,
    /// `rsa-sha256`, `rsa-sha1` or `ed25519-sha256`.
    pub algorithm: String,
    pub key_bits: Option<u32>,
    pub result: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SpfCheck {
    /// The domain checked: the envelope sender's, else the HELO name.
    pub domain: String,
    /// `mailfrom` or `helo`.
    pub identity: String,
    pub ip: String,
    /// The hop whose sending address was checked (1 is the first hop), and why that one.
    pub hop: usize,
    pub hop_reason: String,
    pub result: String,
    /// The term that decided, e.g. `ip4:192.0.2.0/24` (in `example.org`).
    pub mechanism: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DmarcCheck {
    pub domain: String,
    /// `none`, `quarantine` or `reject`; null without a record.
    pub policy: Option<String>,
    pub result: String,
    pub spf_aligned: bool,
    pub dkim_aligned: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ArcCheck {
    pub result: String,
    pub instances: usize,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HopCheck {
    pub index: usize,
    pub ip: String,
    /// The names the address's PTR records give.
    pub ptr: Vec<String>,
    /// A PTR name resolves back to the address (forward-confirmed reverse DNS).
    pub fcrdns: bool,
    pub helo: Option<String>,
    /// The HELO is one of the PTR names, or the address itself as a literal.
    pub helo_matches: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Agreement {
    pub method: String,
    pub ours: String,
    /// What the receiving server wrote; null when it wrote nothing for this method.
    pub theirs: Option<String>,
    /// Which server wrote it (the Authentication-Results' authserv-id).
    pub by: Option<String>,
    pub agree: bool,
    /// Why the two may differ, when they do.
    pub note: Option<String>,
}
