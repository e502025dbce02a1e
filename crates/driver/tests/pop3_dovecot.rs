//! The core's POP3 machine against real Dovecot (tests/mailserver.sh), through the native
//! driver, in all three security modes: implicit TLS (10995), STLS (10110) and plain
//! (10110, loopback only). Mail for bob arrives through Postfix (10025). One test, in order,
//! because the steps share bob's mailbox.

mod common;

use common::{server, token, trust};
use std::time::Duration;

use mailscope_core::pop3::{Command, Data, Kind, Secret, Status};
use mailscope_core::tls::Exception;
use mailscope_driver::{Connect, Pop3Session, Security};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const USER: &str = "bob@example.test";
const PASSWORD: &str = "bob-password";

/// Delivers a message to bob through Postfix's MX port.
async fn deliver(subject: &str, body: &str) {
    let mut s = BufReader::new(TcpStream::connect(("127.0.0.1", 10025)).await.unwrap());
    let mut line = String::new();
    let mut expect = async |s: &mut BufReader<TcpStream>, send: &str, code: &str| {
        if !send.is_empty() {
            s.get_mut().write_all(send.as_bytes()).await.unwrap();
        }
        loop {
            line.clear();
            s.read_line(&mut line).await.unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
        assert!(line.starts_with(code), "{send:?}: {line}");
    };
    expect(&mut s, "", "220").await;
    expect(&mut s, "EHLO client.test\r\n", "250").await;
    expect(&mut s, "MAIL FROM:<carol@sender.test>\r\n", "250").await;
    expect(&mut s, "RCPT TO:<bob@example.test>\r\n", "250").await;
    expect(&mut s, "DATA\r\n", "354").await;
    let message = format!(
        "From: carol@sender.test\r\nTo: bob@example.test\r\nSubject: {subject}\r\n\
         Message-ID: <{subject}@sender.test>\r\n\r\n{body}\r\n.\r\n"
    );
    expect(&mut s, &message, "250").await;
    expect(&mut s, "QUIT\r\n", "221").await;
}

async fn login(security: Security, port: u16, exceptions: &[Exception]) -> Pop3Session {
    let mut pop = Pop3Session::connect(server(port, security, exceptions.to_vec()))
        .await
        .unwrap();
    if pop
        .capabilities
        .iter()
        .any(|c| c.eq_ignore_ascii_case("SASL PLAIN"))
    {
        pop.ok(Command::AuthPlain {
            user: USER.into(),
            password: Secret::new(PASSWORD),
        })
        .await
        .unwrap();
    } else {
        pop.ok(Command::User(USER.into())).await.unwrap();
        pop.ok(Command::Pass(Secret::new(PASSWORD))).await.unwrap();
    }
    pop
}

/// Message numbers and unique ids of the messages whose header carries `token`.
async fn with_token(pop: &mut Pop3Session, token: &str) -> Vec<(u32, String)> {
    let Data::Uidl(all) = pop.ok(Command::Uidl(None)).await.unwrap().data else {
        panic!("UIDL gives a listing")
    };
    let mut out = Vec::new();
    for (n, uid) in all {
        let Data::Message(head) = pop.ok(Command::Top(n, 0)).await.unwrap().data else {
            panic!("TOP gives the header")
        };
        let head = String::from_utf8_lossy(&head).to_string();
        if let Some(at) = head.find(&format!("{token}-")) {
            // In the order they were written (`{token}-0`, `-1`…), whatever order LMTP
            // delivered them in.
            let index: String = head[at + token.len() + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            out.push((index.parse::<u32>().unwrap_or(u32::MAX), n, uid));
        }
    }
    out.sort();
    out.into_iter().map(|(_, n, uid)| (n, uid)).collect()
}

async fn stat(pop: &mut Pop3Session) -> (u32, u64) {
    match pop.ok(Command::Stat).await.unwrap().data {
        Data::Stat { count, size } => (count, size),
        other => panic!("STAT gave {other:?}"),
    }
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn pop3_against_dovecot_in_all_three_modes() {
    let token = token("pop3");
    let big_body = "x".repeat(75) + "\r\n";
    for i in 0..3 {
        let body = if i == 2 {
            format!(
                "..a line that starts with a dot\r\n{}",
                big_body.repeat(4000)
            )
        } else {
            format!("message {i}")
        };
        deliver(&format!("{token}-{i}"), &body).await;
    }
    let exceptions = trust(10995, &[10995, 10110]).await;

    // Implicit TLS: read everything, delete nothing.
    let mut pop = login(Security::Tls, 10995, &exceptions).await;
    assert!(pop.is_tls());
    assert!(
        pop.capabilities.iter().any(|c| c == "UIDL"),
        "{:?}",
        pop.capabilities
    );
    let mut mine = Vec::new();
    for _ in 0..60 {
        mine = with_token(&mut pop, &token).await;
        if mine.len() == 3 {
            break;
        }
        // LMTP delivery is asynchronous; a new session sees new mail.
        pop.ok(Command::Quit).await.unwrap();
        tokio::time::sleep(Duration::from_millis(250)).await;
        pop = login(Security::Tls, 10995, &exceptions).await;
    }
    assert_eq!(mine.len(), 3, "bob's three messages arrived");
    let (count, size) = stat(&mut pop).await;
    let Data::List(list) = pop.ok(Command::List(None)).await.unwrap().data else {
        panic!()
    };
    assert_eq!(list.len() as u32, count);
    assert_eq!(list.iter().map(|(_, s)| s).sum::<u64>(), size);
    let big = mine[2].0;
    let Data::List(one) = pop.ok(Command::List(Some(big))).await.unwrap().data else {
        panic!()
    };
    let mut seen = Vec::new();
    let reply = pop
        .run_with_progress(Command::Retr(big), |n| seen.push(n))
        .await
        .unwrap();
    let Data::Message(raw) = reply.data else {
        panic!()
    };
    assert_eq!(
        raw.len() as u64,
        one[0].1,
        "RETR gives LIST's size, dot-stuffing undone"
    );
    assert!(raw
        .windows(33)
        .any(|w| w == b"\r\n.a line that starts with a dot\r"));
    assert!(
        !seen.is_empty() && seen.windows(2).all(|w| w[0] < w[1]),
        "progress rises"
    );
    let report = mailscope_core::analyze(&raw).unwrap();
    assert_eq!(report.subject, Some(format!("{token}-2")));
    pop.ok(Command::Noop).await.unwrap();
    pop.ok(Command::Quit).await.unwrap();

    // STLS: delete, take it back with RSET, delete again and commit with QUIT.
    let mut pop = login(Security::StartTls, 10110, &exceptions).await;
    assert!(pop.is_tls(), "STLS put TLS in place");
    let (before, _) = stat(&mut pop).await;
    let mine = with_token(&mut pop, &token).await;
    for (n, _) in &mine {
        pop.ok(Command::Dele(*n)).await.unwrap();
    }
    let again = pop.run(Command::Retr(mine[0].0)).await.unwrap();
    assert!(
        matches!(again.status, Status::Err { .. }),
        "a deleted message is gone: {again:?}"
    );
    pop.ok(Command::Rset).await.unwrap();
    assert_eq!(stat(&mut pop).await.0, before, "RSET undid the deletions");
    for (n, _) in &mine {
        pop.ok(Command::Dele(*n)).await.unwrap();
    }
    // Nothing is deleted before QUIT: a second session still sees everything.
    let mut other = login(Security::Tls, 10995, &exceptions).await;
    assert_eq!(with_token(&mut other, &token).await.len(), 3);
    other.ok(Command::Quit).await.unwrap();
    pop.ok(Command::Quit).await.unwrap();

    // Plain (loopback only): the deletions took effect at QUIT.
    let mut pop = login(Security::None, 10110, &exceptions).await;
    assert!(!pop.is_tls());
    assert_eq!(stat(&mut pop).await.0, before - 3);
    assert!(with_token(&mut pop, &token).await.is_empty());
    pop.ok(Command::Quit).await.unwrap();

    // A wrong password is a reply with its response code; the transcript hides passwords.
    let mut pop = Pop3Session::connect(server(10995, Security::Tls, exceptions.clone()))
        .await
        .unwrap();
    pop.ok(Command::User(USER.into())).await.unwrap();
    let refused = pop
        .run(Command::Pass(Secret::new("wrong-password")))
        .await
        .unwrap();
    assert_eq!(refused.command, Kind::Pass);
    assert_eq!(
        refused.status,
        Status::Err {
            code: Some("AUTH".into())
        }
    );
    let transcript: Vec<String> = pop.transcript().into_iter().map(|(_, t)| t).collect();
    assert!(
        transcript.contains(&"PASS ***".to_string()),
        "{transcript:?}"
    );
    assert!(!transcript.iter().any(|l| l.contains("wrong-password")));
}
