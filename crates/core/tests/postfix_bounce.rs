//! A real bounce: alice sends through Postfix submission (implicit TLS, AUTH PLAIN) to
//! bounce.test, whose mailbox server refuses the recipient; Postfix mails a delivery-status
//! report back to alice, read here from her INBOX over IMAP and explained. Run by
//! scripts/test.sh, which starts tests/mailserver.sh.
#![cfg(feature = "tls")]

mod tls_session;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mailscope_core::{analyze, bounce_original, BounceKind, BounceReason};
use tls_session::{command, trusted};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// `\0alice@example.test\0alice-password` in base64 (RFC 4616).
const ALICE_PLAIN: &str = "AGFsaWNlQGV4YW1wbGUudGVzdABhbGljZS1wYXNzd29yZA==";

async fn send_to_bounce_test(token: &str) {
    let (mut tcp, mut tls, seen) = trusted(10465).await;
    let greeting = command(&mut tcp, &mut tls, seen, "", "220").await;
    assert!(greeting.contains("ESMTP"), "{greeting}");
    let steps = [
        ("EHLO client.test\r\n", "250 "),
        (&format!("AUTH PLAIN {ALICE_PLAIN}\r\n") as &str, "235"),
        ("MAIL FROM:<alice@example.test>\r\n", "250"),
        ("RCPT TO:<nobody@bounce.test>\r\n", "250"),
        ("DATA\r\n", "354"),
    ];
    for (line, until) in steps {
        let reply = command(&mut tcp, &mut tls, Vec::new(), line, until).await;
        assert!(
            reply.lines().any(|l| l.starts_with(until)),
            "{line}: {reply}"
        );
    }
    let message = format!(
        "From: Alice <alice@example.test>\r\nTo: <nobody@bounce.test>\r\n\
         Subject: Bounce test {token}\r\nMessage-ID: <{token}@example.test>\r\n\
         Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n\r\nThis one cannot arrive.\r\n.\r\n"
    );
    let queued = command(&mut tcp, &mut tls, Vec::new(), &message, "250").await;
    assert!(queued.contains("250 2.0.0 Ok: queued"), "{queued}");
    command(&mut tcp, &mut tls, Vec::new(), "QUIT\r\n", "221").await;
}

/// Plain IMAP on loopback, enough to find and fetch one message.
struct Imap {
    tcp: TcpStream,
    buf: Vec<u8>,
    tag: u32,
}

impl Imap {
    async fn login() -> Imap {
        let tcp = tls_session::connect(10143).await;
        let mut imap = Imap {
            tcp,
            buf: Vec::new(),
            tag: 0,
        };
        imap.until(b"* OK").await;
        let ok = imap.run("LOGIN alice@example.test alice-password").await;
        assert!(ok.contains(" OK"), "{ok}");
        imap
    }

    async fn until(&mut self, end: &[u8]) -> Vec<u8> {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            if let Some(at) = self.buf.windows(end.len()).position(|w| w == end) {
                let rest = at + end.len();
                if let Some(eol) = self.buf[rest..].windows(2).position(|w| w == b"\r\n") {
                    return self.buf.drain(..rest + eol + 2).collect();
                }
            }
            let n = tls_session::read_some(&mut self.tcp, &mut chunk, "Dovecot's reply").await;
            assert!(n > 0, "Dovecot closed");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    async fn run(&mut self, command: &str) -> String {
        self.tag += 1;
        let tag = format!("\r\nt{} ", self.tag);
        self.tcp
            .write_all(format!("t{} {command}\r\n", self.tag).as_bytes())
            .await
            .unwrap();
        // The tagged reply starts a line; the leading CRLF keeps a literal's text from
        // matching by chance.
        self.buf.splice(0..0, b"\r\n".iter().copied());
        let mut out = self.until(tag.as_bytes()).await;
        out.drain(..2);
        String::from_utf8_lossy(&out).into_owned()
    }

    async fn fetch_raw(&mut self, seq: &str) -> Vec<u8> {
        let reply = self.run(&format!("FETCH {seq} BODY.PEEK[]")).await;
        let open = reply.find('{').expect("a literal");
        let close = open + reply[open..].find("}\r\n").unwrap();
        let len: usize = reply[open + 1..close].parse().unwrap();
        reply.as_bytes()[close + 3..close + 3 + len].to_vec()
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_real_postfix_bounce_is_explained() {
    let token = format!(
        "{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    send_to_bounce_test(&token).await;

    let mut imap = Imap::login().await;
    let mut found = None;
    for _ in 0..60 {
        imap.run("SELECT INBOX").await;
        let search = imap
            .run(&format!("SEARCH FROM \"MAILER-DAEMON\" TEXT \"{token}\""))
            .await;
        let hit = search
            .lines()
            .find_map(|l| l.strip_prefix("* SEARCH "))
            .and_then(|ids| ids.split_whitespace().last().map(str::to_string));
        if let Some(id) = hit {
            found = Some(id);
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let id = found.expect("Postfix's bounce did not reach alice's INBOX within 30 s");
    let raw = imap.fetch_raw(&id).await;
    if let Some(dir) = std::env::var_os("SAVE_BOUNCE") {
        std::fs::write(
            std::path::Path::new(&dir).join("postfix-test-server.eml"),
            &raw,
        )
        .unwrap();
    }

    let report = analyze(&raw).unwrap();
    let bounce = report.bounce.expect("recognised as a bounce");
    assert_eq!(bounce.kind, BounceKind::Bounce);
    assert_eq!(bounce.format, "rfc3464");
    assert_eq!(bounce.mta.as_deref(), Some("Postfix"));
    assert_eq!(bounce.reporting_mta.as_deref(), Some("mail.example.test"));
    let [r] = bounce.recipients.as_slice() else {
        panic!("one recipient: {:?}", bounce.recipients)
    };
    assert_eq!(r.address, "nobody@bounce.test");
    assert_eq!(r.action, "failed");
    assert_eq!(r.status.as_deref(), Some("5.1.1"));
    assert_eq!(r.smtp_code, Some(550));
    assert_eq!(r.reason, BounceReason::UserUnknown);
    assert!(
        r.diagnostic
            .as_deref()
            .unwrap()
            .contains("User doesn't exist"),
        "{r:?}"
    );

    let original = bounce.original.expect("the original comes back");
    assert_eq!(original.source, "attached");
    assert_eq!(original.subject, Some(format!("Bounce test {token}")));
    // The returned copy is itself a message, with its own route through Postfix.
    let copy = analyze(&bounce_original(&raw).unwrap()).unwrap();
    assert_eq!(copy.message_id, Some(format!("{token}@example.test")));
    assert!(!copy.hops.is_empty(), "the copy keeps its Received fields");
}
