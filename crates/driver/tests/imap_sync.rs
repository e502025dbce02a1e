//! A folder kept by the client brought up to date against real Dovecot (tests/mailserver.sh):
//! QRESYNC naming only what changed, the sweep for servers without it, a new UIDVALIDITY
//! dropping what was kept, IDLE's news applied to the kept state, and conversations by the
//! server's THREAD and by the local threading — the flows the web mail runs.

mod common;

use std::time::Duration;

use common::{alone, server, token, trust};
use mailscope_core::imap::{commands, threads, Uids};
use mailscope_driver::{Connect, ImapSession, Security};
use mailscope_session::imap::SyncKind;

async fn signed_in(declined: &[&str]) -> ImapSession {
    let exceptions = trust(10993, &[10993]).await;
    let mut s = ImapSession::connect(server(10993, Security::Tls, exceptions))
        .await
        .unwrap();
    for d in declined {
        s.decline(d);
    }
    s.login("alice@example.test", "alice-password")
        .await
        .unwrap();
    s
}

fn message(n: u32, id: &str, refs: &[String], subject: &str) -> Vec<u8> {
    let mut m = format!(
        "From: Ann <ann@example.test>\r\nTo: alice@example.test\r\nSubject: {subject}\r\n\
         Date: Mon, {n} Nov 2026 10:00:00 +0000\r\nMessage-ID: {id}\r\n"
    );
    if let Some(last) = refs.last() {
        m += &format!("In-Reply-To: {last}\r\nReferences: {}\r\n", refs.join(" "));
    }
    m += &format!("\r\nMessage {n}.\r\n");
    m.into_bytes()
}

/// A new folder holding a conversation of an opening and five replies (each referring to
/// all before it) and two messages of their own.
async fn folder_with_a_conversation(s: &mut ImapSession, name: &str) -> Vec<String> {
    assert!(s
        .run(commands::create(name).unwrap())
        .await
        .unwrap()
        .is_ok());
    let mut ids = Vec::new();
    for n in 1..=6 {
        let id = format!("<{n}.{name}@example.test>");
        let subject = if n == 1 {
            "Plans".to_string()
        } else {
            "Re: Plans".to_string()
        };
        s.append(name, &message(n, &id, &ids, &subject), false)
            .await
            .unwrap();
        ids.push(id);
    }
    for n in 7..=8 {
        let id = format!("<{n}.{name}@example.test>");
        s.append(name, &message(n, &id, &[], &format!("Alone {n}")), false)
            .await
            .unwrap();
    }
    ids
}

fn sent_since(s: &ImapSession, from: usize) -> Vec<String> {
    s.transcript()
        .into_iter()
        .skip(from)
        .filter(|(sent, _)| *sent)
        .map(|(_, l)| l)
        .collect()
}

/// From a second connection: the first message flagged, two expunged, one appended.
async fn change_elsewhere(name: &str, uids: &[u32]) -> u32 {
    let mut b = signed_in(&[]).await;
    assert!(b
        .run(commands::select(name).unwrap())
        .await
        .unwrap()
        .is_ok());
    let first = Uids::one(uids[0]).unwrap();
    assert!(b
        .run(commands::mark(&first, commands::Mark::Flagged, true).unwrap())
        .await
        .unwrap()
        .is_ok());
    let two = Uids::of(&uids[6..8]).unwrap();
    b.run(commands::mark(&two, commands::Mark::Deleted, true).unwrap())
        .await
        .unwrap();
    assert!(b
        .run(commands::expunge_uids(&two).unwrap())
        .await
        .unwrap()
        .is_ok());
    let (_, uid) = b
        .append(name, &message(9, "<9@example.test>", &[], "Newer"), false)
        .await
        .unwrap()
        .expect("APPENDUID");
    b.logout().await;
    uid
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn qresync_brings_only_the_changes_and_the_sweep_finds_the_same() {
    let _turn = alone().await;
    let name = token("Sync");
    let mut a = signed_in(&[]).await;
    assert!(
        a.can("QRESYNC"),
        "Dovecot offers QRESYNC: {:?}",
        a.capabilities()
    );
    folder_with_a_conversation(&mut a, &name).await;
    let cold = a.sync_folder(&name, None).await.unwrap();
    assert_eq!(cold.kind, SyncKind::Cold);
    assert_eq!(cold.state.uids.len(), 8);
    assert!(cold.state.modseq.is_some(), "HIGHESTMODSEQ kept");
    let kept = cold.state.clone();
    a.logout().await;

    let new_uid = change_elsewhere(&name, &kept.uids).await;

    // Reopened with QRESYNC: SELECT names the changes; no UID list, no rows fetched.
    let mut a = signed_in(&[]).await;
    let mark = a.transcript().len();
    let synced = a.sync_folder(&name, Some(&kept)).await.unwrap();
    assert_eq!(synced.kind, SyncKind::Qresync);
    assert_eq!(synced.delta.vanished, kept.uids[6..8].to_vec());
    assert_eq!(synced.delta.arrived, vec![new_uid]);
    assert!(
        synced
            .delta
            .flags
            .iter()
            .any(|c| c.uid == kept.uids[0] && c.flagged),
        "{:?} {:?}",
        synced.delta,
        a.transcript()
    );
    let sent = sent_since(&a, mark);
    assert_eq!(sent.len(), 1, "one SELECT and nothing else: {sent:?}");
    assert!(sent[0].contains("(QRESYNC ("), "{sent:?}");
    let mut expected = kept.uids[..6].to_vec();
    expected.push(new_uid);
    assert_eq!(synced.state.uids, expected);
    assert!(synced.state.modseq > kept.modseq);

    // Nothing changed since: the answer is the SELECT alone.
    let again = a.sync_folder(&name, Some(&synced.state)).await.unwrap();
    assert_eq!(again.kind, SyncKind::Qresync);
    assert!(again.delta.vanished.is_empty() && again.delta.arrived.is_empty());
    assert!(again.delta.flags.is_empty(), "{:?}", again.delta.flags);
    a.logout().await;

    // Without QRESYNC the same changes are found by the UID list and a flags sweep.
    let mut c = signed_in(&["QRESYNC", "CONDSTORE"]).await;
    assert!(!c.can("QRESYNC"));
    let swept = c.sync_folder(&name, Some(&kept)).await.unwrap();
    assert_eq!(swept.kind, SyncKind::Sweep);
    assert_eq!(swept.delta.vanished, synced.delta.vanished);
    assert_eq!(swept.delta.arrived, synced.delta.arrived);
    assert!(swept
        .delta
        .flags
        .iter()
        .any(|f| f.uid == kept.uids[0] && f.flagged));
    assert_eq!(swept.state.uids, synced.state.uids);
    let rows = c.rows(&swept.delta.arrived).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].subject, "Newer");
    c.run(commands::delete(&name).unwrap()).await.unwrap();
    c.logout().await;
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_new_uidvalidity_drops_what_was_kept() {
    let _turn = alone().await;
    let name = token("Validity");
    let mut a = signed_in(&[]).await;
    folder_with_a_conversation(&mut a, &name).await;
    let kept = a.sync_folder(&name, None).await.unwrap().state;
    // Deleted and made again: the same name, a new UIDVALIDITY.
    assert!(a
        .run(commands::select("INBOX").unwrap())
        .await
        .unwrap()
        .is_ok());
    assert!(a
        .run(commands::delete(&name).unwrap())
        .await
        .unwrap()
        .is_ok());
    assert!(a
        .run(commands::create(&name).unwrap())
        .await
        .unwrap()
        .is_ok());
    a.append(&name, &message(1, "<x@example.test>", &[], "Fresh"), false)
        .await
        .unwrap();
    let synced = a.sync_folder(&name, Some(&kept)).await.unwrap();
    assert!(synced.delta.dropped);
    assert_eq!(synced.kind, SyncKind::Cold);
    assert_ne!(synced.state.validity, kept.validity);
    assert_eq!(synced.state.uids.len(), 1);
    a.run(commands::select("INBOX").unwrap()).await.unwrap();
    a.run(commands::delete(&name).unwrap()).await.unwrap();
    a.logout().await;
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn idle_news_is_applied_to_the_kept_state() {
    let _turn = alone().await;
    let name = token("Idle");
    let mut a = signed_in(&[]).await;
    folder_with_a_conversation(&mut a, &name).await;
    let mut state = a.sync_folder(&name, None).await.unwrap().state;
    let uids = state.uids.clone();
    let other = {
        let name = name.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            change_elsewhere(&name, &uids).await
        })
    };
    let mut news = Vec::new();
    // News may come in more than one IDLE; each is bounded.
    for _ in 0..5 {
        let (n, _) = tokio::time::timeout(
            Duration::from_secs(10),
            a.idle(tokio::time::sleep(Duration::from_millis(1500))),
        )
        .await
        .expect("IDLE ends within 10 s")
        .unwrap();
        news.extend(n);
        if other.is_finished() && !news.is_empty() {
            break;
        }
    }
    let new_uid = other.await.unwrap();
    let applied = state.apply_news(&news);
    assert_eq!(applied.vanished.len(), 2, "{news:?}");
    assert!(applied.arrived, "{news:?}");
    let rows = a.arrivals(&mut state).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.uid).collect::<Vec<_>>(),
        vec![new_uid]
    );
    assert_eq!(state.uids.len(), 7);
    a.run(commands::select("INBOX").unwrap()).await.unwrap();
    a.run(commands::delete(&name).unwrap()).await.unwrap();
    a.logout().await;
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_conversation_of_five_replies_is_one_by_thread_and_by_the_local_threading() {
    let _turn = alone().await;
    let name = token("Thread");
    let mut a = signed_in(&[]).await;
    folder_with_a_conversation(&mut a, &name).await;
    let state = a.sync_folder(&name, None).await.unwrap().state;
    let by_server = a
        .conversations()
        .await
        .unwrap()
        .expect("Dovecot has THREAD=REFERENCES");
    let rows = a.rows(&state.uids).await.unwrap();
    assert_eq!(
        rows[5].references.len(),
        5,
        "References fetched with the rows"
    );
    let by_us = threads::local(&rows);
    let thread: Vec<u32> = state.uids[..6].to_vec();
    let mut server_sorted: Vec<Vec<u32>> = by_server
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.sort();
            c
        })
        .collect();
    server_sorted.sort();
    assert!(server_sorted.contains(&thread), "{by_server:?}");
    assert_eq!(by_server.len(), 3);
    assert!(by_us.contains(&thread), "{by_us:?}");
    assert_eq!(by_us.len(), 3);
    a.logout().await;

    let mut b = signed_in(&["THREAD=REFERENCES"]).await;
    b.sync_folder(&name, None).await.unwrap();
    assert_eq!(b.conversations().await.unwrap(), None);
    b.run(commands::select("INBOX").unwrap()).await.unwrap();
    b.run(commands::delete(&name).unwrap()).await.unwrap();
    b.logout().await;
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn a_change_made_offline_finds_which_messages_are_still_there() {
    let _turn = alone().await;
    let name = token("Offline");
    let mut a = signed_in(&[]).await;
    folder_with_a_conversation(&mut a, &name).await;
    let state = a.sync_folder(&name, None).await.unwrap().state;
    // Meanwhile, elsewhere: two of them moved away.
    let gone = Uids::of(&state.uids[..2]).unwrap();
    a.move_messages(&gone, "Archive").await.unwrap();
    let asked = &state.uids[..4];
    let here = a.still_there(&name, state.validity, asked).await.unwrap();
    assert_eq!(here, state.uids[2..4].to_vec());
    // Under another UIDVALIDITY the same numbers name nothing of ours.
    let none = a
        .still_there(&name, state.validity + 1, asked)
        .await
        .unwrap();
    assert!(none.is_empty());
    a.run(commands::select("INBOX").unwrap()).await.unwrap();
    a.run(commands::delete(&name).unwrap()).await.unwrap();
    a.logout().await;
}

#[tokio::test]
#[ignore = "needs tests/mailserver.sh start"]
async fn an_arrival_told_while_another_command_ran_is_the_next_idles_news() {
    let _turn = alone().await;
    let name = token("Heard");
    let mut a = signed_in(&[]).await;
    folder_with_a_conversation(&mut a, &name).await;
    let mut state = a.sync_folder(&name, None).await.unwrap().state;
    // Delivered while the folder is open, told in the answer to the next command (a row
    // fetch, as the list makes): the server does not tell it again in IDLE.
    let mut b = signed_in(&[]).await;
    let raw = message(9, "<heard@example.test>", &[], "Arrived meanwhile");
    assert!(b
        .run(commands::append(&name, &raw, false, false).unwrap())
        .await
        .unwrap()
        .is_ok());
    b.logout().await;
    a.rows(&state.uids).await.unwrap();
    let (news, woke) = tokio::time::timeout(
        Duration::from_secs(10),
        a.idle(tokio::time::sleep(Duration::from_secs(3))),
    )
    .await
    .expect("within 10 s")
    .unwrap();
    assert!(
        woke.is_none(),
        "given at once, not after the wake-up: {news:?}"
    );
    let applied = state.apply_news(&news);
    assert!(applied.arrived, "{news:?}");
    let rows = a.arrivals(&mut state).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.subject.as_str()).collect::<Vec<_>>(),
        ["Arrived meanwhile"]
    );
    // Told once: the next IDLE has no arrival to tell (Dovecot may say RECENT).
    let (news, _) = a
        .idle(tokio::time::sleep(Duration::from_millis(500)))
        .await
        .unwrap();
    use mailscope_core::imap::types::response::Data;
    assert!(
        !news.iter().any(|d| matches!(d, Data::Exists(_))),
        "{news:?}"
    );
    a.run(commands::select("INBOX").unwrap()).await.unwrap();
    a.run(commands::delete(&name).unwrap()).await.unwrap();
    a.logout().await;
}
