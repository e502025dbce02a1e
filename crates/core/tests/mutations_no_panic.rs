//! Hostile input: corpus messages with random damage (flipped bytes, cut boundaries, spliced
//! halves, stray NULs and CRs) go through every entry point of the core without a panic.
//! The damage is pseudo-random from a fixed seed, so a failure repeats.

mod common;

use common::Rng;

fn damage(raw: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut m = raw.to_vec();
    for _ in 0..1 + rng.below(8) {
        if m.is_empty() {
            break;
        }
        let at = rng.below(m.len());
        match rng.below(6) {
            0 => m[at] = rng.next() as u8,
            1 => m.truncate(at),
            2 => m.insert(at, b"\0\r\n-=\"(<:;"[rng.below(10)]),
            3 => {
                let len = rng.below(64).min(m.len() - at);
                m.drain(at..at + len);
            }
            4 => {
                let copy = m[at..].to_vec();
                m.extend_from_slice(&copy[..copy.len().min(256)]);
            }
            _ => m.splice(at..at, b"\r\n--".iter().copied()).for_each(drop),
        }
    }
    m
}

#[test]
fn damaged_messages_never_panic() {
    let files = common::corpus_messages();
    assert!(!files.is_empty());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut analysed = 0;
    // Every 3rd message, each damaged four ways; large files only once (time).
    for file in files.iter().step_by(3) {
        let raw = std::fs::read(file).unwrap();
        let rounds = if raw.len() > 200_000 { 1 } else { 4 };
        for _ in 0..rounds {
            let m = damage(&raw, &mut rng);
            if let Ok(report) = mailscope_core::analyze(&m) {
                analysed += 1;
                for part in report.parts.iter().take(8) {
                    let _ = mailscope_core::part_content(&m, &part.path);
                }
                let _ = mailscope_core::html::html_view(&m, None, false);
                if report.bounce.is_some() {
                    let _ = mailscope_core::bounce_original(&m);
                }
            }
            let _ = mailscope_core::peek(&m);
            let _ = mailscope_core::mbox::split(&m);
        }
    }
    assert!(analysed > 500, "{analysed} damaged messages analysed");
}
