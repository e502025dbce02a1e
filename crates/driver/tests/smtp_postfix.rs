//! The core's SMTP machine against real Postfix (tests/mailserver.sh) through the native
//! driver: submission with STARTTLS (10587) and implicit TLS (10465), the MX port (10025),
//! and each classic refusal with its explanation. A message sent is fetched back over POP3
//! to check that it arrived exactly as written.

mod common;

use common::{fetch_message, server, token, trust};

use mailscope_core::smtp::{explain, Command, CommandError, Secret, SmtpError};

use mailscope_driver::{Connect, Security, SessionError, SmtpSession};

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn submission_requires_starttls_then_authentication() {
    let exceptions = trust(10465, &[10587]).await;
    // Plain: STARTTLS offered, AUTH not yet, and nothing else accepted.
    let mut plain = SmtpSession::connect(server(10587, Security::None, Vec::new()))
        .await
        .unwrap();
    assert!(plain.capabilities.starttls);
    assert!(
        plain.capabilities.auth.is_empty(),
        "{:?}",
        plain.capabilities
    );
    let refused = plain
        .run(Command::MailFrom {
            address: "alice@example.test".into(),
            size: None,
            eight_bit: false,
            smtputf8: false,
        })
        .await
        .unwrap();
    assert_eq!(
        (refused.code, refused.enhanced.as_deref()),
        (530, Some("5.7.0"))
    );
    assert!(explain(&refused).plain.unwrap().contains("STARTTLS"));
    plain.quit().await.unwrap();

    // After STARTTLS: EHLO again shows AUTH and the size limit.
    let mut s = SmtpSession::connect(server(10587, Security::StartTls, exceptions.clone()))
        .await
        .unwrap();
    assert!(s.is_tls());
    let caps = &s.capabilities;
    assert!(!caps.starttls, "STARTTLS is not offered twice");
    assert_eq!(caps.size, Some(1_048_576));
    assert!(
        caps.auth.contains(&"PLAIN".into()) && caps.auth.contains(&"LOGIN".into()),
        "{caps:?}"
    );
    assert!(caps.pipelining && caps.enhanced_status_codes && caps.eight_bit_mime && caps.dsn);

    let wrong = s
        .run(Command::AuthLogin {
            user: "alice@example.test".into(),
            password: Secret::new("nope"),
        })
        .await
        .unwrap();
    assert_eq!(
        (wrong.code, wrong.enhanced.as_deref()),
        (535, Some("5.7.8"))
    );
    assert_eq!(
        explain(&wrong).plain,
        Some("The user name or password was refused.")
    );
    let ok = s
        .run(Command::AuthLogin {
            user: "alice@example.test".into(),
            password: Secret::new("alice-password"),
        })
        .await
        .unwrap();
    assert_eq!(ok.code, 235, "{ok:?}");
    let transcript: Vec<String> = s.transcript().into_iter().map(|(_, t)| t).collect();
    assert!(!transcript.iter().any(|l| l.contains("nope")
        || l.contains("alice-password")
        || l.contains("YWxpY2UtcGFzc3dvcmQ")));

    // Too big for SIZE, and too many recipients.
    let big = s
        .run(Command::MailFrom {
            address: "alice@example.test".into(),
            size: Some(2_000_000),
            eight_bit: false,
            smtputf8: false,
        })
        .await
        .unwrap();
    assert_eq!((big.code, big.enhanced.as_deref()), (552, Some("5.3.4")));
    assert!(explain(&big).plain.unwrap().contains("larger"));
    s.run(Command::MailFrom {
        address: "alice@example.test".into(),
        size: Some(100),
        eight_bit: false,
        smtputf8: false,
    })
    .await
    .unwrap();
    let mut replies = Vec::new();
    for _ in 0..6 {
        replies.push(
            s.run(Command::RcptTo("bob@example.test".into()))
                .await
                .unwrap(),
        );
    }
    assert!(replies[..5].iter().all(|r| r.code == 250));
    assert_eq!(
        (replies[5].code, replies[5].enhanced.as_deref()),
        (452, Some("4.5.3"))
    );
    assert!(explain(&replies[5])
        .plain
        .unwrap()
        .contains("more recipients"));
    s.run(Command::Rset).await.unwrap();
    s.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn the_mx_port_refuses_relaying_and_unknown_users() {
    let mut s = SmtpSession::connect(server(10025, Security::None, Vec::new()))
        .await
        .unwrap();
    s.run(Command::MailFrom {
        address: "x@foreign.test".into(),
        size: None,
        eight_bit: false,
        smtputf8: false,
    })
    .await
    .unwrap();
    let relay = s
        .run(Command::RcptTo("x@elsewhere.test".into()))
        .await
        .unwrap();
    assert_eq!(
        (relay.code, relay.enhanced.as_deref()),
        (554, Some("5.7.1"))
    );
    assert!(explain(&relay).plain.unwrap().contains("relay"));
    let unknown = s
        .run(Command::RcptTo("nobody@example.test".into()))
        .await
        .unwrap();
    assert_eq!(
        (unknown.code, unknown.enhanced.as_deref()),
        (550, Some("5.1.1"))
    );
    assert!(explain(&unknown).plain.unwrap().contains("does not exist"));
    s.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_message_arrives_exactly_as_written() {
    let exceptions = trust(10465, &[10465, 10995]).await;
    let mut s = SmtpSession::connect(server(10465, Security::Tls, exceptions.clone()))
        .await
        .unwrap();
    assert_eq!(
        s.login("alice@example.test", Secret::new("alice-password"))
            .await
            .unwrap()
            .code,
        235
    );

    // No argument can add a command: refused before a byte is sent.
    let injected = s
        .run(Command::RcptTo(
            "bob@example.test>\r\nRCPT TO:<eve@elsewhere.test".into(),
        ))
        .await;
    let expected = SmtpError::Command(CommandError::ControlCharacter("address")).to_string();
    assert!(
        matches!(&injected, Err(SessionError::Command(text)) if *text == expected),
        "{injected:?}"
    );

    let id = token("smtp");
    // Bare LF endings and lines starting with "." — DATA must carry both intact.
    let message = format!(
        "From: alice@example.test\nTo: bob@example.test\nSubject: {id}\nMessage-ID: <{id}@example.test>\n\n\
         first line\n.a line that starts with a dot\n.\nlast line\n"
    );
    let sent = s
        .send_message(
            "alice@example.test",
            &["bob@example.test", "nobody@example.test"],
            message.as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(sent.accepted, ["bob@example.test"]);
    assert_eq!(
        sent.refused.len(),
        1,
        "partial acceptance is reported per recipient"
    );
    assert_eq!(sent.refused[0].1.enhanced.as_deref(), Some("5.1.1"));
    let data = sent
        .data
        .expect("the message went to the accepted recipient");
    assert_eq!(data.code, 250, "{data:?}");
    s.quit().await.unwrap();

    // Fetch it back as bob.
    let found = fetch_message(
        "bob@example.test",
        "bob-password",
        &format!("Subject: {id}"),
        &exceptions,
    )
    .await;
    let raw = String::from_utf8(found.expect("bob received the message")).unwrap();
    let body = raw.split_once("\r\n\r\n").unwrap().1;
    assert_eq!(
        body,
        "first line\r\n.a line that starts with a dot\r\n.\r\nlast line\r\n"
    );
}
