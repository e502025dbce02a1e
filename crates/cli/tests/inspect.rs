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
