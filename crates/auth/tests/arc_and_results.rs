//! ARC and the side-by-side with Authentication-Results, on a real list message Gmail sealed
//! (tests/arc/): the ARC chain validates; of its two DKIM signatures the list's verifies and
//! the author's fails for its changed body (as Gmail found); DMARC, whose record is not in
//! the keys given, differs from what Gmail wrote, and says why.

mod common;

use common::Keys;
use mailscope_auth::{run, LiveCheck};

const MESSAGE: &[u8] = include_bytes!("arc/sealed.eml");
const KEYS: &str = include_str!("arc/sealed.keys");

#[test]
fn the_arc_chain_validates_and_each_verdict_is_set_beside_gmails() {
    let report = mailscope_core::analyze(MESSAGE).unwrap();
    let mut check = LiveCheck::new(MESSAGE, &report);
    let live =
        futures::executor::block_on(run(&mut check, &mut Keys(KEYS), &mut Vec::<String>::new()));

    let arc = live.arc.as_ref().expect("an ARC check");
    assert_eq!((arc.result.as_str(), arc.instances), ("pass", 1));

    let dkim: Vec<(&str, &str)> = live
        .dkim
        .iter()
        .map(|d| (d.domain.as_str(), d.result.as_str()))
        .collect();
    assert!(dkim.contains(&("ietf.org", "pass")), "{dkim:?}");
    let author = live
        .dkim
        .iter()
        .find(|d| d.domain == "stalw.art")
        .expect("the author's signature");
    assert_eq!(author.result, "fail");
    assert!(author
        .reason
        .as_deref()
        .unwrap()
        .starts_with("body hash mismatch"));

    let row = |method: &str| {
        live.compare
            .iter()
            .find(|c| c.method == method)
            .unwrap_or_else(|| panic!("a {method} row: {:?}", live.compare))
    };
    let dkim_row = row("dkim");
    assert_eq!(
        (
            dkim_row.ours.as_str(),
            dkim_row.theirs.as_deref(),
            dkim_row.agree
        ),
        ("pass", Some("pass"), true)
    );
    assert_eq!(dkim_row.by.as_deref(), Some("mx.google.com"));
    let dmarc_row = row("dmarc");
    assert_eq!(dmarc_row.theirs.as_deref(), Some("fail"));
    assert_ne!(
        dmarc_row.ours, "fail",
        "stalw.art's DMARC record is not among the keys given"
    );
    assert!(
        !dmarc_row.agree && dmarc_row.note.is_some(),
        "{dmarc_row:?}"
    );
}
