//! Received header fields (RFC 5321 §4.4, RFC 5322 §3.6.7) turned into a delivery route.
//!
//! ```text
//! time-stamp-line = "Received:" FWS stamp CRLF
//! stamp           = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
//! Opt-info        = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
//! ```
//!
//! The clause grammar itself is parsed by mail-parser, which copes with the many ways real
//! servers bend it; this module turns its result into hops, orders them from the sender to
//! the mailbox, measures the delay of each hop and flags what an analyst must notice.

use mail_parser::{DateTime, Host, MessageParser, Protocol, Received};

use crate::report::{Hop, HopFlag, RouteSummary, Tls};

/// A day, in seconds: a hop slower than this is flagged.
const DAY: i64 = 86_400;

/// One Received field before it is placed in the route.
pub(crate) struct Stamp<'a> {
    pub parsed: Option<&'a Received<'a>>,
    /// The field's value as written (folded lines joined).
    pub raw: String,
}

/// Parses the value of one Received field on its own (used by the answer-key test and the
/// CLI's `received` command).
pub fn parse_received(value: &str) -> Hop {
    let message = format!("Received: {}\r\n\r\n", value.trim_end());
    let parsed = MessageParser::default().parse_headers(message.as_bytes());
    let received = parsed
        .as_ref()
        .and_then(|m| m.parts.first())
        .and_then(|p| p.headers.first())
        .and_then(|h| h.value().as_received());
    let mut hop = to_hop(received, unfold(value));
    hop.index = 1;
    hop
}

fn host_to_string(host: &Host<'_>) -> String {
    match host {
        Host::Name(name) => name.to_string(),
        Host::IpAddr(ip) => ip.to_string(),
    }
}

/// Joins folded lines: every run of white space becomes one space, ends trimmed.
pub(crate) fn unfold(value: &str) -> String {
    let value = value.trim();
    let mut out = String::with_capacity(value.len());
    let mut start = 0;
    // Copies the runs between white space whole (white space is ASCII, so every cut is on
    // a character boundary).
    for (i, b) in value.bytes().enumerate() {
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            if start < i {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&value[start..i]);
            }
            start = i + 1;
        }
    }
    if start < value.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&value[start..]);
    }
    out
}

fn to_hop(received: Option<&Received<'_>>, raw: String) -> Hop {
    let mut hop = Hop {
        index: 0,
        from_host: None,
        helo: None,
        from_ip: None,
        from_rdns: None,
        by_host: None,
        with: None,
        id: None,
        for_: None,
        tls: None,
        date: None,
        delay_seconds: None,
        flags: Vec::new(),
        raw,
    };
    let Some(r) = received else {
        hop.flags.push(HopFlag::NoDate);
        return hop;
    };
    hop.from_host = r.from.as_ref().map(host_to_string);
    hop.helo = r.helo.as_ref().map(host_to_string);
    hop.from_ip = r.from_ip.map(|ip| ip.to_string());
    hop.from_rdns = r.from_iprev.as_ref().map(|s| s.to_string());
    hop.by_host = r.by.as_ref().map(host_to_string);
    hop.with = r.with.map(|p| p.to_string());
    hop.id = r.id.as_ref().map(|s| s.to_string());
    hop.for_ = r.for_.as_ref().map(|s| s.to_string());
    if r.tls_version.is_some() || r.tls_cipher.is_some() {
        hop.tls = Some(Tls {
            version: r.tls_version.map(|v| v.to_string()),
            cipher: r.tls_cipher.as_ref().map(|s| s.to_string()),
        });
    }
    match r.date.as_ref() {
        Some(d) if d.is_valid() => hop.date = Some(d.to_rfc3339()),
        Some(_) => hop.flags.push(HopFlag::UnparseableDate),
        None if has_date_text(&hop.raw) => hop.flags.push(HopFlag::UnparseableDate),
        None => hop.flags.push(HopFlag::NoDate),
    }
    if let Some(with) = r.with {
        if is_authenticated(with) {
            hop.flags.push(HopFlag::Authenticated);
        }
        if is_local(&hop, with) {
            hop.flags.push(HopFlag::Local);
        } else if hop.tls.is_none() && !is_encrypted(with) && is_network(with) {
            hop.flags.push(HopFlag::Plaintext);
        }
    }
    let identity = crate::hop_identity::flags(&hop);
    hop.flags.extend(identity);
    hop
}

/// Whether a hop was encrypted, in a few words for its row: the TLS version the server
/// wrote, else what the protocol name says (RFC 3848: an S in ESMTPS/ESMTPSA/LMTPS means
/// TLS), else "no TLS" for a network protocol without it.
pub fn encryption(hop: &Hop) -> String {
    if let Some(t) = &hop.tls {
        return t.version.clone().unwrap_or_else(|| "TLS".into());
    }
    let with = hop.with.as_deref().unwrap_or_default();
    use Protocol::*;
    let by_name = [
        ESMTPS, ESMTPSA, LMTPS, LMTPSA, UTF8SMTPS, UTF8SMTPSA, UTF8LMTPS, UTF8LMTPSA, HTTPS,
    ]
    .iter()
    .any(|p| p.as_str().eq_ignore_ascii_case(with));
    if by_name {
        format!("TLS ({with})")
    } else if hop.flags.contains(&HopFlag::Plaintext) {
        "no TLS".into()
    } else if hop.flags.contains(&HopFlag::Local) {
        "local".into()
    } else {
        "TLS not stated".into()
    }
}

/// Text after the last `;` that is not a comment is the date (RFC 5321 §4.4).
fn has_date_text(raw: &str) -> bool {
    raw.rsplit_once(';')
        .is_some_and(|(_, tail)| tail.chars().any(|c| c.is_ascii_digit()))
}

fn is_authenticated(p: Protocol) -> bool {
    use Protocol::*;
    matches!(
        p,
        ESMTPA | ESMTPSA | LMTPA | LMTPSA | UTF8SMTPA | UTF8SMTPSA | UTF8LMTPA | UTF8LMTPSA
    )
}

#[test]
fn encryption_is_read_from_the_tls_note_or_the_protocol_name() {
    let hop = |raw: &str| parse_received(raw);
    assert_eq!(encryption(&hop("from a (a [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384) by b with ESMTPS; Tue, 1 Jul 2003 10:52:37 +0200")), "TLSv1.3");
    assert_eq!(
        encryption(&hop(
            "from a (a [192.0.2.1]) by b with ESMTPSA; Tue, 1 Jul 2003 10:52:37 +0200"
        )),
        "TLS (ESMTPSA)"
    );
    assert_eq!(
        encryption(&hop(
            "from a (a [192.0.2.1]) by b with SMTP; Tue, 1 Jul 2003 10:52:37 +0200"
        )),
        "no TLS"
    );
    assert_eq!(
        encryption(&hop(
            "from a (a [192.0.2.1]) by b; Tue, 1 Jul 2003 10:52:37 +0200"
        )),
        "TLS not stated"
    );
}

fn is_encrypted(p: Protocol) -> bool {
    use Protocol::*;
    matches!(
        p,
        ESMTPS | ESMTPSA | LMTPS | LMTPSA | UTF8SMTPS | UTF8SMTPSA | UTF8LMTPS | UTF8LMTPSA | HTTPS
    )
}

fn is_network(p: Protocol) -> bool {
    use Protocol::*;
    matches!(
        p,
        SMTP | ESMTP | ESMTPA | UTF8SMTP | UTF8SMTPA | HTTP | IMAP | POP3
    )
}

fn is_local(hop: &Hop, p: Protocol) -> bool {
    use Protocol::*;
    let loopback = |s: &Option<String>| {
        s.as_deref()
            .is_some_and(|h| h == "127.0.0.1" || h == "::1" || h.eq_ignore_ascii_case("localhost"))
    };
    matches!(p, Local) || loopback(&hop.from_ip) || loopback(&hop.from_host)
}

fn timestamp(rfc3339_source: Option<&DateTime>) -> Option<i64> {
    rfc3339_source
        .filter(|d| d.is_valid())
        .map(DateTime::to_timestamp)
}

/// Builds the route from the Received fields in header order (newest first, as servers
/// prepend them) and the message's Date field.
pub(crate) fn route(
    stamps: Vec<Stamp<'_>>,
    date: Option<&DateTime>,
    envelope: &[String],
    visible: &[String],
) -> (Vec<Hop>, RouteSummary) {
    let mut hops = Vec::with_capacity(stamps.len());
    let mut times = Vec::with_capacity(stamps.len());
    for (i, stamp) in stamps.into_iter().rev().enumerate() {
        let mut hop = to_hop(stamp.parsed, stamp.raw);
        hop.index = i + 1;
        times.push(stamp.parsed.and_then(|r| timestamp(r.date.as_ref())));
        hops.push(hop);
    }

    let origin = timestamp(date);
    let mut previous = origin;
    for (hop, time) in hops.iter_mut().zip(&times) {
        if let (Some(prev), Some(now)) = (previous, *time) {
            let delay = now - prev;
            hop.delay_seconds = Some(delay);
            if delay < 0 {
                hop.flags.push(HopFlag::ClockBackwards);
            } else if delay > DAY {
                hop.flags.push(HopFlag::OverADay);
            }
        }
        if time.is_some() {
            previous = *time;
        }
    }

    let first = origin.or_else(|| times.iter().flatten().next().copied());
    let last = times.iter().rev().flatten().next().copied();
    let total_seconds = match (first, last) {
        (Some(a), Some(b)) if !times.is_empty() => Some(b - a),
        _ => None,
    };

    let mut expanded_recipients: Vec<String> = Vec::new();
    for addr in envelope {
        let lower = addr
            .trim_matches(|c| c == '<' || c == '>')
            .to_ascii_lowercase();
        if lower.is_empty() || !lower.contains('@') {
            continue;
        }
        if !visible.iter().any(|v| v.eq_ignore_ascii_case(&lower))
            && !expanded_recipients.contains(&lower)
        {
            expanded_recipients.push(lower);
        }
    }
    (
        hops,
        RouteSummary {
            total_seconds,
            expanded_recipients,
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn unfold_collapses_white_space() {
        assert_eq!(super::unfold(" a\r\n\t b  c\n"), "a b c");
        assert_eq!(super::unfold("é \r\n ü"), "é ü");
        assert_eq!(super::unfold("  "), "");
    }

    use super::*;

    #[test]
    fn parses_the_clauses_of_a_typical_stamp() {
        let hop = parse_received(
            "from mail.example.org (mail.example.org [192.0.2.7])\r\n\tby mx.example.net \
             (Postfix) with ESMTPS id 4ABC12\r\n\tfor <bob@example.net>; \
             Tue, 1 Jul 2003 10:52:37 +0200",
        );
        assert_eq!(hop.from_host.as_deref(), Some("mail.example.org"));
        assert_eq!(hop.from_ip.as_deref(), Some("192.0.2.7"));
        assert_eq!(hop.by_host.as_deref(), Some("mx.example.net"));
        assert_eq!(hop.with.as_deref(), Some("ESMTPS"));
        assert_eq!(hop.id.as_deref(), Some("4ABC12"));
        assert_eq!(hop.for_.as_deref(), Some("bob@example.net"));
        assert_eq!(hop.date.as_deref(), Some("2003-07-01T10:52:37+02:00"));
        assert!(hop.flags.is_empty(), "{:?}", hop.flags);
    }

    #[test]
    fn flags_each_kind_of_hop() {
        let cases: &[(&str, &[HopFlag])] = &[
            ("from a (a [192.0.2.1]) by b with SMTP; Tue, 1 Jul 2003 10:52:37 +0200",
             &[HopFlag::Plaintext]),
            ("from a (a [192.0.2.1]) by b with ESMTPSA; Tue, 1 Jul 2003 10:52:37 +0200",
             &[HopFlag::Authenticated]),
            ("from a (a [192.0.2.1]) by b with ESMTPA; Tue, 1 Jul 2003 10:52:37 +0200",
             &[HopFlag::Authenticated, HopFlag::Plaintext]),
            ("from localhost (localhost [127.0.0.1]) by b with ESMTP; Tue, 1 Jul 2003 10:52:37 +0200",
             &[HopFlag::Local]),
            ("from a by b with ESMTP", &[HopFlag::NoDate, HopFlag::Plaintext]),
            ("from a by b with ESMTPS; yesterday at 12", &[HopFlag::UnparseableDate]),
        ];
        for (value, want) in cases {
            assert_eq!(&parse_received(value).flags, want, "{value}");
        }
    }

    #[test]
    fn orders_hops_from_sender_and_measures_delays() {
        let raw = b"Received: from b by c with ESMTP; Tue, 1 Jul 2003 10:00:50 +0000\r\n\
Received: from a by b with ESMTP; Tue, 1 Jul 2003 12:00:20 +0200\r\n\
Received: from x by a with ESMTP; Mon, 30 Jun 2003 09:00:00 +0000\r\n\
Date: Tue, 1 Jul 2003 10:00:00 +0000\r\n\r\nbody";
        let report = crate::analyze(raw).unwrap();
        let delays: Vec<_> = report.hops.iter().map(|h| h.delay_seconds).collect();
        assert_eq!(delays, [Some(-DAY - 3600), Some(DAY + 3600 + 20), Some(30)]);
        assert!(report.hops[0].flags.contains(&HopFlag::ClockBackwards));
        assert!(report.hops[1].flags.contains(&HopFlag::OverADay));
        assert_eq!(report.hops[0].by_host.as_deref(), Some("a"));
        assert_eq!(report.route.total_seconds, Some(50));
    }

    #[test]
    fn an_envelope_recipient_missing_from_to_is_an_expansion() {
        let raw = b"Delivered-To: alice@home.example\r\n\
Received: from a by b with ESMTPS for <team@example.org>; Tue, 1 Jul 2003 10:00:50 +0000\r\n\
To: Team <team@example.org>\r\n\r\nbody";
        let report = crate::analyze(raw).unwrap();
        assert_eq!(report.route.expanded_recipients, ["alice@home.example"]);
    }
}
