//! Each verdict in words: what failed and what it means for the reader.

use mail_auth::arc::ArcError;
use mail_auth::common::crypto::CryptoError;
use mail_auth::dkim::DkimError;
use mail_auth::{DkimResult, DmarcOutput, DmarcResult, DnsError, Error, SpfOutput, SpfResult};

/// The error behind a DKIM or ARC result that did not pass.
fn error_of(result: &DkimResult) -> Option<&Error> {
    match result {
        DkimResult::Pass | DkimResult::None => None,
        DkimResult::Neutral(e)
        | DkimResult::Fail(e)
        | DkimResult::PermError(e)
        | DkimResult::TempError(e) => Some(e),
    }
}

/// Why a DKIM signature did not pass, in words; None for a pass.
pub fn dkim(result: &DkimResult, selector: &str, domain: &str) -> Option<String> {
    let error = error_of(result)?;
    Some(match error {
        Error::Dkim(DkimError::FailedBodyHashMatch) => {
            "body hash mismatch: the body was changed after it was signed".into()
        }
        Error::Crypto(CryptoError::FailedVerification) => {
            "signature mismatch: a signed header field was changed after signing".into()
        }
        Error::Dns(DnsError::RecordNotFound(_)) | Error::Dns(DnsError::InvalidRecordType) => {
            format!("no key: {selector}._domainkey.{domain} has no DKIM key record")
        }
        Error::Dkim(DkimError::RevokedPublicKey) => {
            format!("revoked key: {selector}._domainkey.{domain} publishes an empty key")
        }
        Error::Dkim(DkimError::SignatureExpired) => "the signature has expired (x=)".into(),
        Error::Dkim(DkimError::FailedAuidMatch) => {
            "the signing identity (i=) is not in the signing domain (d=)".into()
        }
        Error::Dkim(DkimError::SignatureLength) => {
            "the signature covers less than the whole body (l=)".into()
        }
        Error::Crypto(CryptoError::IncompatibleAlgorithms) => {
            "the key in DNS is not of the signature's algorithm".into()
        }
        Error::Dns(DnsError::Resolver(why)) => format!("DNS failed: {why}"),
        other => other.to_string(),
    })
}

pub fn arc(result: &DkimResult) -> Option<String> {
    let error = error_of(result)?;
    Some(match error {
        Error::Arc(ArcError::BrokenChain) => "the chain is broken: an instance is missing".into(),
        Error::Arc(ArcError::InvalidCV) => "a seal records a failed chain (cv=fail)".into(),
        Error::Arc(ArcError::FailedBodyHashMatch) => {
            "body hash mismatch in the newest message signature: the body changed since".into()
        }
        Error::Crypto(CryptoError::FailedVerification) => {
            "a seal or message signature does not verify".into()
        }
        other => other.to_string(),
    })
}

pub fn spf(output: &SpfOutput) -> Option<String> {
    let domain = output.domain();
    Some(match output.result() {
        SpfResult::Pass => return None,
        SpfResult::Fail => format!("{domain}'s SPF record does not allow this address (-all)"),
        SpfResult::SoftFail => {
            format!("{domain}'s SPF record does not allow this address, but asks only for suspicion (~all)")
        }
        SpfResult::Neutral => format!("{domain}'s SPF record says nothing either way (?all)"),
        SpfResult::None => format!("{domain} publishes no SPF record"),
        SpfResult::TempError => "a DNS lookup failed; try again later".into(),
        SpfResult::PermError => {
            format!("{domain}'s SPF record is broken, or needs more than 10 DNS lookups")
        }
    })
}

pub fn dmarc(output: &DmarcOutput, has_record: bool) -> Option<String> {
    let result = output.result();
    if !has_record && matches!(result, DmarcResult::None | DmarcResult::Pass) {
        return Some(format!("{} publishes no DMARC record", output.domain()));
    }
    match result {
        DmarcResult::Pass => None,
        DmarcResult::Fail(_) => {
            Some("neither SPF nor DKIM passed for a domain aligned with the From address".into())
        }
        DmarcResult::TempError(e) => Some(format!("a DNS lookup failed: {e}")),
        DmarcResult::PermError(e) => Some(format!("the DMARC record is broken: {e}")),
        DmarcResult::None => None,
    }
}
