//! What the tests against tests/mailserver.sh share: where the servers are, and trusting
//! their self-signed certificate as a user would after seeing it refused.
#![allow(dead_code)] // each test file uses its own part of it

use mailscope_core::tls::Exception;
use mailscope_driver::{Connect, Security, Server, SessionError, TcpTransport};

pub fn server(port: u16, security: Security, exceptions: Vec<Exception>) -> Server {
    Server {
        address: "127.0.0.1".into(),
        port,
        tls_name: "mail.example.test".into(),
        security,
        exceptions,
    }
}

/// Reads the certificate on the implicit-TLS port `probe` (refused at first, as it is
/// self-signed) and trusts it for `ports`; Dovecot and Postfix share it.
pub async fn trust(probe: u16, ports: &[u16]) -> Vec<Exception> {
    let s = server(probe, Security::Tls, Vec::new());
    let Err(SessionError::Untrusted {
        certificate: Some(cert),
        ..
    }) = TcpTransport::connect(s).await
    else {
        panic!("a self-signed certificate must be refused first (is tests/mailserver.sh started?)");
    };
    ports
        .iter()
        .map(|&port| Exception {
            host: "mail.example.test".into(),
            port,
            sha256: cert.sha256,
        })
        .collect()
}

/// Taken for the whole of a test that creates, renames or deletes alice's folders: the tests
/// of one file run at once, and Dovecot's maildir, when one session deletes a folder while
/// another of the same user refreshes its folder list, can bring the folder back (a later
/// CREATE of it then meets ALREADYEXISTS). Users rarely meet that; the tests take turns.
pub async fn alone() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

/// A string no earlier run used, to find this run's messages.
pub fn token(what: &str) -> String {
    format!(
        "{what}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// Waits (up to 15 s) for a message containing `needle` in `user`'s mailbox, over POP3S,
/// and returns it, deleted from the server. `None`: it never came.
pub async fn fetch_message(
    user: &str,
    password: &str,
    needle: &str,
    exceptions: &[Exception],
) -> Option<Vec<u8>> {
    use mailscope_core::pop3::{Command as Pop, Data, Secret};
    for _ in 0..60 {
        let mut pop = mailscope_driver::Pop3Session::connect(server(
            10995,
            Security::Tls,
            exceptions.to_vec(),
        ))
        .await
        .unwrap();
        pop.ok(Pop::User(user.into())).await.unwrap();
        pop.ok(Pop::Pass(Secret::new(password))).await.unwrap();
        let Data::Uidl(all) = pop.ok(Pop::Uidl(None)).await.unwrap().data else {
            panic!("UIDL lists messages")
        };
        let mut found = None;
        for (n, _) in all.iter().rev() {
            let Data::Message(raw) = pop.ok(Pop::Retr(*n)).await.unwrap().data else {
                panic!("RETR returns a message")
            };
            if raw.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found = Some(raw);
                pop.ok(Pop::Dele(*n)).await.unwrap();
                break;
            }
        }
        pop.ok(Pop::Quit).await.unwrap();
        if found.is_some() {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    None
}
