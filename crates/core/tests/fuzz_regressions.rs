//! Every crash the fuzzers found (crates/core/fuzz/regressions/TARGET/) and every seed they
//! start from (crates/core/fuzz/seeds/TARGET/), replayed through the same entry points on a
//! stable toolchain: none may panic. `scripts/fuzz.sh` runs the fuzzers themselves.

use std::path::Path;

use mailscope_core::fuzzing::TARGETS;

#[test]
fn every_seed_and_regression_runs_without_a_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut ran = 0;
    for (name, target) in TARGETS {
        for folder in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(fuzz.join(folder).join(name)) else {
                continue;
            };
            for entry in entries.flatten() {
                let data = std::fs::read(entry.path()).unwrap();
                target(&data);
                ran += 1;
            }
        }
    }
    // Seeds for the protocol machines, Received and the certificate reader are kept in the
    // repository: the replay is never empty.
    assert!(ran >= 60, "only {ran} inputs replayed");
}
