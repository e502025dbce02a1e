//! Every message of the copied corpus, as it is and with its line endings changed, yields a
//! report or a clear error: never a panic. Also feeds truncated copies of each message.

mod common;

fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' && (i == 0 || raw[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

#[test]
fn every_corpus_message_is_analysed_without_panic() {
    let files = common::corpus_messages();
    assert!(
        files.len() > 900,
        "the corpus is there ({} messages)",
        files.len()
    );
    let mut reports = 0;
    for file in &files {
        let raw = std::fs::read(file).unwrap();
        let lf: Vec<u8> = raw.iter().copied().filter(|b| *b != b'\r').collect();
        for variant in [raw.clone(), lf.clone(), to_crlf(&lf)] {
            if mailscope_core::analyze(&variant).is_ok() {
                reports += 1;
            }
            let _ = mailscope_core::peek(&variant);
        }
        // Truncated mid-way: a download cut short must not panic either.
        let _ = mailscope_core::analyze(&raw[..raw.len() / 2]);
        let _ = mailscope_core::analyze(&raw[..raw.len() / 7]);
    }
    // Almost every file is a message; only a handful are deliberately not.
    assert!(
        reports > files.len() * 3 * 95 / 100,
        "{reports} reports for {} files",
        files.len()
    );
}
