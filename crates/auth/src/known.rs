//! The DNS answers of a session, each kept for its TTL, and what a DKIM key record says of
//! its size. No verifier needed: the page links this without mail-auth.

use std::collections::HashMap;

use mailscope_core::der::tlv;

use crate::dns::{Answer, Question};

/// Every answer received in this session, by question, with when it was learned: an answer
/// is kept for its TTL (a negative one for a minute, a failure not at all).
#[derive(Default, Debug, Clone)]
pub struct Known {
    answers: HashMap<Question, (Answer, u64)>,
}

/// How long an answer without records is kept, in seconds.
const NEGATIVE_TTL: u64 = 60;

impl Known {
    pub fn learn(&mut self, question: Question, answer: Answer) {
        self.learn_at(question, answer, 0);
    }

    /// Learns an answer at `now` (seconds on any clock the caller keeps).
    pub fn learn_at(&mut self, question: Question, answer: Answer, now: u64) {
        self.answers.insert(question, (answer, now));
    }

    /// Forgets what has outlived its TTL at `now`, and every failure.
    pub fn forget_expired(&mut self, now: u64) {
        self.answers.retain(|_, (answer, learned)| {
            let ttl = match answer {
                Answer::Records { ttl, .. } => u64::from(*ttl),
                Answer::Missing { .. } => NEGATIVE_TTL,
                Answer::Failed(_) => return false,
            };
            now < learned.saturating_add(ttl)
        });
    }

    pub fn get(&self, question: &Question) -> Option<&Answer> {
        self.answers.get(question).map(|(answer, _)| answer)
    }

    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// The size of a DKIM key in bits, read from its record's `p=` (an RSA
/// SubjectPublicKeyInfo or RSAPublicKey, or an Ed25519 key). None when it cannot be read.
pub fn key_bits(record: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(record).ok()?;
    let mut key_type = "rsa";
    let mut p = None;
    for tag in text.split(';') {
        let (name, value) = tag.split_once('=')?;
        match name.trim() {
            "k" => key_type = value.trim(),
            "p" => p = Some(value),
            _ => {}
        }
    }
    let der = base64(p?)?;
    if key_type.eq_ignore_ascii_case("ed25519") {
        return (der.len() == 32).then_some(256);
    }
    rsa_modulus_bits(&der)
}

fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn rsa_modulus_bits(der: &[u8]) -> Option<u32> {
    let (tag, outer, _) = tlv(der)?;
    if tag != 0x30 {
        return None;
    }
    let (first_tag, _, rest) = tlv(outer)?;
    let rsa_key = if first_tag == 0x30 {
        // SubjectPublicKeyInfo: the algorithm, then the key in a BIT STRING.
        let (bit_tag, bits, _) = tlv(rest)?;
        if bit_tag != 0x03 {
            return None;
        }
        let (tag, key, _) = tlv(bits.get(1..)?)?;
        (tag == 0x30).then_some(key)?
    } else {
        outer
    };
    let (tag, modulus, _) = tlv(rsa_key)?;
    if tag != 0x02 {
        return None;
    }
    let modulus = match modulus.iter().position(|&b| b != 0) {
        Some(i) => &modulus[i..],
        None => return None,
    };
    Some((modulus.len() as u32 - 1) * 8 + (8 - modulus[0].leading_zeros()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Data, Kind};

    #[test]
    fn answers_live_for_their_ttl() {
        let mut known = Known::default();
        let q = |n: &str| Question::new(n, Kind::Txt);
        known.learn_at(
            q("a.test"),
            Answer::Records {
                data: vec![Data::Txt(b"x".to_vec())],
                ttl: 300,
            },
            1000,
        );
        known.learn_at(q("b.test"), Answer::Missing { nxdomain: true }, 1000);
        known.learn_at(q("c.test"), Answer::Failed("SERVFAIL".into()), 1000);
        known.forget_expired(1001);
        assert!(known.get(&q("a.test")).is_some() && known.get(&q("b.test")).is_some());
        assert!(
            known.get(&q("c.test")).is_none(),
            "a failure is asked again"
        );
        known.forget_expired(1000 + 60);
        assert!(known.get(&q("b.test")).is_none());
        known.forget_expired(1000 + 299);
        assert!(known.get(&q("a.test")).is_some());
        known.forget_expired(1000 + 300);
        assert!(known.is_empty());
    }

    #[test]
    fn key_sizes() {
        // RFC 8463's Ed25519 example key and RFC 6376's 1024-bit example key.
        assert_eq!(
            key_bits(b"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
            Some(256)
        );
        let rsa = b"v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";
        assert_eq!(key_bits(rsa), Some(1024));
        assert_eq!(key_bits(b"v=DKIM1; p="), None);
        assert_eq!(key_bits(b"garbage"), None);
    }
}
