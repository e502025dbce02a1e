//! Caps in total and per client: for WebSocket sessions, and for open connections of any
//! kind (so that connections that never finish their request cannot exhaust the proxy). A
//! slot is held for its session's or connection's life and freed when its guard drops,
//! however that ends.
//!
//! A client is an IPv4 address, or an IPv6 /64: one host usually holds a whole /64 and can
//! pick any address in it, so counting single IPv6 addresses would cap nothing.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};

/// The unit a per-client cap counts: an IPv4 address (also when written IPv4-mapped), or the
/// /64 an IPv6 address is in.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[derive(Debug)]
pub struct Limits {
    /// What is counted, for the messages: "sessions", "connections".
    what: &'static str,
    max_total: usize,
    max_per_ip: usize,
    state: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

#[derive(Debug)]
pub struct Slot {
    limits: Arc<Limits>,
    ip: IpAddr,
}

impl Limits {
    pub fn new(max_total: usize, max_per_ip: usize) -> Arc<Self> {
        Self::counting("sessions", max_total, max_per_ip)
    }

    pub fn counting(what: &'static str, max_total: usize, max_per_ip: usize) -> Arc<Self> {
        Arc::new(Limits {
            what,
            max_total,
            max_per_ip,
            state: Mutex::new(Counts::default()),
        })
    }

    /// Takes a slot for a session from `ip`, or says which cap is reached.
    pub fn acquire(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, String> {
        let ip = client_key(ip);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.total >= self.max_total {
            return Err(format!(
                "the proxy is at its limit of {} {}; try again shortly",
                self.max_total, self.what
            ));
        }
        let n = s.per_ip.entry(ip).or_default();
        if *n >= self.max_per_ip {
            let who = match ip {
                IpAddr::V6(_) => format!("{ip}/64"),
                IpAddr::V4(_) => ip.to_string(),
            };
            return Err(format!(
                "{who} already has {} {} open, the most allowed per client",
                self.max_per_ip, self.what
            ));
        }
        *n += 1;
        s.total += 1;
        Ok(Slot {
            limits: self.clone(),
            ip,
        })
    }

    /// Sessions open now: in total, and the number of distinct clients.
    pub fn open(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.total, s.per_ip.len())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut s = self.limits.state.lock().unwrap_or_else(|e| e.into_inner());
        s.total = s.total.saturating_sub(1);
        if let Some(n) = s.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                s.per_ip.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_release() {
        let limits = Limits::new(3, 2);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let s1 = limits.acquire(a).unwrap();
        let _s2 = limits.acquire(a).unwrap();
        assert!(limits.acquire(a).unwrap_err().contains("per client"));
        let _s3 = limits.acquire(b).unwrap();
        assert!(limits.acquire(b).unwrap_err().contains("limit of 3"));
        drop(s1);
        assert_eq!(limits.open(), (2, 2));
        let _s4 = limits.acquire(b).unwrap();
        assert_eq!(limits.open(), (3, 2));
    }

    #[test]
    fn an_ipv6_64_is_one_client() {
        let limits = Limits::new(10, 2);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let _a = limits.acquire(ip("2001:db8:1:2::1")).unwrap();
        let _b = limits
            .acquire(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))
            .unwrap();
        let err = limits.acquire(ip("2001:db8:1:2:abcd::9")).unwrap_err();
        assert!(err.contains("2001:db8:1:2::/64"), "{err}");
        // The next /64 is another client; an IPv4-mapped address is its IPv4 address.
        let _c = limits.acquire(ip("2001:db8:1:3::1")).unwrap();
        let _d = limits.acquire(ip("::ffff:192.0.2.1")).unwrap();
        let _e = limits.acquire(ip("192.0.2.1")).unwrap();
        assert!(limits.acquire(ip("192.0.2.1")).is_err());
    }
}
