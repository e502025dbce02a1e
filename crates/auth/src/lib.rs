//! Is the sender who it claims to be? DKIM signatures verified, SPF and DMARC evaluated, the
//! ARC chain validated and each hop's reverse DNS checked, live, against DNS as it is now.
//!
//! mail-auth does the cryptography and reads the records; this crate decides what to ask,
//! carries the answers in (`LiveCheck` runs in rounds: run the verifiers, ask every question
//! they could not answer at once, learn, run again) and says the verdicts in words. No I/O:
//! `dns` writes and reads DNS-over-TCP messages, and the browser and the CLI each carry
//! them to a resolver (`run` is that loop for any carrier).

//!
//! Without the default feature `verify` only what the page needs before a check is built
//! (what will be asked, the DNS messages, the report's types): mail-auth stays out of the
//! inspector's bundle, and out of its features (mail-auth turns on mail-parser's
//! `full_encoding`, whose tables the browser's TextDecoder replaces).

#[cfg(feature = "verify")]
mod answers;
#[cfg(feature = "verify")]
mod check;
#[cfg(feature = "verify")]
mod compare;
pub mod dns;
mod known;
pub mod plan;
#[cfg(feature = "verify")]
mod reasons;
pub mod report;
#[cfg(feature = "verify")]
mod run;
#[cfg(feature = "verify")]
mod spf_term;

#[cfg(feature = "verify")]
pub use check::{LiveCheck, Step};
pub use known::{key_bits, Known};
pub use report::LiveReport;
#[cfg(feature = "verify")]
pub use run::{run, run_at, Resolve, Transcript};
