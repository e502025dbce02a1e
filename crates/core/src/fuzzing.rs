//! The entry points the fuzz targets drive (`crates/core/fuzz`), kept here so that the crash
//! regressions and seeds replay through the very same code in the ordinary test suite
//! (`tests/fuzz_regressions.rs`) on a stable toolchain. Every function takes bytes from
//! outside and must return without panicking, whatever they are.

use crate::machine::Machine;
use crate::{imap, mbox, pop3, smtp};

/// The message analysis: the report, its JSON, the body view, every part, the bounce's
/// original.
pub fn message(data: &[u8]) {
    if let Ok(report) = crate::analyze(data) {
        let _ = serde_json::to_string(&report);
        for part in &report.parts {
            let _ = crate::part_content(data, &part.path);
        }
    }
    let _ = crate::peek(data);
    let _ = crate::html::html_view(data, None, false);
    let _ = crate::bounce_original(data);
}

/// An mbox split into messages, each peeked at.
pub fn mbox(data: &[u8]) {
    let _ = mbox::is_mbox(data);
    for range in mbox::split(data) {
        let _ = crate::peek(&data[range]);
    }
}

/// One Received field's value.
pub fn received(data: &[u8]) {
    let _ = crate::parse_received(&String::from_utf8_lossy(data));
}

/// An HTML body prepared for the sandboxed frame, both ways.
pub fn html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::html::document(&text, false);
    let _ = crate::html::document(&text, true);
}

/// A certificate a server presented.
#[cfg(feature = "tls")]
pub fn x509(data: &[u8]) {
    let _ = crate::x509::summarise(data);
}

/// The first byte of `data` chooses how the rest is cut into pieces: servers' bytes arrive
/// in any split.
fn pieces(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let (size, rest) = match data.split_first() {
        Some((b, rest)) => (usize::from(*b % 64) + 1, rest),
        None => (1, data),
    };
    rest.chunks(size)
}

/// Server bytes fed to the POP3 machine after the commands a check sends.
pub fn pop3(data: &[u8]) {
    use pop3::Command as C;
    let mut c = pop3::Client::new();
    for cmd in [
        C::Capa,
        C::User("u".into()),
        C::Pass(pop3::Secret::new("p")),
        C::Stat,
        C::List(None),
        C::Uidl(None),
        C::Top(1, 0),
        C::Retr(1),
        C::Dele(1),
        C::Quit,
    ] {
        let _ = c.send(cmd);
    }
    for piece in pieces(data) {
        c.feed(piece);
        while let Ok(Some(event)) = c.next_event() {
            let _ = format!("{event:?}");
        }
    }
    for line in String::from_utf8_lossy(data).lines() {
        let _ = pop3::explain_line(line);
    }
}

/// Server bytes fed to the SMTP machine after a whole submission.
pub fn smtp(data: &[u8]) {
    use smtp::Command as C;
    let mut c = smtp::Client::new();
    for cmd in [
        C::Ehlo("client.test".into()),
        C::AuthPlain {
            user: "u".into(),
            password: smtp::Secret::new("p"),
        },
        C::MailFrom {
            address: "a@b.test".into(),
            size: Some(10),
            eight_bit: false,
            smtputf8: false,
        },
        C::RcptTo("c@d.test".into()),
        C::Data(b"Subject: x\n\n.\n".to_vec()),
        C::Quit,
    ] {
        let _ = c.send(cmd);
    }
    for piece in pieces(data) {
        c.feed(piece);
        while let Ok(Some(event)) = c.next_event() {
            let _ = format!("{event:?}");
        }
    }
    c.take_output();
    for line in String::from_utf8_lossy(data).lines() {
        let _ = smtp::explain_line(line);
    }
}

/// Server bytes fed to the IMAP machine after the commands the web mail sends.
pub fn imap(data: &[u8]) {
    let mut c = imap::Client::new();
    let commands = [
        imap::commands::login("u", "p").ok(),
        Some(imap::commands::list_all()),
        imap::commands::select("INBOX").ok(),
        imap::commands::fetch_message(7).ok(),
        imap::commands::search_header("Message-ID", "x@y").ok(),
        imap::commands::append("Sent", b"Subject: x\r\n\r\nhi\r\n", true, false).ok(),
        Some(imap::commands::logout()),
    ];
    for cmd in commands.into_iter().flatten() {
        let _ = c.send(cmd);
    }
    for piece in pieces(data) {
        c.feed(piece);
        while let Ok(Some(event)) = c.next_event() {
            if let imap::Event::Done(d) = &event {
                let _ = (
                    imap::bodies(d),
                    imap::folders(d),
                    imap::found(d),
                    d.summary(),
                );
            }
        }
    }
    c.take_output();
    for line in String::from_utf8_lossy(data).lines() {
        let _ = imap::explain_line(line);
    }
}

/// Every target by name, for the replay test and the fuzz script.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("message", message),
    ("mbox", mbox),
    ("received", received),
    ("html", html),
    #[cfg(feature = "tls")]
    ("x509", x509),
    ("pop3", pop3),
    ("smtp", smtp),
    ("imap", imap),
];
