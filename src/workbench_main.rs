//! The protocol workbench's bundle (`/workbench/`).

fn main() {
    console_error_panic_hook::set_once();
    mailscope::install_charset_decoder();
    leptos::mount::mount_to_body(mailscope::WorkbenchApp);
}
