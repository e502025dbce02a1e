//! Which pages may open sessions: a fixed set decided at start, never the request's own word.
//!
//! The `Host` header names the address a browser thinks it reached. With DNS rebinding a
//! hostile page at `http://evil.example:P` has its name point at 127.0.0.1, so its requests
//! reach this proxy with `Host: evil.example:P` and a matching `Origin`: comparing the two
//! proves nothing. So the Host must be one of the proxy's own names — the address it listens
//! on (and `localhost` when that is loopback), the `--public-url` — and the Origin must be that
//! same page, the `--public-url`, or one given with `--origin`. An IP literal cannot be
//! rebound, so when listening on every interface (0.0.0.0, ::) any IP literal with the
//! listening port is accepted as a Host.

use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// `host:port` authorities (lower-case) the proxy answers to.
    hosts: Vec<String>,
    /// Full origins (`scheme://host[:port]`) allowed besides the page's own.
    origins: Vec<String>,
    /// Listening on every interface: any IP literal with this port is a Host of ours.
    any_ip_port: Option<u16>,
}

impl Origins {
    /// The set for a proxy listening on `local`, reached also at `public_url`, and serving
    /// pages of `extra` origins too.
    pub fn new(local: SocketAddr, public_url: Option<&str>, extra: &[String]) -> Self {
        let port = local.port();
        let mut o = Origins::default();
        let ip = local.ip();
        if ip.is_unspecified() {
            o.any_ip_port = Some(port);
        } else {
            o.hosts.push(authority(ip, port));
        }
        if ip.is_loopback() || ip.is_unspecified() {
            o.hosts.push(format!("localhost:{port}"));
            for lo in ["127.0.0.1", "::1"] {
                let lo: IpAddr = lo.parse().expect("a loopback literal");
                o.hosts.push(authority(lo, port));
            }
        }
        if let Some(url) = public_url.and_then(normalise_origin) {
            if let Some((scheme, auth)) = url.split_once("://") {
                o.hosts.push(auth.to_string());
                // A Host header leaves out the scheme's default port.
                match (scheme, auth.rsplit_once(':')) {
                    ("https", Some((h, "443"))) | ("http", Some((h, "80"))) => {
                        o.hosts.push(h.to_string())
                    }
                    ("https", None) => o.hosts.push(format!("{auth}:443")),
                    ("http", None) => o.hosts.push(format!("{auth}:80")),
                    _ => {}
                }
            }
            o.origins.push(url);
        }
        o.origins
            .extend(extra.iter().filter_map(|e| normalise_origin(e)));
        o.hosts.dedup();
        o
    }

    /// Whether `host` (the request's Host header) is one of the proxy's own names.
    pub fn is_own_host(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if self.hosts.iter().any(|h| *h == host) {
            return true;
        }
        match self.any_ip_port {
            Some(port) => host
                .rsplit_once(':')
                .filter(|(_, p)| p.parse() == Ok(port))
                .is_some_and(|(h, _)| {
                    h.trim_start_matches('[')
                        .trim_end_matches(']')
                        .parse::<IpAddr>()
                        .is_ok()
                }),
            None => false,
        }
    }

    /// Whether a page of `origin`, reaching the proxy as `host`, may open sessions.
    pub fn admits(&self, origin: &str, host: &str) -> Result<(), String> {
        if !self.is_own_host(host) {
            return Err(format!(
                "the request was addressed to {host:?}, which is not this proxy's address (if it is reached by that name, start it with --public-url)"
            ));
        }
        let origin = origin.trim().to_ascii_lowercase();
        let host = host.trim().to_ascii_lowercase();
        let own = origin == format!("http://{host}") || origin == format!("https://{host}");
        if own || self.origins.iter().any(|o| *o == origin) {
            Ok(())
        } else {
            Err(format!("pages from {origin} may not use this proxy"))
        }
    }
}

fn authority(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    }
}

/// `scheme://host[:port]` in lower case, without path or trailing slash; None when it is not
/// an http(s) origin.
pub fn normalise_origin(url: &str) -> Option<String> {
    let url = url.trim().to_ascii_lowercase();
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let auth = rest.split(['/', '?', '#']).next()?;
    (!auth.is_empty() && !auth.contains('@')).then(|| format!("{scheme}://{auth}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_rebinding() {
        let o = Origins::new("127.0.0.1:8080".parse().unwrap(), None, &[]);
        for host in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
        ] {
            assert!(o.admits(&format!("http://{host}"), host).is_ok(), "{host}");
        }
        // DNS rebinding: the page's name pointed at 127.0.0.1, Host and Origin agree.
        let err = o
            .admits("http://evil.example:8080", "evil.example:8080")
            .unwrap_err();
        assert!(err.contains("not this proxy's address"), "{err}");
        // Another port of ours, or a foreign page reaching our real address.
        assert!(o.admits("http://127.0.0.1:9090", "127.0.0.1:9090").is_err());
        assert!(o.admits("http://evil.example", "127.0.0.1:8080").is_err());
        assert!(o.admits("null", "127.0.0.1:8080").is_err());
    }

    #[test]
    fn public_url_and_extra_origins() {
        let o = Origins::new(
            "10.0.0.5:8443".parse().unwrap(),
            Some("https://Mail.Example.org/app/"),
            &["http://localhost:5173".into()],
        );
        assert!(o
            .admits("https://mail.example.org", "mail.example.org")
            .is_ok());
        assert!(o
            .admits("https://mail.example.org", "mail.example.org:443")
            .is_ok());
        assert!(o.admits("https://10.0.0.5:8443", "10.0.0.5:8443").is_ok());
        // A page of the extra origin, talking to our real address.
        assert!(o.admits("http://localhost:5173", "10.0.0.5:8443").is_ok());
        assert!(o.admits("http://localhost:5173", "localhost:5173").is_err());
        assert!(o.admits("https://evil.example", "evil.example").is_err());
    }

    #[test]
    fn every_interface_accepts_ip_literals_only() {
        let o = Origins::new("0.0.0.0:8080".parse().unwrap(), None, &[]);
        assert!(o
            .admits("http://192.168.1.20:8080", "192.168.1.20:8080")
            .is_ok());
        assert!(o.admits("http://[fe80::1]:8080", "[fe80::1]:8080").is_ok());
        assert!(o
            .admits("http://192.168.1.20:9999", "192.168.1.20:9999")
            .is_err());
        assert!(o.admits("http://nas.local:8080", "nas.local:8080").is_err());
    }
}
