//! Our verdicts beside the ones the receiving server wrote in Authentication-Results.

use mailscope_core::report::Auth;

use crate::report::{Agreement, LiveReport};

/// One row per method either side has a verdict for: DKIM, SPF, DMARC, ARC and iprev.
pub fn compare(live: &LiveReport, auth: &Auth) -> Vec<Agreement> {
    let ours: [(&'static str, Option<String>); 5] = [
        ("dkim", dkim(live)),
        ("spf", live.spf.as_ref().map(|s| s.result.to_string())),
        ("dmarc", live.dmarc.as_ref().map(|d| d.result.to_string())),
        ("arc", live.arc.as_ref().map(|a| a.result.to_string())),
        ("iprev", iprev(live)),
    ];
    let mut rows = Vec::new();
    for (method, ours) in ours {
        // The receiving server's own results: the newest Authentication-Results (the first
        // in the header), not ARC's copies.
        let theirs = auth
            .results
            .iter()
            .find(|r| r.arc_instance.is_none() && r.method.eq_ignore_ascii_case(method));
        let Some(ours) = ours else {
            continue;
        };
        if theirs.is_none() && method == "iprev" {
            continue;
        }
        let their_result = theirs.map(|t| t.result.to_ascii_lowercase());
        let agree = their_result.as_deref() == Some(ours.as_str());
        rows.push(Agreement {
            method: method.into(),
            note: match (&their_result, agree) {
                (Some(_), false) => Some(why_they_differ(method).into()),
                _ => None,
            },
            ours,
            theirs: their_result,
            by: theirs.map(|t| t.authserv_id.clone()),
            agree,
        });
    }
    rows
}

/// The message's DKIM verdict: pass when any signature passes, else the first one's.
fn dkim(live: &LiveReport) -> Option<String> {
    let first = live.dkim.first()?;
    Some(if live.dkim.iter().any(|d| d.result == "pass") {
        "pass".into()
    } else {
        first.result.to_string()
    })
}

fn iprev(live: &LiveReport) -> Option<String> {
    let hop = live.hops.last()?;
    Some(if hop.fcrdns { "pass" } else { "fail" }.into())
}

fn why_they_differ(method: &str) -> &'static str {
    match method {
        "dkim" => "The key may have been rotated or removed since, or the message was changed after the server checked it (a forwarder, a mailing list).",
        "spf" => "DNS may have changed since, or the server checked another hop's address (it sees the connection itself; pick another hop to compare).",
        "dmarc" => "DMARC follows SPF and DKIM: when one of those differs, so may this; the DMARC record may also have changed.",
        "arc" => "A key of the chain may have been rotated since, or the message changed after it was sealed.",
        _ => "Reverse DNS may have changed since the message was received.",
    }
}
