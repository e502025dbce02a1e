//! Delivery reports of shapes the corpus lacks, each written for this test after patterns
//! seen in reports from servers we had not met: recipients named without a domain or
//! behind an alias, a report wrapped in another message, advice paragraphs that name other
//! addresses, formats of their own, non-standard Action values, reasons in unusual words,
//! and what only looks like a bounce (challenge-response, auto-replies, Sieve rejections).

use mailscope_core::{analyze, Bounce, BounceKind, BounceReason as R};

fn bounce(raw: &str) -> Bounce {
    let crlf = raw.replace("\r\n", "\n").replace('\n', "\r\n");
    analyze(crlf.as_bytes())
        .unwrap()
        .bounce
        .unwrap_or_else(|| panic!("not read as a report:\n{raw}"))
}

fn failed(b: &Bounce) -> Vec<(String, R)> {
    b.recipients
        .iter()
        .filter(|r| r.action == "failed" || r.action == "delayed")
        .map(|r| (r.address.clone(), r.reason))
        .collect()
}

const HEAD: &str = "Date: Tue, 3 Mar 2026 10:00:00 +0000\nMessage-ID: <r@mx.example.org>\n";

#[test]
fn a_bare_local_part_is_completed_with_the_reporting_domain() {
    let b = bounce(&format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@aol.example>\nTo: ann@example.org\n\
Subject: Returned mail: User unknown\n{HEAD}\n\
The original message was received from ann@example.org\n\n\
    ----- The following addresses had permanent fatal errors -----\n\
ScreenName77\n    (reason: 550 MAILBOX NOT FOUND)\n\n\
    ----- Transcript of session follows -----\n\
... while talking to air-xx.mail.aol.example.:\n\
>>> RCPT To:<ScreenName77>\n<<< 550 MAILBOX NOT FOUND\n"
    ));
    assert_eq!(
        failed(&b),
        [("ScreenName77@aol.example".to_string(), R::UserUnknown)]
    );
    assert!(b.recipients[0].completed, "marked as completed");
}

#[test]
fn a_dsn_without_a_domain_is_completed_from_the_reporting_mta() {
    let b = bounce(&format!(
        "From: postmaster@mx.example.net\nTo: ann@example.org\nSubject: Delivery Status Notification (Failure)\n{HEAD}\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nDelivery failed.\n\
--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n\
Final-Recipient: rfc822; kijitora\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 no such user\n\n--b--\n"
    ));
    assert_eq!(
        failed(&b),
        [("kijitora@mx.example.net".to_string(), R::UserUnknown)]
    );
    assert!(b.recipients[0].completed);
}

#[test]
fn exim_names_an_undisclosed_address_by_what_it_was_generated_from() {
    let b = bounce(&format!(
        "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\nTo: ann@example.org\n\
Subject: Mail delivery failed: returning message to sender\n{HEAD}\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
  an undisclosed address\n    (generated from team@example.net)\n    Unrouteable address\n"
    ));
    assert_eq!(
        failed(&b),
        [("team@example.net".to_string(), R::HostUnknown)]
    );
}

#[test]
fn a_dsn_wrapped_in_another_message_is_read() {
    let b = bounce(&format!(
        "From: Helpdesk <postmaster@relay.example.com>\nTo: ann@example.org\n\
Subject: Undeliverable: forwarded delivery report\n{HEAD}MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: text/plain\n\n\
The report below came back for your message.\n--o\nContent-Type: message/rfc822\n\n\
From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\n\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=i\n\n\
--i\nContent-Type: text/plain\n\nI'm sorry to have to inform you that your message could not be delivered.\n\
--i\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n\
Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\n\n\
--i--\n--o--\n"
    ));
    assert_eq!(
        failed(&b),
        [("bob@example.net".to_string(), R::MailboxFull)]
    );
}

#[test]
fn addresses_in_advice_are_not_recipients() {
    let b = bounce(&format!(
        "From: MAILER-DAEMON@mail.university.example\nTo: ann@example.org\nSubject: failure notice\n{HEAD}\n\
Hi. This is the mail program at mail.university.example.\n\
I'm afraid I wasn't able to deliver your message to the following addresses.\n\
This is a permanent error; I've given up. Sorry it didn't work out.\n\n\
<j.doe@university.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n\
If you need help finding someone, write to helpdesk@university.example\n\
or see the directory at https://www.university.example/people.\n"
    ));
    assert_eq!(
        failed(&b),
        [("j.doe@university.example".to_string(), R::UserUnknown)]
    );
}

#[test]
fn formats_of_their_own() {
    // An old webmail's processing error.
    let b = bounce(&format!(
        "From: Webmail <webmaster@webmail.example>\nTo: ann@example.org\nSubject: Processing Error\n{HEAD}\n\
Processing Error\n\nAn error occurred while your message was being delivered.\n\n\
Intended recipient: zed@webmail.example\nReason: User is not a known user on this system.\n"
    ));
    assert_eq!(
        failed(&b),
        [("zed@webmail.example".to_string(), R::UserUnknown)]
    );

    // MDaemon.
    let b = bounce(&format!(
        "From: MDaemon@mail.example.jp\nTo: ann@example.org\nSubject: Permanent Delivery Failure\n{HEAD}\n\
The attached message had PERMANENT fatal delivery errors!\n\n\
After one or more unsuccessful delivery attempts the attached message has been removed\n\
from the mail queue on this server.\n\n\
--- Session Transcript ---\n User unknown!\n RCPT TO:<neko@mail.example.jp>\n 550 User unknown!\n--- End Transcript ---\n"
    ));
    assert_eq!(
        failed(&b),
        [("neko@mail.example.jp".to_string(), R::UserUnknown)]
    );

    // Postponed for a full mailbox: a delay.
    let b = bounce(&format!(
        "From: Mail System <MAILER-DAEMON@mx.example.net>\nTo: ann@example.org\nSubject: Delivery postponed\n{HEAD}\n\
Delivery to the following recipient has been postponed due to a full mailbox:\n\n\
  lin@example.net\n\nThe server will try again for the next 3 days.\n"
    ));
    assert_eq!(b.kind, BounceKind::Delay);
    assert_eq!(
        failed(&b),
        [("lin@example.net".to_string(), R::MailboxFull)]
    );

    // A Chinese webmail's notice.
    let b = bounce(&format!(
        "From: =?UTF-8?B?57O757uf6YCA5L+h?= <mailer-daemon@vip.sina.example>\nTo: ann@example.org\n\
Subject: =?UTF-8?B?57O757uf6YCA5L+h?=\n{HEAD}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n\
您的邮件未能成功投递。\n收件人：wang@sina.example\n退信原因：收件人地址不存在\n"
    ));
    assert_eq!(
        failed(&b),
        [("wang@sina.example".to_string(), R::UserUnknown)]
    );
}

#[test]
fn non_standard_action_values_are_failures() {
    for action in ["failure", "error", "failed (permanent)", "FAILED"] {
        let b = bounce(&format!(
            "From: MAILER-DAEMON@mx.example.net\nTo: ann@example.org\nSubject: Undelivered Mail\n{HEAD}\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nNot delivered.\n--b\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; bob@example.net\nAction: {action}\nStatus: 5.1.1\n\n--b--\n"
        ));
        assert_eq!(b.kind, BounceKind::Bounce, "{action}");
        assert_eq!(b.recipients[0].action, "failed", "{action}");
    }
}

#[test]
fn reasons_in_unusual_words() {
    for (words, reason) in [
        (
            "550 bob@example.net is not a known user on this system",
            R::UserUnknown,
        ),
        ("550 No mail box available for this user", R::UserUnknown),
        ("550 5.1.1 BAD_RECIPIENT", R::UserUnknown),
        ("550 bob is not listed in Domino Directory", R::UserUnknown),
        (
            "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
            R::RelayDenied,
        ),
        (
            "550 Unable to relay: you are trying to use me as a relay",
            R::RelayDenied,
        ),
        (
            "Host or domain lookup failed: Name or service not known",
            R::HostUnknown,
        ),
        ("552 Mailbox size limit exceeded", R::MailboxFull),
        (
            "452 User has too many messages on the server",
            R::MailboxFull,
        ),
        ("550 Blocked by SpamAssassin", R::SpamOrContentRejected),
        ("554 Spam Blocked", R::SpamOrContentRejected),
    ] {
        let b = bounce(&format!(
            "From: MAILER-DAEMON@mx.example.net\nTo: ann@example.org\nSubject: Undelivered Mail\n{HEAD}\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nNot delivered.\n--b\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; bob@example.net\nAction: failed\n\
Diagnostic-Code: smtp; {words}\n\n--b--\n"
        ));
        assert_eq!(b.recipients[0].reason, reason, "{words}");
    }
}

#[test]
fn challenge_response_is_its_own_kind_and_its_link_is_shown_not_followed() {
    let b = bounce(&format!(
        "From: Bob's mail filter <verify@challenge.example>\nTo: ann@example.org\n\
Subject: Please verify your message to bob@example.net\nAuto-Submitted: auto-replied\n{HEAD}\n\
Hello, I use a spam filter. Your message to bob@example.net has been held because the\n\
sender is not pre-approved. It is waitlisted until you confirm you are a person:\n\n\
https://challenge.example/confirm?id=12345\n\nThank you.\n"
    ));
    assert_eq!(b.kind, BounceKind::ChallengeResponse);
    assert_eq!(
        b.confirm.as_deref(),
        Some("https://challenge.example/confirm?id=12345")
    );
    assert!(failed(&b).is_empty(), "nothing was refused");
}

#[test]
fn an_auto_reply_that_refuses_is_a_bounce_and_says_it_came_as_an_auto_reply() {
    let b = bounce(&format!(
        "From: bob@example.net\nTo: ann@example.org\nSubject: Auto: Re: the plan\nAuto-Submitted: auto-replied\n{HEAD}\n\
That's not a valid user here. Your message to bob@example.net was not delivered;\n\
please use info@example.net instead.\n"
    ));
    assert_eq!(b.kind, BounceKind::Bounce);
    assert_eq!(b.format, "rfc3834");
    assert_eq!(
        failed(&b),
        [("bob@example.net".to_string(), R::UserUnknown)]
    );
}

#[test]
fn a_sieve_rejection_sent_as_a_disposition_notification_is_a_refusal() {
    let b = bounce(&format!(
        "From: Postmaster <postmaster@mx.example.net>\nTo: ann@example.org\n\
Subject: Automatically rejected mail\nAuto-Submitted: auto-replied (rejected)\n{HEAD}MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nYour message to <bob@example.net> was automatically rejected:\nQuota exceeded (mailbox for user is full)\n\n\
--b\nContent-Type: message/disposition-notification\n\nReporting-UA: mx.example.net; Dovecot Mail Delivery Agent\n\
Final-Recipient: rfc822; bob@example.net\nOriginal-Message-ID: <x@example.org>\n\
Disposition: automatic-action/MDN-sent-automatically; deleted\n\n--b--\n"
    ));
    assert_eq!(b.kind, BounceKind::Bounce);
    assert_eq!(b.format, "mdn");
    assert_eq!(
        failed(&b),
        [("bob@example.net".to_string(), R::MailboxFull)]
    );
}

#[test]
fn a_read_receipt_and_an_ordinary_auto_reply_stay_what_they_are() {
    let b = bounce(&format!(
        "From: bob@example.net\nTo: ann@example.org\nSubject: Read: the plan\n{HEAD}MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nYour message was displayed.\n\
--b\nContent-Type: message/disposition-notification\n\nFinal-Recipient: rfc822; bob@example.net\n\
Disposition: manual-action/MDN-sent-manually; displayed\n\n--b--\n"
    ));
    assert_eq!(b.kind, BounceKind::ReadReceipt);
    let b = bounce(&format!(
        "From: bob@example.net\nTo: ann@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\n{HEAD}\n\
I am away until Monday. For urgent matters, write to carol@example.net.\n"
    ));
    assert_eq!(b.kind, BounceKind::AutoReply);
    assert!(b.recipients.is_empty());
}
