//! Live authentication checks in the browser: the `mailscope-live` worker (`crates/live`)
//! runs `mailscope_auth`'s checks (mail-auth's verifiers, hundreds of KB of wasm the
//! inspector itself never loads) and speaks DNS over TCP through the proxy to the resolver
//! the proxy names; the page starts it only when the user asks. Here: the page's client and
//! the messages both sides speak.

pub mod client;
pub mod messages;
