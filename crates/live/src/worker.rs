//! Inside the `mailscope-live` worker: a message in, its live checks out, with the DNS
//! transcript as it happens. Answers are kept for their TTL while the page is open.

use std::cell::RefCell;

use mailscope_auth::dns::{Answer, Question};
use mailscope_auth::{run_at, Known, LiveCheck, LiveReport, Transcript};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use mailscope::live::messages::{FromLive, ToLive};
use mailscope::net::messages::{decode, encode};

use crate::resolver::ProxyResolver;

thread_local! {
    static KNOWN: RefCell<Known> = RefCell::default();
}

fn post(message: FromLive) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&encode(&message));
}

fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

struct Posted;

impl Transcript for Posted {
    fn round(&mut self, round: usize, questions: &[Question]) {
        post(FromLive::Round {
            round,
            questions: questions.len(),
        });
        post(FromLive::Line {
            text: format!(
                "round {round}: {} at once",
                mailscope_auth::dns::count(questions.len())
            ),
        });
        for q in questions {
            post(FromLive::Line {
                text: format!("? {q}"),
            });
        }
    }

    fn answer(&mut self, question: &Question, answer: &Answer) {
        post(FromLive::Line {
            text: format!("= {question}: {answer}"),
        });
    }
}

pub fn start() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        if let Some(ToLive::Check {
            raw,
            url,
            resolver,
            spf_hop,
        }) = decode::<ToLive>(&e.data())
        {
            wasm_bindgen_futures::spawn_local(check(raw, url, resolver, spf_hop));
        }
    });
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(FromLive::Ready);
}

async fn check(raw: Vec<u8>, url: String, resolver: String, spf_hop: Option<usize>) {
    let report = match mailscope_core::analyze(&raw) {
        Ok(report) => report,
        Err(e) => {
            post(FromLive::Done {
                report: LiveReport {
                    error: Some(format!("the message cannot be read: {e}")),
                    ..LiveReport::default()
                },
            });
            return;
        }
    };
    let mut known = KNOWN.with(|k| k.take());
    known.forget_expired(now());
    let mut check = LiveCheck::new(&raw, &report).with_known(known);
    if let Some(hop) = spf_hop {
        check = check.with_spf_hop(hop);
    }
    let mut resolver = ProxyResolver::new(url, resolver);
    let started = js_sys::Date::now();
    let mut live = run_at(&mut check, &mut resolver, &mut Posted, now).await;
    live.elapsed_ms = Some((js_sys::Date::now() - started).max(0.0) as u64);
    KNOWN.with(|k| *k.borrow_mut() = check.known().clone());
    post(FromLive::Done { report: live });
}
