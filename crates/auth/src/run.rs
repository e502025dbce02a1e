//! The rounds of a live check over any carrier of DNS questions.

use std::future::Future;

use crate::check::{LiveCheck, Step};
use crate::dns::{Answer, Question};
use crate::report::LiveReport;

/// Something that takes a round of questions to a resolver and brings the answers back.
pub trait Resolve {
    /// The resolver asked, as `HOST:PORT`.
    fn resolver(&self) -> String;
    /// Asks every question at once; an answer for each, in any order.
    fn ask(&mut self, questions: &[Question]) -> impl Future<Output = Vec<(Question, Answer)>>;
}

/// Each question and answer, as the transcript shows them.
pub trait Transcript {
    fn round(&mut self, round: usize, questions: &[Question]);
    fn answer(&mut self, question: &Question, answer: &Answer);
}

impl Transcript for Vec<String> {
    fn round(&mut self, round: usize, questions: &[Question]) {
        self.push(format!(
            "round {round}: {} at once",
            crate::dns::count(questions.len())
        ));
        self.extend(questions.iter().map(|q| format!("? {q}")));
    }

    fn answer(&mut self, question: &Question, answer: &Answer) {
        self.push(format!("= {question}: {answer}"));
    }
}

/// Runs the check to its end; answers are learned at `now()` (seconds).
pub async fn run(
    check: &mut LiveCheck<'_>,
    resolver: &mut impl Resolve,
    transcript: &mut impl Transcript,
) -> LiveReport {
    run_at(check, resolver, transcript, || 0).await
}

/// As [`run`], with a clock for the answers' TTL.
pub async fn run_at(
    check: &mut LiveCheck<'_>,
    resolver: &mut impl Resolve,
    transcript: &mut impl Transcript,
    now: impl Fn() -> u64,
) -> LiveReport {
    let mut round = 0;
    loop {
        match check.step() {
            Step::Done(mut report) => {
                report.resolver = Some(resolver.resolver());
                return report;
            }
            Step::Ask(questions) => {
                round += 1;
                transcript.round(round, &questions);
                for (question, answer) in resolver.ask(&questions).await {
                    transcript.answer(&question, &answer);
                    check.learn_at(question, answer, now());
                }
            }
        }
    }
}
