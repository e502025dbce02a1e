//! DKIM against RFC 8463's example (tests/dkim/): the message is signed twice, Ed25519 and
//! RSA; both verify with the published keys, both fail when a body byte changes, and with
//! the keys gone both say "no key".

mod common;

use common::Keys;
use mailscope_auth::{run, LiveCheck, LiveReport};

const MESSAGE: &[u8] = include_bytes!("dkim/rfc8463.eml");
const KEYS: &str = include_str!("dkim/rfc8463.keys");

fn check(raw: &[u8], keys: bool) -> LiveReport {
    let report = mailscope_core::analyze(raw).unwrap();
    let mut check = LiveCheck::new(raw, &report);
    futures::executor::block_on(run(
        &mut check,
        &mut Keys(if keys { KEYS } else { "" }),
        &mut Vec::<String>::new(),
    ))
}

#[test]
fn both_signatures_of_the_rfc_example_verify() {
    let live = check(MESSAGE, true);
    let found: Vec<_> = live
        .dkim
        .iter()
        .map(|d| {
            (
                d.selector.as_str(),
                d.algorithm.as_str(),
                d.key_bits,
                d.result.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("brisbane", "ed25519-sha256", Some(256), "pass"),
            ("test", "rsa-sha256", Some(1024), "pass")
        ]
    );
}

#[test]
fn a_changed_body_fails_both_and_missing_keys_are_named() {
    let text = String::from_utf8(MESSAGE.to_vec()).unwrap();
    let changed = text.replace("We lost the game.", "We won the game.");
    for d in check(changed.as_bytes(), true).dkim {
        assert_eq!(d.result, "fail");
        assert!(d.reason.unwrap().starts_with("body hash mismatch"));
    }
    let no_keys = check(MESSAGE, false);
    assert_eq!(
        no_keys
            .dkim
            .iter()
            .map(|d| d.reason.clone().unwrap())
            .collect::<Vec<_>>(),
        [
            "no key: brisbane._domainkey.football.example.com has no DKIM key record",
            "no key: test._domainkey.football.example.com has no DKIM key record"
        ]
    );
}
