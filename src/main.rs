//! The inspector's bundle (`/`): opens files, analyses them off the first paint.

fn main() {
    console_error_panic_hook::set_once();
    mailscope::install_charset_decoder();
    leptos::mount::mount_to_body(mailscope::App);
    mailscope::warm_up_analysis();
}
