//! A real bounce: alice submits through Postfix (implicit TLS, AUTH) to bounce.test, whose
//! mailbox server refuses the recipient; Postfix mails a delivery-status report back to
//! alice, found here over IMAP and explained by the core. The session layer's flows do the
//! talking, as in the page. `SAVE_BOUNCE=DIR` keeps the report (the golden file
//! crates/core/testdata/bounce/postfix-test-server.eml was made so).

mod common;

use std::time::Duration;

use common::{server, token, trust};
use mailscope_core::imap::commands;
use mailscope_core::smtp::Secret;
use mailscope_core::{analyze, bounce_original, BounceKind, BounceReason};
use mailscope_driver::{Connect, ImapSession, Security, SmtpSession};

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_real_postfix_bounce_is_explained() {
    let exceptions = trust(10993, &[10993, 10465]).await;
    let id = token("bounce");
    let mut smtp = SmtpSession::connect(server(10465, Security::Tls, exceptions.clone()))
        .await
        .unwrap();
    assert_eq!(
        smtp.login("alice@example.test", Secret::new("alice-password"))
            .await
            .unwrap()
            .code,
        235
    );
    let message = format!(
        "From: Alice <alice@example.test>\r\nTo: <nobody@bounce.test>\r\n\
         Subject: Bounce test {id}\r\nMessage-ID: <{id}@example.test>\r\n\
         Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n\r\nThis one cannot arrive.\r\n"
    );
    let sent = smtp
        .send_message(
            "alice@example.test",
            &["nobody@bounce.test"],
            message.as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(
        sent.accepted,
        ["nobody@bounce.test"],
        "Postfix accepts, then bounces"
    );
    smtp.quit().await.unwrap();

    let mut imap = ImapSession::connect(server(10993, Security::Tls, exceptions))
        .await
        .unwrap();
    imap.login("alice@example.test", "alice-password")
        .await
        .unwrap();
    let mut found = None;
    for _ in 0..60 {
        imap.run(commands::select("INBOX").unwrap()).await.unwrap();
        let query = commands::Query {
            text: Some(id.clone()),
            from: Some("MAILER-DAEMON".into()),
            ..Default::default()
        };
        let search = imap.run(commands::search(&query).unwrap()).await.unwrap();
        if let Some(uid) = mailscope_core::imap::found(&search).iter().max() {
            found = Some(*uid);
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let uid = found.expect("Postfix's bounce did not reach alice's INBOX within 30 s");
    let done = imap
        .run(commands::fetch_message(uid).unwrap())
        .await
        .unwrap();
    let raw = mailscope_core::imap::bodies(&done)
        .into_iter()
        .next()
        .expect("the report's bytes");
    if let Some(dir) = std::env::var_os("SAVE_BOUNCE") {
        std::fs::write(
            std::path::Path::new(&dir).join("postfix-test-server.eml"),
            &raw,
        )
        .unwrap();
    }

    let report = analyze(&raw).unwrap();
    let bounce = report.bounce.expect("recognised as a bounce");
    assert_eq!(bounce.kind, BounceKind::Bounce);
    assert_eq!(bounce.format, "rfc3464");
    assert_eq!(bounce.mta.as_deref(), Some("Postfix"));
    assert_eq!(bounce.reporting_mta.as_deref(), Some("mail.example.test"));
    let [r] = bounce.recipients.as_slice() else {
        panic!("one recipient: {:?}", bounce.recipients)
    };
    assert_eq!(r.address, "nobody@bounce.test");
    assert_eq!(r.action, "failed");
    assert_eq!(r.status.as_deref(), Some("5.1.1"));
    assert_eq!(r.smtp_code, Some(550));
    assert_eq!(r.reason, BounceReason::UserUnknown);
    assert!(
        r.diagnostic
            .as_deref()
            .unwrap()
            .contains("User doesn't exist"),
        "{r:?}"
    );
    let original = bounce.original.expect("the original comes back");
    assert_eq!(original.source, "attached");
    assert_eq!(original.subject, Some(format!("Bounce test {id}")));
    // The returned copy is itself a message, with its own route through Postfix.
    let copy = analyze(&bounce_original(&raw).unwrap()).unwrap();
    assert_eq!(copy.message_id, Some(format!("{id}@example.test")));
    assert!(!copy.hops.is_empty(), "the copy keeps its Received fields");
    imap.logout().await;
}
