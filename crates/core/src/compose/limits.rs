//! The checks made before sending: the message's size on the wire against the server's SIZE
//! (RFC 1870), and the number of recipients against what servers are known to accept.

/// RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per message, and many
/// accept no more; above this a send may be cut short with 452 4.5.3.
pub const RECIPIENT_WARNING: usize = 100;

/// Room left for the header fields servers add on arrival (Received, Return-Path…): a
/// message this close to the limit may still be refused.
const HEADROOM: u64 = 4096;

/// The bytes base64 makes of `raw` bytes, in lines of 76 characters with CRLF: about 4/3.
pub fn encoded_size(raw: u64) -> u64 {
    let chars = raw.div_ceil(3) * 4;
    chars + chars.div_ceil(76) * 2
}

/// What is known of the server and the message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// The message as it would be sent (headers, encoded parts, CRLF line ends).
    pub size: u64,
    /// The server's SIZE, when it announced one (0 there means no limit).
    pub server_size: Option<u64>,
    pub recipients: usize,
    /// The server's own recipient limit when it announces one (LIMITS RCPTMAX, RFC 9422).
    pub server_recipients: Option<usize>,
}

/// The verdict: `stop` says why the message cannot be sent as it is; `warnings` what may go
/// wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LimitCheck {
    pub stop: Option<String>,
    pub warnings: Vec<String>,
}

fn mb(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{:.0} KB", (n as f64 / 1e3).max(1.0))
    }
}

pub fn check_limits(l: Limits) -> LimitCheck {
    let mut out = LimitCheck::default();
    if let Some(limit) = l.server_size.filter(|&s| s > 0) {
        if l.size > limit {
            out.stop = Some(format!(
                "The message is {} on the wire and the server accepts at most {}: it would refuse it (552 5.3.4, message too big). Attachments grow by about a third when encoded (base64); remove or shrink some, or share large files by link.",
                mb(l.size),
                mb(limit)
            ));
        } else if l.size + HEADROOM > limit {
            out.warnings.push(format!(
                "The message ({}) is just under the server's limit ({}); the header fields servers add on arrival may push it over.",
                mb(l.size),
                mb(limit)
            ));
        }
    }
    let cap = l.server_recipients.unwrap_or(RECIPIENT_WARNING);
    if l.recipients > cap {
        let whose = if l.server_recipients.is_some() {
            "this server announces it accepts"
        } else {
            "many servers accept"
        };
        out.warnings.push(format!(
            "{} recipients: {whose} at most {cap} per message. The rest may be refused for now (452 4.5.3); Mailscope then offers to send to them in a second batch.",
            l.recipients
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_grows_by_a_third_plus_line_ends() {
        assert_eq!(encoded_size(0), 0);
        assert_eq!(encoded_size(3), 6);
        assert_eq!(encoded_size(57), 78);
        assert_eq!(encoded_size(58), 84);
        assert_eq!(encoded_size(1_000_000), 1_333_336 + 2 * 17_544);
    }

    #[test]
    fn over_the_size_limit_stops_and_says_why() {
        let c = check_limits(Limits {
            size: 1_200_000,
            server_size: Some(1_048_576),
            recipients: 1,
            server_recipients: None,
        });
        assert!(c.stop.unwrap().contains("552 5.3.4"));
        let near = check_limits(Limits {
            size: 1_046_000,
            server_size: Some(1_048_576),
            recipients: 1,
            server_recipients: None,
        });
        assert!(near.stop.is_none());
        assert_eq!(near.warnings.len(), 1);
        let fine = check_limits(Limits {
            size: 10_000,
            server_size: Some(1_048_576),
            recipients: 3,
            server_recipients: None,
        });
        assert_eq!(fine, LimitCheck::default());
        let unlimited = check_limits(Limits {
            size: u64::MAX / 2,
            server_size: Some(0),
            recipients: 1,
            server_recipients: None,
        });
        assert!(unlimited.stop.is_none());
    }

    #[test]
    fn many_recipients_warn() {
        let c = check_limits(Limits {
            size: 1,
            server_size: None,
            recipients: 101,
            server_recipients: None,
        });
        assert!(c.warnings[0].contains("452 4.5.3"));
        let announced = check_limits(Limits {
            size: 1,
            server_size: None,
            recipients: 6,
            server_recipients: Some(5),
        });
        assert!(announced.warnings[0].contains("this server announces"));
    }
}
