//! Bounces over sisimai's set of real reports from 70+ mail servers: every report is
//! recognised, what is not a report is not, failed recipients get a specific reason, and
//! the reasons agree with the ones sisimai's own tests expect.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mailscope_core::{analyze, Bounce, BounceKind, BounceReason};

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/corpus/sisimai-set-of-emails")
        .join(sub)
}

fn files(sub: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    out.sort();
    out
}

fn bounce_of(path: &Path) -> Option<Bounce> {
    let raw = std::fs::read(path).unwrap();
    analyze(&raw).unwrap().bounce
}

fn name(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_report_is_recognised() {
    let all = files("maildir/bsd");
    assert!(all.len() > 600, "the bounce corpus is missing");
    let mut missed = Vec::new();
    let mut without_recipients = Vec::new();
    let mut wrong_kind = Vec::new();
    for path in &all {
        let n = name(path);
        match bounce_of(path) {
            None => missed.push(n),
            Some(b) if n.starts_with("rfc3834") && b.kind != BounceKind::AutoReply => {
                wrong_kind.push((n, b.kind))
            }
            Some(b) if n.starts_with("arf") && b.kind != BounceKind::FeedbackReport => {
                wrong_kind.push((n, b.kind))
            }
            Some(_) if n.starts_with("rfc3834") || n.starts_with("arf") => {}
            Some(b) if b.kind == BounceKind::AutoReply => wrong_kind.push((n, b.kind)),
            Some(b) => {
                if b.recipients.is_empty() && b.kind != BounceKind::FeedbackReport {
                    without_recipients.push(n);
                }
            }
        }
    }
    assert!(missed.is_empty(), "not recognised: {missed:?}");
    assert!(
        wrong_kind.is_empty(),
        "taken for something else: {wrong_kind:?}"
    );
    println!("reports without a recipient: {without_recipients:?}");
    let share = without_recipients.len() as f64 / all.len() as f64;
    assert!(
        share < 0.02,
        "{} reports name no recipient",
        without_recipients.len()
    );
}

#[test]
fn what_is_not_a_report_is_not_one() {
    for n in ["is-not-bounce-01", "is-not-bounce-02"] {
        let path = dir("maildir/not").join(format!("{n}.eml"));
        assert_eq!(bounce_of(&path), None, "{n}");
    }
    // Filed under "not" upstream (it once crashed a parser), but it is a real bounce: the
    // postmaster writes that the message was rejected because the mailbox is full.
    let b = bounce_of(&dir("maildir/not").join("rb-issue-368-bug.eml")).unwrap();
    assert_eq!(b.kind, BounceKind::Bounce);
    assert_eq!(b.recipients[0].address, "xxxx@yyyyyy.net");
    assert_eq!(b.recipients[0].reason, BounceReason::MailboxFull);
}

#[test]
fn failed_recipients_get_a_specific_reason() {
    let mut total = 0;
    let mut unknown = Vec::new();
    // Reports with failed recipients of which none gets any reason at all.
    let mut reports_without_reason = Vec::new();
    for path in files("maildir/bsd") {
        let Some(b) = bounce_of(&path) else { continue };
        let failed: Vec<_> = b
            .recipients
            .iter()
            .filter(|r| r.action == "failed" || r.action == "delayed")
            .collect();
        if !failed.is_empty() && failed.iter().all(|r| r.reason == BounceReason::Unknown) {
            reports_without_reason.push(name(&path));
        }
        for r in &b.recipients {
            if r.action == "failed" || r.action == "delayed" {
                total += 1;
                if r.reason == BounceReason::Unknown {
                    unknown.push(format!("{} {}: {:?}", name(&path), r.address, r.diagnostic));
                }
            }
        }
    }
    let specific = 1.0 - unknown.len() as f64 / total as f64;
    println!(
        "{total} failed recipients, {:.1} % with a specific reason",
        specific * 100.0
    );
    for u in &unknown {
        println!("  unknown: {u}");
    }
    println!("reports in which no failed recipient gets a reason: {reports_without_reason:?}");
    assert!(
        reports_without_reason.len() <= 5,
        "{} reports give no reason for any recipient",
        reports_without_reason.len()
    );
    assert!(total > 550, "only {total} failed recipients found");
    assert!(specific >= 0.95, "{:.1} % specific", specific * 100.0);
}

/// Sisimai's reason names, mapped to ours; a few of its reasons are finer than ours or
/// cover two of ours, so each maps to the set it may be.
fn sisimai_reason(name: &str) -> Option<&'static [BounceReason]> {
    use BounceReason as R;
    Some(match name {
        "userunknown" | "hasmoved" => &[R::UserUnknown],
        "mailboxfull" => &[R::MailboxFull],
        "emailtoolarge" | "mesgtoobig" | "exceedlimit" => &[R::MessageTooBig],
        "norelaying" => &[R::RelayDenied],
        "hostunknown" | "notaccept" => &[R::HostUnknown],
        // Sisimai files DNS failures under networkerror, which our vocabulary names
        // host-unknown; and it calls a delay warning "expired", which ours names temporary.
        "networkerror" => &[R::NetworkError, R::HostUnknown, R::Expired],
        "expired" => &[R::Expired, R::NetworkError, R::Temporary],
        "spamdetected" | "virusdetected" | "contenterror" | "filtered" => {
            &[R::SpamOrContentRejected, R::Policy]
        }
        "blocked" | "badreputation" => &[R::Blocked, R::Policy],
        "rejected" | "policyviolation" | "authfailure" | "requireptr" | "notcompliantrfc" => {
            &[R::Policy, R::Blocked]
        }
        "securityerror" => &[R::AuthRequired, R::Policy],
        "suspend" => &[R::MailboxDisabled],
        "toomanyconn" | "speeding" => &[R::RateLimited, R::TooManyRecipients],
        "syntaxerror" => &[R::SyntaxError],
        "systemerror" | "systemfull" | "mailererror" => &[R::SystemError],
        "delivered" => &[R::Delivered],
        _ => return None,
    })
}

#[test]
fn reasons_agree_with_sisimai() {
    let key = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/bounce/sisimai-reasons.txt"),
    )
    .unwrap();
    let mut expected: BTreeMap<String, Vec<(String, &'static [BounceReason])>> = BTreeMap::new();
    for line in key
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let Some(reasons) = sisimai_reason(f[3]) {
            expected
                .entry(f[0].to_string())
                .or_default()
                .push((f[1].to_string(), reasons));
        }
    }
    let (mut total, mut agree, mut status_agree, mut status_total) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for (file, wanted) in &expected {
        let b = bounce_of(&dir("maildir/bsd").join(format!("{file}.eml")))
            .unwrap_or_else(|| panic!("{file} not recognised"));
        // An expired recipient names both what happened (expired) and what the server retried
        // on (its cause); sisimai names one of them, so either agrees.
        let mut ours: Vec<(BounceReason, Option<BounceReason>)> =
            b.recipients.iter().map(|r| (r.reason, r.cause)).collect();
        for (status, reasons) in wanted {
            total += 1;
            if let Some(at) = ours
                .iter()
                .position(|(r, c)| reasons.contains(r) || c.is_some_and(|c| reasons.contains(&c)))
            {
                ours.remove(at);
                agree += 1;
            } else {
                disagreements.push(format!(
                    "{file}: expected {reasons:?}, got {:?}",
                    b.recipients
                        .iter()
                        .map(|r| (r.reason, r.cause, r.diagnostic.clone()))
                        .collect::<Vec<_>>()
                ));
            }
            // Sisimai's x.9.xxx codes are its own; compare only the standard ones.
            if !status.contains(".9") && status != "-" {
                status_total += 1;
                if b.recipients
                    .iter()
                    .any(|r| r.status.as_deref() == Some(status))
                {
                    status_agree += 1;
                }
            }
        }
    }
    let share = agree as f64 / total as f64;
    println!(
        "reasons agree for {agree} of {total} recipients ({:.1} %); status codes for {status_agree} of {status_total}",
        share * 100.0
    );
    for d in &disagreements {
        println!("  {d}");
    }
    assert!(total > 250);
    assert!(share >= 0.80, "only {:.1} % agree", share * 100.0);
}

/// A report whose sending server gave up keeps `expired` and names what it retried on, from
/// a DSN's status and diagnostic or from a notice's words; a permanent refusal is not made
/// expired by qmail's "I've given up".
#[test]
fn an_expired_message_names_its_cause() {
    let dsn = |status: &str, diagnostic: &str, action: &str| {
        format!(
            "From: MAILER-DAEMON@mx.example.org\r\nTo: ann@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n\
Date: Thu, 20 Jun 2002 05:53:48 +0000\r\nMessage-ID: <dsn@mx.example.org>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
The message could not be delivered.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
Final-Recipient: rfc822; bob@example.net\r\nAction: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {diagnostic}\r\n\r\n--b--\r\n"
        )
    };
    for (status, diagnostic, cause) in [
        ("4.4.7", "delivery temporarily suspended: connect to mx.example.net[192.0.2.9]:25: Connection timed out", Some(BounceReason::NetworkError)),
        ("5.4.7", "Host or domain name not found. Name service error for name=example.net type=MX", Some(BounceReason::HostUnknown)),
        ("4.4.7", "retry timeout exceeded", None),
    ] {
        let raw = dsn(status, diagnostic, "failed");
        let b = mailscope_core::analyze(raw.as_bytes()).unwrap().bounce.unwrap();
        let r = &b.recipients[0];
        assert_eq!(r.reason, BounceReason::Expired, "{diagnostic}");
        assert_eq!(r.cause, cause, "{diagnostic}");
    }
    // Exim's words, no status: still expired, with the cause.
    let exim = "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\r\nTo: ann@example.org\r\n\
Subject: Mail delivery failed: returning message to sender\r\nDate: Thu, 20 Jun 2002 05:53:48 +0000\r\n\
Message-ID: <e@mx.example.org>\r\nX-Failed-Recipients: bob@example.net\r\n\r\n\
This message was created automatically by mail delivery software.\r\n\r\n\
A message that you sent could not be delivered to one or more of its\r\nrecipients. This is a permanent error. The following address(es) failed:\r\n\r\n\
  bob@example.net\r\n    retry timeout exceeded\r\n    all hosts for 'example.net' have been failing for a long time: Connection refused\r\n";
    let b = mailscope_core::analyze(exim.as_bytes())
        .unwrap()
        .bounce
        .unwrap();
    assert_eq!(b.recipients[0].reason, BounceReason::Expired);
    assert_eq!(b.recipients[0].cause, Some(BounceReason::NetworkError));
    // A permanent refusal stays what it is.
    let raw = dsn(
        "5.1.1",
        "550 5.1.1 <bob@example.net>: User unknown",
        "failed",
    );
    let r = &mailscope_core::analyze(raw.as_bytes())
        .unwrap()
        .bounce
        .unwrap()
        .recipients[0];
    assert_eq!((r.reason, r.cause), (BounceReason::UserUnknown, None));
}

/// No ordinary message, auto-reply or newsletter is called a bounce: the corpora of
/// ordinary mail (flanker, postal-mime, mail-parser; their bounce, complaint and receipt
/// fixtures aside), and a newsletter and an out-of-office note written for this test.
#[test]
fn ordinary_mail_is_no_bounce() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for source in ["flanker", "postal-mime", "stalwart-mail-parser"] {
        let mut stack = vec![root.join(source)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let p = path.to_string_lossy().to_ascii_lowercase();
                if !p.ends_with(".eml")
                    || ["bounce", "complaint", "arf", "disposition"]
                        .iter()
                        .any(|w| p.contains(w))
                {
                    continue;
                }
                checked += 1;
                let raw = std::fs::read(&path).unwrap();
                if let Ok(r) = mailscope_core::analyze(&raw) {
                    if let Some(b) = r.bounce {
                        if !matches!(b.kind, BounceKind::AutoReply) {
                            wrong.push(format!("{}: {:?}", path.display(), b.kind));
                        }
                    }
                }
            }
        }
    }
    let written = [
        "From: News <news@shop.example>\r\nTo: ann@example.org\r\nSubject: Our delivery report for March: 20% off\r\n\
List-Unsubscribe: <mailto:unsubscribe@shop.example>\r\nPrecedence: bulk\r\n\r\n\
Your order could not be cheaper! Delivery failed? Never with us. Returned to sender: 0 parcels.\r\n",
        "From: bob@example.net\r\nTo: ann@example.org\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\n\
I am away until Monday and your message will be read then. For urgent matters contact carol@example.net.\r\n",
        "From: Carol <carol@example.net>\r\nTo: ann@example.org\r\nSubject: Re: the bounce you forwarded\r\n\r\n\
Thanks, I see the mail delivery failed for dave@example.com; I will call him.\r\n",
    ];
    for raw in written {
        checked += 1;
        let r = mailscope_core::analyze(raw.as_bytes()).unwrap();
        if let Some(b) = r.bounce {
            if !matches!(b.kind, BounceKind::AutoReply) {
                wrong.push(format!(
                    "{}: {:?}",
                    raw.lines().nth(2).unwrap_or_default(),
                    b.kind
                ));
            }
        }
    }
    assert!(checked > 90, "only {checked} messages checked");
    assert!(wrong.is_empty(), "called a bounce: {wrong:#?}");
}
