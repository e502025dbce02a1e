//! The mail page's bundle (`/mail/`).

fn main() {
    console_error_panic_hook::set_once();
    mailscope::install_charset_decoder();
    leptos::mount::mount_to_body(mailscope::MailApp);
}
