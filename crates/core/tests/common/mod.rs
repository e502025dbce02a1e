//! What the corpus-wide tests share.

use std::path::{Path, PathBuf};

/// Every `.eml` under testdata/corpus, sorted.
pub fn corpus_messages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "eml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus"),
        &mut out,
    );
    out.sort();
    out
}
