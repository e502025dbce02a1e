//! Session caps: in total and per client IP. A slot is held for the session's life and freed
//! when its guard drops, however the session ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct Limits {
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
        Arc::new(Limits {
            max_total,
            max_per_ip,
            state: Mutex::new(Counts::default()),
        })
    }

    /// Takes a slot for a session from `ip`, or says which cap is reached.
    pub fn acquire(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, String> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.total >= self.max_total {
            return Err(format!(
                "the proxy is at its limit of {} sessions; try again shortly",
                self.max_total
            ));
        }
        let n = s.per_ip.entry(ip).or_default();
        if *n >= self.max_per_ip {
            return Err(format!(
                "{ip} already has {} sessions open, the most allowed per client",
                self.max_per_ip
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
}
