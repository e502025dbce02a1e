//! A TLS session over a real socket for the tests that talk to tests/mailserver.sh: the
//! core's sans-I/O TLS layer driven by tokio.
#![allow(dead_code)] // each test file uses its own part of it

use mailscope_core::tls::{Exception, TlsClient, TlsError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const HOST: &str = "mail.example.test";

/// How long any read from a test server may take before the test fails saying so.
pub const READ_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// One read from `tcp`, failing the test after [`READ_LIMIT`] with what it waited for.
pub async fn read_some(tcp: &mut TcpStream, buf: &mut [u8], waiting_for: &str) -> usize {
    tokio::time::timeout(READ_LIMIT, tcp.read(buf))
        .await
        .unwrap_or_else(|_| {
            panic!("no bytes within {READ_LIMIT:?} while waiting for {waiting_for}")
        })
        .unwrap()
}

pub async fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap_or_else(|e| {
            panic!("Dovecot on 127.0.0.1:{port} ({e}); start it with tests/mailserver.sh start")
        })
}

/// Completes the handshake; returns any plaintext that came with it.
pub async fn handshake(tcp: &mut TcpStream, tls: &mut TlsClient) -> Result<Vec<u8>, TlsError> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut plain = Vec::new();
    while tls.is_handshaking() {
        tcp.write_all(&tls.ciphertext()).await.unwrap();
        let n = read_some(tcp, &mut buf, "the TLS handshake").await;
        assert!(n > 0, "Dovecot closed during the handshake");
        tls.receive(&buf[..n])?;
        plain.extend(tls.plaintext()?);
    }
    tcp.write_all(&tls.ciphertext()).await.unwrap();
    Ok(plain)
}

/// Sends `line` (if any) and reads until a line starting with `until`.
pub async fn command(
    tcp: &mut TcpStream,
    tls: &mut TlsClient,
    mut seen: Vec<u8>,
    line: &str,
    until: &str,
) -> String {
    if !line.is_empty() {
        tls.send(line.as_bytes()).unwrap();
        tcp.write_all(&tls.ciphertext()).await.unwrap();
    }
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let text = String::from_utf8_lossy(&seen).to_string();
        if text.lines().any(|l| l.starts_with(until)) {
            return text;
        }
        let n = read_some(tcp, &mut buf, until).await;
        assert!(n > 0, "Dovecot closed; so far: {text}");
        tls.receive(&buf[..n]).unwrap();
        tcp.write_all(&tls.ciphertext()).await.unwrap();
        seen.extend(tls.plaintext().unwrap());
    }
}

/// Opens a TLS session to `port`, trusting the certificate the server presents (the test
/// servers' self-signed one) by exception, as a user would.
pub async fn trusted(port: u16) -> (TcpStream, TlsClient, Vec<u8>) {
    let mut tcp = connect(port).await;
    let mut first = TlsClient::new(HOST, port, &[]).unwrap();
    let Err(TlsError::Untrusted {
        certificate: Some(cert),
        ..
    }) = handshake(&mut tcp, &mut first).await
    else {
        panic!("the test servers' certificate is self-signed and must be refused first");
    };
    let trusted = [Exception {
        host: HOST.into(),
        port,
        sha256: cert.sha256,
    }];
    let mut tcp = connect(port).await;
    let mut tls = TlsClient::new(HOST, port, &trusted).unwrap();
    let seen = handshake(&mut tcp, &mut tls).await.unwrap();
    (tcp, tls, seen)
}
