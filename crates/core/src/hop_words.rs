//! What each hop flag means, in words: one place for the page, the CLI and the JSON's
//! readers (as the defects' and the bounces' words are in the core).

use crate::report::HopFlag;

/// How a flag reads: good news, a warning, trouble, or plain information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Info,
    Warn,
    Bad,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Info => "info",
            Tone::Warn => "warn",
            Tone::Bad => "bad",
        }
    }
}

impl HopFlag {
    /// The JSON name (`clock-backwards`…).
    pub fn as_str(self) -> &'static str {
        match self {
            HopFlag::ClockBackwards => "clock-backwards",
            HopFlag::NoDate => "no-date",
            HopFlag::UnparseableDate => "unparseable-date",
            HopFlag::OverADay => "over-a-day",
            HopFlag::Plaintext => "plaintext",
            HopFlag::Authenticated => "authenticated",
            HopFlag::Local => "local",
            HopFlag::HeloIpMismatch => "helo-ip-mismatch",
            HopFlag::HeloRdnsMismatch => "helo-rdns-mismatch",
            HopFlag::RdnsUnknown => "rdns-unknown",
            HopFlag::PrivateIp => "private-ip",
        }
    }

    /// A short label for a badge.
    pub fn label(self) -> &'static str {
        match self {
            HopFlag::ClockBackwards => "clock backwards",
            HopFlag::NoDate => "no date",
            HopFlag::UnparseableDate => "unreadable date",
            HopFlag::OverADay => "over a day",
            HopFlag::Plaintext => "plaintext",
            HopFlag::Authenticated => "authenticated submission",
            HopFlag::Local => "local",
            HopFlag::HeloIpMismatch => "HELO is another address",
            HopFlag::HeloRdnsMismatch => "HELO ≠ reverse DNS",
            HopFlag::RdnsUnknown => "no reverse DNS",
            HopFlag::PrivateIp => "private address",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            HopFlag::ClockBackwards => Tone::Bad,
            HopFlag::NoDate | HopFlag::UnparseableDate | HopFlag::OverADay | HopFlag::Plaintext => {
                Tone::Warn
            }
            HopFlag::Authenticated => Tone::Good,
            HopFlag::Local | HopFlag::HeloRdnsMismatch => Tone::Info,
            HopFlag::HeloIpMismatch | HopFlag::RdnsUnknown | HopFlag::PrivateIp => Tone::Warn,
        }
    }

    /// What it means, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            HopFlag::ClockBackwards => {
                "Stamped earlier than the hop before: one of the two servers' clocks is wrong."
            }
            HopFlag::NoDate => "This hop recorded no time, so its delay is unknown.",
            HopFlag::UnparseableDate => "This hop's time cannot be read.",
            HopFlag::OverADay => {
                "More than a day passed on this hop: the message waited in a queue."
            }
            HopFlag::Plaintext => "Received without TLS: anyone on the path could read it.",
            HopFlag::Authenticated => {
                "The sender signed in to hand the message over (ESMTPA/ESMTPSA)."
            }
            HopFlag::Local => "Handed over on the same machine.",
            HopFlag::HeloIpMismatch => {
                "The sender greeted with another address than the one it connected from: \
                 a machine behind NAT greets with its own private address, a forger with \
                 any."
            }
            HopFlag::HeloRdnsMismatch => {
                "The sender's HELO name is in another domain than the reverse DNS of its \
                 address: common for hosted or shared servers, also how forged names look."
            }
            HopFlag::RdnsUnknown => {
                "The receiving server found no reverse DNS name for the sender's address; \
                 many receivers distrust or refuse such senders."
            }
            HopFlag::PrivateIp => {
                "A private or loopback address on a handover between two domains: such an \
                 address cannot come from the Internet, so this line was written by a \
                 machine behind a proxy or is forged."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::report::HopFlag;

    #[test]
    fn names_match_the_json() {
        for f in [
            HopFlag::ClockBackwards,
            HopFlag::NoDate,
            HopFlag::UnparseableDate,
            HopFlag::OverADay,
            HopFlag::Plaintext,
            HopFlag::Authenticated,
            HopFlag::Local,
            HopFlag::HeloIpMismatch,
            HopFlag::HeloRdnsMismatch,
            HopFlag::RdnsUnknown,
            HopFlag::PrivateIp,
        ] {
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.as_str())
            );
            assert!(!f.explanation().is_empty() && !f.label().is_empty());
        }
    }
}
