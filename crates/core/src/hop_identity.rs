//! Who a hop's sender said it was, against what the receiving server saw: the HELO/EHLO
//! name, the reverse-DNS name the receiver recorded and the IP address it was connected
//! from. No DNS is asked here; these checks read only what the Received field says.
//!
//! The field's forms differ by server: Postfix and Sendmail write
//! `from HELO (RDNS [IP])` (`unknown` when the receiver found no reverse DNS), qmail
//! `from RDNS (HELO name) (IP)`, Exim `from RDNS ([IP] helo=NAME)` or `from [IP] (helo=NAME)`.
//! mail-parser puts an explicit `helo`/`HELO` into [`Hop::helo`]; without it the name after
//! `from` is the HELO.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::report::{Hop, HopFlag};

/// The name (or address literal) the sender greeted the receiver with.
pub fn helo(hop: &Hop) -> Option<&str> {
    match (hop.helo.as_deref(), hop.from_host.as_deref()) {
        (Some(helo), _) => Some(helo),
        // mail-parser keeps only `IPv6` of `[IPv6:2001:db8::1]`: the whole word is in the raw.
        (None, Some(host)) if host.eq_ignore_ascii_case("ipv6") => hop
            .raw
            .strip_prefix("from ")
            .and_then(|rest| rest.split_whitespace().next()),
        (None, host) => host,
    }
}

/// The reverse-DNS name the receiving server recorded for the sender's address.
pub fn recorded_rdns(hop: &Hop) -> Option<&str> {
    if let Some(name) = hop.from_rdns.as_deref() {
        return Some(name);
    }
    // With an explicit HELO clause the name after `from` is the receiver's own lookup.
    match (&hop.helo, hop.from_host.as_deref()) {
        (Some(_), Some(host)) if address_literal(host).is_none() => Some(host),
        _ => None,
    }
}

/// The address the receiving server was connected from.
pub fn sender_ip(hop: &Hop) -> Option<IpAddr> {
    if let Some(ip) = hop.from_ip.as_deref().and_then(address_literal) {
        return Some(ip);
    }
    // Exim without reverse DNS: `from [IP] (helo=NAME)`.
    hop.helo
        .as_ref()
        .and(hop.from_host.as_deref())
        .and_then(address_literal)
}

/// The receiver wrote that it found no reverse DNS for the address (Postfix: `unknown`).
fn rdns_unknown(hop: &Hop) -> bool {
    let raw = hop.raw.to_ascii_lowercase();
    raw.contains("(unknown [") || raw.contains("(unknown)")
}

/// `[192.0.2.1]`, `[IPv6:2001:db8::1]` or a bare address, as an address.
pub fn address_literal(text: &str) -> Option<IpAddr> {
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    let inner = inner
        .strip_prefix("IPv6:")
        .or_else(|| inner.strip_prefix("ipv6:"))
        .unwrap_or(inner);
    inner.parse().ok()
}

/// An address that cannot come from the public Internet: private (RFC 1918, RFC 4193),
/// shared (RFC 6598), loopback, link-local or unspecified.
pub fn is_non_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => non_public_v4(v4),
            None => non_public_v6(v6),
        },
    }
}

fn non_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || (a == 100 && (64..128).contains(&b))
}

fn non_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback() || ip.is_unspecified() || first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80
}

/// The part of a host name its owner registered: the last two labels, or three under a
/// country's second-level names (`example.co.uk`). A heuristic, not the public suffix
/// list: it may call two domains under a rarer shared suffix one, never one domain two
/// where the suffix is common.
pub fn registered_domain(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n <= 2 {
        return host;
    }
    let second = labels[n - 2];
    let country = labels[n - 1].len() == 2;
    let shared = matches!(
        second,
        "co" | "com" | "net" | "org" | "gov" | "ac" | "edu" | "ne" | "or" | "go" | "ltd" | "plc"
    );
    let keep = if country && shared { 3 } else { 2 };
    labels[n - keep..].join(".")
}

/// A name that only means something inside one network: no dot, or a top-level name set
/// aside for private use (`.internal`, `.local`, `.lan`, `.localdomain`, `.home`, `.corp`).
pub fn is_internal(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let top = host.rsplit('.').next().unwrap_or_default();
    !host.contains('.')
        || matches!(
            top,
            "internal"
                | "local"
                | "lan"
                | "localdomain"
                | "localhost"
                | "home"
                | "corp"
                | "intranet"
        )
}

/// The flags of one hop from its HELO name, reverse DNS and address.
pub(crate) fn flags(hop: &Hop) -> Vec<HopFlag> {
    let mut flags = Vec::new();
    let ip = sender_ip(hop);
    let helo = helo(hop);
    let helo_ip = helo.and_then(address_literal);
    if let (Some(said), Some(seen)) = (helo_ip, ip) {
        if said != seen {
            flags.push(HopFlag::HeloIpMismatch);
        }
    }
    if rdns_unknown(hop) {
        flags.push(HopFlag::RdnsUnknown);
    } else if let (Some(name), Some(rdns), None) = (helo, recorded_rdns(hop), helo_ip) {
        // Inside a private network reverse DNS is the network's own business.
        let inside = ip.is_some_and(is_non_public) || is_internal(name) || is_internal(rdns);
        if !inside && registered_domain(name) != registered_domain(rdns) {
            flags.push(HopFlag::HeloRdnsMismatch);
        }
    }
    let handover = match ip {
        // The receiver's own lookup of a loopback address names the machine itself; any
        // other name in another domain than the receiver's was not written by that lookup.
        Some(ip) if ip.is_loopback() => recorded_rdns(hop)
            .is_some_and(|rdns| !is_internal(rdns) && from_another_domain(hop, Some(rdns), false)),
        Some(ip) if is_non_public(ip) => from_another_domain(hop, helo, helo_ip.is_some()),
        _ => false,
    };
    if handover {
        flags.push(HopFlag::PrivateIp);
    }
    flags
}

/// A hop handed over between two organisations, unauthenticated: the HELO names another
/// domain than the receiving server's, and the sender did not sign in.
fn from_another_domain(hop: &Hop, helo: Option<&str>, helo_is_ip: bool) -> bool {
    let (Some(helo), Some(by)) = (helo, hop.by_host.as_deref()) else {
        return false;
    };
    let authenticated = hop
        .with
        .as_deref()
        .is_some_and(|w| w.to_ascii_uppercase().ends_with('A'));
    !helo_is_ip
        && address_literal(by).is_none()
        && !is_internal(helo)
        && !is_internal(by)
        && !authenticated
        && registered_domain(helo) != registered_domain(by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_received;

    const DATE: &str = "; Tue, 1 Jul 2003 10:52:37 +0200";

    fn identity(value: &str) -> Vec<HopFlag> {
        flags(&parse_received(&format!("{value}{DATE}")))
    }

    #[test]
    fn a_consistent_hop_has_no_flag() {
        for value in [
            "from mail.example.org (mail.example.org [192.0.2.7]) by mx.example.net with ESMTPS",
            "from mail-ej1-f54.google.com (mail-ej1-f54.google.com [209.85.218.54]) by mx.example.net with ESMTPS",
            "from out1.example.org (mx2.example.org [192.0.2.7]) by mx.example.net with ESMTPS",
            "from [192.0.2.7] (host.example.org [192.0.2.7]) by mx.example.net with ESMTPS",
            "from [127.0.0.1] (localhost [127.0.0.1]) by mail.example.test (Postfix) with ESMTPSA",
            "from relay.example.co.uk (smtp.example.co.uk [192.0.2.7]) by mx.example.net with ESMTPS",
            "from internal.corp.example (relay.corp.example [10.1.2.3]) by mx.corp.example with ESMTP",
        ] {
            assert_eq!(identity(value), [], "{value}");
        }
    }

    #[test]
    fn flags_a_helo_address_of_another_machine() {
        assert_eq!(
            identity(
                "from [192.0.2.9] (mail.example.org [203.0.113.5]) by mx.example.net with ESMTP"
            ),
            [HopFlag::HeloIpMismatch]
        );
        assert_eq!(
            identity("from [IPv6:2001:db8::1] (mail.example.org [2001:db8::2]) by mx.example.net with ESMTP"),
            [HopFlag::HeloIpMismatch]
        );
    }

    #[test]
    fn flags_a_helo_of_another_domain_than_its_reverse_dns() {
        assert_eq!(
            identity("from mail.bank.example (dsl-1-2.isp.example [203.0.113.5]) by mx.example.net with ESMTP"),
            [HopFlag::HeloRdnsMismatch]
        );
        // qmail: the HELO in its own clause, the reverse DNS after `from`.
        assert_eq!(
            identity("from dsl-1-2.isp.example (HELO mail.bank.example) (203.0.113.5) by mx.example.net with SMTP"),
            [HopFlag::HeloRdnsMismatch]
        );
        // Different hosts of one country-level domain are one domain.
        assert_eq!(
            identity(
                "from a.example.co.uk (b.example.co.uk [203.0.113.5]) by mx.example.net with ESMTP"
            ),
            []
        );
    }

    #[test]
    fn flags_an_address_without_reverse_dns() {
        assert_eq!(
            identity("from mail.example.com (unknown [203.0.113.5]) by mx.example.net (Postfix) with ESMTP"),
            [HopFlag::RdnsUnknown]
        );
    }

    #[test]
    fn flags_a_private_address_handed_over_between_domains() {
        assert_eq!(
            identity("from mail.bank.example (mail.bank.example [10.1.2.3]) by mx.example.net with ESMTP"),
            [HopFlag::PrivateIp]
        );
        assert_eq!(
            identity("from mail.bank.example (mail.bank.example [127.0.0.1]) by mx.example.net with ESMTP"),
            [HopFlag::PrivateIp]
        );
        // A content filter handing the message back on the same machine.
        assert_eq!(
            identity("from mail0.bemta0.messagelabs.com (localhost [127.0.0.1]) by r2.example.net (Postfix) with ESMTP"),
            []
        );
        assert_eq!(
            identity("from pps.filterd (scpa213.cm2.example.co.jp [127.0.0.1]) by scpa213.cm2.example.co.jp with SMTP"),
            []
        );
        // Relays of one provider inside its own network are not the Internet.
        assert_eq!(
            identity("from mx4.messagingengine.com (localhost [127.0.0.1]) by mailmx.nyi.internal (Postfix) with ESMTP"),
            []
        );
        assert_eq!(
            identity("from compute1.internal (compute1.nyi.internal [10.202.2.41]) by sloti52n10 with LMTPA"),
            []
        );
        assert_eq!(
            identity("from mr.google.com ([10.231.10.138]) by 10.231.10.138 with SMTP"),
            []
        );
        // A user signing in from a home network is not a handover between domains.
        assert_eq!(
            identity("from laptop.home.example (laptop.home.example [192.168.1.20]) by smtp.example.net with ESMTPSA"),
            []
        );
    }

    #[test]
    fn reads_the_address_of_each_servers_form() {
        let exim = parse_received(&format!(
            "from [203.0.113.5] (helo=foo.example.com) by mx.example.net with esmtp{DATE}"
        ));
        assert_eq!(sender_ip(&exim), "203.0.113.5".parse().ok());
        assert_eq!(helo(&exim), Some("foo.example.com"));
        assert_eq!(recorded_rdns(&exim), None);
    }

    #[test]
    fn non_public_addresses() {
        for ip in [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_non_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "192.0.2.1",
            "8.8.8.8",
            "100.128.0.1",
            "2001:db8::1",
            "172.32.0.1",
        ] {
            assert!(!is_non_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn registered_domains() {
        assert_eq!(registered_domain("mail-ej1-f54.google.com"), "google.com");
        assert_eq!(registered_domain("a.b.example.co.uk."), "example.co.uk");
        assert_eq!(registered_domain("a.example.de"), "example.de");
        assert_eq!(registered_domain("localhost"), "localhost");
    }
}
