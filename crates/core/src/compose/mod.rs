//! Writing a message: addresses checked, headers that cannot be injected into, the MIME built
//! with our own Date, Message-ID and boundaries, and its size checked against the server's
//! limits before anything is sent.

mod address;
mod limits;
mod message;
mod respond;

pub use address::{
    check_address, format_list, one_line, parse_list, parse_one, AddressError, Mailbox,
};
pub use limits::{check_limits, encoded_size, LimitCheck, Limits, RECIPIENT_WARNING};
pub use message::{build, build_draft, Attachment, Built, ComposeError, Draft, Stamp};
pub use respond::{respond, Respond};
