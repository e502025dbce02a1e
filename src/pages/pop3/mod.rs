//! POP3 mail in this browser: an account, "Check mail" (downloads into IndexedDB, with
//! progress), the stored messages, each opened in the inspector.

pub mod check;
mod page;
mod state;
pub mod stored;

pub use page::MailPage;

pub fn size_text(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else {
        format!("{:.0} KB", n / 1e3)
    }
}
