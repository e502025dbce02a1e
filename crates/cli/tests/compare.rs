//! `mailscope compare`: two copies of one message (delivered to one inbox, junked at
//! another), routes aligned by host, where they part, and what differs, as JSON and text.

use std::process::Command;

use serde_json::Value;

const DELIVERED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/delivered.eml");
const JUNKED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/junked.eml");

fn mailscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mailscope"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn compare_json_aligns_the_routes_and_names_the_differences() {
    let out = mailscope(&["compare", "--json", DELIVERED, JUNKED]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    let route: Vec<(String, bool, bool)> = c["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["host"].as_str().unwrap().to_string(),
                !r["a"].is_null(),
                !r["b"].is_null(),
            )
        })
        .collect();
    assert_eq!(
        route,
        [
            ("out.example.org".into(), true, true),
            ("mx.example.net".into(), true, false),
            ("store.example.net".into(), true, false),
            ("filter.example.com".into(), false, true),
        ]
    );
    assert_eq!(c["parted_after"], "out.example.org");
    assert_eq!(c["route"][0]["delay_difference"], 0);
    assert_eq!(c["a"]["total_seconds"], 9);
    assert_eq!(c["b"]["total_seconds"], 4203);
    assert_eq!(c["headers"]["only_b"], serde_json::json!(["X-Spam-Flag"]));
    let differ: Vec<&str> = c["headers"]["differ"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(differ, ["Authentication-Results", "Delivered-To"]);
    let spf = c["auth"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["method"] == "spf")
        .unwrap();
    assert_eq!(spf["a"][0], "pass (example.org)");
    assert_eq!(spf["b"][0], "softfail (example.org)");
    assert_eq!(spf["same"], false);
    assert_eq!(c["mime"][0]["path"], "1");
}

#[test]
fn compare_text_and_wrong_arguments() {
    let out = mailscope(&["compare", DELIVERED, JUNKED]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("The routes part after out.example.org."),
        "{text}"
    );
    assert!(text.contains("Only in B: X-Spam-Flag"), "{text}");
    assert_eq!(mailscope(&["compare", DELIVERED]).status.code(), Some(2));
    assert!(!mailscope(&["compare", DELIVERED, "/nonexistent.eml"])
        .status
        .success());
}
