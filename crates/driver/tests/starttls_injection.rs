//! CVE-2011-0411: a server (or someone between) puts a reply right behind the STLS go-ahead,
//! in the same packet, hoping the client reads it as if it came over TLS. The session must
//! refuse it, in POP3 (STLS) and in SMTP (STARTTLS). Local fake servers play that part.

use mailscope_driver::{Connect, Pop3Session, Security, Server, SessionError, SmtpSession};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn fake_server(after_go_ahead: &'static [u8]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 1024];
        s.write_all(b"+OK fake POP3 ready\r\n").await.unwrap();
        let n = s.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"CAPA\r\n");
        s.write_all(b"+OK\r\nUIDL\r\nSTLS\r\n.\r\n").await.unwrap();
        let n = s.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"STLS\r\n");
        let mut reply = b"+OK Begin TLS negotiation\r\n".to_vec();
        reply.extend_from_slice(after_go_ahead);
        s.write_all(&reply).await.unwrap();
        // Keep the socket open until the client gives up.
        let _ = s.read(&mut buf).await;
    });
    port
}

fn server(port: u16) -> Server {
    Server {
        address: "127.0.0.1".into(),
        port,
        tls_name: "localhost".into(),
        security: Security::StartTls,
        exceptions: Vec::new(),
    }
}

#[tokio::test]
async fn bytes_after_the_stls_go_ahead_are_refused() {
    let port = fake_server(b"+OK 1 120\r\n").await;
    match Pop3Session::connect(server(port)).await {
        Err(SessionError::Injected) => {}
        Err(other) => panic!("refused, but for the wrong reason: {other}"),
        Ok(_) => panic!("a session came up on injected plaintext"),
    }
}

#[tokio::test]
async fn a_clean_go_ahead_starts_tls() {
    // Nothing after the go-ahead: the client starts the handshake, which this fake server
    // cannot answer; what matters is that it got that far.
    let port = fake_server(b"").await;
    match Pop3Session::connect(server(port)).await {
        Err(SessionError::Closed | SessionError::Tls(_) | SessionError::Io(_)) => {}
        Err(other) => panic!("expected the TLS handshake to be tried: {other}"),
        Ok(_) => panic!("no TLS server here"),
    }
}

#[tokio::test]
async fn smtp_bytes_after_the_starttls_go_ahead_are_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 1024];
        s.write_all(b"220 fake ESMTP\r\n").await.unwrap();
        let n = s.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"EHLO "));
        s.write_all(b"250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
            .await
            .unwrap();
        let n = s.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"STARTTLS\r\n");
        s.write_all(b"220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 AUTH PLAIN\r\n")
            .await
            .unwrap();
        let _ = s.read(&mut buf).await;
    });
    match SmtpSession::connect(server(port)).await {
        Err(SessionError::Injected) => {}
        Err(other) => panic!("refused, but for the wrong reason: {other}"),
        Ok(_) => panic!("a session came up on injected plaintext"),
    }
}
