//! The app's icons, inline SVG (no icon font to download), drawn in the text colour and
//! hidden from screen readers: the control they sit in carries the name.

use leptos::prelude::*;

/// One icon by name; an unknown name draws nothing.
#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    let d = match name {
        "inbox" => "M3 13h4l2 3h6l2-3h4M5 5h14l2 8v6H3v-6z",
        "sent" => "M3 11l18-8-8 18-2-8z",
        "drafts" => "M4 20h4L19 9l-4-4L4 16zM14 6l4 4",
        "trash" => "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
        "junk" => "M12 3l9 16H3zM12 10v4M12 17v.5",
        "archive" => "M3 4h18v4H3zM5 8v12h14V8M10 12h4",
        "folder" => "M3 6h6l2 2h10v11H3z",
        "device" => "M4 5h16v11H4zM2 19h20",
        "write" => "M4 20h4L19 9l-4-4L4 16zM14 6l4 4",
        "search" => "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM21 21l-5-5",
        "back" => "M15 5l-7 7 7 7",
        "menu" => "M4 6h16M4 12h16M4 18h16",
        "settings" => "M4 7h9M17 7h3M4 17h3M11 17h9M15 4.5v5M9 14.5v5",
        "reply" => "M10 9V5l-7 7 7 7v-4c5 0 8 1 11 5-1-6-4-11-11-11z",
        "reply-all" => "M13 9V5l-7 7 7 7v-4c5 0 6 1 9 5-1-6-2-11-9-11zM7 5l-6 7 6 7",
        "forward" => "M14 9V5l7 7-7 7v-4c-5 0-8 1-11 5 1-6 4-11 11-11z",
        "unread" => "M3 6h18v12H3zM3 6l9 7 9-7",
        "flag" => "M5 21V4h11l-2 4 2 4H5",
        "attach" => "M16 7l-7 7a2 2 0 0 0 3 3l7-7a4 4 0 0 0-6-6l-7 7a6 6 0 0 0 8 8l6-6",
        "close" => "M6 6l12 12M18 6L6 18",
        "refresh" => "M20 11a8 8 0 1 0-2 5M20 4v7h-7",
        "save" => "M12 3v12M7 10l5 5 5-5M5 21h14",
        _ => "",
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d=d fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"></path>
        </svg>
    }
}

/// The icon for a folder by its role.
pub fn folder_icon(role: Option<&str>, name: &str) -> &'static str {
    match role {
        Some("Sent") => "sent",
        Some("Drafts") => "drafts",
        Some("Trash") => "trash",
        Some("Junk") => "junk",
        Some("Archive") => "archive",
        _ if name.eq_ignore_ascii_case("INBOX") => "inbox",
        _ => "folder",
    }
}
