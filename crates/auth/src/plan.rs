//! What a live check will ask, known before it starts (so the page can name the DNS names
//! and the resolver before the user agrees), and which hop SPF is checked against. Nothing
//! here needs mail-auth: the page links this without the verifiers.

use mailscope_core::hop_identity;
use mailscope_core::report::{Hop, Report};

use crate::dns::{Kind, Question};

/// The hop whose sending address SPF is checked against, and why that one: `chosen` (1 is
/// the first hop) when it has an address; else the newest hop from a public address (where
/// the recipient's side took the message from the Internet); else the newest hop with an
/// address at all.
pub fn spf_hop(report: &Report, chosen: Option<usize>) -> Option<(usize, String)> {
    let hops = &report.hops;
    let with_ip = |h: &&Hop| hop_identity::sender_ip(h).is_some();
    if let Some(index) = chosen {
        let hop = hops.get(index.checked_sub(1)?)?;
        return with_ip(&hop).then(|| (index, "the hop you chose".to_string()));
    }
    if let Some(hop) = hops
        .iter()
        .rev()
        .find(|h| hop_identity::sender_ip(h).is_some_and(|ip| !hop_identity::is_non_public(ip)))
    {
        let by = hop.by_host.as_deref().unwrap_or("the next server");
        return Some((
            hop.index,
            format!("the newest hop from a public address: where {by} took the message from the Internet"),
        ));
    }
    hops.iter().rev().find(with_ip).map(|hop| {
        (
            hop.index,
            "no hop came from a public address; the newest hop with an address".to_string(),
        )
    })
}

/// The hops SPF can be checked against: those with a sending address.
pub fn spf_hops(report: &Report) -> Vec<(usize, String)> {
    report
        .hops
        .iter()
        .filter_map(|h| Some((h.index, hop_identity::sender_ip(h)?.to_string())))
        .collect()
}

/// The envelope sender: the Return-Path's address; None for the null sender `<>` (a
/// bounce), when SPF checks the HELO name instead (RFC 7208 §2.4).
pub fn envelope_sender(report: &Report) -> Option<String> {
    let path = report.return_path.as_deref()?;
    let address = path
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    address.contains('@').then(|| address.to_string())
}

/// The first round's questions: each DKIM key, the SPF record, the DMARC record and each
/// hop address's PTR. Later rounds follow from the answers (SPF includes, the forward
/// lookup of each PTR name, DMARC's walk up the tree).
pub fn first_questions(report: &Report, chosen_hop: Option<usize>) -> Vec<Question> {
    let mut out = Vec::new();
    for sig in &report.auth.dkim_signatures {
        if let (Some(d), Some(s)) = (&sig.domain, &sig.selector) {
            out.push(Question::new(&format!("{s}._domainkey.{d}"), Kind::Txt));
        }
    }
    let spf_domain = envelope_sender(report)
        .and_then(|s| s.rsplit_once('@').map(|(_, d)| d.to_string()))
        .or_else(|| {
            let (index, _) = spf_hop(report, chosen_hop)?;
            let helo = hop_identity::helo(&report.hops[index - 1])?;
            hop_identity::address_literal(helo)
                .is_none()
                .then(|| helo.to_string())
        });
    if let Some(domain) = spf_domain {
        out.push(Question::new(&domain, Kind::Txt));
    }
    if let Some((_, domain)) = report
        .from
        .iter()
        .find_map(|m| m.address.as_deref()?.rsplit_once('@'))
    {
        out.push(Question::new(&format!("_dmarc.{domain}"), Kind::Txt));
    }
    for hop in &report.hops {
        if let Some(ip) = hop_identity::sender_ip(hop) {
            out.push(Question::ptr(ip));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|q| seen.insert(q.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNED: &[u8] = b"Return-Path: <alice@example.test>\r\n\
DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=mail; h=from; bh=x; b=y\r\n\
Received: from mx.example.net (mx.example.net [192.0.2.9]) by mail.example.test with ESMTPS; Thu, 3 Dec 2026 10:00:01 +0000\r\n\
Received: from client.example.test (unknown [10.0.0.7]) by mx.example.net with ESMTPSA; Thu, 3 Dec 2026 10:00:00 +0000\r\n\
From: Alice <alice@example.test>\r\n\r\nHello\r\n";

    #[test]
    fn the_first_questions_and_the_spf_hop() {
        let report = mailscope_core::analyze(SIGNED).unwrap();
        let names: Vec<String> = first_questions(&report, None)
            .iter()
            .map(|q| q.to_string())
            .collect();
        assert_eq!(
            names,
            [
                "TXT mail._domainkey.example.test",
                "TXT example.test",
                "TXT _dmarc.example.test",
                "PTR 7.0.0.10.in-addr.arpa",
                "PTR 9.2.0.192.in-addr.arpa"
            ]
        );
        let (hop, why) = spf_hop(&report, None).unwrap();
        assert_eq!(hop, 2, "the newest hop from a public address");
        assert!(
            why.contains("mail.example.test took the message from the Internet"),
            "{why}"
        );
        assert_eq!(
            spf_hop(&report, Some(1)).unwrap(),
            (1, "the hop you chose".into())
        );
        assert_eq!(spf_hop(&report, Some(9)), None);
        assert_eq!(
            spf_hops(&report),
            [(1, "10.0.0.7".into()), (2, "192.0.2.9".into())]
        );
    }
}
