//! DNS messages over TCP (RFC 1035 §4, RFC 7766): the questions the live checks ask and
//! their answers, written and read without I/O. Each message on a TCP stream is preceded by
//! its length in two bytes; several queries may be sent on one connection at once and their
//! answers come back in any order, matched by id.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The record types the checks ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    A,
    Aaaa,
    Mx,
    Txt,
    Ptr,
}

impl Kind {
    fn code(self) -> u16 {
        match self {
            Kind::A => 1,
            Kind::Ptr => 12,
            Kind::Mx => 15,
            Kind::Txt => 16,
            Kind::Aaaa => 28,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::A => "A",
            Kind::Aaaa => "AAAA",
            Kind::Mx => "MX",
            Kind::Txt => "TXT",
            Kind::Ptr => "PTR",
        }
    }
}

/// One question: a name (lower case, no trailing dot) and a type. A PTR question's name is
/// the `in-addr.arpa`/`ip6.arpa` name of the address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Question {
    pub name: String,
    pub kind: Kind,
}

impl Question {
    pub fn new(name: &str, kind: Kind) -> Self {
        Question {
            name: name.trim_end_matches('.').to_ascii_lowercase(),
            kind,
        }
    }

    /// The PTR question of an address.
    pub fn ptr(ip: IpAddr) -> Self {
        let name = match ip {
            IpAddr::V4(v4) => {
                let [a, b, c, d] = v4.octets();
                format!("{d}.{c}.{b}.{a}.in-addr.arpa")
            }
            IpAddr::V6(v6) => {
                let mut name = String::with_capacity(72);
                for byte in v6.octets().iter().rev() {
                    name.push_str(&format!("{:x}.{:x}.", byte & 0xf, byte >> 4));
                }
                name + "ip6.arpa"
            }
        };
        Question {
            name,
            kind: Kind::Ptr,
        }
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.as_str(), self.name)
    }
}

/// One record of an answer, in the form the checks use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    /// Preference, exchange.
    Mx(u16, String),
    /// The character-strings of one TXT record, joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
    Txt(Vec<u8>),
    Ptr(String),
}

impl fmt::Display for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Data::A(ip) => write!(f, "{ip}"),
            Data::Aaaa(ip) => write!(f, "{ip}"),
            Data::Mx(preference, host) => write!(f, "{preference} {host}"),
            Data::Txt(text) => write!(f, "\"{}\"", String::from_utf8_lossy(text)),
            Data::Ptr(host) => write!(f, "{host}"),
        }
    }
}

/// What the resolver said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Records of the asked type (those of other types, such as a CNAME on the way, are left
    /// out), and the smallest TTL among them.
    Records { data: Vec<Data>, ttl: u32 },
    /// The name does not exist (NXDOMAIN) or has no record of this type (NODATA).
    Missing { nxdomain: bool },
    /// SERVFAIL, REFUSED, a broken answer or no answer: a temporary error for the checks.
    Failed(String),
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Records { data, ttl } => {
                let shown: Vec<String> = data.iter().map(Data::to_string).collect();
                write!(f, "{} (TTL {ttl} s)", shown.join(", "))
            }
            Answer::Missing { nxdomain: true } => f.write_str("NXDOMAIN (no such name)"),
            Answer::Missing { nxdomain: false } => f.write_str("no record of this type"),
            Answer::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}

/// "1 question", "5 questions".
pub fn count(questions: usize) -> String {
    format!(
        "{questions} question{}",
        if questions == 1 { "" } else { "s" }
    )
}

/// A query with its two-byte length prefix, ready for a TCP stream. Recursion desired.
pub fn encode_query(id: u16, question: &Question) -> Vec<u8> {
    let mut message = Vec::with_capacity(question.name.len() + 20);
    message.extend_from_slice(&id.to_be_bytes());
    message.extend_from_slice(&[0x01, 0x00]); // RD
    message.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]); // one question
    for label in question.name.split('.').filter(|l| !l.is_empty()) {
        let label = &label.as_bytes()[..label.len().min(63)];
        message.push(label.len() as u8);
        message.extend_from_slice(label);
    }
    message.push(0);
    message.extend_from_slice(&question.kind.code().to_be_bytes());
    message.extend_from_slice(&[0, 1]); // IN
    let mut framed = Vec::with_capacity(message.len() + 2);
    framed.extend_from_slice(&(message.len() as u16).to_be_bytes());
    framed.extend_from_slice(&message);
    framed
}

/// Takes one length-prefixed message off the front of `buffer`, when it is all there.
pub fn take_message(buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let len = u16::from_be_bytes([*buffer.first()?, *buffer.get(1)?]) as usize;
    if buffer.len() < 2 + len {
        return None;
    }
    let message = buffer[2..2 + len].to_vec();
    buffer.drain(..2 + len);
    Some(message)
}

/// Reads an answer (without its length prefix): its id and what it says about `kind`.
/// Broken input gives `Answer::Failed`, never a panic.
pub fn decode_answer(message: &[u8], kind: Kind) -> (Option<u16>, Answer) {
    let id = message.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let answer = Reader { message, at: 0 }
        .answer(kind)
        .unwrap_or_else(|why| Answer::Failed(why.into()));
    (id, answer)
}

/// The id of a message, to find the question it answers.
pub fn message_id(message: &[u8]) -> Option<u16> {
    message.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

struct Reader<'a> {
    message: &'a [u8],
    at: usize,
}

type Read<T> = Result<T, &'static str>;

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Read<&[u8]> {
        let end = self.at.checked_add(n).ok_or("truncated answer")?;
        let out = self.message.get(self.at..end).ok_or("truncated answer")?;
        self.at = end;
        Ok(out)
    }

    fn u16(&mut self) -> Read<u16> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Read<u32> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A domain name at the current position, following compression pointers (each must
    /// point backwards, so a loop cannot form).
    fn name(&mut self) -> Read<String> {
        let (name, end) = read_name(self.message, self.at)?;
        self.at = end;
        Ok(name)
    }

    fn answer(&mut self, kind: Kind) -> Read<Answer> {
        let _id = self.u16()?;
        let flags = self.u16()?;
        if flags & 0x8000 == 0 {
            return Err("not an answer");
        }
        if flags & 0x0200 != 0 {
            return Err("the answer was truncated");
        }
        let rcode = flags & 0x000f;
        let questions = self.u16()?;
        let answers = self.u16()?;
        let _authority = self.u16()?;
        let _additional = self.u16()?;
        match rcode {
            0 => {}
            3 => return Ok(Answer::Missing { nxdomain: true }),
            2 => return Err("the resolver failed (SERVFAIL)"),
            5 => return Err("the resolver refused (REFUSED)"),
            _ => return Err("the resolver answered with an error"),
        }
        for _ in 0..questions {
            self.name()?;
            self.bytes(4)?;
        }
        let mut data = Vec::new();
        let mut ttl = u32::MAX;
        for _ in 0..answers {
            self.name()?;
            let rtype = self.u16()?;
            let _class = self.u16()?;
            let record_ttl = self.u32()?;
            let len = self.u16()? as usize;
            let start = self.at;
            let rdata = self.bytes(len)?;
            if rtype != kind.code() {
                continue;
            }
            ttl = ttl.min(record_ttl);
            data.push(match kind {
                Kind::A => {
                    let b: [u8; 4] = rdata.try_into().map_err(|_| "a bad A record")?;
                    Data::A(Ipv4Addr::from(b))
                }
                Kind::Aaaa => {
                    let b: [u8; 16] = rdata.try_into().map_err(|_| "a bad AAAA record")?;
                    Data::Aaaa(Ipv6Addr::from(b))
                }
                Kind::Mx => {
                    let preference = u16::from_be_bytes(
                        rdata
                            .get(..2)
                            .ok_or("a bad MX record")?
                            .try_into()
                            .unwrap_or_default(),
                    );
                    Data::Mx(preference, read_name(self.message, start + 2)?.0)
                }
                Kind::Ptr => Data::Ptr(read_name(self.message, start)?.0),
                Kind::Txt => {
                    let mut text = Vec::with_capacity(rdata.len());
                    let mut rest = rdata;
                    while let Some((&n, tail)) = rest.split_first() {
                        let part = tail.get(..n as usize).ok_or("a bad TXT record")?;
                        text.extend_from_slice(part);
                        rest = &tail[n as usize..];
                    }
                    Data::Txt(text)
                }
            });
        }
        Ok(if data.is_empty() {
            Answer::Missing { nxdomain: false }
        } else {
            Answer::Records { data, ttl }
        })
    }
}

fn read_name(message: &[u8], mut at: usize) -> Read<(String, usize)> {
    let mut name = String::new();
    let mut end = None;
    let mut floor = at;
    loop {
        let len = *message.get(at).ok_or("truncated name")? as usize;
        match len & 0xc0 {
            0x00 if len == 0 => {
                return Ok((name, end.unwrap_or(at + 1)));
            }
            0x00 => {
                let label = message.get(at + 1..at + 1 + len).ok_or("truncated name")?;
                if !name.is_empty() {
                    name.push('.');
                }
                name.extend(label.iter().map(|&b| b.to_ascii_lowercase() as char));
                if name.len() > 255 {
                    return Err("a name longer than 255 bytes");
                }
                at += 1 + len;
            }
            0xc0 => {
                let low = *message.get(at + 1).ok_or("truncated name")? as usize;
                let target = ((len & 0x3f) << 8) | low;
                if target >= floor {
                    return Err("a compression pointer that does not point back");
                }
                end.get_or_insert(at + 2);
                floor = target;
                at = target;
            }
            _ => return Err("an unknown label type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer as a server writes it: the question, then records pointing back at it.
    fn answer(id: u16, rcode: u16, kind: Kind, records: &[(u16, u32, Vec<u8>)]) -> Vec<u8> {
        let query = encode_query(id, &Question::new("example.test", kind));
        let mut m = query[2..].to_vec();
        m[2] = 0x81;
        m[3] = 0x80 | rcode as u8;
        m[7] = records.len() as u8;
        for (rtype, ttl, rdata) in records {
            m.extend_from_slice(&[0xc0, 12]);
            m.extend_from_slice(&rtype.to_be_bytes());
            m.extend_from_slice(&[0, 1]);
            m.extend_from_slice(&ttl.to_be_bytes());
            m.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
            m.extend_from_slice(rdata);
        }
        m
    }

    #[test]
    fn a_query_is_framed_for_tcp() {
        let q = encode_query(
            0x1234,
            &Question::new("Mail._DomainKey.Example.TEST.", Kind::Txt),
        );
        assert_eq!(&q[..2], &((q.len() - 2) as u16).to_be_bytes());
        assert_eq!(&q[2..4], &[0x12, 0x34]);
        assert!(q.windows(11).any(|w| w == b"\x0a_domainkey"));
        assert_eq!(&q[q.len() - 4..], &[0, 16, 0, 1]);
        let mut buffer = q.clone();
        buffer.extend_from_slice(&[0, 5, 1]);
        assert_eq!(take_message(&mut buffer).as_deref(), Some(&q[2..]));
        assert_eq!(take_message(&mut buffer), None, "a message not yet whole");
        assert_eq!(buffer, [0, 5, 1]);
    }

    #[test]
    fn reads_records_of_each_kind() {
        let txt = answer(
            7,
            0,
            Kind::Txt,
            &[(16, 300, b"\x05v=spf\x041 -a".to_vec()), (5, 60, vec![0])],
        );
        assert_eq!(
            decode_answer(&txt, Kind::Txt),
            (
                Some(7),
                Answer::Records {
                    data: vec![Data::Txt(b"v=spf1 -a".to_vec())],
                    ttl: 300
                }
            )
        );
        let a = answer(
            8,
            0,
            Kind::A,
            &[(1, 60, vec![127, 0, 0, 1]), (1, 30, vec![127, 0, 0, 2])],
        );
        assert_eq!(
            decode_answer(&a, Kind::A).1,
            Answer::Records {
                data: vec![
                    Data::A([127, 0, 0, 1].into()),
                    Data::A([127, 0, 0, 2].into())
                ],
                ttl: 30
            }
        );
        // A PTR name written as a pointer back to the question's name.
        let ptr = answer(9, 0, Kind::Ptr, &[(12, 60, b"\x04mail\xc0\x0c".to_vec())]);
        assert_eq!(
            decode_answer(&ptr, Kind::Ptr).1,
            Answer::Records {
                data: vec![Data::Ptr("mail.example.test".into())],
                ttl: 60
            }
        );
        let mx = answer(
            10,
            0,
            Kind::Mx,
            &[(15, 60, b"\x00\x0a\x02mx\xc0\x0c".to_vec())],
        );
        assert_eq!(
            decode_answer(&mx, Kind::Mx).1,
            Answer::Records {
                data: vec![Data::Mx(10, "mx.example.test".into())],
                ttl: 60
            }
        );
    }

    #[test]
    fn says_what_is_missing_and_what_failed() {
        assert_eq!(
            decode_answer(&answer(1, 3, Kind::Txt, &[]), Kind::Txt).1,
            Answer::Missing { nxdomain: true }
        );
        assert_eq!(
            decode_answer(&answer(1, 0, Kind::Txt, &[]), Kind::Txt).1,
            Answer::Missing { nxdomain: false }
        );
        assert!(
            matches!(decode_answer(&answer(1, 2, Kind::Txt, &[]), Kind::Txt).1, Answer::Failed(w) if w.contains("SERVFAIL"))
        );
    }

    #[test]
    fn broken_answers_are_errors_not_panics() {
        let good = answer(9, 0, Kind::Ptr, &[(12, 60, b"\x04mail\xc0\x0c".to_vec())]);
        for cut in 0..good.len() {
            let _ = decode_answer(&good[..cut], Kind::Ptr);
        }
        // A pointer to itself.
        let looped = answer(9, 0, Kind::Ptr, &[(12, 60, b"\x04mail\xc0\x30".to_vec())]);
        assert!(matches!(
            decode_answer(&looped, Kind::Ptr).1,
            Answer::Failed(_)
        ));
        let mut seed = 0x2545_f491_u32;
        for _ in 0..2000 {
            let mut bytes = good.clone();
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let at = seed as usize % bytes.len();
            bytes[at] = (seed >> 8) as u8;
            let _ = decode_answer(&bytes, Kind::Ptr);
        }
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            Question::ptr("192.0.2.7".parse().unwrap()).name,
            "7.2.0.192.in-addr.arpa"
        );
        let v6 = Question::ptr("2001:db8::1".parse().unwrap()).name;
        assert!(
            v6.starts_with("1.0.0.0.0.0.0.0") && v6.ends_with("8.b.d.0.1.0.0.2.ip6.arpa"),
            "{v6}"
        );
    }
}

/// One round of questions on one TCP connection: every query written at once (RFC 7766
/// §6.2.1.1 pipelining), answers matched by id as they come, in any order.
#[derive(Debug)]
pub struct Exchange {
    asked: Vec<(u16, Question)>,
    answers: Vec<Option<Answer>>,
    buffer: Vec<u8>,
}

impl Exchange {
    /// The exchange and the bytes to send. Ids count up from `first_id`.
    pub fn new(questions: &[Question], first_id: u16) -> (Self, Vec<u8>) {
        let mut bytes = Vec::new();
        let mut asked = Vec::with_capacity(questions.len());
        for (i, question) in questions.iter().enumerate() {
            let id = first_id.wrapping_add(i as u16);
            bytes.extend_from_slice(&encode_query(id, question));
            asked.push((id, question.clone()));
        }
        let exchange = Exchange {
            answers: vec![None; asked.len()],
            asked,
            buffer: Vec::new(),
        };
        (exchange, bytes)
    }

    /// Takes bytes from the connection; returns the answers completed by them.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<(Question, Answer)> {
        self.buffer.extend_from_slice(bytes);
        let mut completed = Vec::new();
        while let Some(message) = take_message(&mut self.buffer) {
            let Some(id) = message_id(&message) else {
                continue;
            };
            let Some(at) = self.asked.iter().position(|(asked, _)| *asked == id) else {
                continue;
            };
            if self.answers[at].is_some() {
                continue;
            }
            let question = &self.asked[at].1;
            let (_, answer) = decode_answer(&message, question.kind);
            completed.push((question.clone(), answer.clone()));
            self.answers[at] = Some(answer);
        }
        completed
    }

    pub fn done(&self) -> bool {
        self.answers.iter().all(Option::is_some)
    }

    /// Every question with its answer; one never answered gets `Failed(why)`.
    pub fn finish(self, why: &str) -> Vec<(Question, Answer)> {
        self.asked
            .into_iter()
            .zip(self.answers)
            .map(|((_, q), a)| (q, a.unwrap_or_else(|| Answer::Failed(why.into()))))
            .collect()
    }
}

#[cfg(test)]
mod exchange_tests {
    use super::*;

    #[test]
    fn answers_in_any_order_and_in_pieces() {
        let questions = [
            Question::new("a.test", Kind::A),
            Question::new("b.test", Kind::Txt),
        ];
        let (mut exchange, bytes) = Exchange::new(&questions, 40);
        assert_eq!(
            bytes.len(),
            encode_query(40, &questions[0]).len() + encode_query(41, &questions[1]).len()
        );
        let reply = |id: u16, q: &Question| {
            let mut m = encode_query(id, q)[2..].to_vec();
            m[2] = 0x81;
            m[3] = 0x83; // NXDOMAIN
            let mut framed = (m.len() as u16).to_be_bytes().to_vec();
            framed.extend(m);
            framed
        };
        let mut stream = reply(41, &questions[1]);
        stream.extend(reply(40, &questions[0]));
        let (first, second) = stream.split_at(5);
        assert!(exchange.feed(first).is_empty());
        let got = exchange.feed(second);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, questions[1]);
        assert!(exchange.done());
        let all = exchange.finish("unused");
        assert_eq!(
            all[0],
            (questions[0].clone(), Answer::Missing { nxdomain: true })
        );
    }

    #[test]
    fn an_unanswered_question_fails() {
        let (exchange, _) = Exchange::new(&[Question::new("a.test", Kind::A)], 1);
        assert!(!exchange.done());
        assert_eq!(
            exchange.finish("the resolver closed the connection")[0].1,
            Answer::Failed("the resolver closed the connection".into())
        );
    }
}
