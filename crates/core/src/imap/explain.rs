//! IMAP response codes in plain words (RFC 3501 §7.1, RFC 5530), for the transcript and for
//! errors.

/// What a response code means and, for the common refusals, what to do.
pub fn explain_code(code: &str) -> String {
    let name = code
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    match name.as_str() {
        "AUTHENTICATIONFAILED" => "the user name or password was refused: check them",
        "AUTHORIZATIONFAILED" => "signed in, but not allowed to act as that user",
        "EXPIRED" => "the password or account has expired",
        "PRIVACYREQUIRED" => "the server wants TLS first: choose TLS or STARTTLS",
        "CONTACTADMIN" => "the server asks you to contact its administrator",
        "NOPERM" => "you may not do that with this folder",
        "INUSE" => "the folder or account is in use elsewhere; try again shortly",
        "EXPUNGEISSUED" => "messages were removed while the command ran",
        "CORRUPTION" => "the server found its data damaged",
        "SERVERBUG" => "the server failed; try again later",
        "CLIENTBUG" => "the server says this client did something wrong",
        "CANNOT" => "the server cannot do that here",
        "LIMIT" => "a server limit was reached",
        "OVERQUOTA" => "the mailbox is full (over quota): delete or move messages",
        "ALREADYEXISTS" => "a folder with that name already exists",
        "NONEXISTENT" => "that folder does not exist (any more)",
        "TRYCREATE" => "the target folder does not exist: create it first",
        "UNAVAILABLE" => "the server is unavailable for now; try again later",
        "ALERT" => "a message the server wants you to read",
        "PARSE" => "the server could not read a message's headers",
        "READ-ONLY" => "the folder is open for reading only",
        "READ-WRITE" => "the folder is open for changes",
        "UIDVALIDITY" => "the folder's identity: message ids stay valid while it holds",
        "UIDNEXT" => "the id the next message will get",
        "UNSEEN" => "the first unread message",
        "PERMANENTFLAGS" => "the marks that can be kept on messages",
        "CAPABILITY" => "what the server can do",
        "APPENDUID" => "where the added message went (folder identity and its id)",
        "COPYUID" => "where the copied messages went",
        _ => "a response code",
    }
    .to_string()
}

/// What a response line of the transcript means (`A3 NO [TRYCREATE] …` → "refused: the
/// target folder does not exist: create it first"); None for lines that need no words.
pub fn explain_line(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let _tag = words.next()?;
    let status = words.next()?;
    let meaning = match status {
        "OK" => "done",
        "NO" => "refused",
        "BAD" => "not understood",
        "BYE" => "the server is closing the connection",
        _ => return None,
    };
    let code = text
        .split_once('[')
        .and_then(|(_, r)| r.split_once(']'))
        .map(|(c, _)| c);
    Some(match code {
        Some(c) => format!("{meaning}: {}", explain_code(c)),
        None => meaning.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_line_in_words() {
        assert_eq!(
            explain_line("A3 NO [TRYCREATE] Mailbox doesn't exist").as_deref(),
            Some("refused: the target folder does not exist: create it first")
        );
        assert_eq!(
            explain_line("* BYE Logging out").as_deref(),
            Some("the server is closing the connection")
        );
        assert_eq!(explain_line("* 3 EXISTS"), None);
    }
}
