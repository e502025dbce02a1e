//! tests/mailserver.sh gives the classic refusals, read over plain TCP on loopback. Run by
//! scripts/test.sh after it starts the servers (these are ignored by a bare `cargo test`).

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How long a reply may take before the test fails saying what it waited for.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

struct Line(BufReader<TcpStream>);

impl Line {
    async fn open(port: u16) -> Self {
        let tcp = TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("127.0.0.1:{port}: {e}; start tests/mailserver.sh"));
        Line(BufReader::new(tcp))
    }

    /// Reads one reply; for SMTP, all lines of a multi-line reply.
    async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(LIMIT, self.0.read_line(&mut line))
                .await
                .unwrap_or_else(|_| panic!("no reply line within {LIMIT:?} after {all:?}"))
                .unwrap();
            assert!(n > 0, "server closed after {all:?}");
            all.push_str(&line);
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                return all;
            }
        }
    }

    async fn send(&mut self, line: &str) -> String {
        self.0
            .get_mut()
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
        self.reply().await
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn the_mx_port_is_no_open_relay() {
    let mut s = Line::open(10025).await;
    assert!(s.reply().await.starts_with("220 "));
    assert!(s.send("EHLO client.test").await.starts_with("250"));
    assert!(s
        .send("MAIL FROM:<x@foreign.test>")
        .await
        .starts_with("250"));
    assert_eq!(
        s.send("RCPT TO:<x@elsewhere.test>").await.trim_end(),
        "554 5.7.1 <x@elsewhere.test>: Relay access denied"
    );
    let unknown = s.send("RCPT TO:<nobody@example.test>").await;
    assert!(
        unknown.starts_with("550 5.1.1 <nobody@example.test>: Recipient address rejected"),
        "{unknown}"
    );
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn submission_requires_starttls_first() {
    let mut s = Line::open(10587).await;
    s.reply().await;
    let ehlo = s.send("EHLO client.test").await;
    assert!(
        ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"),
        "{ehlo}"
    );
    assert_eq!(
        s.send("MAIL FROM:<alice@example.test>").await.trim_end(),
        "530 5.7.0 Must issue a STARTTLS command first"
    );
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn wrong_passwords_are_refused_plainly() {
    let mut imap = Line::open(10143).await;
    assert!(imap.reply().await.starts_with("* OK"));
    let mut line = String::new();
    imap.0
        .get_mut()
        .write_all(b"a1 LOGIN alice@example.test wrong\r\n")
        .await
        .unwrap();
    tokio::time::timeout(LIMIT, imap.0.read_line(&mut line))
        .await
        .expect("Dovecot answers LOGIN within the limit")
        .unwrap();
    assert_eq!(
        line.trim_end(),
        "a1 NO [AUTHENTICATIONFAILED] Authentication failed."
    );

    let mut pop = Line::open(10110).await;
    assert!(pop.reply().await.starts_with("+OK"));
    assert!(pop.send("USER alice@example.test").await.starts_with("+OK"));
    assert_eq!(
        pop.send("PASS wrong").await.trim_end(),
        "-ERR [AUTH] Authentication failed."
    );
}
