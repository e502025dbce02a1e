//! The live checks of one message, run in rounds: each run of the verifiers over the answers
//! known so far either finishes or names the DNS questions still unanswered; those go to the
//! resolver together, their answers are learned, and the verifiers run again. The DNS
//! transport is the caller's (a WebSocket through the proxy in the browser, TCP natively).

use std::future::Future;
use std::net::IpAddr;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use mail_auth::common::crypto::Algorithm;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::dmarc::Policy;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimOutput, DkimResult, DmarcResult, IprevResult, MessageAuthenticator,
    Parameters, SpfOutput, SpfResult,
};
use mailscope_core::hop_identity;
use mailscope_core::report::Report;

use crate::answers::Lookups;
use crate::compare::compare;
use crate::dns::{Answer, Data, Kind, Question};
use crate::known::{key_bits, Known};
use crate::report::{ArcCheck, DkimCheck, DmarcCheck, HopCheck, LiveReport, SpfCheck};
use crate::{plan, reasons, spf_term};

/// More rounds than SPF's ten lookups and DMARC's tree walk need together.
const MAX_ROUNDS: usize = 24;

/// What to do next.
#[derive(Debug)]
pub enum Step {
    /// Ask the resolver these, all at once, then `learn` the answers and step again.
    Ask(Vec<Question>),
    Done(LiveReport),
}

pub struct LiveCheck<'r> {
    raw: &'r [u8],
    report: &'r Report,
    spf_hop: Option<usize>,
    known: Known,
    rounds: usize,
    queries: usize,
    verifier: Option<MessageAuthenticator>,
}

impl<'r> LiveCheck<'r> {
    /// `report` is the offline analysis of `raw` (its hops and Authentication-Results).
    pub fn new(raw: &'r [u8], report: &'r Report) -> Self {
        LiveCheck {
            raw,
            report,
            spf_hop: None,
            known: Known::default(),
            rounds: 0,
            queries: 0,
            verifier: MessageAuthenticator::new_system_conf().ok(),
        }
    }

    /// Checks SPF against this hop's address (1 is the first hop) instead of the one chosen.
    pub fn with_spf_hop(mut self, index: usize) -> Self {
        self.spf_hop = Some(index);
        self
    }

    /// Answers already known (a session's cache, alive for the answers' TTL).
    pub fn with_known(mut self, known: Known) -> Self {
        self.known = known;
        self
    }

    pub fn known(&self) -> &Known {
        &self.known
    }

    pub fn learn(&mut self, question: Question, answer: Answer) {
        self.known.learn(question, answer);
    }

    pub fn learn_at(&mut self, question: Question, answer: Answer, now: u64) {
        self.known.learn_at(question, answer, now);
    }

    pub fn step(&mut self) -> Step {
        let addresses: Vec<IpAddr> = self
            .report
            .hops
            .iter()
            .filter_map(hop_identity::sender_ip)
            .collect();
        let lookups = Lookups::new(&self.known, addresses);
        let mut live = self.evaluate(&lookups);
        let missing: Vec<Question> = lookups.missing().into_iter().collect();
        if missing.is_empty() || self.rounds >= MAX_ROUNDS || live.error.is_some() {
            if !missing.is_empty() && live.error.is_none() {
                live.error = Some(format!(
                    "gave up after {MAX_ROUNDS} rounds of DNS questions; {} left unasked",
                    missing.len()
                ));
            }
            live.queries = self.queries;
            live.rounds = self.rounds;
            return Step::Done(live);
        }
        self.rounds += 1;
        self.queries += missing.len();
        Step::Ask(missing)
    }

    fn evaluate(&self, lookups: &Lookups<'_>) -> LiveReport {
        let mut live = LiveReport::default();
        let Some(verifier) = &self.verifier else {
            live.error = Some("the verifier could not be set up".into());
            return live;
        };
        let Some(message) = AuthenticatedMessage::parse(self.raw) else {
            live.error = Some("the message has no header to check".into());
            return live;
        };
        let (txt, mx, ipv4, ipv6, ptr) = (
            lookups.txt(),
            lookups.mx(),
            lookups.ipv4(),
            lookups.ipv6(),
            lookups.ptr(),
        );
        macro_rules! params {
            ($p:expr) => {
                Parameters::new($p)
                    .with_txt_cache(&txt)
                    .with_mx_cache(&mx)
                    .with_ipv4_cache(&ipv4)
                    .with_ipv6_cache(&ipv6)
                    .with_ptr_cache(&ptr)
            };
        }

        let dkim: Vec<DkimOutput> =
            ready(verifier.verify_dkim(params!(&message))).unwrap_or_default();
        live.dkim = dkim
            .iter()
            .enumerate()
            .map(|(i, o)| self.dkim_check(i, o))
            .collect();

        if !message.as_headers.is_empty() {
            live.arc = ready(verifier.verify_arc(params!(&message))).map(|o| arc_check(&o));
        }

        let spf_hop = plan::spf_hop(self.report, self.spf_hop);
        let sender = plan::envelope_sender(self.report);
        let mut spf_output = None;
        if let Some((index, why)) = &spf_hop {
            let hop = &self.report.hops[index - 1];
            let ip = hop_identity::sender_ip(hop).expect("a hop chosen for its address");
            let helo = hop_identity::helo(hop)
                .map(|h| h.trim_matches(|c| c == '[' || c == ']'))
                .unwrap_or_default()
                .to_string();
            let host = hop.by_host.clone().unwrap_or_else(|| "unknown".into());
            let spf_params = match &sender {
                Some(sender) => SpfParameters::verify_mail_from(ip, &helo, &host, sender),
                None => SpfParameters::verify_ehlo(ip, &helo, &host),
            };
            let ipv6_closed = lookups.ipv6_closed();
            let spf_call = Parameters::new(spf_params)
                .with_txt_cache(&txt)
                .with_mx_cache(&mx)
                .with_ipv4_cache(&ipv4)
                .with_ptr_cache(&ptr);
            let verdict = if ip.is_ipv4() {
                ready(verifier.verify_spf(spf_call.with_ipv6_cache(&ipv6_closed)))
            } else {
                ready(verifier.verify_spf(spf_call.with_ipv6_cache(&ipv6)))
            };
            if let Some(output) = verdict {
                live.spf = Some(SpfCheck {
                    domain: output.domain().to_string(),
                    identity: if sender.is_some() { "mailfrom" } else { "helo" }.into(),
                    ip: ip.to_string(),
                    hop: *index,
                    hop_reason: why.clone(),
                    result: spf_word(output.result()).into(),
                    mechanism: spf_term::deciding(
                        &self.known,
                        output.domain(),
                        ip,
                        output.result(),
                    ),
                    reason: reasons::spf(&output),
                });
                spf_output = Some(output);
            }
        }

        if !message.from.is_empty() {
            let spf_output = spf_output
                .unwrap_or_else(|| SpfOutput::new(String::new()).with_result(SpfResult::None));
            let mail_from_domain = sender
                .as_deref()
                .and_then(|s| s.rsplit_once('@'))
                .map(|(_, d)| d.to_string())
                .or_else(|| live.spf.as_ref().map(|s| s.domain.clone()))
                .unwrap_or_default();
            let dmarc_params = DmarcParameters {
                message: &message,
                dkim_output: &dkim,
                dkim2_output: None,
                rfc5321_mail_from_domain: &mail_from_domain,
                spf_output: &spf_output,
            };
            if let Some(output) = ready(verifier.verify_dmarc(params!(dmarc_params))) {
                let has_record = output.dmarc_record().is_some();
                live.dmarc = Some(DmarcCheck {
                    domain: output.domain().to_string(),
                    policy: has_record
                        .then(|| policy_word(output.policy()))
                        .flatten()
                        .map(str::to_string),
                    result: dmarc_word(&output.result()).into(),
                    spf_aligned: *output.spf_result() == DmarcResult::Pass,
                    dkim_aligned: *output.dkim_result() == DmarcResult::Pass,
                    reason: reasons::dmarc(&output, has_record),
                });
            }
        }

        let mut seen = Vec::new();
        for hop in &self.report.hops {
            let Some(ip) = hop_identity::sender_ip(hop) else {
                continue;
            };
            if seen.contains(&ip) {
                continue;
            }
            seen.push(ip);
            if let Some(output) = ready(verifier.verify_iprev(params!(ip))) {
                let ptr: Vec<String> = output
                    .ptr
                    .iter()
                    .flat_map(|names| names.iter())
                    .map(|n| n.trim_end_matches('.').to_ascii_lowercase())
                    .collect();
                let helo = hop_identity::helo(hop).map(str::to_string);
                let helo_matches = helo.as_deref().is_some_and(|h| {
                    hop_identity::address_literal(h) == Some(ip)
                        || ptr
                            .iter()
                            .any(|p| p.eq_ignore_ascii_case(h.trim_end_matches('.')))
                });
                live.hops.push(HopCheck {
                    index: hop.index,
                    ip: ip.to_string(),
                    ptr,
                    fcrdns: output.result == IprevResult::Pass,
                    helo,
                    helo_matches,
                });
            }
        }
        live.compare = compare(&live, &self.report.auth);
        live
    }

    fn dkim_check(&self, index: usize, output: &DkimOutput) -> DkimCheck {
        let Some(signature) = output.signature() else {
            // mail-auth keeps no signature with some refusals (an `l=` tag): the field's own
            // domain and selector, as the offline analysis read them.
            let field = self.report.auth.dkim_signatures.get(index);
            let read = |v: Option<&Option<String>>| v.cloned().flatten().unwrap_or_default();
            return DkimCheck {
                domain: read(field.map(|f| &f.domain)),
                selector: read(field.map(|f| &f.selector)),
                algorithm: read(field.map(|f| &f.algorithm)),
                key_bits: None,
                result: dkim_word(output.result()).into(),
                reason: reasons::dkim(output.result(), "", ""),
            };
        };
        let key_name = format!("{}._domainkey.{}", signature.s, signature.d);
        let key_bits = match self.known.get(&Question::new(&key_name, Kind::Txt)) {
            Some(Answer::Records { data, .. }) => data.iter().find_map(|d| match d {
                Data::Txt(t) => key_bits(t),
                _ => None,
            }),
            _ => None,
        };
        let algorithm = match signature.a {
            Algorithm::RsaSha1 => "rsa-sha1",
            Algorithm::RsaSha256 => "rsa-sha256",
            Algorithm::Ed25519Sha256 => "ed25519-sha256",
        };
        let mut result = dkim_word(output.result());
        let mut reason = reasons::dkim(output.result(), &signature.s, &signature.d);
        if result == "pass" {
            if signature.a == Algorithm::RsaSha1 {
                result = "policy";
                reason = Some("RSA-SHA1 is too weak to trust (RFC 8301): the signature verifies, but proves nothing".into());
            } else if signature.a != Algorithm::Ed25519Sha256 && key_bits.is_some_and(|b| b < 1024)
            {
                result = "policy";
                reason = Some(format!(
                    "key too short: {} bits, where RFC 8301 asks for at least 1024",
                    key_bits.unwrap_or_default()
                ));
            } else if signature.l > 0 {
                reason = Some(format!(
                    "signs only the first {} bytes of the body (l=): text added after them is not covered",
                    signature.l
                ));
            }
        }
        DkimCheck {
            domain: signature.d.clone(),
            selector: signature.s.clone(),
            algorithm: algorithm.into(),
            key_bits,
            result: result.into(),
            reason,
        }
    }
}

/// Runs a verifier to its end: with every answer handed in beforehand, none waits on I/O.
fn ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

fn arc_check(output: &mail_auth::ArcOutput<'_>) -> ArcCheck {
    ArcCheck {
        result: dkim_word(output.result()).into(),
        instances: output.sets().len(),
        reason: reasons::arc(output.result()),
    }
}

pub(crate) fn dkim_word(result: &DkimResult) -> &'static str {
    match result {
        DkimResult::Pass => "pass",
        // mail-auth calls a body hash mismatch neutral; RFC 6376 §6.1.3 and RFC 8601 call
        // a signature whose body hash does not verify a failure.
        DkimResult::Neutral(mail_auth::Error::Dkim(
            mail_auth::dkim::DkimError::FailedBodyHashMatch,
        )) => "fail",
        DkimResult::Neutral(_) => "neutral",
        DkimResult::Fail(_) => "fail",
        DkimResult::PermError(_) => "permerror",
        DkimResult::TempError(_) => "temperror",
        DkimResult::None => "none",
    }
}

pub(crate) fn spf_word(result: SpfResult) -> &'static str {
    match result {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
        SpfResult::None => "none",
    }
}

pub(crate) fn dmarc_word(result: &DmarcResult) -> &'static str {
    match result {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail(_) => "fail",
        DmarcResult::TempError(_) => "temperror",
        DmarcResult::PermError(_) => "permerror",
        DmarcResult::None => "none",
    }
}

fn policy_word(policy: Policy) -> Option<&'static str> {
    match policy {
        Policy::None => Some("none"),
        Policy::Quarantine => Some("quarantine"),
        Policy::Reject => Some("reject"),
        Policy::Unspecified => None,
    }
}
