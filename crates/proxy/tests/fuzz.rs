//! The fuzz target `request` (crates/core/fuzz): its seeds and any crash it found, replayed on
//! a stable toolchain; none may panic.

use std::path::Path;

#[test]
fn request_seeds_and_regressions_run_without_a_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/fuzz");
    let mut ran = 0;
    for folder in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(folder).join("request")) else {
            continue;
        };
        for entry in entries.flatten() {
            mailscope_proxy::fuzzing::request(&std::fs::read(entry.path()).unwrap());
            ran += 1;
        }
    }
    assert!(ran >= 3, "only {ran} inputs replayed");
}
