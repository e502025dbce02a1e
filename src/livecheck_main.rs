//! The live checks' page (`/live/`): "Check live" for the message the inspector hands it.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(mailscope::LivePage);
}
