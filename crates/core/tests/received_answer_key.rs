//! The Received parser against an answer key of 181 real Received fields
//! (testdata/corpus/stalwart-mail-parser/resources/received.json). From-host, IP, by-host,
//! `with`, id, `for` and date must agree on at least 99 % of the fields the key states.

use serde_json::Value;

fn host(v: &Value) -> Option<String> {
    v.get("Name")
        .or_else(|| v.get("IpAddr"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn date(v: &Value) -> Option<String> {
    let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    let (th, tm) = (n("tz_hour"), n("tz_minute"));
    // The key writes "no date" as year 0 and keeps impossible dates (month 13, minute 50 as
    // hour, a three-digit second) where the header's date is garbage; a report has no date
    // for either, so the key's answer there is "none".
    let valid = (1900..=3000).contains(&n("year"))
        && (1..=12).contains(&n("month"))
        && (1..=31).contains(&n("day"))
        && n("hour") < 24
        && n("minute") < 60
        && n("second") < 60
        && th < 24
        && tm < 60;
    if !valid {
        return None;
    }
    let sign =
        if v.get("tz_before_gmt").and_then(Value::as_bool) == Some(true) && (th > 0 || tm > 0) {
            "-"
        } else {
            "+"
        };
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        n("year"),
        n("month"),
        n("day"),
        n("hour"),
        n("minute"),
        n("second")
    );
    Some(if th == 0 && tm == 0 {
        format!("{base}Z")
    } else {
        format!("{base}{sign}{th:02}:{tm:02}")
    })
}

#[test]
fn received_fields_agree_with_the_answer_key() {
    let key: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/corpus/stalwart-mail-parser/resources/received.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(key.len(), 181, "the whole answer key is read");
    let (mut checked, mut agreed) = (0usize, 0usize);
    let mut disagreements = Vec::new();
    for case in &key {
        let header = case["header"].as_str().unwrap();
        let want = &case["expected"];
        let hop = mailscope_core::parse_received(header);
        let fields: [(&str, Option<String>, Option<String>); 7] = [
            (
                "from",
                want.get("from").and_then(host),
                hop.from_host.clone(),
            ),
            (
                "from_ip",
                want.get("from_ip")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                hop.from_ip.clone(),
            ),
            ("by", want.get("by").and_then(host), hop.by_host.clone()),
            (
                "with",
                want.get("with").and_then(Value::as_str).map(str::to_string),
                hop.with.clone(),
            ),
            (
                "id",
                want.get("id").and_then(Value::as_str).map(str::to_string),
                hop.id.clone(),
            ),
            (
                "for",
                want.get("for_").and_then(Value::as_str).map(str::to_string),
                hop.for_.clone(),
            ),
            ("date", want.get("date").and_then(date), hop.date.clone()),
        ];
        for (name, expected, got) in fields {
            // Every field is checked, stated or not: a value where the key has none is a
            // disagreement too.
            checked += 1;
            if expected == got {
                agreed += 1;
            } else {
                disagreements.push(format!(
                    "{name}: expected {expected:?}, got {got:?} in {header:?}"
                ));
            }
        }
    }
    for d in &disagreements {
        eprintln!("disagreement: {d}");
    }
    let rate = agreed as f64 / checked as f64;
    eprintln!("{agreed} of {checked} fields agree ({:.2} %)", rate * 100.0);
    assert!(
        rate >= 0.99,
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
