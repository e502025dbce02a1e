//! What the corpus-wide and damage tests share.
#![allow(dead_code)] // each test file uses its own part of it

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

/// xorshift64*: small, deterministic, good enough to pick bytes to damage. A failure
/// repeats, since every test seeds it with a constant.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
