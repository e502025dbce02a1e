//! Which targets the proxy may connect to: no open proxy.
//!
//! A target is allowed when it is listed (`--allow host:port`), or when its port is a mail
//! client port and every address its name resolves to is a global unicast address. The
//! session then connects to the very address that was checked, so a name that resolves
//! differently a second time (DNS rebinding) cannot slip through.
//!
//! DNS (port 53) goes to one resolver only, the one the proxy names (`--resolver`): the
//! page's live authentication checks ask it, and nothing else on port 53 is relayed, not
//! even a listed target.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::protocol::{Reason, Refusal};

/// IMAP, IMAPS, POP3, POP3S, submission, submissions.
pub const CLIENT_PORTS: &[u16] = &[143, 993, 110, 995, 587, 465];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl std::str::FromStr for Target {
    type Err = String;

    /// `host:port`, `[v6]:port`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (host, port) = s
            .rsplit_once(':')
            .ok_or_else(|| format!("{s}: expected host:port"))?;
        let port: u16 = port.parse().map_err(|_| format!("{s}: bad port"))?;
        let host = normalise_host(host).ok_or_else(|| format!("{s}: bad host name"))?;
        if port == 0 {
            return Err(format!("{s}: port 0"));
        }
        Ok(Target { host, port })
    }
}

impl Target {
    /// `host:port`, with brackets around an IPv6 address.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Lower-cases a host name and strips IPv6 brackets; None when it cannot be a host at all.
pub fn normalise_host(host: &str) -> Option<String> {
    let host = host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.');
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'_'));
    ok.then(|| host.to_ascii_lowercase())
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub allow: Vec<Target>,
    pub client_ports: Vec<u16>,
    /// The DNS resolver the page's live checks may ask, whatever its address.
    pub resolver: Option<Target>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allow: Vec::new(),
            client_ports: CLIENT_PORTS.to_vec(),
            resolver: None,
        }
    }
}

/// The DNS port: relayed to the named resolver only.
pub const DNS_PORT: u16 = 53;

impl Policy {
    pub fn is_listed(&self, host: &str, port: u16) -> bool {
        self.is_resolver(host, port)
            || (port != DNS_PORT && self.allow.iter().any(|t| t.port == port && t.host == host))
    }

    pub fn is_resolver(&self, host: &str, port: u16) -> bool {
        self.resolver
            .as_ref()
            .is_some_and(|r| r.port == port && r.host == host)
    }

    /// What can be decided before the name is looked up: the port. Checked first, so that a
    /// client cannot make the proxy resolve arbitrary names for ports it would refuse.
    pub fn precheck(&self, host: &str, port: u16) -> Result<(), Refusal> {
        if self.is_listed(host, port) {
            return Ok(());
        }
        let refuse = |why: String| {
            Refusal::new(
                Reason::NotAllowed,
                format!("the proxy does not allow {host}:{port}: {why}"),
            )
        };
        if port == DNS_PORT {
            let named = match &self.resolver {
                Some(r) => format!("only to the proxy's resolver, {}:{}", r.host, r.port),
                None => "and this proxy names no resolver".into(),
            };
            return Err(refuse(format!("DNS (port 53) is relayed {named}")));
        }
        if port == 25 {
            return Err(refuse(
                "port 25 is server-to-server SMTP; relaying it for anyone would make an open relay (list it with --allow to permit it)".into(),
            ));
        }
        if !self.client_ports.contains(&port) {
            return Err(refuse(format!("port {port} is not a mail client port")));
        }
        Ok(())
    }

    /// Decides on a target whose name resolved to `resolved`; returns the address to use.
    pub fn choose(
        &self,
        host: &str,
        port: u16,
        resolved: &[IpAddr],
    ) -> Result<SocketAddr, Refusal> {
        let first = *resolved
            .first()
            .ok_or_else(|| Refusal::new(Reason::ResolveFailed, format!("{host} has no address")))?;
        let refuse = |why: String| {
            Refusal::new(
                Reason::NotAllowed,
                format!("the proxy does not allow {host}:{port}: {why}"),
            )
        };
        if self.is_listed(host, port) {
            return Ok(SocketAddr::new(first, port));
        }
        self.precheck(host, port)?;
        for ip in resolved {
            if let Some(kind) = non_global(*ip) {
                let via = if ip.to_string() == host {
                    String::new()
                } else {
                    format!(" (it resolves to {ip})")
                };
                return Err(refuse(format!("{kind}{via}")));
            }
        }
        Ok(SocketAddr::new(first, port))
    }
}

/// Why an address is not a global unicast address, or None when it is one.
pub fn non_global(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_global_v4(v4),
        IpAddr::V6(v6) => non_global_v6(v6),
    }
}

fn non_global_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "\"this network\" address",
        (127, _, _) => "loopback address",
        (10, _, _) => "private address",
        (172, 16..=31, _) => "private address",
        (192, 168, _) => "private address",
        (169, 254, _) => "link-local address",
        (100, 64..=127, _) => "shared (CGNAT) address",
        (192, 0, 0) => "IETF protocol address",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation address",
        (198, 18..=19, _) => "benchmarking address",
        (224..=239, _, _) => "multicast address",
        (240..=255, _, _) => "reserved address",
        _ => return None,
    })
}

fn non_global_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return non_global_v4(v4).map(|_| "IPv4-mapped form of a non-global address");
    }
    let s = ip.segments();
    Some(match s {
        [0, 0, 0, 0, 0, 0, 0, 0] => "unspecified address",
        [0, 0, 0, 0, 0, 0, 0, 1] => "loopback address",
        // IPv4-compatible (deprecated) ::a.b.c.d.
        [0, 0, 0, 0, 0, 0, _, _] => "IPv4-compatible address",
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => {
            let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
            return non_global_v4(v4).map(|_| "NAT64 form of a non-global address");
        }
        [x, ..] if x & 0xff00 == 0xff00 => "multicast address",
        [x, ..] if x & 0xfe00 == 0xfc00 => "unique-local address",
        [x, ..] if x & 0xffc0 == 0xfe80 => "link-local address",
        [x, ..] if x & 0xffc0 == 0xfec0 => "site-local address",
        [0x2001, 0xdb8, ..] => "documentation address",
        [0x2001, 0, ..] => "Teredo address",
        [0x2002, ..] => {
            let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
            return non_global_v4(v4).map(|_| "6to4 form of a non-global address");
        }
        [x, ..] if x & 0xe000 == 0x2000 => return None,
        _ => "reserved address",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v6_target_is_written_with_brackets() {
        let v6: Target = "[2001:db8::53]:53".parse().unwrap();
        assert_eq!(v6.address(), "[2001:db8::53]:53");
    }

    #[test]
    fn dns_goes_to_the_named_resolver_only() {
        let policy = Policy {
            allow: vec!["dns.example.net:53".parse().unwrap()],
            resolver: Some("127.0.0.1:10053".parse().unwrap()),
            ..Policy::default()
        };
        assert!(policy.precheck("127.0.0.1", 10053).is_ok());
        assert!(policy
            .choose("127.0.0.1", 10053, &[ip("127.0.0.1")])
            .is_ok());
        for (host, port) in [("8.8.8.8", 53), ("dns.example.net", 53), ("127.0.0.1", 53)] {
            let refusal = policy.precheck(host, port).unwrap_err();
            assert!(
                refusal
                    .message
                    .contains("only to the proxy's resolver, 127.0.0.1:10053"),
                "{}",
                refusal.message
            );
        }
        // A resolver on port 53 is the one target there.
        let on_53 = Policy {
            resolver: Some("192.0.2.53:53".parse().unwrap()),
            ..Policy::default()
        };
        assert!(on_53.precheck("192.0.2.53", 53).is_ok());
        assert!(on_53.precheck("192.0.2.54", 53).is_err());
        let none = Policy::default().precheck("192.0.2.53", 53).unwrap_err();
        assert!(
            none.message.contains("names no resolver"),
            "{}",
            none.message
        );
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn address_matrix() {
        let refused = [
            ("127.0.0.1", "loopback"),
            ("127.1.2.3", "loopback"),
            ("10.0.0.5", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "CGNAT"),
            ("100.127.255.255", "CGNAT"),
            ("0.0.0.0", "this network"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("192.0.2.1", "documentation"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fc00::1", "unique-local"),
            ("fd12:3456::1", "unique-local"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "IPv4-mapped"),
            ("::ffff:10.1.2.3", "IPv4-mapped"),
            ("::ffff:169.254.169.254", "IPv4-mapped"),
            ("64:ff9b::a00:1", "NAT64"),
            ("2002:7f00:1::", "6to4"),
            ("2001:db8::1", "documentation"),
        ];
        for (addr, why) in refused {
            let got = non_global(ip(addr));
            assert!(got.is_some_and(|g| g.contains(why)), "{addr}: {got:?}");
        }
        for addr in [
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "8.8.8.8",
            "2606:4700::1111",
            "2a00:1450::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(non_global(ip(addr)), None, "{addr}");
        }
    }

    #[test]
    fn ports_and_listing() {
        let policy = Policy {
            allow: vec![
                "mail.test:10993".parse().unwrap(),
                "127.0.0.1:10143".parse().unwrap(),
            ],
            ..Policy::default()
        };
        let global = [ip("203.0.114.7")];
        assert_eq!(
            policy.choose("imap.example.org", 993, &global).unwrap(),
            "203.0.114.7:993".parse().unwrap()
        );
        for port in [25, 22, 80, 2525, 10993] {
            let err = policy
                .choose("imap.example.org", port, &global)
                .unwrap_err();
            assert_eq!(err.reason, Reason::NotAllowed, "{port}");
        }
        assert!(policy
            .choose("imap.example.org", 25, &global)
            .unwrap_err()
            .message
            .contains("open relay"));
        // A name resolving to loopback is refused, with the address named.
        let err = policy
            .choose("localtest.me", 993, &[ip("127.0.0.1")])
            .unwrap_err();
        assert_eq!(err.message, "the proxy does not allow localtest.me:993: loopback address (it resolves to 127.0.0.1)");
        // One bad address among good ones is enough to refuse.
        assert!(policy
            .choose("mixed.example", 993, &[ip("8.8.8.8"), ip("10.0.0.1")])
            .is_err());
        // Listed targets may be anything, on their listed port only.
        assert_eq!(
            policy
                .choose("mail.test", 10993, &[ip("127.0.0.1")])
                .unwrap(),
            "127.0.0.1:10993".parse().unwrap()
        );
        assert_eq!(
            policy
                .choose("127.0.0.1", 10143, &[ip("127.0.0.1")])
                .unwrap(),
            "127.0.0.1:10143".parse().unwrap()
        );
        assert!(policy.choose("mail.test", 993, &[ip("127.0.0.1")]).is_err());
        // The port is judged before any lookup.
        assert!(policy.precheck("anything.example", 993).is_ok());
        assert!(policy.precheck("mail.test", 10993).is_ok());
        for port in [25, 53, 80, 10993] {
            assert_eq!(
                policy
                    .precheck("anything.example", port)
                    .unwrap_err()
                    .reason,
                Reason::NotAllowed,
                "{port}"
            );
        }
        assert_eq!(
            policy.choose("x", 993, &[]).unwrap_err().reason,
            Reason::ResolveFailed
        );
    }

    #[test]
    fn targets_parse_and_normalise() {
        assert_eq!(
            "Mail.Test.:993".parse::<Target>().unwrap(),
            Target {
                host: "mail.test".into(),
                port: 993
            }
        );
        assert_eq!(
            "[::1]:143".parse::<Target>().unwrap(),
            Target {
                host: "::1".into(),
                port: 143
            }
        );
        assert!("mail.test".parse::<Target>().is_err());
        assert!("mail.test:0".parse::<Target>().is_err());
        assert!("bad host:1".parse::<Target>().is_err());
        assert_eq!(normalise_host("a\r\nb"), None);
    }
}
