//! Golden bounce reports for a sample of mail-server families: `testdata/bounce/golden/N.json`
//! holds the `bounce` field expected for the report `N.eml` (in `testdata/bounce/`, or else in
//! sisimai's `maildir/bsd`). `UPDATE_GOLDEN=1` rewrites them; read the diff before committing.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn source(name: &str) -> PathBuf {
    let own = root().join("bounce").join(format!("{name}.eml"));
    if own.exists() {
        return own;
    }
    root()
        .join("corpus/sisimai-set-of-emails/maildir/bsd")
        .join(format!("{name}.eml"))
}

#[test]
fn bounces_match_golden_files() {
    let dir = root().join("bounce/golden");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 15, "the golden sample is missing");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failed = Vec::new();
    for name in &names {
        let raw = std::fs::read(source(name)).unwrap();
        let report = mailscope_core::analyze(&raw).unwrap();
        let got = serde_json::to_string_pretty(&report.bounce).unwrap() + "\n";
        let path = dir.join(format!("{name}.json"));
        if update {
            std::fs::write(&path, &got).unwrap();
        } else if std::fs::read_to_string(&path).unwrap() != got {
            failed.push(name.clone());
            std::fs::write(dir.join(format!("{name}.failed")), &got).unwrap();
        }
    }
    assert!(
        failed.is_empty(),
        "differ from golden (see .failed files): {failed:?}"
    );
}
