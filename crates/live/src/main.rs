//! The `mailscope-live` worker: live DKIM, SPF, DMARC, ARC and reverse-DNS checks, started
//! by the inspector when the user asks for them. A package of its own so that the verifiers
//! (mail-auth) and the features they turn on (mail-parser's `full_encoding`) stay out of the
//! app's bundles, which are built from the `mailscope` package without them.

mod resolver;
mod worker;

fn main() {
    console_error_panic_hook::set_once();
    worker::start();
}
