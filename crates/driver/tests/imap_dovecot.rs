//! The core's IMAP client against real Dovecot (tests/mailserver.sh) through the native
//! driver, every operation in plain, STARTTLS and implicit-TLS modes: sign-in, the special-use folders,
//! APPEND of a composed message to Sent and reading it back byte for byte, a refused
//! password explained, and a folder name that tries to be a second command.

mod common;

use common::{alone, server, token, trust};
use mailscope_core::compose::{build, parse_list, parse_one, Draft, Stamp};
use mailscope_core::imap::{bodies, commands, explain_code, folders, found, Uids};
use mailscope_driver::{Connect, ImapSession, Security};

/// Every operation runs in each mode: plain, STARTTLS, implicit TLS.
const MODES: [(Security, u16); 3] = [
    (Security::None, 10143),
    (Security::StartTls, 10143),
    (Security::Tls, 10993),
];

async fn signed_in(security: Security, port: u16) -> ImapSession {
    let exceptions = trust(10993, &[10143, 10993]).await;
    let mut s = ImapSession::connect(server(port, security, exceptions))
        .await
        .unwrap();
    let login = s
        .run(commands::login("alice@example.test", "alice-password").unwrap())
        .await
        .unwrap();
    assert!(login.is_ok(), "{}", login.summary());
    // Dovecot lists what it can do in LOGIN's OK: no CAPABILITY round trip is needed.
    let caps = mailscope_core::imap::capabilities(&login);
    assert!(caps.iter().any(|c| c == "IDLE"), "{caps:?}");
    s
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn every_mode_signs_in_and_lists_the_special_use_folders() {
    let _turn = alone().await;
    for (security, port) in [
        (Security::None, 10143),
        (Security::StartTls, 10143),
        (Security::Tls, 10993),
    ] {
        let mut s = signed_in(security, port).await;
        assert_eq!(s.is_tls(), security != Security::None);
        let list = s.run(commands::list_all()).await.unwrap();
        assert!(list.is_ok());
        let all = folders(&list);
        for (name, role) in [
            ("Sent", "\\Sent"),
            ("Drafts", "\\Drafts"),
            ("Trash", "\\Trash"),
            ("Archive", "\\Archive"),
            ("Junk", "\\Junk"),
        ] {
            let f = all
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{name} in {all:?}"));
            assert!(f.1.iter().any(|a| a == role), "{name}: {:?}", f.1);
        }
        assert!(all.iter().any(|(n, _)| n == "INBOX"));
        let bye = s.run(commands::logout()).await.unwrap();
        assert!(bye.is_ok());
        let transcript: Vec<String> = s.transcript().into_iter().map(|(_, t)| t).collect();
        assert!(
            transcript.iter().any(|l| l.ends_with("LOGIN ***")),
            "{transcript:?}"
        );
        assert!(!transcript.iter().any(|l| l.contains("alice-password")));
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_wrong_password_is_refused_with_its_code_explained() {
    let _turn = alone().await;
    let exceptions = trust(10993, &[10993]).await;
    let mut s = ImapSession::connect(server(10993, Security::Tls, exceptions))
        .await
        .unwrap();
    let no = s
        .run(commands::login("alice@example.test", "wrong").unwrap())
        .await
        .unwrap();
    assert!(!no.is_ok());
    assert_eq!(
        no.code_name().as_deref(),
        Some("AUTHENTICATIONFAILED"),
        "{}",
        no.summary()
    );
    assert!(no.explained().contains("password was refused"));
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_sent_copy_is_appended_and_read_back_byte_for_byte() {
    let _turn = alone().await;
    let id = token("imap-append");
    let draft = Draft {
        from: Some(parse_one("Alice <alice@example.test>").unwrap()),
        to: parse_list("bob@example.test").unwrap(),
        subject: format!("{id} Grüße"),
        text: "Kept in Sent.\r\n.\r\nwith a line of one dot.".into(),
        ..Draft::default()
    };
    let built = build(
        &draft,
        Stamp {
            unix_time: 1_795_000_000,
            random: [3; 16],
        },
    )
    .unwrap();
    for (security, port) in MODES {
        let mut s = signed_in(security, port).await;
        let appended = s
            .run(commands::append("Sent", &built.bytes, true, false).unwrap())
            .await
            .unwrap();
        assert!(appended.is_ok(), "{}", appended.summary());
        assert!(
            mailscope_core::imap::appended(&appended).is_some(),
            "{:?}",
            appended.code
        );
        let selected = s.run(commands::select("Sent").unwrap()).await.unwrap();
        assert!(selected.is_ok());
        let search = s
            .run(commands::search_header("Message-ID", &built.message_id).unwrap())
            .await
            .unwrap();
        let uids = found(&search);
        assert_eq!(uids.len(), 1, "{}", search.summary());
        // APPENDUID names the very message, in the folder's current UIDVALIDITY.
        let (validity, uid) = mailscope_core::imap::appended(&appended).unwrap();
        assert_eq!(uid, uids[0]);
        assert_eq!(
            mailscope_core::imap::uid_validity(&selected),
            Some(validity)
        );
        let fetched = s
            .run(commands::fetch_message(uids[0]).unwrap())
            .await
            .unwrap();
        assert_eq!(bodies(&fetched), vec![built.bytes.clone()]);
        // Tidy up: delete it again.
        assert!(s
            .run(commands::mark_deleted(uids[0]).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(s.run(commands::expunge()).await.unwrap().is_ok());
        let again = s
            .run(commands::search_header("Message-ID", &built.message_id).unwrap())
            .await
            .unwrap();
        assert!(found(&again).is_empty());
        s.run(commands::logout()).await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_folder_name_cannot_become_a_second_command() {
    let _turn = alone().await;
    for (security, port) in MODES {
        let mut s = signed_in(security, port).await;
        // INBOX cannot be deleted anyway: the victim is a folder that can.
        let victim = token("victim");
        assert!(s
            .run(commands::create(&victim).unwrap())
            .await
            .unwrap()
            .is_ok());
        let hostile = format!("x\r\nM99 DELETE {victim}");
        match commands::create(&hostile) {
            // Sent as a literal: the server sees one (odd) name, or refuses it.
            Ok(body) => {
                let created = s.run(body).await.unwrap();
                if created.is_ok() {
                    assert!(s
                        .run(commands::delete(&hostile).unwrap())
                        .await
                        .unwrap()
                        .is_ok());
                }
            }
            // Or refused before a byte is sent.
            Err(e) => assert!(e.to_string().contains("folder name"), "{e}"),
        }
        let list = s.run(commands::list_all()).await.unwrap();
        let names = folders(&list);
        assert!(
            names.iter().any(|(n, _)| *n == victim),
            "{victim} is still there: {names:?}"
        );
        assert!(names.iter().any(|(n, _)| n == "INBOX"));
        assert!(s
            .run(commands::delete(&victim).unwrap())
            .await
            .unwrap()
            .is_ok());
        // Quotes, backslashes and a literal marker are data too.
        // (Each behind this run's token, so that one left by a failed run is not met again.)
        let t = token("odd");
        for name in [
            format!("{t} a \"quoted\" \\ name"),
            format!("{t} {{5}}"),
            format!("{t} Grüße & 台北"),
        ] {
            let name = name.as_str();
            let created = s.run(commands::create(name).unwrap()).await.unwrap();
            assert!(created.is_ok(), "{name}: {}", created.summary());
            let list = s.run(commands::list_all()).await.unwrap();
            assert!(
                folders(&list).iter().any(|(n, _)| n == name),
                "{name} listed as itself"
            );
            assert!(s
                .run(commands::delete(name).unwrap())
                .await
                .unwrap()
                .is_ok());
        }
        // Unicode names travel in modified UTF-7 and come back as typed.
        assert!(
            s.transcript()
                .iter()
                .any(|(sent, t)| *sent && t.contains("&U,BTFw-")),
            "encoded on the wire"
        );
        s.run(commands::logout()).await.unwrap();
    }
}

fn message(subject: &str) -> Vec<u8> {
    format!("From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: {subject}\r\nMessage-ID: <{subject}@example.test>\r\n\r\nHello.\r\n").into_bytes()
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn counts_list_search_marks_copy_move_rename_and_expunge() {
    let _turn = alone().await;
    use mailscope_core::imap::commands::{Mark, Query};
    use mailscope_core::imap::{counts, summaries};
    for (security, port) in MODES {
        let mut s = signed_in(security, port).await;
        let t = token("work");
        let (work, other, renamed) = (format!("{t}-a"), format!("{t}-b"), format!("{t}-ü"));
        for f in [&work, &other] {
            let done = s.run(commands::create(f).unwrap()).await.unwrap();
            assert!(
                done.is_ok(),
                "CREATE {f}: {:?} {:?} {}",
                done.kind,
                done.code,
                done.text
            );
        }
        for subject in [format!("{t}-one"), format!("{t}-two")] {
            assert!(s
                .run(commands::append(&work, &message(&subject), false, false).unwrap())
                .await
                .unwrap()
                .is_ok());
        }
        assert_eq!(
            counts(&s.run(commands::status(&work).unwrap()).await.unwrap()),
            Some((2, 2))
        );

        assert!(s
            .run(commands::examine(&work).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(s
            .run(commands::select(&work).unwrap())
            .await
            .unwrap()
            .is_ok());
        let rows = summaries(
            &s.run(commands::summaries(&Uids::all()).unwrap())
                .await
                .unwrap(),
        );
        let subjects: Vec<&str> = rows.iter().map(|r| r.subject.as_str()).collect();
        assert_eq!(subjects, [format!("{t}-one"), format!("{t}-two")]);
        assert!(rows
            .iter()
            .all(|r| !r.seen && r.size > 0 && r.from == "Bob <bob@example.test>"));

        let two = found(
            &s.run(
                commands::search(&Query {
                    subject: Some(format!("{t}-two")),
                    ..Query::default()
                })
                .unwrap(),
            )
            .await
            .unwrap(),
        );
        assert_eq!(two.len(), 1);
        let (two_uid, one_uid) = (two[0], rows[0].uid);
        let two = Uids::one(two_uid).unwrap();
        let one = Uids::one(one_uid).unwrap();
        assert!(s
            .run(commands::mark(&two, Mark::Seen, true).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(s
            .run(commands::mark(&two, Mark::Flagged, true).unwrap())
            .await
            .unwrap()
            .is_ok());
        let flagged = found(
            &s.run(
                commands::search(&Query {
                    flagged: true,
                    ..Query::default()
                })
                .unwrap(),
            )
            .await
            .unwrap(),
        );
        assert_eq!(flagged, [two_uid]);
        let unseen = found(
            &s.run(
                commands::search(&Query {
                    unseen: true,
                    ..Query::default()
                })
                .unwrap(),
            )
            .await
            .unwrap(),
        );
        assert_eq!(unseen, [one_uid]);

        // Copy one, move the other: `work` keeps one, `other` gets both.
        assert!(s
            .run(commands::copy(&one, &other).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(s
            .run(commands::move_to(&two, &other).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert_eq!(
            summaries(
                &s.run(commands::summaries(&Uids::all()).unwrap())
                    .await
                    .unwrap()
            )
            .len(),
            1
        );
        // UID EXPUNGE removes only the message named.
        assert!(s
            .run(commands::mark(&one, Mark::Deleted, true).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(s
            .run(commands::expunge_uids(&one).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(summaries(
            &s.run(commands::summaries(&Uids::all()).unwrap())
                .await
                .unwrap()
        )
        .is_empty());

        assert!(s
            .run(commands::rename(&other, &renamed).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert!(s
            .run(commands::subscribe(&renamed).unwrap())
            .await
            .unwrap()
            .is_ok());
        assert_eq!(
            counts(&s.run(commands::status(&renamed).unwrap()).await.unwrap()),
            Some((2, 1))
        );
        let names: Vec<String> = folders(&s.run(commands::list_all()).await.unwrap())
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert!(
            names.contains(&renamed) && !names.contains(&other),
            "{names:?}"
        );
        // A target folder that is not there: NO [TRYCREATE], explained.
        assert!(s
            .run(commands::select(&renamed).unwrap())
            .await
            .unwrap()
            .is_ok());
        let missing = s
            .run(commands::copy(&Uids::all(), &format!("{t}-nowhere")).unwrap())
            .await
            .unwrap();
        assert!(!missing.is_ok());
        assert_eq!(
            missing.code_name().as_deref(),
            Some("TRYCREATE"),
            "{}",
            missing.summary()
        );
        assert!(explain_code("TRYCREATE").contains("create it first"));
        assert!(s
            .run(commands::select("INBOX").unwrap())
            .await
            .unwrap()
            .is_ok());
        for f in [&work, &renamed] {
            assert!(s.run(commands::delete(f).unwrap()).await.unwrap().is_ok());
        }
        s.run(commands::logout()).await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn authenticate_plain_with_and_without_an_initial_response() {
    let _turn = alone().await;
    let exceptions = trust(10993, &[10993]).await;
    for sasl_ir in [true, false] {
        let mut s = ImapSession::connect(server(10993, Security::Tls, exceptions.clone()))
            .await
            .unwrap();
        let ok = s
            .authenticate_plain("alice@example.test", "alice-password", sasl_ir)
            .await
            .unwrap();
        assert!(ok.is_ok(), "{}", ok.summary());
        let wrong = {
            let mut w = ImapSession::connect(server(10993, Security::Tls, exceptions.clone()))
                .await
                .unwrap();
            w.authenticate_plain("alice@example.test", "nope", sasl_ir)
                .await
                .unwrap()
        };
        assert_eq!(wrong.code_name().as_deref(), Some("AUTHENTICATIONFAILED"));
        let transcript: Vec<String> = s.transcript().into_iter().map(|(_, t)| t).collect();
        assert!(
            transcript
                .iter()
                .any(|l| l.ends_with("AUTHENTICATE PLAIN ***")),
            "{transcript:?}"
        );
        assert!(
            !transcript
                .iter()
                .any(|l| l.contains("alice-password") || l.contains("YWxpY2")),
            "{transcript:?}"
        );
        s.run(commands::logout()).await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn idle_reports_a_message_delivered_meanwhile() {
    let _turn = alone().await;
    use mailscope_core::imap::types::response::Data;
    for (security, port) in MODES {
        let mut s = signed_in(security, port).await;
        assert!(s
            .run(commands::select("INBOX").unwrap())
            .await
            .unwrap()
            .is_ok());
        // An IDLE that ends on its timer (as the page's does every 25 minutes) brings nothing
        // and leaves the session ready for the next one.
        let quiet = s
            .idle(tokio::time::sleep(std::time::Duration::from_millis(150)))
            .await
            .unwrap()
            .0;
        assert!(quiet.is_empty(), "{quiet:?}");
        let id = token("idle");
        let subject = id.clone();
        let deliver = tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let mut smtp =
                mailscope_driver::SmtpSession::connect(server(10025, Security::None, Vec::new()))
                    .await
                    .unwrap();
            let message = format!("From: bob@example.test\r\nTo: alice@example.test\r\nSubject: {subject}\r\n\r\nNew.\r\n");
            let sent = smtp
                .send_message(
                    "bob@example.test",
                    &["alice@example.test"],
                    message.as_bytes(),
                )
                .await
                .unwrap();
            assert_eq!(sent.accepted.len(), 1);
            smtp.quit().await.unwrap();
        });
        let news = s
            .idle(tokio::time::sleep(std::time::Duration::from_secs(20)))
            .await
            .unwrap()
            .0;
        deliver.await.unwrap();
        assert!(
            news.iter().any(|d| matches!(d, Data::Exists(_))),
            "{news:?}"
        );
        let transcript: Vec<String> = s.transcript().into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            transcript.iter().filter(|l| *l == "DONE").count(),
            2,
            "{transcript:?}"
        );
        // Tidy: remove it again.
        let uids = found(
            &s.run(commands::search_header("Subject", &id).unwrap())
                .await
                .unwrap(),
        );
        assert_eq!(uids.len(), 1);
        let u = Uids::one(uids[0]).unwrap();
        s.run(commands::mark(&u, commands::Mark::Deleted, true).unwrap())
            .await
            .unwrap();
        s.run(commands::expunge_uids(&u).unwrap()).await.unwrap();
        s.run(commands::logout()).await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn move_without_the_move_extension_and_rows_as_shown() {
    let _turn = alone().await;
    use mailscope_core::imap::commands::Query;
    use mailscope_core::imap::{capabilities, counts, summaries};
    for (security, port) in MODES {
        let mut s = signed_in(security, port).await;
        let caps = capabilities(&s.run(commands::capability()).await.unwrap());
        assert!(
            caps.iter().any(|c| c == "MOVE"),
            "Dovecot offers MOVE: {caps:?}"
        );
        let t = token("plan");
        let (from, to) = (format!("{t}-from"), format!("{t}-to"));
        for f in [&from, &to] {
            assert!(s.run(commands::create(f).unwrap()).await.unwrap().is_ok());
        }
        // An encoded-word subject and a named sender, as the list shows them.
        let raw = format!(
        "From: =?UTF-8?B?w5xsbGE=?= <ulla@example.test>\r\nTo: alice@example.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_{t}?=\r\n\r\nHallo.\r\n"
    );
        for body in [raw.into_bytes(), message(&format!("{t}-keep"))] {
            assert!(s
                .run(commands::append(&from, &body, false, false).unwrap())
                .await
                .unwrap()
                .is_ok());
        }
        assert!(s
            .run(commands::select(&from).unwrap())
            .await
            .unwrap()
            .is_ok());
        let rows = summaries(&s.run(commands::summaries_at(1..=2).unwrap()).await.unwrap());
        assert_eq!(rows[0].subject, format!("Grüße {t}"));
        assert_eq!(rows[0].from, "Ülla <ulla@example.test>");
        assert_eq!((rows[0].seq, rows[1].seq), (1, 2));
        assert!(
            rows[0].date.starts_with("20"),
            "INTERNALDATE: {}",
            rows[0].date
        );

        // Answered and forwarded marks come back on the row.
        let second = Uids::one(rows[1].uid).unwrap();
        for m in [commands::Mark::Answered, commands::Mark::Forwarded] {
            let done = s
                .run(commands::mark(&second, m, true).unwrap())
                .await
                .unwrap();
            assert!(done.is_ok(), "{}", done.summary());
        }
        let again = summaries(&s.run(commands::summaries(&second).unwrap()).await.unwrap());
        assert!(again[0].answered && again[0].forwarded, "{again:?}");
        assert!(!rows[0].answered && !rows[0].forwarded);

        // SINCE: everything arrived today, nothing is from the future.
        let since = |y| {
            commands::search(&Query {
                since: Some((y, 1, 1)),
                ..Query::default()
            })
            .unwrap()
        };
        assert_eq!(found(&s.run(since(2000)).await.unwrap()).len(), 2);
        assert!(found(&s.run(since(2999)).await.unwrap()).is_empty());
        assert!(commands::search(&Query {
            since: Some((2026, 2, 30)),
            ..Query::default()
        })
        .is_err());

        // The plan for a server without MOVE, run against Dovecot: COPY, \Deleted, UID EXPUNGE.
        let uid = Uids::one(rows[0].uid).unwrap();
        let plan = commands::move_plan(&uid, &to, false).unwrap();
        assert_eq!(plan.len(), 3);
        for c in plan {
            assert!(s.run(c).await.unwrap().is_ok());
        }
        assert!(!s
            .transcript()
            .iter()
            .any(|(sent, t)| *sent && t.contains("MOVE")));
        // Only the moved message left; the other one (not \Deleted) stayed.
        assert_eq!(
            counts(&s.run(commands::status(&from).unwrap()).await.unwrap()),
            Some((1, 1))
        );
        assert_eq!(
            counts(&s.run(commands::status(&to).unwrap()).await.unwrap()),
            Some((1, 1))
        );
        let left = summaries(
            &s.run(commands::summaries(&Uids::all()).unwrap())
                .await
                .unwrap(),
        );
        assert_eq!(left[0].subject, format!("{t}-keep"));
        assert_eq!(commands::move_plan(&uid, &to, true).unwrap().len(), 1);
        // Tidy: both folders go (the selected one after leaving it).
        assert!(s
            .run(commands::select("INBOX").unwrap())
            .await
            .unwrap()
            .is_ok());
        for f in [&from, &to] {
            assert!(s.run(commands::delete(f).unwrap()).await.unwrap().is_ok());
        }
        s.run(commands::logout()).await.unwrap();
    }
}
