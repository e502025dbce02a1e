//! Why a recipient did not get a message: the server's words first (they are the most
//! specific), then the enhanced status code (RFC 3463), then the SMTP reply code (RFC 5321).

use crate::report::BounceReason as R;

/// Phrases (lower case, separated by `|`) that name a reason, in the order they are tried:
/// a phrase that names a cause narrowly ("domain not found") comes before a broad one.
const PHRASES: &[(R, &str)] = &[
    // Words that name their cause exactly, read before the broad phrases of the tables
    // below would claim them ("listed in" is a blocklist's, "size limit" a message's…).
    (
        R::UserUnknown,
        "not listed in domino directory|not listed in the domino directory|is not a known user|not a valid user|no mail box available for this user|bad_recipient|收件人地址不存在|收件人不存在|用户不存在|邮箱不存在|地址不存在",
    ),
    (
        R::MailboxFull,
        "mailbox size limit exceeded|too many messages on the server|full mailbox|mailbox for user is full|邮箱已满|邮箱空间已满|空间不足",
    ),
    (R::RelayDenied, "allowed rcpthosts|use me as a relay"),
    (R::HostUnknown, "name or service not known"),
    (
        R::SpamOrContentRejected,
        "spamassassin|spam blocked|blocked as spam|blocked for spam|垃圾邮件",
    ),
    (
        R::Policy,
        "spf|dkim|dmarc|sender policy framework|reverse dns|ptr record|rdns|reverse lookup|reverse-lookup|no ptr|resolve your address|not rfc compliant|rfc 5322|rfc5322|rfc 2822|rfc2822|rfc 822|message not compliant|missing message-id|header syntax|sender verify|sender address rejected|sender rejected|sender domain|domain of sender|invalid sender|sender is not|envelope sender|unroutable sender|protocol violation|authentication checks|delivery not authorized|policy|not authorized to send|is not authorized|groups.google.com/support",
    ),
    (
        R::AuthRequired,
        "authentication required|auth required|must authenticate|authentication is required|must issue a starttls|starttls|tls required|encryption required|authentication failed|credentials invalid|please authenticate|authenticate first|smtp auth|unauthenticated|auth cap|send mail as",
    ),
    (
        R::TooManyRecipients,
        "too many recipients|recipient limit|too many rcpt|recipients limit",
    ),
    (
        R::MessageTooBig,
        "message too large|message too big|message is too large|too large|message size exceeds|exceeds size limit|size limit|message length exceeds|message file too big|exceeds the maximum|maximum message size|message size|size exceeds|too big for|mail size",
    ),
    (
        R::MailboxFull,
        "mailbox full|mailbox is full|mailbox has exceeded|over quota|overquota|quota exceeded|exceeded storage|exceeds quota|exceeded its quota|exceed quota|its quota|disk quota|mailfolder is full|user is over|full mailbox|storage allocation|mailbox size limit|is over quota|quota|not enough space|no space left|mail box full|is full|too much mail|mailbox exceeded|maildir over|exceeds allowed size",
    ),
    (
        R::RelayDenied,
        "relay access denied|relaying denied|relay denied|relay not permitted|unable to relay|not permitted to relay|relaying not allowed|relay not allowed|we do not relay|no relaying|not allowed to relay|relay prohibited|relaying prohibited|cannot relay|can't relay|not a gateway|relaying is prohibited|open relay|not permitted|to relay|address is not verified|find a gateway",
    ),
    (
        R::MailboxDisabled,
        "disabled|account suspended|mailbox suspended|user suspended|is suspended|been suspended|suspended account|suspended mailbox|suspended user|inactive|deactivated|not active|account closed|account has been|mailbox is locked|account is locked|account locked|mailbox locked|temporary locked|has been terminated|no longer active|expired account|account expired|is frozen|mailbox unavailable due to",
    ),
    (
        R::HostUnknown,
        "host not found|host unknown|domain not found|no such domain|name service error|host or domain name not found|domain does not exist|domain doesn't exist|no mx|unrouteable address|unroutable address|unrouteable mail domain|no valid host|null mx|does not accept mail|domain name not found|nxdomain|unknown domain|domain is not|bad domain|invalid domain|non-existent host|nonexistent host|mx record|dns lookup|host lookup|illegal host|no such host|could not be resolved|domain unknown|hostname not found|does not accept email|no route for|not a known domain|bad destination system|dns error|no relevant answers|no smtp service",
    ),
    (
        R::Blocked,
        "blocklist|blacklist|block list|black list|blocked using|dnsbl|rbl|spamhaus|spamcop|sorbs|barracudacentral|reputation|listed at|listed in|listed on|your ip|your address|sender ip|client host rejected|connection refused by|ip address has been|dynamic ip|dial-up|dialup|smtp server of your isp|residential|not allowed to send mail|blocked|banned|access denied|refused to talk|your host|is not allowed to connect|denied access|sending ip|complaints",
    ),
    (
        R::SpamOrContentRejected,
        "spam|virus|malware|infected|content rejected|message content|junk|bulk mail|content filter|filtered|unsolicited|phishing|attachment|suspicious|looks like|message rejected|rejected by filter|prohibited content|forbidden|scam|objectionable|media error|headers too large",
    ),
    (
        R::UserUnknown,
        "user unknown|unknown user|no such user|no such mailbox|mailbox not found|recipient unknown|unknown recipient|recipient not found|no such recipient|invalid recipient|invalid mailbox|not a valid mailbox|does not exist|doesn't exist|not exist|user not found|unknown local part|unknown address|no mailbox|bad destination mailbox|unknown or illegal alias|has moved|not our customer|user not local|mailbox not available|address unknown|unknown mailbox|user doesn't have|no account|undeliverable address|could not be found|address not found|addressee unknown|unknown account|is not a valid|user invalid|non-existent|nonexistent|not a registered|check if address is correct|user not listed|no valid recipients|recipnotfound",
    ),
    (
        R::RateLimited,
        "rate limit|too many connections|too many messages|unexpected volume|exceeded rate|sending rate|throttl|too fast|connection limit|unusual rate|sending quota|rate of|at a rate|frequency|slow down",
    ),
    (
        R::Expired,
        "retry timeout exceeded|retry time not reached|message expired|delivery time expired|not delivered within|could not be delivered for|giving up|gave up|too long in queue|message timed out|queue lifetime|deferred for too long|time limit exceeded|expired|maximum time|retry period|delivery period|couldn't be delivered in|for more than|failed 20 attempts|attempts failed|delivery attempts|failing for a long time",
    ),
    (
        R::NetworkError,
        "connection refused|connection timed out|timed out|timeout|network is unreachable|no route to host|lost connection|connection reset|connection dropped|could not connect|unable to connect|can't connect|cannot connect|failed to connect|mail loop|routing loop|loops back|too many hops|hop count|conversation with|connection closed|connection died|broken pipe|tls handshake|temporary failure in name|mx servers|network error|read error|not reachable|unreachable|duplicated message-id|requests to connect|socket error",
    ),
    (
        R::SyntaxError,
        "syntax error|syntax|malformed|unrecognized command|command not recognized|bad command|invalid command|line too long|illegal address|bad address|bad sequence|command unrecognized|parameter not implemented|line limit",
    ),
    (
        R::SystemError,
        "system error|internal error|local error|temporary local problem|server error|mailer error|configuration error|i/o error|out of memory|system resources|insufficient system storage|service unavailable|mail system|command died|command output|pipe to|program|transport|forwarding loop|system full|server is busy|try again later|not available|temporarily unavailable|local delivery failed|ldap|queue file|write error|currently unavailable|not accepting",
    ),
    (
        R::Temporary,
        "greylist|graylist|temporarily deferred|temporarily rejected|temporary failure|will retry|deferred|will be retried|still trying|has been delayed|delayed",
    ),
];

/// Words that say only that something was refused or is unknown, tried when nothing
/// narrower matched.
const WEAK: &[(R, &str)] = &[
    (
        R::UserUnknown,
        "address rejected|recipient rejected|recipient address|no such|unknown|invalid|not listed|mailbox unavailable|not a member|no longer|not known|unable to deliver message to|not found",
    ),
    (
        R::RateLimited,
        "too many",
    ),
    (
        R::Policy,
        "rejected|refused|denied|not allowed|not accepted|prohibited|can't determine",
    ),
];

/// Words read for a reason: a diagnostic is a line or two; a whole notice is cut here.
pub(crate) const MAX_WORDS: usize = 4096;

/// The phrases of both tables by their first byte, each with its rank (its table's place,
/// weak ones after all others), so that one pass over the words finds them all.
fn index() -> &'static [Vec<(usize, &'static str)>] {
    static INDEX: std::sync::OnceLock<Vec<Vec<(usize, &'static str)>>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_byte = vec![Vec::new(); 256];
        for (rank, (_, phrases)) in PHRASES.iter().chain(WEAK).enumerate() {
            for p in phrases.split('|').filter(|p| !p.is_empty()) {
                by_byte[usize::from(p.as_bytes()[0])].push((rank, p));
            }
        }
        by_byte
    })
}

/// The reason the words give, if any. `lower` is lower case; addresses in it are ignored
/// (a local part such as "filtered" or "no-such-user" says nothing).
pub(crate) fn from_text(lower: &str) -> Option<R> {
    from_text_except(lower, &[])
}

/// The reason the words give when the phrases of `except` are not read.
pub(crate) fn from_text_except(lower: &str, except: &[R]) -> Option<R> {
    let mut end = lower.len().min(MAX_WORDS);
    while !lower.is_char_boundary(end) {
        end -= 1;
    }
    let words = without_addresses(&lower[..end]);
    let text = words.as_bytes();
    let index = index();
    let is_word = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    // A phrase counts where a word starts; one of three letters or fewer must end at one.
    let mut best = usize::MAX;
    for (at, &b) in text.iter().enumerate() {
        if at > 0 && is_word(text.get(at - 1)) {
            continue;
        }
        for &(rank, phrase) in &index[usize::from(b)] {
            if rank < best
                && (except.is_empty() || !except.contains(&rank_reason(rank)))
                && text[at..].starts_with(phrase.as_bytes())
                && (phrase.len() > 3 || !is_word(text.get(at + phrase.len())))
            {
                best = rank;
            }
        }
        if best == 0 {
            break;
        }
    }
    PHRASES.iter().chain(WEAK).nth(best).map(|(r, _)| *r)
}

fn rank_reason(rank: usize) -> R {
    PHRASES
        .iter()
        .chain(WEAK)
        .nth(rank)
        .map_or(R::Unknown, |(r, _)| *r)
}

/// The text with every `local@domain` token and `<…>` bracket blanked out.
fn without_addresses(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|token| if token.contains('@') { " " } else { token })
        .collect()
}

/// The reason an enhanced status code (RFC 3463 and the IANA registry) gives, if it is
/// specific enough.
pub(crate) fn from_status(status: &str) -> Option<R> {
    let mut it = status.split('.');
    it.next()?;
    let subject: u16 = it.next()?.parse().ok()?;
    let detail: u16 = it.next()?.parse().ok()?;
    Some(match (subject, detail) {
        (1, 0) | (1, 1) | (1, 4) | (1, 6) => R::UserUnknown,
        (1, 2) | (1, 10) => R::HostUnknown,
        (1, 3) => R::SyntaxError,
        (1, 7) | (1, 8) => R::Policy,
        (2, 1) => R::MailboxDisabled,
        (2, 2) => R::MailboxFull,
        (2, 3) | (3, 4) => R::MessageTooBig,
        (3, _) => R::SystemError,
        (4, 1) | (4, 2) | (4, 6) => R::NetworkError,
        (4, 3) | (4, 4) => R::HostUnknown,
        (4, 5) => R::SystemError,
        (4, 7) => R::Expired,
        (5, 3) => R::TooManyRecipients,
        (5, _) => R::SyntaxError,
        (6, _) => R::SpamOrContentRejected,
        (7, 8) | (7, 10) | (7, 11) => R::AuthRequired,
        (7, 13) | (7, 17) | (7, 18) => R::MailboxDisabled,
        (7, 28) => R::RateLimited,
        (7, _) => R::Policy,
        _ => return None,
    })
}

/// The reason an SMTP reply code gives, if it is specific enough.
pub(crate) fn from_smtp_code(code: u16) -> Option<R> {
    Some(match code {
        421 => R::Temporary,
        450 | 451 => R::Temporary,
        452 => R::MailboxFull,
        530 | 535 | 538 => R::AuthRequired,
        551 => R::UserUnknown,
        552 => R::MessageTooBig,
        553 => R::SyntaxError,
        500..=504 => R::SyntaxError,
        _ => return None,
    })
}

/// One plain sentence for the reason.
pub(crate) fn explanation(reason: R) -> &'static str {
    match reason {
        R::UserUnknown => "The address does not exist at the receiving server.",
        R::MailboxFull => "The recipient's mailbox is full.",
        R::MessageTooBig => "The message is larger than the receiving server accepts.",
        R::TooManyRecipients => "The message had more recipients than the server accepts at once.",
        R::RelayDenied => "The server refused to pass the message on: it does not relay for this sender or to this domain.",
        R::HostUnknown => "The recipient's domain has no mail server that could be found.",
        R::NetworkError => "The sending server could not hold a conversation with the receiving server (refused, timed out, or a loop).",
        R::Expired => "The sending server kept trying and gave up when the time allowed ran out.",
        R::SpamOrContentRejected => "The receiving server rejected the content of the message as spam, a virus or otherwise unwanted.",
        R::Blocked => "The receiving server refused mail from the sending server or domain (a blocklist or a bad reputation).",
        R::Policy => "The message broke a rule of the receiving server, such as SPF, DKIM or DMARC checks, reverse DNS, or its own local policy.",
        R::AuthRequired => "The server wanted the sender to sign in (or to use TLS) before it would take the message.",
        R::MailboxDisabled => "The recipient's mailbox exists but is disabled or suspended.",
        R::RateLimited => "The sender sent too much, too fast, and the receiving server slowed it down.",
        R::SyntaxError => "A command or an address in the SMTP conversation was malformed.",
        R::SystemError => "The receiving mail system had a fault of its own.",
        R::Temporary => "Delivery has not worked yet; the server is still trying.",
        R::Unknown => "The report does not say clearly why the message was not delivered.",
        R::Delivered => "The message was delivered (or handed on).",
    }
}

/// What the sender can do about it.
pub(crate) fn advice(reason: R) -> &'static str {
    match reason {
        R::UserUnknown => "Check the address for typing mistakes, or ask the recipient for a current one; remove it from your lists if it is gone.",
        R::MailboxFull => "Try again later, or reach the recipient another way so they can make room.",
        R::MessageTooBig => "Send the attachments another way (a link to a shared file), or split them over several messages.",
        R::TooManyRecipients => "Send the rest of the recipients in a second message.",
        R::RelayDenied => "Sign in to your outgoing server (SMTP submission with authentication) and send through it.",
        R::HostUnknown => "Check the domain part of the address (after the @) for typing mistakes.",
        R::NetworkError => "Usually passes on its own: send again later. If it repeats, tell the recipient's mail administrator.",
        R::Expired => "Send again later; if it keeps happening, the recipient's server may be down for good.",
        R::SpamOrContentRejected => "Remove links, attachments or wording that look like spam, or ask the recipient to allow your address.",
        R::Blocked => "Ask your mail provider to check its reputation and blocklist entries; the diagnostic often names the list.",
        R::Policy => "Forward this report to whoever runs your domain's mail: SPF, DKIM, DMARC or reverse DNS may need fixing.",
        R::AuthRequired => "Sign in to the server (and turn on STARTTLS or TLS) in your account settings.",
        R::MailboxDisabled => "Reach the recipient another way; the account may have been closed.",
        R::RateLimited => "Wait a while and send again, more slowly.",
        R::SyntaxError => "Check the addresses for stray characters; if they are right, the sending software is at fault.",
        R::SystemError => "Send again later; if it repeats, tell the recipient's mail administrator.",
        R::Temporary => "Nothing yet: the server keeps trying and will write again if it gives up.",
        R::Unknown => "Read the server's own words below; forward the report to your mail administrator if it is unclear.",
        R::Delivered => "Nothing to do.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_before_codes() {
        assert_eq!(from_text("550 5.1.1 <a@b>: recipient address rejected: user unknown in virtual mailbox table"), Some(R::UserUnknown));
        assert_eq!(from_text("552 5.2.2 mailbox full"), Some(R::MailboxFull));
        assert_eq!(
            from_text("554 5.7.1 <x@y>: relay access denied"),
            Some(R::RelayDenied)
        );
        assert_eq!(
            from_text("host or domain name not found. name service error"),
            Some(R::HostUnknown)
        );
        assert_eq!(
            from_text("blocked using zen.spamhaus.org"),
            Some(R::Blocked)
        );
        assert_eq!(from_text("verbly fine"), None);
    }

    #[test]
    fn names_match_the_json() {
        for r in [
            R::UserUnknown,
            R::SpamOrContentRejected,
            R::TooManyRecipients,
            R::Delivered,
        ] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }

    #[test]
    fn status_codes() {
        assert_eq!(from_status("5.1.1"), Some(R::UserUnknown));
        assert_eq!(from_status("4.2.2"), Some(R::MailboxFull));
        assert_eq!(from_status("5.3.4"), Some(R::MessageTooBig));
        assert_eq!(from_status("5.0.0"), None);
    }
}
