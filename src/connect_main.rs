//! The connection test page's bundle (`/connect/`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(mailscope::ConnectApp);
}
