//! The app's pages: the inspector (`/`), the connection test (`/connect/`), and the mail
//! page (`/mail/`) with its IMAP web mail, POP3 download into this browser and compose.

pub mod compose;
pub mod connect;
pub mod imap;
pub mod inspect;
pub mod live;
pub mod open_message;
pub mod pop3;
