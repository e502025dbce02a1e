//! Authentication verdicts recorded by receiving servers: Authentication-Results and
//! ARC-Authentication-Results (RFC 8601, RFC 8617), Received-SPF (RFC 7208 §9.1), and the
//! DKIM-Signature fields themselves (RFC 6376 §3.5). No DNS here: the page reports what the
//! servers on the way concluded, and which signatures a checker would verify.

use crate::report::{AuthResult, DkimSignature, ReceivedSpf};

/// Removes RFC 5322 comments, `(like this (nested))`, outside quoted strings.
fn strip_comments(value: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(value.len());
    let mut first_comment: Option<String> = None;
    let mut comment = String::new();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            if depth == 0 {
                out.push(c);
            } else {
                comment.push(c);
            }
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => {
                if depth > 0 {
                    comment.push(c);
                }
                depth += 1;
            }
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if first_comment.is_none() {
                        first_comment = Some(comment.trim().to_string());
                    }
                    comment.clear();
                    out.push(' ');
                } else {
                    comment.push(c);
                }
            }
            c if depth > 0 => comment.push(c),
            '\r' | '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    (out, first_comment)
}

/// Splits on `;` outside quoted strings.
fn split_semicolons(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

/// Reads `key = value` pairs and bare words from one `;`-separated segment.
fn pairs(segment: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = segment.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        let mut j = i;
        skip_ws(&mut j);
        if j < chars.len() && chars[j] == '=' {
            j += 1;
            skip_ws(&mut j);
            let value = if j < chars.len() && chars[j] == '"' {
                j += 1;
                let mut v = String::new();
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' && j + 1 < chars.len() {
                        j += 1;
                    }
                    v.push(chars[j]);
                    j += 1;
                }
                j += 1;
                v
            } else {
                let s = j;
                while j < chars.len() && !chars[j].is_whitespace() {
                    j += 1;
                }
                chars[s..j].iter().collect()
            };
            out.push((key, Some(value)));
            i = j;
        } else {
            if !key.is_empty() {
                out.push((key, None));
            }
            if i == start {
                i += 1;
            }
        }
    }
    out
}

fn domain_of(value: &str) -> &str {
    value
        .rsplit_once('@')
        .map_or(value, |(_, d)| d)
        .trim_matches(|c| c == '<' || c == '>')
}

/// Parses an Authentication-Results (or, with `arc`, ARC-Authentication-Results) value.
///
/// ```text
/// authres-header = authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo )
/// resinfo        = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
/// methodspec     = [CFWS] method [CFWS] "=" [CFWS] result
/// propspec       = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
/// ```
pub fn parse_authentication_results(header: &str, value: &str, arc: bool) -> Vec<AuthResult> {
    let (clean, _) = strip_comments(value);
    let mut segments = split_semicolons(&clean).into_iter();
    let mut arc_instance = None;
    if arc {
        let first = segments.next().unwrap_or_default();
        arc_instance = pairs(first)
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("i"))
            .and_then(|(_, v)| v?.parse().ok());
    }
    let authserv_id = segments
        .next()
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_default()
        .to_string();
    let mut results = Vec::new();
    for segment in segments {
        let mut items = pairs(segment).into_iter();
        let Some((method, Some(result))) = items.next() else {
            continue;
        };
        let method = method
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut entry = AuthResult {
            header: header.to_string(),
            authserv_id: authserv_id.clone(),
            arc_instance,
            method,
            result: result.to_ascii_lowercase(),
            reason: None,
            domain: None,
            properties: Vec::new(),
        };
        for (key, value) in items {
            let Some(value) = value else { continue };
            if key.eq_ignore_ascii_case("reason") {
                entry.reason = Some(value);
            } else {
                entry.properties.push((key.to_ascii_lowercase(), value));
            }
        }
        entry.domain = [
            "header.d",
            "header.i",
            "header.from",
            "smtp.mailfrom",
            "smtp.helo",
        ]
        .iter()
        .find_map(|k| entry.properties.iter().find(|(p, _)| p == k))
        .map(|(_, v)| domain_of(v).to_ascii_lowercase())
        .filter(|d| !d.is_empty());
        results.push(entry);
    }
    results
}

/// Parses a Received-SPF value.
///
/// ```text
/// header-field = "Received-SPF:" [CFWS] result FWS [comment FWS] [ key-value-list ] CRLF
/// ```
pub fn parse_received_spf(value: &str) -> ReceivedSpf {
    let (clean, comment) = strip_comments(value);
    let mut words = clean.split_whitespace();
    let result = words
        .next()
        .unwrap_or_default()
        .trim_end_matches(';')
        .to_ascii_lowercase();
    let rest = clean.trim_start().get(result.len()..).unwrap_or_default();
    let mut spf = ReceivedSpf {
        result,
        comment,
        client_ip: None,
        envelope_from: None,
        helo: None,
        receiver: None,
    };
    for segment in split_semicolons(rest) {
        for (key, value) in pairs(segment) {
            let Some(value) = value else { continue };
            match key.to_ascii_lowercase().as_str() {
                "client-ip" => spf.client_ip = Some(value),
                "envelope-from" => spf.envelope_from = Some(value),
                "helo" => spf.helo = Some(value),
                "receiver" => spf.receiver = Some(value),
                _ => {}
            }
        }
    }
    spf
}

/// Parses a DKIM-Signature tag list (RFC 6376 §3.2: `tag-spec *( ";" tag-spec ) [ ";" ]`).
pub fn parse_dkim_signature(value: &str) -> DkimSignature {
    let mut sig = DkimSignature {
        domain: None,
        selector: None,
        algorithm: None,
        canonicalization: None,
        signed_headers: Vec::new(),
        timestamp: None,
        expires: None,
        verdict: "not verified: checking a signature needs the signer's DNS key".into(),
    };
    for tag in value.split(';') {
        let Some((name, val)) = tag.split_once('=') else {
            continue;
        };
        let val: String = val.chars().filter(|c| !c.is_whitespace()).collect();
        match name.trim() {
            "d" => sig.domain = Some(val.to_ascii_lowercase()),
            "s" => sig.selector = Some(val),
            "a" => sig.algorithm = Some(val),
            "c" => sig.canonicalization = Some(val),
            "h" => {
                sig.signed_headers = val
                    .split(':')
                    .filter(|h| !h.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "t" => sig.timestamp = val.parse().ok().map(crate::date::unix_to_rfc3339),
            "x" => sig.expires = val.parse().ok().map(crate::date::unix_to_rfc3339),
            _ => {}
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_results_per_method() {
        // RFC 8601 Appendix B.4, with a reason and a comment added.
        let value = "example.com;\r\n  spf=pass smtp.mailfrom=example.net;\r\n  \
                     dkim=fail reason=\"bad signature\" (1024-bit key) header.i=@mail-router.example.net;\r\n  \
                     dmarc=pass header.from=Example.NET";
        let r = parse_authentication_results("Authentication-Results", value, false);
        let got: Vec<_> = r
            .iter()
            .map(|e| {
                (
                    e.method.as_str(),
                    e.result.as_str(),
                    e.domain.as_deref(),
                    e.reason.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("spf", "pass", Some("example.net"), None),
                (
                    "dkim",
                    "fail",
                    Some("mail-router.example.net"),
                    Some("bad signature")
                ),
                ("dmarc", "pass", Some("example.net"), None),
            ]
        );
        assert!(r.iter().all(|e| e.authserv_id == "example.com"));
    }

    #[test]
    fn none_result_yields_no_methods() {
        assert!(parse_authentication_results(
            "Authentication-Results",
            "example.org 1; none",
            false
        )
        .is_empty());
    }

    #[test]
    fn arc_results_keep_their_instance() {
        let r = parse_authentication_results(
            "ARC-Authentication-Results",
            "i=2; mx.google.com; spf=pass (google.com: domain of x@y.org) smtp.mailfrom=x@y.org",
            true,
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].arc_instance, Some(2));
        assert_eq!(r[0].authserv_id, "mx.google.com");
        assert_eq!(r[0].domain.as_deref(), Some("y.org"));
    }

    #[test]
    fn received_spf_fields() {
        let spf = parse_received_spf(
            "pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender)\r\n \
             receiver=mybox.example.org; client-ip=192.0.2.1; envelope-from=\"myname@example.com\"; helo=foo.example.com;",
        );
        assert_eq!(spf.result, "pass");
        assert_eq!(spf.client_ip.as_deref(), Some("192.0.2.1"));
        assert_eq!(spf.envelope_from.as_deref(), Some("myname@example.com"));
        assert_eq!(spf.helo.as_deref(), Some("foo.example.com"));
        assert_eq!(spf.receiver.as_deref(), Some("mybox.example.org"));
        assert!(spf
            .comment
            .unwrap()
            .starts_with("mybox.example.org: domain of"));
    }

    #[test]
    fn dkim_signature_tags() {
        let sig = parse_dkim_signature(
            "v=1; a=rsa-sha256; s=brisbane; d=Example.com;\r\n c=simple/simple; q=dns/txt; \
             i=joe@football.example.com;\r\n h=Received : From : To :\r\n Subject : Date : Message-ID; \
             t=1117574938; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB",
        );
        assert_eq!(sig.domain.as_deref(), Some("example.com"));
        assert_eq!(sig.selector.as_deref(), Some("brisbane"));
        assert_eq!(sig.algorithm.as_deref(), Some("rsa-sha256"));
        assert_eq!(
            sig.signed_headers,
            ["Received", "From", "To", "Subject", "Date", "Message-ID"]
        );
        assert_eq!(sig.timestamp.as_deref(), Some("2005-05-31T21:28:58Z"));
    }
}
