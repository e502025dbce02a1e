//! Messages written with `compose` and sent through real Postfix (tests/mailserver.sh):
//! the attachment arrives byte-identical (read back over IMAP), nothing typed into a subject, a name or a file name
//! becomes a header or reaches another mailbox, and the size check agrees with the server.

mod common;

use common::{server, token, trust};
use mail_parser::{MessageParser, MimeHeaders};
use mailscope_core::compose::{
    build, check_limits, parse_list, parse_one, Attachment, Draft, Limits, Mailbox, Stamp,
};
use mailscope_core::smtp::{explain, Command, Secret};
use mailscope_driver::{Connect, Security, SmtpSession};

fn stamp(seed: u8) -> Stamp {
    Stamp {
        unix_time: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
        random: [seed; 16],
    }
}

async fn alice(exceptions: &[mailscope_core::tls::Exception]) -> SmtpSession {
    let mut s = SmtpSession::connect(server(10465, Security::Tls, exceptions.to_vec()))
        .await
        .unwrap();
    let r = s
        .login("alice@example.test", Secret::new("alice-password"))
        .await
        .unwrap();
    assert_eq!(r.code, 235, "{r:?}");
    s
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn an_attachment_arrives_byte_identical_and_nothing_typed_becomes_a_header() {
    let exceptions = trust(10465, &[10465, 10995]).await;
    let id = token("compose");
    let attachment: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let draft = Draft {
        from: Some(Mailbox {
            name: Some("Alice\r\nBcc: alice@example.test".into()),
            address: "alice@example.test".into(),
        }),
        to: parse_list("Bob Example <bob@example.test>").unwrap(),
        subject: format!("{id} Grüße\r\nBcc: alice@example.test\r\n"),
        text: "Hello Bob,\r\n.\r\n..two dots\r\n.\r\nThe end.\r\n".into(),
        attachments: vec![Attachment {
            name: "report\r\nBcc: alice@example.test.bin".into(),
            content_type: "application/octet-stream".into(),
            bytes: attachment.clone(),
        }],
        ..Draft::default()
    };
    let built = build(&draft, stamp(1)).unwrap();
    assert_eq!(built.recipients, ["bob@example.test"]);

    let mut s = alice(&exceptions).await;
    let checked = check_limits(Limits {
        size: built.bytes.len() as u64,
        server_size: s.capabilities.size,
        recipients: built.recipients.len(),
        server_recipients: None,
    });
    assert_eq!(checked.stop, None);
    let recipients: Vec<&str> = built.recipients.iter().map(String::as_str).collect();
    let sent = s
        .send_message(&built.sender, &recipients, &built.bytes)
        .await
        .unwrap();
    assert_eq!(sent.accepted, ["bob@example.test"]);
    assert_eq!(sent.data.unwrap().code, 250);
    s.quit().await.unwrap();

    let raw = fetch_over_imap("bob@example.test", "bob-password", &built.message_id)
        .await
        .expect("bob received the message");
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.subject(),
        Some(format!("{id} Grüße  Bcc: alice@example.test").as_str())
    );
    assert_eq!(
        m.header_values("Bcc").count(),
        0,
        "no Bcc header was injected"
    );
    let a = m.attachment(0).expect("the attachment arrived");
    assert_eq!(a.contents(), &attachment[..], "byte-identical");
    assert_eq!(
        a.attachment_name(),
        Some("report  Bcc: alice@example.test.bin")
    );
    assert!(m
        .body_text(0)
        .unwrap()
        .contains("Hello Bob,\r\n.\r\n..two dots\r\n.\r\nThe end."));
    // Nobody else received it: alice's mailbox has no copy.
    let elsewhere = fetch_once(
        "alice@example.test",
        "alice-password",
        &built.message_id,
        &exceptions,
    )
    .await;
    assert!(
        !elsewhere,
        "the message reached a mailbox named only inside a header text"
    );
}

/// The message with `message_id` in `user`'s INBOX, read over IMAPS (waits up to 15 s), and
/// removed from it.
async fn fetch_over_imap(user: &str, password: &str, message_id: &str) -> Option<Vec<u8>> {
    use mailscope_core::imap::{bodies, commands, found};
    let exceptions = trust(10993, &[10993]).await;
    let mut s = mailscope_driver::ImapSession::connect(server(10993, Security::Tls, exceptions))
        .await
        .unwrap();
    assert!(s
        .run(commands::login(user, password).unwrap())
        .await
        .unwrap()
        .is_ok());
    for _ in 0..60 {
        assert!(s
            .run(commands::select("INBOX").unwrap())
            .await
            .unwrap()
            .is_ok());
        let search = s
            .run(commands::search_header("Message-ID", message_id).unwrap())
            .await
            .unwrap();
        if let Some(&uid) = found(&search).first() {
            let fetched = s.run(commands::fetch_message(uid).unwrap()).await.unwrap();
            let raw = bodies(&fetched).into_iter().next();
            s.run(commands::mark_deleted(uid).unwrap()).await.unwrap();
            s.run(commands::expunge()).await.unwrap();
            s.run(commands::logout()).await.unwrap();
            return raw;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    None
}

/// Whether `user`'s mailbox holds a message containing `needle` right now.
async fn fetch_once(
    user: &str,
    password: &str,
    needle: &str,
    exceptions: &[mailscope_core::tls::Exception],
) -> bool {
    use mailscope_core::pop3::{Command as Pop, Data, Secret};
    // Postfix delivers to one recipient at a time; give an injected one the same time bob had.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut pop =
        mailscope_driver::Pop3Session::connect(server(10995, Security::Tls, exceptions.to_vec()))
            .await
            .unwrap();
    pop.ok(Pop::User(user.into())).await.unwrap();
    pop.ok(Pop::Pass(Secret::new(password))).await.unwrap();
    let Data::Uidl(all) = pop.ok(Pop::Uidl(None)).await.unwrap().data else {
        panic!("UIDL lists messages")
    };
    let mut found = false;
    for (n, _) in &all {
        let Data::Message(raw) = pop.ok(Pop::Retr(*n)).await.unwrap().data else {
            panic!("RETR returns a message")
        };
        found |= raw.windows(needle.len()).any(|w| w == needle.as_bytes());
    }
    pop.ok(Pop::Quit).await.unwrap();
    found
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn the_size_check_agrees_with_the_server() {
    let exceptions = trust(10465, &[10465]).await;
    // 800 KB of attachment is under the 1 MB limit as bytes and over it as base64.
    let draft = Draft {
        from: Some(parse_one("alice@example.test").unwrap()),
        to: parse_list("bob@example.test").unwrap(),
        subject: "too big once encoded".into(),
        text: "See the attachment.".into(),
        attachments: vec![Attachment {
            name: "big.bin".into(),
            content_type: "application/octet-stream".into(),
            bytes: vec![0x5a; 800_000],
        }],
        ..Draft::default()
    };
    let built = build(&draft, stamp(2)).unwrap();
    let mut s = alice(&exceptions).await;
    let limit = s.capabilities.size;
    assert!(800_000 < limit.unwrap() && built.bytes.len() as u64 > limit.unwrap());
    let checked = check_limits(Limits {
        size: built.bytes.len() as u64,
        server_size: limit,
        recipients: 1,
        server_recipients: None,
    });
    let why = checked.stop.expect("stopped before sending");
    assert!(why.contains("552 5.3.4") && why.contains("base64"), "{why}");
    // And the server, asked anyway, refuses it with exactly that.
    let refused = s
        .run(Command::MailFrom {
            address: built.sender.clone(),
            size: Some(built.bytes.len() as u64),
            eight_bit: false,
            smtputf8: false,
        })
        .await
        .unwrap();
    assert_eq!(
        (refused.code, refused.enhanced.as_deref()),
        (552, Some("5.3.4"))
    );
    assert!(explain(&refused).plain.is_some());
    s.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn an_international_address_is_sent_with_smtputf8() {
    let exceptions = trust(10465, &[10465, 10995]).await;
    let id = token("smtputf8");
    let draft = Draft {
        from: Some(parse_one("alice@example.test").unwrap()),
        to: parse_list("Bøb <bøb@example.test>, bob@example.test").unwrap(),
        subject: id.clone(),
        text: "Hej.".into(),
        ..Draft::default()
    };
    let built = build(&draft, stamp(4)).unwrap();
    let mut s = alice(&exceptions).await;
    assert!(s.capabilities.smtputf8);
    let recipients: Vec<&str> = built.recipients.iter().map(String::as_str).collect();
    let sent = s
        .send_message(&built.sender, &recipients, &built.bytes)
        .await
        .unwrap();
    // The server read the UTF-8 address (SMTPUTF8 was given) and knows no such user.
    assert_eq!(sent.accepted, ["bob@example.test"]);
    assert_eq!(sent.refused[0].0, "bøb@example.test");
    assert_eq!(
        sent.refused[0].1.enhanced.as_deref(),
        Some("5.1.1"),
        "{:?}",
        sent.refused[0].1
    );
    let mail_from = s
        .transcript()
        .into_iter()
        .find(|(sent, t)| *sent && t.starts_with("MAIL FROM"))
        .unwrap()
        .1;
    assert!(mail_from.contains("SMTPUTF8"), "{mail_from}");
    s.quit().await.unwrap();
    // Delivery onwards is the servers' business: the test system's Dovecot LMTP does not
    // offer SMTPUTF8, so Postfix returns this message as 5.6.7 rather than deliver it.
}
