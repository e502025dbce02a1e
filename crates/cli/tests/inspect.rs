//! `mailscope inspect` over real files: JSON with the documented keys, text output, errors.

use std::process::Command;

use serde_json::Value;

const ROUTE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/browser/fixtures/route.eml"
);
const BOUNCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/testdata/golden/012.eml"
);

fn mailscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mailscope"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn json_has_the_documented_schema() {
    let out = mailscope(&["inspect", "--json", ROUTE, BOUNCE]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports.len(), 2);
    let r = &reports[0];
    for key in [
        "subject",
        "from",
        "to",
        "cc",
        "reply_to",
        "date",
        "message_id",
        "return_path",
        "hops",
        "parts",
        "auth",
        "defects",
    ] {
        assert!(r.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(r["from"][0]["name"], "Alice Müller");
    assert_eq!(r["from"][0]["address"], "alice@sender.example");
    assert_eq!(r["date"], "2026-03-03T10:00:00+01:00");
    let hops = r["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 3);
    for key in [
        "from_host",
        "from_ip",
        "by_host",
        "with",
        "id",
        "for",
        "date",
        "delay_seconds",
        "tls",
    ] {
        assert!(hops[1].get(key).is_some(), "hop lacks {key}");
    }
    assert_eq!(hops[1]["tls"]["version"], "TLSv1.3");
    assert_eq!(hops[1]["for"], "team@receiver.example");
    assert_eq!(
        hops.iter()
            .map(|h| h["delay_seconds"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [5, 120, -1]
    );
    let part = &r["parts"][2];
    for key in [
        "path",
        "content_type",
        "transfer_encoding",
        "filename",
        "encoded_size",
        "decoded_size",
    ] {
        assert!(part.get(key).is_some(), "part lacks {key}");
    }
    assert_eq!(part["decoded_size"], 3072);
    assert_eq!(
        reports[1]["subject"],
        "Returned mail: see transcript for details"
    );
    assert_eq!(r["bounce"], Value::Null);
    let b = &reports[1]["bounce"];
    for key in ["kind", "reporting_mta", "recipients", "original"] {
        assert!(b.get(key).is_some(), "bounce lacks {key}");
    }
    assert_eq!(b["kind"], "bounce");
    let rcpt = &b["recipients"][0];
    for key in [
        "address",
        "action",
        "status",
        "smtp_code",
        "reason",
        "diagnostic",
        "remote_mta",
    ] {
        assert!(rcpt.get(key).is_some(), "recipient lacks {key}");
    }
    assert_eq!(rcpt["address"], "userunknown@bouncehammer.jp");
    assert_eq!(rcpt["reason"], "user-unknown");
    assert_eq!(rcpt["status"], "5.1.1");
    assert_eq!(rcpt["smtp_code"], 550);
}

#[test]
fn text_output_explains_a_bounce() {
    let out = mailscope(&["inspect", BOUNCE]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Report:     bounce (rfc3464"), "{text}");
    assert!(
        text.contains("userunknown@bouncehammer.jp failed: user-unknown [550 5.1.1]"),
        "{text}"
    );
    assert!(text.contains("The address does not exist"), "{text}");
}

#[test]
fn text_output_and_errors() {
    let out = mailscope(&["inspect", ROUTE]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Subject:    Quarterly report — final"),
        "{text}"
    );
    assert!(text.contains("Route (3 hops, total 124 s)"), "{text}");
    // Hop flags in words, not debug names.
    assert!(
        text.contains("authenticated submission: The sender signed in to hand the message over"),
        "{text}"
    );
    assert!(text.contains("clock backwards: Stamped earlier"), "{text}");
    assert!(
        !text.contains("Authenticated]") && !text.contains("[Authenticated"),
        "{text}"
    );

    let missing = mailscope(&["inspect", "/nonexistent/x.eml"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/x.eml"));

    let usage = mailscope(&[]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn without_live_nothing_is_looked_up_and_the_report_is_unchanged() {
    let out = mailscope(&["inspect", "--json", ROUTE]);
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(reports[0]["auth"].get("live").is_none());
    let refused = mailscope(&["inspect", "--dns", "127.0.0.1:10053", ROUTE]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "--dns without --live is refused"
    );
}

#[test]
fn an_unreachable_resolver_gives_temporary_errors_quickly() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    let started = std::time::Instant::now();
    let out = mailscope(&["inspect", "--json", "--live", "--dns", "127.0.0.1:9", ROUTE]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "it gave up in time"
    );
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let live = &reports[0]["auth"]["live"];
    assert_eq!(live["resolver"], "127.0.0.1:9");
    assert_eq!(live["spf"]["result"], "temperror", "{live}");
}

#[test]
#[ignore = "needs tests/mailserver.sh start"]
fn live_adds_auth_live_with_the_documented_keys() {
    let out = mailscope(&[
        "inspect",
        "--json",
        "--live",
        "--dns",
        "127.0.0.1:10053",
        ROUTE,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let live = &reports[0]["auth"]["live"];
    for key in [
        "resolver",
        "dkim",
        "spf",
        "dmarc",
        "arc",
        "hops",
        "compare",
        "queries",
        "rounds",
        "elapsed_ms",
    ] {
        assert!(live.get(key).is_some(), "auth.live.{key} in {live}");
    }
    for key in ["domain", "ip", "hop", "result", "mechanism", "reason"] {
        assert!(
            live["spf"].get(key).is_some(),
            "auth.live.spf.{key} in {live}"
        );
    }
    for hop in live["hops"].as_array().unwrap() {
        for key in ["index", "ip", "ptr", "fcrdns", "helo", "helo_matches"] {
            assert!(hop.get(key).is_some(), "hop {key} in {hop}");
        }
    }
    let text = mailscope(&["inspect", "--live", "--dns", "127.0.0.1:10053", ROUTE]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Live checks (resolver 127.0.0.1:10053"),
        "{text}"
    );
    assert!(
        text.contains("round 1:"),
        "the transcript is printed: {text}"
    );
}
