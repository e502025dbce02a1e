//! The DNS answers known so far, handed to mail-auth as its caches. A name mail-auth asks
//! for and we have no answer to is written down as missing; the check then asks the
//! resolver for every missing name at once and runs again.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::dkim::DomainKeyReport;
use mail_auth::dmarc::Dmarc;
use mail_auth::spf::Spf;
use mail_auth::{DnsError, DnssecStatus, Error, RecordSet, ResolverCache, Txt, MX};

use crate::dns::{Answer, Data, Kind, Question};
use crate::known::Known;

/// The clock type of mail-auth's cache expiry: the web's in wasm32, std's natively.
#[cfg(target_arch = "wasm32")]
type Instant = web_time::Instant;
#[cfg(not(target_arch = "wasm32"))]
type Instant = std::time::Instant;

/// The caches of one run: answers from `known`, misses written down.
pub(crate) struct Lookups<'a> {
    known: &'a Known,
    missing: RefCell<BTreeSet<Question>>,
    /// Addresses whose PTR may be asked (a PTR key cannot be read back from its hash).
    addresses: Vec<IpAddr>,
}

impl<'a> Lookups<'a> {
    pub fn new(known: &'a Known, addresses: Vec<IpAddr>) -> Self {
        Lookups {
            known,
            missing: RefCell::default(),
            addresses,
        }
    }

    pub fn missing(self) -> BTreeSet<Question> {
        self.missing.into_inner()
    }

    /// The answer to a question, or None after writing it down as missing.
    fn answer(&self, question: Question) -> Option<&'a Answer> {
        let answer = self.known.get(&question);
        if answer.is_none() {
            self.missing.borrow_mut().insert(question);
        }
        answer
    }

    pub fn txt(&self) -> TxtCache<'_, 'a> {
        TxtCache(self)
    }
    pub fn mx(&self) -> RecordCache<'_, 'a, MX> {
        RecordCache(self, Kind::Mx, std::marker::PhantomData, false)
    }
    pub fn ipv4(&self) -> RecordCache<'_, 'a, Ipv4Addr> {
        RecordCache(self, Kind::A, std::marker::PhantomData, false)
    }
    pub fn ipv6(&self) -> RecordCache<'_, 'a, Ipv6Addr> {
        RecordCache(self, Kind::Aaaa, std::marker::PhantomData, false)
    }

    /// AAAA for SPF with an IPv4 client: no mechanism of RFC 7208 matches an IPv4 address
    /// by AAAA records, and `exists` reads A records only (§5.7), so none are asked.
    pub fn ipv6_closed(&self) -> RecordCache<'_, 'a, Ipv6Addr> {
        RecordCache(self, Kind::Aaaa, std::marker::PhantomData, true)
    }
    pub fn ptr(&self) -> PtrCache<'_, 'a> {
        PtrCache(self)
    }
}

/// Reads a cache key back: mail-auth looks names up as `str`, whose `Hash` writes the bytes
/// and then 0xff. The name is checked against the key before it is used.
fn name_of<Q>(key: &Q) -> Option<Box<str>>
where
    Box<str>: Borrow<Q>,
    Q: Hash + Eq + ?Sized,
{
    #[derive(Default)]
    struct Bytes(Vec<u8>);
    impl Hasher for Bytes {
        fn finish(&self) -> u64 {
            0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }
    let mut bytes = Bytes::default();
    key.hash(&mut bytes);
    let text = bytes.0.strip_suffix(&[0xff])?;
    let name: Box<str> = std::str::from_utf8(text).ok()?.into();
    (name.borrow() == key).then_some(name)
}

fn not_found(nxdomain: bool) -> Error {
    #[cfg(target_arch = "wasm32")]
    let code: u16 = if nxdomain { 3 } else { 0 };
    #[cfg(not(target_arch = "wasm32"))]
    let code = {
        use mail_auth::hickory_resolver::proto::op::ResponseCode;
        if nxdomain {
            ResponseCode::NXDomain
        } else {
            ResponseCode::NoError
        }
    };
    Error::Dns(DnsError::RecordNotFound(code))
}

fn failed(why: &str) -> Error {
    Error::Dns(DnsError::Resolver(why.to_string()))
}

pub(crate) struct TxtCache<'l, 'a>(&'l Lookups<'a>);

impl ResolverCache<Box<str>, Txt> for TxtCache<'_, '_> {
    fn get<Q>(&self, key: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let name = name_of(key)?;
        let answer = self.0.answer(Question::new(&name, Kind::Txt))?;
        Some(match answer {
            Answer::Records { data, .. } => {
                let texts: Vec<&[u8]> = data
                    .iter()
                    .filter_map(|d| match d {
                        Data::Txt(t) => Some(t.as_slice()),
                        _ => None,
                    })
                    .collect();
                parse_txt(&name, &texts)
            }
            Answer::Missing { nxdomain } => Txt::Error(not_found(*nxdomain)),
            Answer::Failed(why) => Txt::Error(failed(why)),
        })
    }

    fn remove<Q>(&self, _: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }

    /// mail-auth stores what it resolved itself: nothing here, since it resolves nothing.
    fn insert(&self, _: Box<str>, _: Txt, _: Instant) {}
}

/// A TXT record set as the record its name is for: a DKIM key under `_domainkey`, a DMARC
/// policy under `_dmarc`, otherwise SPF. The first record that parses wins, as in
/// mail-auth's own lookup, but for SPF, where two records are an error.
fn parse_txt(name: &str, texts: &[&[u8]]) -> Txt {
    fn first<T: TxtRecordParser + Into<Txt>>(texts: &[&[u8]]) -> Txt {
        let mut result = Err(Error::Dns(DnsError::InvalidRecordType));
        for text in texts {
            result = T::parse(text);
            if result.is_ok() {
                break;
            }
        }
        result.into()
    }
    let name = name.trim_end_matches('.');
    if name.contains("._report._domainkey.") {
        first::<DomainKeyReport>(texts)
    } else if name.contains("._domainkey.") {
        first::<DomainKey>(texts)
    } else if name.starts_with("_dmarc.") || name.contains("._dmarc.") {
        first::<Dmarc>(texts)
    } else {
        // RFC 7208 §4.5: records that are not SPF are ignored; more than one SPF record is
        // a permanent error. (An `exp=` explanation read as SPF is not found: the verdict
        // stands, without the domain's own explanation.)
        let spf = |t: &&&[u8]| {
            let lower = t.to_ascii_lowercase();
            lower == b"v=spf1" || lower.starts_with(b"v=spf1 ")
        };
        match texts.iter().filter(spf).count() {
            0 | 1 => first::<Spf>(texts),
            _ => Txt::Error(Error::ParseError),
        }
    }
}

/// One record type's cache; a `closed` one answers nothing and asks nothing.
pub(crate) struct RecordCache<'l, 'a, T>(&'l Lookups<'a>, Kind, std::marker::PhantomData<T>, bool);

trait FromData: Sized {
    fn from_data(data: &Data) -> Option<Self>;
}

impl FromData for Ipv4Addr {
    fn from_data(data: &Data) -> Option<Self> {
        match data {
            Data::A(ip) => Some(*ip),
            _ => None,
        }
    }
}

impl FromData for Ipv6Addr {
    fn from_data(data: &Data) -> Option<Self> {
        match data {
            Data::Aaaa(ip) => Some(*ip),
            _ => None,
        }
    }
}

impl FromData for MX {
    fn from_data(data: &Data) -> Option<Self> {
        match data {
            Data::Mx(preference, exchange) => Some(MX {
                exchanges: vec![exchange.clone().into_boxed_str()].into_boxed_slice(),
                preference: *preference,
            }),
            _ => None,
        }
    }
}

fn record_set<T>(records: Vec<T>) -> RecordSet<T> {
    RecordSet {
        rrset: Arc::from(records),
        dnssec_status: DnssecStatus::Indeterminate,
    }
}

impl<T: FromData + Clone> ResolverCache<Box<str>, RecordSet<T>> for RecordCache<'_, '_, T> {
    /// A known answer without records is left out of the cache (mail-auth's caches hold no
    /// negative answers): mail-auth then asks its resolver, which with the `test` feature
    /// answers NXDOMAIN without sending anything, and it counts a void lookup as the RFCs
    /// say. An empty set instead would make `exists:` match.
    fn get<Q>(&self, key: &Q) -> Option<RecordSet<T>>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if self.3 {
            return None;
        }
        let name = name_of(key)?;
        match self.0.answer(Question::new(&name, self.1))? {
            Answer::Records { data, .. } => {
                Some(record_set(data.iter().filter_map(T::from_data).collect()))
            }
            _ => None,
        }
    }

    fn remove<Q>(&self, _: &Q) -> Option<RecordSet<T>>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }

    fn insert(&self, _: Box<str>, _: RecordSet<T>, _: Instant) {}
}

pub(crate) struct PtrCache<'l, 'a>(&'l Lookups<'a>);

impl ResolverCache<IpAddr, RecordSet<Box<str>>> for PtrCache<'_, '_> {
    fn get<Q>(&self, key: &Q) -> Option<RecordSet<Box<str>>>
    where
        IpAddr: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let ip = self.0.addresses.iter().find(|ip| (*ip).borrow() == key)?;
        match self.0.answer(Question::ptr(*ip))? {
            Answer::Records { data, .. } => Some(record_set(
                data.iter()
                    .filter_map(|d| match d {
                        Data::Ptr(name) => Some(name.clone().into_boxed_str()),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        }
    }

    fn remove<Q>(&self, _: &Q) -> Option<RecordSet<Box<str>>>
    where
        IpAddr: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }

    fn insert(&self, _: IpAddr, _: RecordSet<Box<str>>, _: Instant) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_back_from_cache_keys() {
        assert_eq!(
            name_of::<str>("_dmarc.example.test.").as_deref(),
            Some("_dmarc.example.test.")
        );
        let boxed: Box<str> = "Mail._domainkey.example.test.".into();
        assert_eq!(
            name_of::<Box<str>>(&boxed).as_deref(),
            Some("Mail._domainkey.example.test.")
        );
    }

    #[test]
    fn a_miss_is_written_down_and_an_answer_is_given() {
        let mut known = Known::default();
        known.learn(
            Question::new("example.test", Kind::Txt),
            Answer::Records {
                data: vec![Data::Txt(b"v=spf1 ip4:192.0.2.0/24 -all".to_vec())],
                ttl: 60,
            },
        );
        let lookups = Lookups::new(&known, vec![]);
        assert!(matches!(
            lookups.txt().get::<str>("example.test."),
            Some(Txt::Spf(_))
        ));
        assert!(lookups.txt().get::<str>("_dmarc.example.test.").is_none());
        assert!(lookups.ipv4().get::<str>("mail.example.test.").is_none());
        assert_eq!(
            lookups.missing().into_iter().collect::<Vec<_>>(),
            [
                Question::new("_dmarc.example.test", Kind::Txt),
                Question::new("mail.example.test", Kind::A)
            ]
        );
    }
}
