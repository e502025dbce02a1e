//! The live checks' benchmark: a message with three DKIM signatures and a five-hop route,
//! checked against the test DNS (NSD on 127.0.0.1:10053, tests/mailserver.sh), every round's
//! questions at once on one TCP connection; beside it, the same checks asking one question
//! after another (each on its own connection, as a resolver library asking in turn would).
//! Prints the median time of each, the queries and rounds, and the ratio.
//!   cargo run --release -p mailscope-driver --example live_bench

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mail_auth::common::crypto::{RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use mailscope_auth::dns::{Answer, Question};
use mailscope_auth::{run, LiveCheck, LiveReport, Resolve};
use mailscope_driver::TcpResolver;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;

const RUNS: usize = 15;

/// One question at a time, each on its own connection.
struct OneAfterAnother(TcpResolver);

impl Resolve for OneAfterAnother {
    fn resolver(&self) -> String {
        self.0.resolver()
    }

    async fn ask(&mut self, questions: &[Question]) -> Vec<(Question, Answer)> {
        let mut out = Vec::new();
        for q in questions {
            out.extend(self.0.ask(std::slice::from_ref(q)).await);
        }
        out
    }
}

fn message() -> Vec<u8> {
    let state = std::env::var("STATE").unwrap_or_else(|_| "/tmp/mailscope-mail".into());
    let pem = std::fs::read(format!("{state}/dkim/mail.private"))
        .expect("the test DKIM key (start tests/mailserver.sh first)");
    let body = "From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\n\
        Subject: Three signatures, five hops\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n\
        Message-ID: <bench@example.test>\r\n\r\nHello Bob.\r\n";
    let mut signatures = String::new();
    for selector in ["mail", "s2", "s3"] {
        let key =
            RsaKey::<Sha256>::from_key_der(PrivateKeyDer::from_pem_slice(&pem).expect("a PEM key"))
                .expect("an RSA key");
        let signature = DkimSigner::from_key(key)
            .domain("example.test")
            .selector(selector)
            .headers(["From", "To", "Subject", "Date", "Message-ID"])
            .sign(body.as_bytes())
            .expect("signed");
        signatures.push_str(&signature.to_header());
    }
    let hop = |from: &str, ip: &str, by: &str, with: &str, minute: u32| {
        format!(
            "Received: from {from} ({from} [{ip}]) by {by} with {with} id {minute}; Thu, 03 Dec 2026 10:{minute:02}:00 +0000\r\n"
        )
    };
    let route = [
        hop(
            "mx4.example.test",
            "192.0.2.14",
            "mail.example.test",
            "ESMTPS",
            5,
        ),
        hop(
            "mx3.example.test",
            "192.0.2.13",
            "mx4.example.test",
            "ESMTPS",
            4,
        ),
        hop(
            "mx2.example.test",
            "192.0.2.12",
            "mx3.example.test",
            "ESMTPS",
            3,
        ),
        hop(
            "mx1.example.test",
            "192.0.2.11",
            "mx2.example.test",
            "ESMTPS",
            2,
        ),
        hop(
            "client.example.test",
            "127.0.0.1",
            "mx1.example.test",
            "ESMTPSA",
            1,
        ),
    ]
    .concat();
    format!("Return-Path: <alice@example.test>\r\n{route}{signatures}{body}").into_bytes()
}

async fn once(raw: &[u8], resolver: &mut impl Resolve) -> (Duration, LiveReport) {
    let report = mailscope_core::analyze(raw).expect("a message");
    let mut check = LiveCheck::new(raw, &report);
    let started = Instant::now();
    let live = run(&mut check, resolver, &mut Vec::<String>::new()).await;
    (started.elapsed(), live)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dns: SocketAddr = std::env::var("DNS")
        .unwrap_or_else(|_| "127.0.0.1:10053".into())
        .parse()
        .expect("DNS=IP:PORT");
    let raw = message();
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(&path, &raw).expect("the message written");
    }
    let mut parallel = TcpResolver::new(dns);
    let mut serial = OneAfterAnother(TcpResolver::new(dns));
    let (_, live) = once(&raw, &mut parallel).await;
    let dkim: Vec<&str> = live.dkim.iter().map(|d| d.result.as_str()).collect();
    assert_eq!(
        dkim,
        ["pass", "pass", "pass"],
        "three signatures verify: {:?}",
        live.dkim
    );
    assert_eq!(live.hops.len(), 5, "five hop addresses looked up");
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        fast.push(once(&raw, &mut parallel).await.0);
        slow.push(once(&raw, &mut serial).await.0);
    }
    let (fast, slow) = (median(fast), median(slow));
    println!(
        "live checks: 3 DKIM signatures, 5 hops, resolver {dns} (loopback NSD), median of {RUNS}"
    );
    println!(
        "  each round at once:  {:>7.1} ms  ({} queries in {} rounds)",
        fast.as_secs_f64() * 1000.0,
        live.queries,
        live.rounds
    );
    println!(
        "  one after another:   {:>7.1} ms  (the same queries)",
        slow.as_secs_f64() * 1000.0
    );
    println!(
        "  ratio: {:.1}× faster at once",
        slow.as_secs_f64() / fast.as_secs_f64()
    );
    println!(
        "  verdicts: DKIM {dkim:?}, SPF {} (hop {}), DMARC {}, reverse DNS confirmed on {} of 5 hops",
        live.spf.as_ref().map_or("-", |s| s.result.as_str()),
        live.spf.as_ref().map_or(0, |s| s.hop),
        live.dmarc.as_ref().map_or("-", |d| d.result.as_str()),
        live.hops.iter().filter(|h| h.fcrdns).count()
    );
}
