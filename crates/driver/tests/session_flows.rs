//! The flows the page runs, run here natively: the POP3 sign-in choice (SASL PLAIN when
//! offered, else APOP when the greeting offers it, else USER/PASS) and IMAP LOGIN with the
//! capabilities it lists and the server's alerts. Dovecot for the real thing, small local
//! servers for the choices Dovecot does not offer.

mod common;

use common::{server, trust};
use mailscope_core::pop3::{apop_digest, Secret};
use mailscope_driver::{Connect, ImapSession, Pop3Session, Security, SessionError};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A POP3 server that offers `capa` and greets with `greeting`; returns its port and a
/// handle that yields the lines the client sent.
async fn pop3_server(
    greeting: &'static str,
    capa: &'static str,
) -> (u16, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let (s, _) = listener.accept().await.unwrap();
        let mut s = BufReader::new(s);
        s.get_mut().write_all(greeting.as_bytes()).await.unwrap();
        let mut seen = Vec::new();
        loop {
            let mut line = String::new();
            if s.read_line(&mut line).await.unwrap_or(0) == 0 {
                return seen;
            }
            let line = line.trim_end().to_string();
            let reply: String = match line.split_whitespace().next().unwrap_or_default() {
                "CAPA" => format!("+OK\r\n{capa}.\r\n"),
                "APOP" | "USER" | "PASS" => "+OK\r\n".into(),
                "QUIT" => "+OK bye\r\n".into(),
                _ => "-ERR unknown\r\n".into(),
            };
            seen.push(line);
            s.get_mut().write_all(reply.as_bytes()).await.unwrap();
        }
    });
    (port, handle)
}

async fn sign_in_on(port: u16) -> Vec<(bool, String)> {
    let mut pop = Pop3Session::connect(server(port, Security::None, Vec::new()))
        .await
        .unwrap();
    pop.sign_in("user", Secret::new("tanstaaf")).await.unwrap();
    pop.transcript()
}

#[tokio::test]
async fn pop3_signs_in_with_apop_when_the_greeting_offers_it_and_no_sasl_is_offered() {
    let (port, seen) = pop3_server(
        "+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n",
        "UIDL\r\n",
    )
    .await;
    // The session ends (and its connection closes) once signed in.
    sign_in_on(port).await;
    // RFC 1939 §7's own example: the digest of the timestamp and "tanstaaf".
    let digest = apop_digest(
        "<1896.697170952@dbc.mtview.ca.us>",
        &Secret::new("tanstaaf"),
    );
    assert_eq!(digest, "c4c9334bac560ecc979e58001b3e22fb");
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), seen)
        .await
        .unwrap()
        .unwrap();
    assert!(seen.contains(&format!("APOP user {digest}")), "{seen:?}");
    assert!(
        !seen.iter().any(|l| l.contains("tanstaaf")),
        "never the password"
    );
}

#[tokio::test]
async fn pop3_falls_back_to_user_and_pass() {
    let (port, seen) = pop3_server("+OK ready\r\n", "UIDL\r\n").await;
    let transcript = sign_in_on(port).await;
    assert!(
        transcript.iter().any(|(sent, l)| *sent && l == "PASS ***"),
        "{transcript:?}"
    );
    drop(transcript);
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), seen)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&seen[1..], ["USER user", "PASS tanstaaf"]);
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn pop3_prefers_sasl_plain_where_dovecot_offers_it_and_a_refusal_is_explained() {
    let exceptions = trust(10995, &[10995, 10110]).await;
    for (security, port) in [
        (Security::Tls, 10995),
        (Security::StartTls, 10110),
        (Security::None, 10110),
    ] {
        let mut pop = Pop3Session::connect(server(port, security, exceptions.clone()))
            .await
            .unwrap();
        pop.sign_in("alice@example.test", Secret::new("alice-password"))
            .await
            .unwrap();
        let transcript = pop.transcript();
        assert!(
            transcript
                .iter()
                .any(|(sent, l)| *sent && l == "AUTH PLAIN ***"),
            "{security}: {transcript:?}"
        );
        let mut wrong = Pop3Session::connect(server(port, security, exceptions.clone()))
            .await
            .unwrap();
        let err = wrong
            .sign_in("alice@example.test", Secret::new("nope"))
            .await
            .unwrap_err();
        let SessionError::Refused { text, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(
            text.contains("Authentication failed") && text.contains("("),
            "{text}"
        );
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn imap_login_reads_the_capabilities_in_every_mode() {
    let exceptions = trust(10993, &[10993, 10143]).await;
    for (security, port) in [
        (Security::Tls, 10993),
        (Security::StartTls, 10143),
        (Security::None, 10143),
    ] {
        let mut s = ImapSession::connect(server(port, security, exceptions.clone()))
            .await
            .unwrap();
        s.login("alice@example.test", "alice-password")
            .await
            .unwrap();
        assert!(
            s.can("IDLE") && s.can("MOVE"),
            "{security}: {:?}",
            s.capabilities()
        );
        assert!(s.take_alerts().is_empty());
        let transcript = s.transcript();
        assert!(transcript
            .iter()
            .any(|(sent, l)| *sent && l.ends_with("LOGIN ***")));
        assert!(!transcript.iter().any(|(_, l)| l.contains("alice-password")));
        // A wrong password: the response code, explained.
        let mut w = ImapSession::connect(server(port, security, exceptions.clone()))
            .await
            .unwrap();
        let err = w.login("alice@example.test", "nope").await.unwrap_err();
        assert!(err.to_string().contains("AUTHENTICATIONFAILED"), "{err}");
        s.logout().await;
    }
}
