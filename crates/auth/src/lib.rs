//! Is the sender who it claims to be? DKIM signatures verified, SPF and DMARC evaluated, the
//! ARC chain validated and each hop's reverse DNS checked, live, against DNS as it is now.
//!
//! mail-auth does the cryptography and reads the records; this crate decides what to ask,
//! carries the answers in (`LiveCheck` runs in rounds: run the verifiers, ask every question
//! they could not answer at once, learn, run again) and says the verdicts in words. No I/O:
//! `dns` writes and reads DNS-over-TCP messages, and the browser and the CLI each carry
//! them to a resolver (`run` is that loop for any carrier).

mod answers;
mod check;
mod compare;
pub mod dns;
pub mod plan;
mod reasons;
pub mod report;
mod run;
mod spf_term;

pub use answers::{key_bits, Known};
pub use check::{LiveCheck, Step};
pub use report::LiveReport;
pub use run::{run, run_at, Resolve, Transcript};
