pub mod compose;
pub mod connect;
pub mod inspect;
pub mod mail;
pub mod webmail;
