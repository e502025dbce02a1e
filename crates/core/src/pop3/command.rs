//! POP3 commands (RFC 1939, 2449, 2595, 5034) and the one place that writes them: every
//! argument is checked, so no user input can end a line early and add a command.

pub use crate::sasl::Secret;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Capa,
    Stls,
    User(String),
    Pass(Secret),
    /// `APOP user digest`: the digest is MD5(timestamp + password) in hex (RFC 1939 §7).
    Apop {
        user: String,
        digest: String,
    },
    /// `AUTH PLAIN` with the initial response (RFC 5034, RFC 4616).
    AuthPlain {
        user: String,
        password: Secret,
    },
    Stat,
    List(Option<u32>),
    Uidl(Option<u32>),
    /// `TOP msg n`: the header and the first `n` lines of the body.
    Top(u32, u32),
    Retr(u32),
    Dele(u32),
    Rset,
    Noop,
    Quit,
}

/// The name of a command, for replies and the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Capa,
    Stls,
    User,
    Pass,
    Apop,
    Auth,
    Stat,
    List,
    Uidl,
    Top,
    Retr,
    Dele,
    Rset,
    Noop,
    Quit,
}

impl Command {
    pub fn kind(&self) -> Kind {
        match self {
            Command::Capa => Kind::Capa,
            Command::Stls => Kind::Stls,
            Command::User(_) => Kind::User,
            Command::Pass(_) => Kind::Pass,
            Command::Apop { .. } => Kind::Apop,
            Command::AuthPlain { .. } => Kind::Auth,
            Command::Stat => Kind::Stat,
            Command::List(_) => Kind::List,
            Command::Uidl(_) => Kind::Uidl,
            Command::Top(..) => Kind::Top,
            Command::Retr(_) => Kind::Retr,
            Command::Dele(_) => Kind::Dele,
            Command::Rset => Kind::Rset,
            Command::Noop => Kind::Noop,
            Command::Quit => Kind::Quit,
        }
    }

    /// Whether a positive reply to this command is followed by lines ending in ".".
    pub(crate) fn multi_line(&self) -> bool {
        matches!(
            self,
            Command::Capa
                | Command::List(None)
                | Command::Uidl(None)
                | Command::Top(..)
                | Command::Retr(_)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("the {0} contains a line break or a control character")]
    ControlCharacter(&'static str),
    #[error("the {0} is empty")]
    Empty(&'static str),
    #[error("the {0} contains a space, which POP3 cannot carry there")]
    Space(&'static str),
    #[error(
        "the {0} is longer than POP3 allows (RFC 2449: 40 characters an argument, 255 a line)"
    )]
    TooLong(&'static str),
    #[error("message numbers start at 1")]
    ZeroMessage,
}

fn checked<'a>(
    what: &'static str,
    value: &'a str,
    allow_space: bool,
) -> Result<&'a str, CommandError> {
    if value.is_empty() {
        return Err(CommandError::Empty(what));
    }
    if value.chars().any(char::is_control) {
        return Err(CommandError::ControlCharacter(what));
    }
    if !allow_space && value.contains(' ') {
        return Err(CommandError::Space(what));
    }
    Ok(value)
}

fn message(n: u32) -> Result<u32, CommandError> {
    if n == 0 {
        Err(CommandError::ZeroMessage)
    } else {
        Ok(n)
    }
}

/// The line to send, without its CRLF, and the same line as the transcript shows it
/// (passwords and SASL payloads replaced by `***`).
pub(crate) fn write(command: &Command) -> Result<(String, String), CommandError> {
    let plain = |line: String| Ok((line.clone(), line));
    let line = match command {
        Command::Capa => return plain("CAPA".into()),
        Command::Stls => return plain("STLS".into()),
        Command::User(user) => {
            return plain(format!("USER {}", checked("user name", user, false)?));
        }
        Command::Pass(password) => {
            // RFC 1939 allows spaces in the password: the rest of the line is the password.
            let p = checked("password", password.expose(), true)?;
            return Ok((format!("PASS {p}"), "PASS ***".into()));
        }
        Command::Apop { user, digest } => {
            let user = checked("user name", user, false)?;
            let digest = checked("digest", digest, false)?;
            return Ok((format!("APOP {user} {digest}"), format!("APOP {user} ***")));
        }
        Command::AuthPlain { user, password } => {
            let user = checked("user name", user, true)?;
            let p = checked("password", password.expose(), true)?;
            let payload = crate::sasl::plain(user, &Secret::new(p));
            return Ok((format!("AUTH PLAIN {payload}"), "AUTH PLAIN ***".into()));
        }
        Command::Stat => "STAT".into(),
        Command::List(None) => "LIST".into(),
        Command::List(Some(n)) => format!("LIST {}", message(*n)?),
        Command::Uidl(None) => "UIDL".into(),
        Command::Uidl(Some(n)) => format!("UIDL {}", message(*n)?),
        Command::Top(n, lines) => format!("TOP {} {lines}", message(*n)?),
        Command::Retr(n) => format!("RETR {}", message(*n)?),
        Command::Dele(n) => format!("DELE {}", message(*n)?),
        Command::Rset => "RSET".into(),
        Command::Noop => "NOOP".into(),
        Command::Quit => "QUIT".into(),
    };
    plain(line)
}

/// Checks a line against RFC 2449's limits, after it is written.
pub(crate) fn check_length(line: &str, command: &Command) -> Result<(), CommandError> {
    // AUTH's initial response may be long (RFC 5034 §4 lifts the limit for it).
    if !matches!(command, Command::AuthPlain { .. }) && line.len() + 2 > 255 {
        return Err(CommandError::TooLong("command"));
    }
    Ok(())
}

/// The APOP digest: MD5 of the greeting's timestamp followed by the password, in lower-case
/// hex (RFC 1939 §7).
pub fn apop_digest(timestamp: &str, password: &Secret) -> String {
    let digest = md5_digest(format!("{timestamp}{}", password.expose()).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn md5_digest(data: &[u8]) -> [u8; 16] {
    use md5::Digest;
    md5::Md5::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_cannot_add_a_command() {
        assert_eq!(
            write(&Command::User("alice\r\nDELE 1".into())),
            Err(CommandError::ControlCharacter("user name"))
        );
        assert_eq!(
            write(&Command::Pass(Secret::new("pw\nQUIT"))),
            Err(CommandError::ControlCharacter("password"))
        );
        assert_eq!(write(&Command::Retr(0)), Err(CommandError::ZeroMessage));
        let (line, shown) = write(&Command::Pass(Secret::new("a b"))).unwrap();
        assert_eq!((line.as_str(), shown.as_str()), ("PASS a b", "PASS ***"));
    }

    #[test]
    fn sasl_plain_and_apop() {
        let (line, shown) = write(&Command::AuthPlain {
            user: "alice@example.test".into(),
            password: Secret::new("alice-password"),
        })
        .unwrap();
        assert_eq!(
            line,
            "AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABhbGljZS1wYXNzd29yZA=="
        );
        assert_eq!(shown, "AUTH PLAIN ***");
        // RFC 1939 §7's own example.
        assert_eq!(
            apop_digest(
                "<1896.697170952@dbc.mtview.ca.us>",
                &Secret::new("tanstaaf")
            ),
            "c4c9334bac560ecc979e58001b3e22fb"
        );
    }
}
