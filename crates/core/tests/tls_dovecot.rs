//! The TLS layer against real Dovecot (tests/mailserver.sh): IMAPS on 10993, and STARTTLS on
//! 10143 with the check that no plaintext byte follows the server's go-ahead. Run by
//! scripts/test.sh, which starts the servers; alone: `tests/mailserver.sh start` then
//! `cargo test -p mailscope-core --features tls -- --include-ignored`.
#![cfg(feature = "tls")]

use mailscope_core::tls::{check_starttls_boundary, Exception, TlsClient, TlsError};
use tokio::io::AsyncWriteExt;

mod tls_session;

use tls_session::{command, connect, handshake, read_some, HOST};

#[tokio::test]
#[ignore = "needs Dovecot: tests/mailserver.sh start"]
async fn imaps_is_refused_until_its_certificate_is_trusted() {
    let mut tcp = connect(10993).await;
    let mut tls = TlsClient::new(HOST, 10993, &[]).unwrap();
    let Err(TlsError::Untrusted {
        certificate: Some(cert),
        ..
    }) = handshake(&mut tcp, &mut tls).await
    else {
        panic!("a self-signed certificate must be refused");
    };
    assert_eq!(cert.summary().unwrap().subject, "CN=mail.example.test");

    let trusted = [Exception {
        host: HOST.into(),
        port: 10993,
        sha256: cert.sha256,
    }];
    let mut tcp = connect(10993).await;
    let mut tls = TlsClient::new(HOST, 10993, &trusted).unwrap();
    let seen = handshake(&mut tcp, &mut tls).await.unwrap();
    let greeting = command(&mut tcp, &mut tls, seen, "", "* OK").await;
    assert!(greeting.contains("Dovecot"), "{greeting}");
    let login = command(
        &mut tcp,
        &mut tls,
        Vec::new(),
        "a1 LOGIN alice@example.test alice-password\r\n",
        "a1 ",
    )
    .await;
    assert!(login.contains("a1 OK"), "{login}");
}

#[tokio::test]
#[ignore = "needs Dovecot: tests/mailserver.sh start"]
async fn starttls_upgrades_only_at_a_clean_boundary() {
    let mut tcp = connect(10143).await;
    let mut buf = vec![0u8; 4096];
    let n = read_some(&mut tcp, &mut buf, "a reply to STARTTLS").await;
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("* OK"));
    tcp.write_all(b"a0 STARTTLS\r\n").await.unwrap();
    let n = read_some(&mut tcp, &mut buf, "a reply to STARTTLS").await;
    let reply = &buf[..n];
    let end = reply
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|p| p + 2)
        .unwrap();
    assert!(
        reply[..end].starts_with(b"a0 OK"),
        "{}",
        String::from_utf8_lossy(reply)
    );
    // Dovecot sends nothing after its go-ahead; anything here would be refused.
    check_starttls_boundary(&reply[end..]).unwrap();

    // Trust the certificate Dovecot presents on IMAPS for the STARTTLS port too.
    let mut tcp_s = connect(10993).await;
    let mut first = TlsClient::new(HOST, 10993, &[]).unwrap();
    let Err(TlsError::Untrusted {
        certificate: Some(cert),
        ..
    }) = handshake(&mut tcp_s, &mut first).await
    else {
        panic!()
    };
    let trusted = [Exception {
        host: HOST.into(),
        port: 10143,
        sha256: cert.sha256,
    }];
    let mut tls = TlsClient::new(HOST, 10143, &trusted).unwrap();
    let seen = handshake(&mut tcp, &mut tls).await.unwrap();
    let caps = command(&mut tcp, &mut tls, seen, "a1 CAPABILITY\r\n", "a1 ").await;
    assert!(
        caps.contains("AUTH=PLAIN") && caps.contains("a1 OK"),
        "{caps}"
    );
}
