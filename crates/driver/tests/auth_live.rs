//! Live authentication checks against real parts (tests/mailserver.sh): a message alice
//! sends through Postfix's submission port, signed by OpenDKIM, checked over TCP DNS against
//! NSD serving example.test, its DKIM key, SPF and DMARC records and the reverse zone.

mod common;

use std::net::SocketAddr;
use std::process::Command;

use common::{fetch_message, token, trust};
use mailscope_auth::{run, LiveCheck, LiveReport};
use mailscope_driver::TcpResolver;

const DNS: &str = "127.0.0.1:10053";

/// Sends a message from alice to bob through submission (STARTTLS, AUTH) with swaks,
/// greeting with `helo`; returns it as bob received it.
async fn send_signed(helo: &str) -> Vec<u8> {
    let id = token("live");
    let sent = Command::new("swaks")
        .args(["--server", "127.0.0.1:10587", "--tls", "--auth", "PLAIN"])
        .args([
            "--auth-user",
            "alice@example.test",
            "--auth-password",
            "alice-password",
        ])
        .args([
            "--ehlo",
            helo,
            "--from",
            "alice@example.test",
            "--to",
            "bob@example.test",
        ])
        .args([
            "--header",
            &format!("Subject: {id}"),
            "--body",
            "Hello Bob.\nAlice\n",
        ])
        .output()
        .expect("swaks runs (installed by tests/mailserver.sh)");
    assert!(
        sent.status.success(),
        "swaks: {}",
        String::from_utf8_lossy(&sent.stdout)
    );
    let exceptions = trust(10995, &[10995]).await;
    fetch_message("bob@example.test", "bob-password", &id, &exceptions)
        .await
        .unwrap_or_else(|| panic!("bob never received {id}"))
}

async fn check(raw: &[u8]) -> LiveReport {
    let report = mailscope_core::analyze(raw).expect("a message");
    let mut check = LiveCheck::new(raw, &report);
    let mut resolver = TcpResolver::new(DNS.parse::<SocketAddr>().unwrap());
    let mut transcript = Vec::new();
    run(&mut check, &mut resolver, &mut transcript).await
}

/// Serves example.test in another form for as long as it lives.
struct Zone;

impl Zone {
    fn set(variant: &str) -> Zone {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/mailserver.sh");
        let out = Command::new(script)
            .args(["zone", variant])
            .output()
            .expect("the script runs");
        assert!(
            out.status.success(),
            "zone {variant}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Zone
    }
}

impl Drop for Zone {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/mailserver.sh");
        let _ = Command::new(script).args(["zone", "default"]).output();
    }
}

fn changed(raw: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(raw.to_vec()).unwrap();
    assert!(text.contains(from), "{from} is in the message");
    text.replacen(from, to, 1).into_bytes()
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_signed_message_passes_and_each_change_fails_as_it_should() {
    let raw = send_signed("client.example.test").await;
    let live = check(&raw).await;
    assert_eq!(live.error, None);
    assert_eq!(live.resolver.as_deref(), Some(DNS));
    let [dkim] = &live.dkim[..] else {
        panic!("one signature: {:?}", live.dkim)
    };
    assert_eq!(
        (dkim.domain.as_str(), dkim.selector.as_str()),
        ("example.test", "mail")
    );
    assert_eq!(
        (dkim.result.as_str(), dkim.algorithm.as_str(), dkim.key_bits),
        ("pass", "rsa-sha256", Some(2048))
    );
    let spf = live.spf.as_ref().expect("an SPF check");
    assert_eq!(
        (
            spf.result.as_str(),
            spf.identity.as_str(),
            spf.ip.as_str(),
            spf.hop
        ),
        ("pass", "mailfrom", "127.0.0.1", 1)
    );
    assert_eq!(
        spf.mechanism.as_deref(),
        Some("ip4:127.0.0.1 in example.test")
    );
    let dmarc = live.dmarc.as_ref().expect("a DMARC check");
    assert_eq!(
        (
            dmarc.result.as_str(),
            dmarc.policy.as_deref(),
            dmarc.spf_aligned,
            dmarc.dkim_aligned
        ),
        ("pass", Some("reject"), true, true)
    );
    let hop = live
        .hops
        .iter()
        .find(|h| h.ip == "127.0.0.1")
        .expect("the submission hop");
    assert_eq!(hop.ptr, ["client.example.test"]);
    assert!(hop.fcrdns && hop.helo_matches, "{hop:?}");
    // The DKIM key, the SPF and DMARC records and the PTR go out in one round.
    assert!(
        live.rounds <= 2 && live.queries >= 5,
        "{} queries in {} rounds",
        live.queries,
        live.rounds
    );

    let body = check(&changed(&raw, "Hello Bob.", "Hello Bob!")).await;
    assert_eq!(body.dkim[0].result, "fail");
    assert!(
        body.dkim[0]
            .reason
            .as_deref()
            .unwrap()
            .starts_with("body hash mismatch"),
        "{:?}",
        body.dkim
    );
    assert!(!body.dmarc.as_ref().unwrap().dkim_aligned);

    let subject = String::from_utf8_lossy(&raw)
        .lines()
        .find(|l| l.starts_with("Subject: "))
        .unwrap()
        .to_string();
    let header = check(&changed(&raw, &subject, &format!("{subject}!"))).await;
    assert_eq!(header.dkim[0].result, "fail");
    assert!(
        header.dkim[0]
            .reason
            .as_deref()
            .unwrap()
            .starts_with("signature mismatch"),
        "{:?}",
        header.dkim
    );

    {
        let _zone = Zone::set("no-dkim-key");
        let no_key = check(&raw).await;
        assert_eq!(no_key.dkim[0].result, "permerror");
        assert_eq!(
            no_key.dkim[0].reason.as_deref(),
            Some("no key: mail._domainkey.example.test has no DKIM key record")
        );
        assert_eq!(
            no_key.dmarc.as_ref().unwrap().result,
            "pass",
            "SPF alone still aligns"
        );
    }
    {
        let _zone = Zone::set("spf-elsewhere");
        let elsewhere = check(&raw).await;
        let spf = elsewhere.spf.as_ref().unwrap();
        assert_eq!(
            (spf.result.as_str(), spf.mechanism.as_deref()),
            ("fail", Some("-all in example.test"))
        );
        assert_eq!(elsewhere.dkim[0].result, "pass");
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_helo_other_than_the_reverse_dns_is_flagged() {
    let raw = send_signed("elsewhere.example.net").await;
    let live = check(&raw).await;
    let hop = live
        .hops
        .iter()
        .find(|h| h.ip == "127.0.0.1")
        .expect("the submission hop");
    assert_eq!(hop.helo.as_deref(), Some("elsewhere.example.net"));
    assert!(hop.fcrdns, "{hop:?}");
    assert!(!hop.helo_matches, "{hop:?}");
}
