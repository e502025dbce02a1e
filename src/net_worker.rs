//! The `mailscope-net` worker: sessions to mail servers through the proxy, TLS included.
fn main() {
    console_error_panic_hook::set_once();
    mailscope::net::worker::start();
}
