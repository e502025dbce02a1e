//! The sans-I/O TLS layer against a real rustls server on loopback, driven over a TCP socket
//! the way the native driver and the browser (over the proxy) drive it.
#![cfg(feature = "tls")]

use std::sync::Arc;

use mailscope_core::tls::{check_starttls_boundary, sha256, Exception, TlsClient, TlsError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A TLS echo server with a self-signed certificate for mail.example.test.
async fn server() -> (std::net::SocketAddr, Vec<u8>) {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["mail.example.test".into()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let der = cert.der().to_vec();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                // tokio-rustls may keep sealed records of a write in its buffer when the
                // socket is full, and sends them only on the next write or a flush: without
                // the flush, the end of a large echo could wait for input that never comes.
                let mut buf = [0u8; 1024];
                while let Ok(n) = tls.read(&mut buf).await {
                    if n == 0
                        || tls.write_all(&buf[..n]).await.is_err()
                        || tls.flush().await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    (addr, der)
}

/// One read, failing the test after 30 s with what it waited for.
async fn read_some<R: AsyncReadExt + Unpin>(
    rd: &mut R,
    buf: &mut [u8],
    waiting_for: &str,
) -> usize {
    tokio::time::timeout(std::time::Duration::from_secs(30), rd.read(buf))
        .await
        .unwrap_or_else(|_| panic!("no bytes within 30 s while waiting for {waiting_for}"))
        .unwrap()
}

/// Drives the handshake over `tcp`, then sends `message` and returns the echo.
async fn exchange(
    tcp: &mut TcpStream,
    tls: &mut TlsClient,
    message: &[u8],
) -> Result<Vec<u8>, TlsError> {
    let mut buf = vec![0u8; 16 * 1024];
    while tls.is_handshaking() {
        let out = tls.ciphertext();
        tcp.write_all(&out).await.unwrap();
        if !tls.is_handshaking() {
            break;
        }
        let n = read_some(tcp, &mut buf, "the handshake").await;
        assert!(n > 0, "server closed during the handshake");
        tls.receive(&buf[..n])?;
    }
    tls.send(message)?;
    tcp.write_all(&tls.ciphertext()).await.unwrap();
    let mut echoed = Vec::new();
    while echoed.len() < message.len() {
        let n = read_some(tcp, &mut buf, "the echo").await;
        assert!(n > 0);
        tls.receive(&buf[..n])?;
        tcp.write_all(&tls.ciphertext()).await.unwrap();
        echoed.extend(tls.plaintext()?);
    }
    Ok(echoed)
}

#[tokio::test]
async fn a_self_signed_server_is_refused_then_trusted_by_exception() {
    let (addr, der) = server().await;

    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let mut tls = TlsClient::new("mail.example.test", addr.port(), &[]).unwrap();
    let err = exchange(&mut tcp, &mut tls, b"a1 NOOP\r\n")
        .await
        .unwrap_err();
    let TlsError::Untrusted {
        reason,
        certificate,
    } = err
    else {
        panic!("expected untrusted, got {err}")
    };
    assert!(reason.contains("self-signed"), "{reason}");
    let certificate = certificate.expect("the presented certificate is reported");
    assert_eq!(certificate.der, der);
    assert_eq!(certificate.sha256, sha256(&der));
    assert_eq!(certificate.fingerprint().len(), 32 * 3 - 1);
    let summary = certificate.summary().expect("the certificate can be read");
    assert_eq!(summary.subject, "CN=rcgen self signed cert");
    assert_eq!(summary.issuer, summary.subject, "self-signed");
    assert!(summary.not_before < summary.not_after, "{summary:?}");

    // Trusting that exact certificate for this host and port lets the session through.
    let exception = Exception {
        host: "mail.example.test".into(),
        port: addr.port(),
        sha256: certificate.sha256,
    };
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let mut tls = TlsClient::new(
        "mail.example.test",
        addr.port(),
        std::slice::from_ref(&exception),
    )
    .unwrap();
    assert_eq!(
        exchange(&mut tcp, &mut tls, b"a1 NOOP\r\n").await.unwrap(),
        b"a1 NOOP\r\n"
    );

    // The same certificate on another port, or under another name, is not covered.
    for (host, port) in [
        ("mail.example.test", addr.port().wrapping_add(1)),
        ("other.example.test", addr.port()),
    ] {
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        let mut tls = TlsClient::new(host, port, std::slice::from_ref(&exception)).unwrap();
        assert!(
            matches!(
                exchange(&mut tcp, &mut tls, b"x").await,
                Err(TlsError::Untrusted { .. })
            ),
            "{host}:{port}"
        );
    }
}

#[test]
fn bytes_after_the_starttls_reply_are_refused() {
    // S: 220 2.0.0 Ready to start TLS\r\n250 injected\r\n arriving in one packet.
    assert!(check_starttls_boundary(b"").is_ok());
    let err = check_starttls_boundary(b"250 injected\r\n").unwrap_err();
    assert!(err.to_string().contains("injected"));
}

#[test]
fn bad_server_names_are_refused() {
    assert!(matches!(
        TlsClient::new("bad name", 993, &[]),
        Err(TlsError::BadName(_))
    ));
}

/// A write far larger than rustls's own outgoing buffer (64 KiB) goes out whole: a message
/// with attachments is one `send`.
#[tokio::test]
async fn a_large_write_is_sealed_whole() {
    let (addr, der) = server().await;
    let exception = Exception {
        host: "mail.example.test".into(),
        port: addr.port(),
        sha256: sha256(&der),
    };
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let mut tls = TlsClient::new("mail.example.test", addr.port(), &[exception]).unwrap();
    let message: Vec<u8> = (0..1_000_000u32).map(|i| (i % 253) as u8).collect();
    let (mut rd, mut wr) = tcp.split();
    // Handshake first (tiny echo), then one large send while the echo is read alongside.
    let mut buf = vec![0u8; 64 * 1024];
    while tls.is_handshaking() {
        wr.write_all(&tls.ciphertext()).await.unwrap();
        if !tls.is_handshaking() {
            break;
        }
        let n = read_some(&mut rd, &mut buf, "the handshake").await;
        tls.receive(&buf[..n]).unwrap();
    }
    tls.send(&message).unwrap();
    let sealed = tls.ciphertext();
    assert!(sealed.len() > message.len());
    let writer = async move {
        wr.write_all(&sealed).await.unwrap();
        wr
    };
    let reader = async {
        let mut raw = Vec::new();
        let mut echoed = Vec::new();
        while echoed.len() < message.len() {
            let n = read_some(&mut rd, &mut buf, "the echo of the large write").await;
            assert!(
                n > 0,
                "the server closed with {} of {} bytes echoed",
                echoed.len(),
                message.len()
            );
            raw.extend_from_slice(&buf[..n]);
            tls.receive(&raw).unwrap();
            raw.clear();
            echoed.extend(tls.plaintext().unwrap());
        }
        echoed
    };
    let (_, echoed) = tokio::join!(writer, reader);
    assert_eq!(echoed, message);
}
