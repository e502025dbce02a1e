//! The `mailscope-live` worker: live DKIM, SPF, DMARC, ARC and reverse-DNS checks, started
//! by the inspector when the user asks for them.
fn main() {
    console_error_panic_hook::set_once();
    mailscope::live::worker::start();
}
