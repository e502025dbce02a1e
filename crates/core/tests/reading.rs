//! The reading analysis (`analyze_for_reading`, what the mail app's reading pane runs) reads
//! a message as the whole analysis does — addresses, date, subject, parts, bounce — and
//! leaves out only the route, the authentication results and the defects.

use mailscope_core::{analyze, analyze_for_reading};

fn both(raw: &[u8]) {
    let full = analyze(raw).expect("a message");
    let reading = analyze_for_reading(raw).expect("a message");
    assert_eq!(reading.subject, full.subject);
    assert_eq!(reading.from, full.from);
    assert_eq!(
        (&reading.to, &reading.cc, &reading.reply_to),
        (&full.to, &full.cc, &full.reply_to)
    );
    assert_eq!(reading.date, full.date);
    assert_eq!(reading.message_id, full.message_id);
    assert_eq!(reading.parts, full.parts);
    assert_eq!(reading.bounce, full.bounce);
    assert_eq!(reading.headers, full.headers);
    assert!(reading.hops.is_empty() && reading.defects.is_empty());
    assert_eq!(reading.auth, Default::default());
}

#[test]
fn a_bounce_reads_the_same_without_its_route() {
    let raw = include_bytes!("../testdata/bounce/postfix-test-server.eml");
    assert!(
        !analyze(raw).unwrap().hops.is_empty(),
        "the whole analysis has the route"
    );
    both(raw);
    assert!(analyze_for_reading(raw).unwrap().bounce.is_some());
}

#[test]
fn every_golden_message_reads_the_same_without_route_auth_and_defects() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/golden");
    let mut read = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            both(&std::fs::read(&path).unwrap());
            read += 1;
        }
    }
    assert!(read >= 5, "golden messages read: {read}");
}
