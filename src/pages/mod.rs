pub mod connect;
pub mod inspect;
pub mod mail;
