//! Hostile servers: the POP3 and SMTP machines and the STARTTLS negotiator are fed real
//! server conversations with random damage, and plain noise, in pieces of random sizes.
//! They may refuse with an error; they never panic, and never buffer without bound.

mod common;

use common::Rng;
use mailscope_core::imap;
use mailscope_core::machine::Machine;
use mailscope_core::pop3::{self, Command as Pop};
use mailscope_core::smtp::{self, Command as Smtp, Secret};
use mailscope_core::starttls::Upgrade;

const POP3: &[u8] = b"+OK Dovecot ready. <1.2@x>\r\n+OK\r\nTOP\r\nUIDL\r\nSASL PLAIN\r\n.\r\n\
+OK\r\n+OK Logged in.\r\n+OK 2 320\r\n+OK 2 messages:\r\n1 120\r\n2 200\r\n.\r\n\
+OK\r\n1 000001\r\n2 000002\r\n.\r\n+OK 120 octets\r\nSubject: x\r\n\r\n..dot\r\n.\r\n\
-ERR [IN-USE] locked\r\n+OK\r\n+OK Logging out.\r\n";

const SMTP: &[u8] = b"220 mail ESMTP\r\n250-mail\r\n250-SIZE 1048576\r\n250-AUTH PLAIN LOGIN\r\n\
250 ENHANCEDSTATUSCODES\r\n334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 ok\r\n\
250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n452 4.5.3 Error: too many recipients\r\n354 go\r\n\
250 2.0.0 Ok: queued\r\n221 2.0.0 Bye\r\n";

fn damage(raw: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut m = raw.to_vec();
    for _ in 0..rng.below(6) {
        if m.is_empty() {
            break;
        }
        let at = rng.below(m.len());
        match rng.below(5) {
            0 => m[at] = rng.next() as u8,
            1 => m.truncate(at),
            2 => m.insert(at, b"\r\n.+-\0 "[rng.below(7)]),
            3 => {
                let len = rng.below(32).min(m.len() - at);
                m.drain(at..at + len);
            }
            _ => {
                let copy = m[at..].to_vec();
                m.extend_from_slice(&copy);
            }
        }
    }
    m
}

fn pieces<'a>(data: &'a [u8], rng: &mut Rng) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let n = 1 + rng.below(40);
        let end = (at + n).min(data.len());
        out.push(&data[at..end]);
        at = end;
    }
    out
}

const IMAP: &[u8] = b"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n\
M1 OK [CAPABILITY IMAP4rev1 MOVE] Logged in\r\n* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n\
* LIST () \"/\" INBOX\r\nM2 OK List completed.\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY 17] ok\r\n\
M3 OK [READ-WRITE] Select completed.\r\n* 1 FETCH (UID 7 FLAGS (\\Seen) BODYSTRUCTURE \
(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 12 1 NIL NIL NIL NIL) \
BODY[] {12}\r\nSubject: x\r\n)\r\nM4 OK Fetch completed.\r\n* SEARCH 7\r\nM5 OK done\r\n\
M6 NO [TRYCREATE] no such folder\r\n* BYE bye\r\nM7 OK Logout completed.\r\n";

fn run_imap(data: &[u8], rng: &mut Rng) {
    let mut c = imap::Client::new();
    for cmd in [
        imap::commands::login("u", "p").unwrap(),
        imap::commands::list_all(),
        imap::commands::select("INBOX").unwrap(),
        imap::commands::fetch_message(7).unwrap(),
        imap::commands::search_header("Message-ID", "x@y").unwrap(),
        imap::commands::append("Nope", b"Subject: x\r\n\r\nhi\r\n", true, false).unwrap(),
        imap::commands::logout(),
    ] {
        c.send(cmd).unwrap();
    }
    for piece in pieces(data, rng) {
        c.feed(piece);
        while let Ok(Some(e)) = c.next_event() {
            if let imap::Event::Done(d) = &e {
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
}

fn run_pop3(data: &[u8], rng: &mut Rng) {
    let mut c = pop3::Client::new();
    for cmd in [
        Pop::Capa,
        Pop::User("u".into()),
        Pop::Pass(Secret::new("p")),
        Pop::Stat,
        Pop::List(None),
        Pop::Uidl(None),
        Pop::Retr(1),
        Pop::Dele(1),
        Pop::Noop,
        Pop::Quit,
    ] {
        c.send(cmd).unwrap();
    }
    for piece in pieces(data, rng) {
        c.feed(piece);
        while let Ok(Some(_)) = c.next_event() {}
    }
}

fn run_smtp(data: &[u8], rng: &mut Rng) {
    let mut c = smtp::Client::new();
    for cmd in [
        Smtp::Ehlo("client.test".into()),
        Smtp::AuthLogin {
            user: "u".into(),
            password: Secret::new("p"),
        },
        Smtp::MailFrom {
            address: "a@b.test".into(),
            size: Some(10),
            eight_bit: false,
            smtputf8: false,
        },
        Smtp::RcptTo("c@d.test".into()),
        Smtp::RcptTo("e@f.test".into()),
        Smtp::Data(b"Subject: x\n\n.\n".to_vec()),
        Smtp::Quit,
    ] {
        c.send(cmd).unwrap();
    }
    for piece in pieces(data, rng) {
        c.feed(piece);
        while let Ok(Some(_)) = c.next_event() {}
    }
    c.take_output();
}

#[test]
fn damaged_conversations_never_panic() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..3000 {
        let pop = damage(POP3, &mut rng);
        run_pop3(&pop, &mut rng);
        let smtp = damage(SMTP, &mut rng);
        run_smtp(&smtp, &mut rng);
        let imap_data = damage(IMAP, &mut rng);
        run_imap(&imap_data, &mut rng);
        let mut u = Upgrade::new();
        for piece in pieces(
            &damage(if rng.below(2) == 0 { POP3 } else { SMTP }, &mut rng),
            &mut rng,
        ) {
            u.step(piece);
        }
        // Noise.
        let noise: Vec<u8> = (0..rng.below(400)).map(|_| rng.next() as u8).collect();
        run_pop3(&noise, &mut rng);
        run_smtp(&noise, &mut rng);
        run_imap(&noise, &mut rng);
    }
}

#[test]
fn an_endless_line_is_refused_not_buffered() {
    let mut pop = pop3::Client::new();
    let mut smtp = smtp::Client::new();
    let chunk = vec![b'x'; 64 * 1024];
    let (mut pop_err, mut smtp_err) = (false, false);
    for _ in 0..4 {
        pop.feed(&chunk);
        smtp.feed(&chunk);
        pop_err |= pop.next_event().is_err();
        smtp_err |= smtp.next_event().is_err();
    }
    assert!(pop_err && smtp_err);
}
