//! Messages built by `compose`, read back with the parser the inspector uses: what the user
//! wrote arrives, and nothing they typed becomes a header.

use mail_parser::{MessageParser, MimeHeaders};
use mailscope_core::compose::{build, parse_list, parse_one, Attachment, Draft, Stamp};

const STAMP: Stamp = Stamp {
    unix_time: 1_795_000_000,
    random: [7; 16],
};

fn draft() -> Draft {
    Draft {
        from: Some(parse_one("Alice Example <alice@example.test>").unwrap()),
        to: parse_list("Bob <bob@example.test>").unwrap(),
        cc: parse_list("carol@example.test").unwrap(),
        bcc: parse_list("dave@example.test, BOB@example.test").unwrap(),
        subject: "Grüße, 你好".into(),
        text: "Line one\r\n.\r\nA line of a single dot above, and this one ends the text.\n".into(),
        ..Draft::default()
    }
}

#[test]
fn headers_body_and_recipients() {
    let built = build(&draft(), STAMP).unwrap();
    assert_eq!(built.sender, "alice@example.test");
    assert_eq!(
        built.recipients,
        [
            "bob@example.test",
            "carol@example.test",
            "dave@example.test"
        ]
    );
    let m = MessageParser::default().parse(&built.bytes).unwrap();
    assert_eq!(m.subject(), Some("Grüße, 你好"));
    assert_eq!(
        m.from().unwrap().first().unwrap().name(),
        Some("Alice Example")
    );
    assert_eq!(m.message_id(), Some(built.message_id.as_str()));
    assert!(built.message_id.ends_with("@example.test"));
    assert_eq!(m.date().unwrap().to_timestamp(), STAMP.unix_time);
    assert!(
        m.body_text(0).unwrap().contains("Line one\r\n.\r\nA line"),
        "{:?}",
        m.body_text(0)
    );
    let text = String::from_utf8_lossy(&built.bytes);
    assert!(
        !text.to_ascii_lowercase().contains("bcc:"),
        "Bcc recipients are in the envelope only"
    );
    assert!(!text.contains("dave@"), "{text}");
    assert!(
        built.bytes.is_ascii(),
        "non-ASCII headers and text are encoded"
    );
}

#[test]
fn attachments_arrive_byte_identical_with_their_names() {
    let mut d = draft();
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    d.attachments.push(Attachment {
        name: "Bericht über\r\nBcc: eve@evil.example.pdf".into(),
        content_type: "application/pdf\r\nX-Evil: 1".into(),
        bytes: bytes.clone(),
    });
    d.html = Some("<p>Hello</p>".into());
    let built = build(&d, STAMP).unwrap();
    let m = MessageParser::default().parse(&built.bytes).unwrap();
    let a = m.attachment(0).unwrap();
    assert_eq!(a.contents(), &bytes[..]);
    assert_eq!(
        a.attachment_name(),
        Some("Bericht über  Bcc: eve@evil.example.pdf")
    );
    assert_eq!(m.body_html(0).as_deref(), Some("<p>Hello</p>"));
    let text = String::from_utf8_lossy(&built.bytes);
    assert!(
        !text.contains("X-Evil"),
        "a bad content type is replaced, not passed on"
    );
    assert!(text.contains("application/octet-stream"));
    assert!(!text
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("bcc:")));
}

#[test]
fn injection_in_subject_and_names_stays_on_its_line() {
    let mut d = draft();
    d.subject = "Hello\r\nBcc: eve@evil.example\r\n\r\nfake body".into();
    d.from = Some(mailscope_core::compose::Mailbox {
        name: Some("Alice\r\nBcc: eve@evil.example".into()),
        address: "alice@example.test".into(),
    });
    d.in_reply_to = Some("<orig@example.test>".into());
    d.references = vec!["a@example.test".into(), "<orig@example.test>".into()];
    let built = build(&d, STAMP).unwrap();
    let m = MessageParser::default().parse(&built.bytes).unwrap();
    assert_eq!(m.header_values("Bcc").count(), 0);
    assert_eq!(
        m.subject(),
        Some("Hello  Bcc: eve@evil.example    fake body")
    );
    assert_eq!(m.in_reply_to().as_text(), Some("orig@example.test"));
    assert_eq!(
        m.references().as_text_list().unwrap(),
        ["a@example.test", "orig@example.test"]
    );
    d.in_reply_to = Some("a@b\r\nBcc: x".into());
    assert!(build(&d, STAMP).is_err());
    // A mailbox built by hand is checked too.
    d.in_reply_to = None;
    d.to.push(mailscope_core::compose::Mailbox {
        name: None,
        address: "x@y.test>\r\nRCPT TO:<eve@evil.example".into(),
    });
    assert!(build(&d, STAMP).is_err());
}

#[test]
fn refuses_without_sender_or_recipients() {
    let mut d = draft();
    d.from = None;
    assert!(build(&d, STAMP).is_err());
    let mut d = draft();
    d.to.clear();
    d.cc.clear();
    d.bcc.clear();
    assert_eq!(
        build(&d, STAMP).unwrap_err().to_string(),
        "add at least one recipient (To, Cc or Bcc)"
    );
}

#[test]
fn a_forwarded_message_travels_as_itself() {
    use mailscope_core::compose::{respond, Respond};
    let original = b"From: Ann <ann@example.org>\r\nSubject: Plans\r\nMessage-ID: <m2@example.org>\r\n\r\nSee you at 10.\r\n";
    let mut d = respond(original, Respond::ForwardAsAttachment, "alice@example.test").unwrap();
    d.from = draft().from;
    d.to = parse_list("bob@example.test").unwrap();
    let built = build(&d, STAMP).unwrap();
    let text = String::from_utf8_lossy(&built.bytes);
    assert!(text.contains("Content-Type: message/rfc822"), "{text}");
    assert!(text.contains("Content-Transfer-Encoding: 7bit"), "{text}");
    let m = MessageParser::default().parse(&built.bytes).unwrap();
    assert_eq!(m.subject(), Some("Fwd: Plans"));
    let inner = m
        .attachment(0)
        .unwrap()
        .message()
        .expect("parsed as a message");
    assert_eq!(inner.subject(), Some("Plans"));
    assert_eq!(inner.message_id(), Some("m2@example.org"));
}

#[test]
fn a_draft_may_have_no_recipients_yet() {
    use mailscope_core::compose::build_draft;
    let mut d = draft();
    d.to.clear();
    d.cc.clear();
    d.bcc.clear();
    let built = build_draft(&d, STAMP).unwrap();
    assert!(built.recipients.is_empty());
    let m = MessageParser::default().parse(&built.bytes).unwrap();
    assert_eq!(m.subject(), Some("Grüße, 你好"));
}
