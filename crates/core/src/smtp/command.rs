//! SMTP commands (RFC 5321, 3207, 4954, 1870, 6152, 6531) and the one place that writes
//! them. An address or a domain can never end the line early: no line break, no control
//! character, no angle bracket, no space gets through.

use crate::sasl::{self, Secret};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ehlo(String),
    Helo(String),
    StartTls,
    /// `AUTH PLAIN` with the initial response (RFC 4616).
    AuthPlain {
        user: String,
        password: Secret,
    },
    /// `AUTH LOGIN`: user name and password each answer a 334 challenge.
    AuthLogin {
        user: String,
        password: Secret,
    },
    /// `MAIL FROM:<address>` with `SIZE=` (RFC 1870), `BODY=8BITMIME` and `SMTPUTF8` when
    /// asked. An empty address is the null sender `<>`.
    MailFrom {
        address: String,
        size: Option<u64>,
        eight_bit: bool,
        smtputf8: bool,
    },
    RcptTo(String),
    /// `DATA`, then the message: line endings made CRLF, lines starting with "." doubled,
    /// ended with "." (RFC 5321 §4.5.2).
    Data(Vec<u8>),
    Rset,
    Noop,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ehlo,
    Helo,
    StartTls,
    Auth,
    MailFrom,
    RcptTo,
    Data,
    Rset,
    Noop,
    Quit,
}

impl Command {
    pub fn kind(&self) -> Kind {
        match self {
            Command::Ehlo(_) => Kind::Ehlo,
            Command::Helo(_) => Kind::Helo,
            Command::StartTls => Kind::StartTls,
            Command::AuthPlain { .. } | Command::AuthLogin { .. } => Kind::Auth,
            Command::MailFrom { .. } => Kind::MailFrom,
            Command::RcptTo(_) => Kind::RcptTo,
            Command::Data(_) => Kind::Data,
            Command::Rset => Kind::Rset,
            Command::Noop => Kind::Noop,
            Command::Quit => Kind::Quit,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("the {0} contains a line break or a control character")]
    ControlCharacter(&'static str),
    #[error("the {0} contains a space or an angle bracket")]
    Forbidden(&'static str),
    #[error("the {0} is empty")]
    Empty(&'static str),
    #[error("the {0} is longer than SMTP allows (RFC 5321 §4.5.3.1)")]
    TooLong(&'static str),
    #[error("the address {0:?} has no @domain")]
    NoDomain(String),
    #[error(
        "the address {0:?} has characters beyond ASCII, and the server does not offer SMTPUTF8"
    )]
    NeedsSmtputf8(String),
}

fn check_text(what: &'static str, value: &str) -> Result<(), CommandError> {
    if value.chars().any(char::is_control) {
        return Err(CommandError::ControlCharacter(what));
    }
    if value.contains([' ', '<', '>']) {
        return Err(CommandError::Forbidden(what));
    }
    Ok(())
}

/// Checks a mailbox for MAIL FROM or RCPT TO.
pub fn check_address(address: &str, smtputf8: bool) -> Result<(), CommandError> {
    check_text("address", address)?;
    if address.len() > 254 {
        return Err(CommandError::TooLong("address"));
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err(CommandError::NoDomain(address.to_string()));
    };
    if local.is_empty() || domain.is_empty() {
        return Err(CommandError::NoDomain(address.to_string()));
    }
    if !smtputf8 && !address.is_ascii() {
        return Err(CommandError::NeedsSmtputf8(address.to_string()));
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), CommandError> {
    if domain.is_empty() {
        return Err(CommandError::Empty("domain"));
    }
    check_text("domain", domain)?;
    if domain.len() > 255 {
        return Err(CommandError::TooLong("domain"));
    }
    Ok(())
}

/// One line to send (without CRLF) and how the transcript shows it.
pub(crate) fn line(command: &Command) -> Result<(String, String), CommandError> {
    let same = |l: String| Ok((l.clone(), l));
    match command {
        Command::Ehlo(d) => {
            check_domain(d)?;
            same(format!("EHLO {d}"))
        }
        Command::Helo(d) => {
            check_domain(d)?;
            same(format!("HELO {d}"))
        }
        Command::StartTls => same("STARTTLS".into()),
        Command::AuthPlain { user, password } => {
            if user
                .chars()
                .chain(password.expose().chars())
                .any(|c| c == '\0')
            {
                return Err(CommandError::ControlCharacter("user name or password"));
            }
            Ok((
                format!("AUTH PLAIN {}", sasl::plain(user, password)),
                "AUTH PLAIN ***".into(),
            ))
        }
        Command::AuthLogin { .. } => same("AUTH LOGIN".into()),
        Command::MailFrom {
            address,
            size,
            eight_bit,
            smtputf8,
        } => {
            if !address.is_empty() {
                check_address(address, *smtputf8)?;
            }
            let mut l = format!("MAIL FROM:<{address}>");
            if let Some(size) = size {
                l.push_str(&format!(" SIZE={size}"));
            }
            if *eight_bit {
                l.push_str(" BODY=8BITMIME");
            }
            if *smtputf8 {
                l.push_str(" SMTPUTF8");
            }
            same(l)
        }
        Command::RcptTo(address) => {
            check_address(address, true)?;
            same(format!("RCPT TO:<{address}>"))
        }
        Command::Data(_) => same("DATA".into()),
        Command::Rset => same("RSET".into()),
        Command::Noop => same("NOOP".into()),
        Command::Quit => same("QUIT".into()),
    }
}

/// The message as DATA carries it: CRLF line endings, leading dots doubled, the final
/// ".". A bare CR or LF becomes CRLF, so that no line of the message can end it early.
pub fn data_body(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 50 + 5);
    let mut line_start = true;
    let mut i = 0;
    while i < message.len() {
        let b = message[i];
        if line_start && b == b'.' {
            out.push(b'.');
        }
        match b {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if message.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line_start = true;
            }
            b'\n' => {
                out.extend_from_slice(b"\r\n");
                line_start = true;
            }
            _ => {
                out.push(b);
                line_start = false;
            }
        }
        i += 1;
    }
    if !line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// AUTH LOGIN's answers to its two challenges.
pub(crate) fn login_step(step: u8, user: &str, password: &Secret) -> String {
    if step == 0 {
        sasl::base64(user.as_bytes())
    } else {
        sasl::base64(password.expose().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_argument_can_add_a_command() {
        assert_eq!(
            line(&Command::RcptTo(
                "bob@example.test>\r\nRCPT TO:<eve@evil.test".into()
            )),
            Err(CommandError::ControlCharacter("address"))
        );
        assert_eq!(
            line(&Command::RcptTo("bob@example.test> NOTIFY=NEVER".into())),
            Err(CommandError::Forbidden("address"))
        );
        assert_eq!(
            line(&Command::Ehlo("client\r\nRSET".into())),
            Err(CommandError::ControlCharacter("domain"))
        );
        assert!(matches!(
            line(&Command::RcptTo("bob".into())),
            Err(CommandError::NoDomain(_))
        ));
        assert!(matches!(
            line(&Command::MailFrom {
                address: "jörg@example.test".into(),
                size: None,
                eight_bit: false,
                smtputf8: false
            }),
            Err(CommandError::NeedsSmtputf8(_))
        ));
        let (l, shown) = line(&Command::MailFrom {
            address: String::new(),
            size: Some(1200),
            eight_bit: true,
            smtputf8: false,
        })
        .unwrap();
        assert_eq!(
            (l.as_str(), shown.as_str()),
            (
                "MAIL FROM:<> SIZE=1200 BODY=8BITMIME",
                "MAIL FROM:<> SIZE=1200 BODY=8BITMIME"
            )
        );
        let (_, shown) = line(&Command::AuthPlain {
            user: "a".into(),
            password: Secret::new("pw"),
        })
        .unwrap();
        assert_eq!(shown, "AUTH PLAIN ***");
    }

    #[test]
    fn data_is_normalised_and_stuffed() {
        assert_eq!(
            data_body(b"a\nb\r\n.c\r.\n"),
            b"a\r\nb\r\n..c\r\n..\r\n.\r\n"
        );
        assert_eq!(data_body(b"no newline"), b"no newline\r\n.\r\n");
        assert_eq!(data_body(b""), b".\r\n");
        // A lone "." line inside the message does not end it.
        assert_eq!(data_body(b"x\r\n.\r\ny"), b"x\r\n..\r\ny\r\n.\r\n");
    }
}
