//! Golden reports: `testdata/golden/NNN.eml` must analyse to `NNN.json`. Each message runs with
//! CRLF endings (compared whole) and with LF endings (compared except for byte counts and the
//! line-ending defect, which honestly differ). A mismatch writes `NNN.failed` beside it.

use std::path::Path;

use serde_json::Value;

fn with_endings(raw: &[u8], crlf: bool) -> Vec<u8> {
    let lf: Vec<u8> = raw.iter().copied().filter(|b| *b != b'\r').collect();
    if !crlf {
        return lf;
    }
    let mut out = Vec::with_capacity(lf.len() + lf.len() / 20);
    for b in lf {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// Removes what depends on the line-ending bytes.
fn without_byte_counts(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for key in [
                "size",
                "header_size",
                "encoded_size",
                "decoded_size",
                "overhead_percent",
                "start",
                "end",
                "attachments_encoded",
                "attachments_decoded",
                "attachments_overhead_percent",
                "bodies_encoded",
                "bodies_decoded",
                "bodies_overhead_percent",
            ] {
                map.remove(key);
            }
            if let Some(Value::Array(defects)) = map.get_mut("defects") {
                defects.retain(|d| d["code"] != "bare-lf");
            }
            map.values_mut().for_each(without_byte_counts);
        }
        Value::Array(items) => items.iter_mut().for_each(without_byte_counts),
        _ => {}
    }
}

#[test]
fn reports_match_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "golden messages are there");
    let mut failures = Vec::new();
    for eml in &names {
        let raw = std::fs::read(eml).unwrap();
        let json_path = eml.with_extension("json");
        let crlf =
            serde_json::to_value(mailscope_core::analyze(&with_endings(&raw, true)).unwrap())
                .unwrap();
        if update {
            std::fs::write(
                &json_path,
                serde_json::to_string_pretty(&crlf).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        let mut lf =
            serde_json::to_value(mailscope_core::analyze(&with_endings(&raw, false)).unwrap())
                .unwrap();
        let mut expected_lf = expected.clone();
        without_byte_counts(&mut lf);
        without_byte_counts(&mut expected_lf);
        let failed = eml.with_extension("failed");
        if crlf != expected {
            std::fs::write(&failed, serde_json::to_string_pretty(&crlf).unwrap()).unwrap();
            failures.push(format!(
                "{} (CRLF): see {}",
                eml.display(),
                failed.display()
            ));
        } else if lf != expected_lf {
            std::fs::write(&failed, serde_json::to_string_pretty(&lf).unwrap()).unwrap();
            failures.push(format!("{} (LF): see {}", eml.display(), failed.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches:\n{}",
        failures.join("\n")
    );
}
