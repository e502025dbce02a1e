//! Just enough of X.509 (RFC 5280 §4.1) to show a certificate to a person: subject, issuer
//! and validity. A small DER reader with every length checked; anything unexpected yields
//! None rather than a guess.
//!
//! ```text
//! Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
//! TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
//!                               issuer Name, validity Validity, subject Name, … }
//! Validity ::= SEQUENCE { notBefore Time, notAfter Time }
//! ```

use crate::der::tlv;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
}

fn attribute_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        _ => return None,
    })
}

/// `CN=mail.example.test, O=Example` from a Name.
fn name(mut rdns: &[u8]) -> String {
    let mut parts = Vec::new();
    while let Some((_, set, rest)) = tlv(rdns) {
        rdns = rest;
        let mut attrs = set;
        while let Some((_, atv, rest)) = tlv(attrs) {
            attrs = rest;
            let Some((0x06, oid, value)) = tlv(atv) else {
                continue;
            };
            let Some((_, text, _)) = tlv(value) else {
                continue;
            };
            if let Some(label) = attribute_name(oid) {
                parts.push(format!("{label}={}", String::from_utf8_lossy(text)));
            }
        }
    }
    parts.join(", ")
}

fn time(tag: u8, text: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(text).ok()?.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 => {
            let yy: u32 = s.get(..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        0x18 => (s.get(..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    if rest.len() != 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{year:04}-{}-{}T{}:{}:{}Z",
        &rest[0..2],
        &rest[2..4],
        &rest[4..6],
        &rest[6..8],
        &rest[8..10]
    ))
}

/// Subject, issuer and validity of a DER certificate.
pub fn summarise(der: &[u8]) -> Option<CertificateSummary> {
    let (0x30, cert, _) = tlv(der)? else {
        return None;
    };
    let (0x30, mut tbs, _) = tlv(cert)? else {
        return None;
    };
    if tbs.first() == Some(&0xa0) {
        tbs = tlv(tbs)?.2; // version
    }
    let (_, _, rest) = tlv(tbs)?; // serialNumber
    let (_, _, rest) = tlv(rest)?; // signature algorithm
    let (0x30, issuer, rest) = tlv(rest)? else {
        return None;
    };
    let (0x30, validity, rest) = tlv(rest)? else {
        return None;
    };
    let (0x30, subject, _) = tlv(rest)? else {
        return None;
    };
    let (t1, before, after) = tlv(validity)?;
    let (t2, after, _) = tlv(after)?;
    Some(CertificateSummary {
        subject: name(subject),
        issuer: name(issuer),
        not_before: time(t1, before)?,
        not_after: time(t2, after)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_truncation_yield_none() {
        assert_eq!(summarise(b""), None);
        assert_eq!(summarise(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(summarise(&[0x30, 0x03, 0x30, 0x01]), None);
        assert_eq!(time(0x17, b"2501011200Z"), None);
        assert_eq!(
            time(0x17, b"250101120000Z").as_deref(),
            Some("2025-01-01T12:00:00Z")
        );
        assert_eq!(
            time(0x18, b"20491231235959Z").as_deref(),
            Some("2049-12-31T23:59:59Z")
        );
    }
}
