//! Which term of an SPF record decided (RFC 7208 §5): read again from the answers the check
//! received, so the report can say `ip4:192.0.2.0/24 in example.org` and not only `pass`.
//! The verdict itself is mail-auth's; terms this reading cannot decide (`exists`, `ptr`,
//! macros) leave the term unnamed.

use std::net::IpAddr;

use mail_auth::SpfResult;

use crate::dns::{Answer, Data, Kind, Question};
use crate::known::Known;

/// The deciding term and the record it is in, e.g. `ip4:127.0.0.1 in example.test`.
pub fn deciding(known: &Known, domain: &str, ip: IpAddr, result: SpfResult) -> Option<String> {
    if matches!(
        result,
        SpfResult::None | SpfResult::TempError | SpfResult::PermError
    ) {
        return None;
    }
    let (term, record) = find(known, domain, ip, 0)?;
    Some(format!("{term} in {record}"))
}

/// The first term of `domain`'s record that matches `ip`, with the domain whose record it
/// is in (an `include` is followed into its own record).
fn find(known: &Known, domain: &str, ip: IpAddr, depth: usize) -> Option<(String, String)> {
    if depth > 10 {
        return None;
    }
    let record = spf_record(known, domain)?;
    let mut redirect = None;
    for term in record.split_ascii_whitespace().skip(1) {
        let lower = term.to_ascii_lowercase();
        if let Some(target) = lower.strip_prefix("redirect=") {
            redirect = Some(target.to_string());
            continue;
        }
        let bare = lower.trim_start_matches(['+', '-', '~', '?']);
        let (name, arg) = match bare.split_once([':', '/']) {
            Some((n, _)) => (n, bare[n.len()..].trim_start_matches(':')),
            None => (bare, ""),
        };
        let matched = match name {
            "all" => true,
            "ip4" | "ip6" => in_network(ip, arg),
            "a" => {
                let (target, cidr) = target_and_cidr(arg, domain, ip);
                addresses(known, &target)
                    .iter()
                    .any(|a| within(ip, *a, cidr))
            }
            "mx" => {
                let (target, cidr) = target_and_cidr(arg, domain, ip);
                exchanges(known, &target)
                    .iter()
                    .any(|mx| addresses(known, mx).iter().any(|a| within(ip, *a, cidr)))
            }
            "include" => {
                if let Some((inner, at)) = find(known, arg, ip, depth + 1) {
                    if !inner.starts_with(['-', '~', '?']) && !inner.ends_with("all") {
                        return Some((format!("{term} → {inner}"), at));
                    }
                }
                false
            }
            _ => false,
        };
        if matched {
            return Some((term.to_string(), domain.to_string()));
        }
    }
    find(known, &redirect?, ip, depth + 1)
}

fn spf_record(known: &Known, domain: &str) -> Option<String> {
    match known.get(&Question::new(domain, Kind::Txt))? {
        Answer::Records { data, .. } => data.iter().find_map(|d| match d {
            Data::Txt(t) if t.to_ascii_lowercase().starts_with(b"v=spf1") => {
                Some(String::from_utf8_lossy(t).into_owned())
            }
            _ => None,
        }),
        _ => None,
    }
}

/// `a:example.org/24` → ("example.org", 24); the domain defaults to the record's own, the
/// prefix to the whole address. An IPv6 prefix follows `//`.
fn target_and_cidr(arg: &str, domain: &str, ip: IpAddr) -> (String, u8) {
    let (target, v4, v6) = {
        let (rest, v6) = match arg.split_once("//") {
            Some((r, p)) => (r, p.parse().ok()),
            None => (arg, None),
        };
        let (target, v4) = match rest.split_once('/') {
            Some((t, p)) => (t, p.parse().ok()),
            None => (rest, None),
        };
        (target, v4, v6)
    };
    let target = if target.is_empty() { domain } else { target };
    let cidr = match ip {
        IpAddr::V4(_) => v4.unwrap_or(32),
        IpAddr::V6(_) => v6.unwrap_or(128),
    };
    (target.to_string(), cidr)
}

fn addresses(known: &Known, name: &str) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for kind in [Kind::A, Kind::Aaaa] {
        if let Some(Answer::Records { data, .. }) = known.get(&Question::new(name, kind)) {
            out.extend(data.iter().filter_map(|d| match d {
                Data::A(a) => Some(IpAddr::V4(*a)),
                Data::Aaaa(a) => Some(IpAddr::V6(*a)),
                _ => None,
            }));
        }
    }
    out
}

fn exchanges(known: &Known, name: &str) -> Vec<String> {
    match known.get(&Question::new(name, Kind::Mx)) {
        Some(Answer::Records { data, .. }) => data
            .iter()
            .filter_map(|d| match d {
                Data::Mx(_, host) => Some(host.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `192.0.2.0/24`, `2001:db8::/32` or a single address.
fn in_network(ip: IpAddr, network: &str) -> bool {
    let (address, prefix) = match network.split_once('/') {
        Some((a, p)) => (a, p.parse().ok()),
        None => (network, None),
    };
    let Ok(address) = address.parse::<IpAddr>() else {
        return false;
    };
    let full = if address.is_ipv4() { 32 } else { 128 };
    within(ip, address, prefix.unwrap_or(full))
}

fn within(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX
                .checked_shl(32 - prefix.min(32) as u32)
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX
                .checked_shl(128 - prefix.min(128) as u32)
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txt(known: &mut Known, name: &str, record: &str) {
        known.learn(
            Question::new(name, Kind::Txt),
            Answer::Records {
                data: vec![Data::Txt(record.as_bytes().to_vec())],
                ttl: 60,
            },
        );
    }

    #[test]
    fn names_the_deciding_term() {
        let mut known = Known::default();
        txt(
            &mut known,
            "example.org",
            "v=spf1 ip4:198.51.100.0/24 include:_spf.example.net mx -all",
        );
        txt(
            &mut known,
            "_spf.example.net",
            "v=spf1 ip6:2001:db8::/32 ip4:192.0.2.0/25 ~all",
        );
        known.learn(
            Question::new("example.org", Kind::Mx),
            Answer::Records {
                data: vec![Data::Mx(10, "mx.example.org".into())],
                ttl: 60,
            },
        );
        known.learn(
            Question::new("mx.example.org", Kind::A),
            Answer::Records {
                data: vec![Data::A([203, 0, 113, 9].into())],
                ttl: 60,
            },
        );
        let at = |ip: &str, result| deciding(&known, "example.org", ip.parse().unwrap(), result);
        assert_eq!(
            at("198.51.100.7", SpfResult::Pass).as_deref(),
            Some("ip4:198.51.100.0/24 in example.org")
        );
        assert_eq!(
            at("192.0.2.5", SpfResult::Pass).as_deref(),
            Some("include:_spf.example.net → ip4:192.0.2.0/25 in _spf.example.net")
        );
        assert_eq!(
            at("203.0.113.9", SpfResult::Pass).as_deref(),
            Some("mx in example.org")
        );
        assert_eq!(
            at("192.0.2.200", SpfResult::Fail).as_deref(),
            Some("-all in example.org")
        );
        assert_eq!(at("192.0.2.200", SpfResult::None), None);
    }

    #[test]
    fn networks() {
        assert!(in_network("10.1.2.3".parse().unwrap(), "10.0.0.0/8"));
        assert!(!in_network("11.1.2.3".parse().unwrap(), "10.0.0.0/8"));
        assert!(in_network("10.1.2.3".parse().unwrap(), "0.0.0.0/0"));
        assert!(in_network("2001:db8::5".parse().unwrap(), "2001:db8::/32"));
        assert!(!in_network("2001:db8::5".parse().unwrap(), "10.0.0.0/8"));
    }
}
