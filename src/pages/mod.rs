pub mod compose;
pub mod connect;
pub mod inspect;
pub mod mail;
pub mod open_message;
pub mod webmail;
