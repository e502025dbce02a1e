//! Two messages side by side: why did this copy arrive late, or land in spam, and that one
//! not? The routes are aligned by the hosts that received them (the longest run of hosts
//! both passed through, in order), with where they part and the difference in each shared
//! hop's delay; then the header fields one has and the other lacks or writes differently,
//! the authentication verdicts per method, and the MIME parts that differ.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::report::{Hop, Report};

/// Routes longer than this are aligned only up to here (a hostile message can carry
/// thousands of Received fields; aligning costs their product).
const MAX_ALIGNED_HOPS: usize = 200;

/// Fields the route already shows, or that differ on every copy by nature.
const NOT_COMPARED: &[&str] = &["received"];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    pub a: Side,
    pub b: Side,
    /// The hops of both routes, aligned by receiving host, in travel order.
    pub route: Vec<RouteRow>,
    /// The last host both routes passed through before they went different ways; None when
    /// they share none, or share all.
    pub parted_after: Option<String>,
    pub headers: HeaderDiff,
    /// One row per authentication method either message reports.
    pub auth: Vec<AuthRow>,
    pub mime: Vec<PartRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Side {
    pub subject: Option<String>,
    pub message_id: Option<String>,
    pub date: Option<String>,
    pub hops: usize,
    pub total_seconds: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RouteRow {
    /// The receiving host (`by`), lower case.
    pub host: String,
    pub a: Option<HopSide>,
    pub b: Option<HopSide>,
    /// B's delay at this hop minus A's, when both have one.
    pub delay_difference: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HopSide {
    pub index: usize,
    pub from_host: Option<String>,
    pub with: Option<String>,
    pub date: Option<String>,
    pub delay_seconds: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct HeaderDiff {
    /// Field names only A has (as A writes them).
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
    /// Fields both have with different values.
    pub differ: Vec<FieldDiff>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldDiff {
    pub name: String,
    /// Every occurrence's value, in order.
    pub a: Vec<String>,
    pub b: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthRow {
    /// `spf`, `dkim`, `dmarc`, `arc`…
    pub method: String,
    /// The verdicts, as `result (domain)`, from Authentication-Results and Received-SPF.
    pub a: Vec<String>,
    pub b: Vec<String>,
    pub same: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartRow {
    pub path: String,
    /// `content/type, N bytes decoded`, or None where that message has no such part.
    pub a: Option<String>,
    pub b: Option<String>,
}

/// Compares two analysed messages.
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let route = align(&a.hops, &b.hops);
    Comparison {
        a: side(a),
        b: side(b),
        parted_after: parted_after(&route),
        route,
        headers: headers(a, b),
        auth: auth(a, b),
        mime: mime(a, b),
    }
}

fn side(r: &Report) -> Side {
    Side {
        subject: r.subject.clone(),
        message_id: r.message_id.clone(),
        date: r.date.clone(),
        hops: r.hops.len(),
        total_seconds: r.route.total_seconds,
    }
}

fn host_of(h: &Hop) -> String {
    h.by_host
        .as_deref()
        .unwrap_or("(unnamed)")
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

fn hop_side(h: &Hop) -> HopSide {
    HopSide {
        index: h.index,
        from_host: h.from_host.clone(),
        with: h.with.clone(),
        date: h.date.clone(),
        delay_seconds: h.delay_seconds,
    }
}

/// The longest common subsequence of receiving hosts, then every hop in travel order: shared
/// ones on one row, the others on rows of their own where they fall.
fn align(a: &[Hop], b: &[Hop]) -> Vec<RouteRow> {
    let (an, bn) = (a.len().min(MAX_ALIGNED_HOPS), b.len().min(MAX_ALIGNED_HOPS));
    let ka: Vec<String> = a[..an].iter().map(host_of).collect();
    let kb: Vec<String> = b[..bn].iter().map(host_of).collect();
    // lcs[i][j]: the longest common run of ka[i..] and kb[j..].
    let mut lcs = vec![vec![0u16; bn + 1]; an + 1];
    for i in (0..an).rev() {
        for j in (0..bn).rev() {
            lcs[i][j] = if ka[i] == kb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut rows = Vec::new();
    let (mut i, mut j) = (0, 0);
    let row = |host: String, x: Option<&Hop>, y: Option<&Hop>| RouteRow {
        host,
        delay_difference: match (
            x.and_then(|h| h.delay_seconds),
            y.and_then(|h| h.delay_seconds),
        ) {
            (Some(p), Some(q)) if x.is_some() && y.is_some() => Some(q - p),
            _ => None,
        },
        a: x.map(hop_side),
        b: y.map(hop_side),
    };
    while i < an && j < bn {
        if ka[i] == kb[j] {
            rows.push(row(ka[i].clone(), Some(&a[i]), Some(&b[j])));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            rows.push(row(ka[i].clone(), Some(&a[i]), None));
            i += 1;
        } else {
            rows.push(row(kb[j].clone(), None, Some(&b[j])));
            j += 1;
        }
    }
    // Past the aligned part: pair what still matches side by side, then list the rest.
    while i < a.len() && j < b.len() && host_of(&a[i]) == host_of(&b[j]) {
        rows.push(row(host_of(&a[i]), Some(&a[i]), Some(&b[j])));
        i += 1;
        j += 1;
    }
    rows.extend(a[i..].iter().map(|h| row(host_of(h), Some(h), None)));
    rows.extend(b[j..].iter().map(|h| row(host_of(h), None, Some(h))));
    rows
}

fn parted_after(route: &[RouteRow]) -> Option<String> {
    let shared = |r: &RouteRow| r.a.is_some() && r.b.is_some();
    let first_apart = route.iter().position(|r| !shared(r))?;
    route[..first_apart]
        .iter()
        .rev()
        .find(|r| shared(r))
        .map(|r| r.host.clone())
}

fn fields(r: &Report) -> BTreeMap<String, (String, Vec<String>)> {
    let mut map: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for h in &r.headers {
        let key = h.name.to_ascii_lowercase();
        if NOT_COMPARED.contains(&key.as_str()) {
            continue;
        }
        map.entry(key)
            .or_insert_with(|| (h.name.clone(), Vec::new()))
            .1
            .push(h.value.trim().to_string());
    }
    map
}

fn headers(a: &Report, b: &Report) -> HeaderDiff {
    let (fa, fb) = (fields(a), fields(b));
    let mut diff = HeaderDiff::default();
    for (key, (name, values)) in &fa {
        match fb.get(key) {
            None => diff.only_a.push(name.clone()),
            Some((_, other)) if other != values => diff.differ.push(FieldDiff {
                name: name.clone(),
                a: values.clone(),
                b: other.clone(),
            }),
            Some(_) => {}
        }
    }
    diff.only_b = fb
        .iter()
        .filter(|(k, _)| !fa.contains_key(*k))
        .map(|(_, (name, _))| name.clone())
        .collect();
    diff
}

fn verdicts(r: &Report) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in &r.auth.results {
        let text = match &v.domain {
            Some(d) => format!("{} ({d})", v.result),
            None => v.result.clone(),
        };
        map.entry(v.method.to_ascii_lowercase())
            .or_default()
            .push(text);
    }
    for s in &r.auth.spf {
        let text = match &s.envelope_from {
            Some(d) => format!("{} ({d}, Received-SPF)", s.result),
            None => format!("{} (Received-SPF)", s.result),
        };
        map.entry("spf".into()).or_default().push(text);
    }
    map
}

fn auth(a: &Report, b: &Report) -> Vec<AuthRow> {
    let (va, vb) = (verdicts(a), verdicts(b));
    let mut methods: Vec<&String> = va.keys().chain(vb.keys()).collect();
    methods.sort();
    methods.dedup();
    methods
        .into_iter()
        .map(|m| {
            let a = va.get(m).cloned().unwrap_or_default();
            let b = vb.get(m).cloned().unwrap_or_default();
            AuthRow {
                method: m.clone(),
                same: a == b,
                a,
                b,
            }
        })
        .collect()
}

fn mime(a: &Report, b: &Report) -> Vec<PartRow> {
    let describe = |r: &Report| -> BTreeMap<String, String> {
        r.parts
            .iter()
            .map(|p| {
                (
                    p.path.clone(),
                    format!("{}, {} bytes decoded", p.content_type, p.decoded_size),
                )
            })
            .collect()
    };
    let (pa, pb) = (describe(a), describe(b));
    let mut paths: Vec<&String> = pa.keys().chain(pb.keys()).collect();
    paths.sort_by(|x, y| part_order(x).cmp(&part_order(y)));
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| pa.get(*p) != pb.get(*p))
        .map(|p| PartRow {
            path: p.clone(),
            a: pa.get(p).cloned(),
            b: pb.get(p).cloned(),
        })
        .collect()
}

/// "1.10" after "1.9".
fn part_order(path: &str) -> Vec<u32> {
    path.split('.')
        .map(|n| n.parse().unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(received: &[&str], extra: &str, body: &str) -> Report {
        let mut raw = String::new();
        for r in received {
            raw.push_str(&format!("Received: {r}\r\n"));
        }
        raw.push_str("From: a@example.org\r\nTo: b@example.net\r\nSubject: s\r\n");
        raw.push_str("Date: Thu, 20 Jun 2002 05:00:00 +0000\r\nMessage-ID: <m@example.org>\r\n");
        raw.push_str(extra);
        raw.push_str("\r\n");
        raw.push_str(body);
        crate::analyze(raw.as_bytes()).unwrap()
    }

    #[test]
    fn routes_align_by_host_and_part_where_they_differ() {
        // Received fields are written newest first.
        let a = message(
            &[
                "from mx.example.net by store.example.net with LMTP; Thu, 20 Jun 2002 05:00:09 +0000",
                "from out.example.org by mx.example.net with ESMTPS; Thu, 20 Jun 2002 05:00:05 +0000",
                "from pc by out.example.org with ESMTPSA; Thu, 20 Jun 2002 05:00:01 +0000",
            ],
            "Delivered-To: b@example.net\r\nAuthentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org\r\n",
            "hi\r\n",
        );
        let b = message(
            &[
                "from out.example.org by spam.example.com with ESMTPS; Thu, 20 Jun 2002 06:00:00 +0000",
                "from pc by out.example.org with ESMTPSA; Thu, 20 Jun 2002 05:00:03 +0000",
            ],
            "Authentication-Results: spam.example.com; spf=softfail smtp.mailfrom=example.org\r\nX-Spam: yes\r\n",
            "hi\r\n",
        );
        let c = compare(&a, &b);
        let hosts: Vec<(&str, bool, bool)> = c
            .route
            .iter()
            .map(|r| (r.host.as_str(), r.a.is_some(), r.b.is_some()))
            .collect();
        assert_eq!(
            hosts,
            [
                ("out.example.org", true, true),
                ("mx.example.net", true, false),
                ("store.example.net", true, false),
                ("spam.example.com", false, true),
            ]
        );
        assert_eq!(c.parted_after.as_deref(), Some("out.example.org"));
        assert_eq!(c.route[0].delay_difference, Some(2));
        assert_eq!(c.headers.only_a, ["Delivered-To"]);
        assert_eq!(c.headers.only_b, ["X-Spam"]);
        assert_eq!(c.headers.differ.len(), 1);
        assert_eq!(c.headers.differ[0].name, "Authentication-Results");
        let spf = c
            .auth
            .iter()
            .find(|r| r.method == "spf")
            .expect(&format!("{:?}", c.auth));
        assert_eq!(
            (spf.a[0].as_str(), spf.b[0].as_str(), spf.same),
            ("pass (example.org)", "softfail (example.org)", false)
        );
        assert!(c.mime.is_empty());
    }

    #[test]
    fn mime_differences_and_huge_routes() {
        let a = message(&[], "", "x\r\n");
        let b = message(
            &[],
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=q\r\n",
            "--q\r\nContent-Type: text/plain\r\n\r\nx\r\n--q\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--q--\r\n",
        );
        let c = compare(&a, &b);
        assert_eq!(c.mime[0].path, "1");
        assert!(c.mime.iter().any(|p| p.path == "1.2" && p.a.is_none()));
        assert_eq!(c.parted_after, None);
        // Thousands of hops: aligned up to the cap, the rest listed, quickly.
        let many: Vec<String> = (0..3000)
            .map(|i| {
                format!(
                    "from h{i} by h{} with SMTP; Thu, 20 Jun 2002 05:00:00 +0000",
                    i + 1
                )
            })
            .collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let big = message(&refs, "", "x\r\n");
        let c = compare(&big, &big);
        assert_eq!(c.route.len(), 3000);
        assert!(c.route.iter().all(|r| r.a.is_some() && r.b.is_some()));
    }
}
