//! The `mailscope-proxy` binary as an operator starts it: `--tls-cert` / `--tls-key` really
//! serve HTTPS and WSS, and a certificate that cannot be read stops it before it listens.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_mailscope-proxy");

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mailscope-bin-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_certificate_that_cannot_be_read_stops_the_proxy() {
    let dir = temp_dir("missing");
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(dir.join("nope.pem"))
        .arg("--tls-key")
        .arg(dir.join("nope.key"))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "it must not serve plain HTTP instead"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nope.pem"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("served on"),
        "nothing listened"
    );
}

#[tokio::test]
async fn tls_cert_and_key_serve_https_and_wss() {
    let dir = temp_dir("tls");
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    let site = dir.join("dist");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!DOCTYPE html><title>Mailscope</title>",
    )
    .unwrap();
    let echo = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let echo_addr = echo.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = echo.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });

    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--static"])
        .arg(&site)
        .arg("--tls-cert")
        .arg(dir.join("cert.pem"))
        .arg("--tls-key")
        .arg(dir.join("key.pem"))
        .args(["--allow", &echo_addr.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Killed(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the proxy printed its address within 10 s");
    assert!(line.contains("https://127.0.0.1:"), "{line}");
    let port: u16 = line
        .rsplit(':')
        .next()
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();

    // Plain HTTP gets no page.
    let mut plain = TcpStream::connect(addr).await.unwrap();
    plain
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(11), plain.read_to_end(&mut answer)).await;
    assert!(
        !String::from_utf8_lossy(&answer).contains("Mailscope"),
        "the page was served without TLS"
    );

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

    let started = Instant::now();
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut https = connector.connect(name.clone(), tcp).await.unwrap();
    https
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut page = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), https.read_to_string(&mut page)).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<title>Mailscope</title>"));
    assert!(started.elapsed() < Duration::from_secs(5));

    let tcp = TcpStream::connect(addr).await.unwrap();
    let stream = connector.connect(name, tcp).await.unwrap();
    let mut request = format!(
        "wss://localhost:{port}/ws?host=127.0.0.1&port={}",
        echo_addr.port()
    )
    .into_client_request()
    .unwrap();
    request.headers_mut().insert(
        "origin",
        format!("https://localhost:{port}").parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .unwrap();
    let frame = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .expect("the connected frame within 5 s");
    match frame.unwrap().unwrap() {
        Message::Text(t) => assert!(t.contains("\"connected\""), "{t}"),
        other => panic!("{other:?}"),
    }
}
