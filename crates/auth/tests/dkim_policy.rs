//! Signatures that prove too little: a key under 1024 bits never passes (RFC 8301), and a
//! signature covering only the start of the body (`l=`) is neutral, and says why. The messages are signed here with
//! test keys (tests/dkim/test-rsa*.pem). (RSA-SHA1's `policy` is not tested: mail-auth
//! refuses to sign with it.)

use mail_auth::common::crypto::{RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use mailscope_auth::dns::{Answer, Data, Kind, Question};
use mailscope_auth::report::DkimCheck;
use mailscope_auth::{run, LiveCheck, Resolve};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;

const BODY: &str = "From: a@example.org\r\nTo: b@example.net\r\nSubject: policy\r\n\r\nHello.\r\n";

struct Key(&'static str);

impl Resolve for Key {
    fn resolver(&self) -> String {
        "the test key".into()
    }

    async fn ask(&mut self, questions: &[Question]) -> Vec<(Question, Answer)> {
        questions
            .iter()
            .map(|q| {
                let answer = if q.kind == Kind::Txt && q.name == "t._domainkey.example.org" {
                    let record = format!("v=DKIM1; k=rsa; p={}", self.0.trim());
                    Answer::Records {
                        data: vec![Data::Txt(record.into_bytes())],
                        ttl: 60,
                    }
                } else {
                    Answer::Missing { nxdomain: true }
                };
                (q.clone(), answer)
            })
            .collect()
    }
}

fn verdict(signed: String, public: &'static str) -> DkimCheck {
    let raw = format!("{signed}{BODY}");
    let report = mailscope_core::analyze(raw.as_bytes()).unwrap();
    let mut check = LiveCheck::new(raw.as_bytes(), &report);
    let live =
        futures::executor::block_on(run(&mut check, &mut Key(public), &mut Vec::<String>::new()));
    live.dkim.into_iter().next().expect("one signature")
}

fn der(pem: &[u8]) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_slice(pem).expect("a PEM key")
}

#[test]
fn a_short_key_is_policy_or_refused() {
    let key = RsaKey::<Sha256>::from_key_der(der(include_bytes!("dkim/test-rsa512.pem"))).unwrap();
    let signature = DkimSigner::from_key(key)
        .domain("example.org")
        .selector("t")
        .headers(["From", "To", "Subject"])
        .sign(BODY.as_bytes())
        .unwrap();
    let d = verdict(signature.to_header(), include_str!("dkim/test-rsa512.pub"));
    assert_eq!(d.key_bits, Some(512));
    assert_ne!(d.result, "pass", "a 512-bit key never passes: {d:?}");
    if d.result == "policy" {
        assert!(d.reason.unwrap().starts_with("key too short: 512 bits"));
    }
}

#[test]
fn a_body_length_limit_is_neutral_and_named() {
    let key = RsaKey::<Sha256>::from_key_der(der(include_bytes!("dkim/test-rsa1024.pem"))).unwrap();
    let signature = DkimSigner::from_key(key)
        .domain("example.org")
        .selector("t")
        .headers(["From", "To", "Subject"])
        .body_length(true)
        .sign(BODY.as_bytes())
        .unwrap();
    let d = verdict(signature.to_header(), include_str!("dkim/test-rsa1024.pub"));
    // mail-auth does not trust `l=` at all (text may be appended after the signed part).
    assert_eq!(
        (d.domain.as_str(), d.selector.as_str(), d.result.as_str()),
        ("example.org", "t", "neutral"),
        "{d:?}"
    );
    assert_eq!(
        d.reason.as_deref(),
        Some("the signature covers less than the whole body (l=)")
    );
}
