//! What the tests share: a resolver that answers TXT questions from a list of
//! `NAME RECORD` lines (the keys a test message needs) and says every other name does not
//! exist.

use mailscope_auth::dns::{Answer, Data, Kind, Question};
use mailscope_auth::Resolve;

pub struct Keys(pub &'static str);

impl Resolve for Keys {
    fn resolver(&self) -> String {
        "the test's keys".into()
    }

    async fn ask(&mut self, questions: &[Question]) -> Vec<(Question, Answer)> {
        questions
            .iter()
            .map(|q| {
                let record = self.0.lines().find_map(|l| {
                    let (name, record) = l.split_once(' ')?;
                    (q.kind == Kind::Txt && name == q.name).then_some(record)
                });
                let answer = match record {
                    Some(r) => Answer::Records {
                        data: vec![Data::Txt(r.as_bytes().to_vec())],
                        ttl: 60,
                    },
                    None => Answer::Missing { nxdomain: true },
                };
                (q.clone(), answer)
            })
            .collect()
    }
}
