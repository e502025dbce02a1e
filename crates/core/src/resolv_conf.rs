//! The system's DNS resolver, as /etc/resolv.conf names it (read by the caller).

use std::net::IpAddr;

/// The address of the first `nameserver` line (a zone index such as `%eth0` dropped).
pub fn first_nameserver(resolv_conf: &str) -> Option<IpAddr> {
    resolv_conf.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("nameserver"))
            .then(|| words.next()?.split('%').next()?.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_nameserver() {
        let conf =
            "# generated\nsearch example.net\nnameserver 192.0.2.53\nnameserver 192.0.2.54\n";
        assert_eq!(first_nameserver(conf), "192.0.2.53".parse().ok());
        assert_eq!(
            first_nameserver("nameserver fe80::1%eth0\n"),
            "fe80::1".parse().ok()
        );
        assert_eq!(first_nameserver("options ndots:2\n"), None);
    }
}
