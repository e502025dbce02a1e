//! Served over HTTPS/WSS (--tls-cert/--tls-key): the page and the WebSocket both work over
//! TLS, and a client that never finishes its handshake does not block the others.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use mailscope_proxy::tls::acceptor;
use mailscope_proxy::Proxy;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn sessions_work_over_wss() {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let tls = acceptor(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .unwrap();

    let peer = echo_peer().await;
    let dir = std::env::temp_dir().join(format!("mailscope-wss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Mailscope</title>",
    )
    .unwrap();
    let mut config = allowing(&[peer]);
    config.static_dir = Some(dir);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(Proxy::new(config).serve_tls(listener, tls, std::future::pending()));

    // A client that connects and says nothing holds no one up.
    let _silent = TcpStream::connect(addr).await.unwrap();

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der().clone()).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();

    // The page over HTTPS.
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut https =
        tokio::time::timeout(Duration::from_secs(5), connector.connect(name.clone(), tcp))
            .await
            .unwrap()
            .unwrap();
    https
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut page = String::new();
    let _ = https.read_to_string(&mut page).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<title>Mailscope</title>"));

    // The WebSocket over WSS, with the https origin.
    let tcp = TcpStream::connect(addr).await.unwrap();
    let stream = connector.connect(name, tcp).await.unwrap();
    let mut request = format!(
        "wss://localhost:{}/ws?host=127.0.0.1&port={}",
        addr.port(),
        peer.port()
    )
    .into_client_request()
    .unwrap();
    request.headers_mut().insert(
        "origin",
        format!("https://localhost:{}", addr.port())
            .parse()
            .unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .unwrap();
    match ws.next().await.unwrap().unwrap() {
        Message::Text(t) => assert!(t.contains("\"connected\""), "{t}"),
        other => panic!("{other:?}"),
    }
}
