pub mod connect;
pub mod inspect;
