//! DNS over TCP through the proxy: each round's questions written at once on one WebSocket
//! session to the resolver (`mailscope_auth::dns::Exchange`, as the CLI runs it over TCP).

use std::pin::pin;

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use js_sys::{ArrayBuffer, Promise, Uint8Array};
use mailscope_auth::dns::{Answer, Exchange, Question};
use mailscope_auth::Resolve;
use mailscope_session::relay::ProxyFrame;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{BinaryType, DedicatedWorkerGlobalScope, MessageEvent, WebSocket};

/// How long a round may take before its unanswered questions count as failed.
const ROUND_MS: i32 = 5000;

pub struct ProxyResolver {
    url: String,
    resolver: String,
    next_id: u16,
}

enum Event {
    Connected,
    Data(Vec<u8>),
    Refused(String),
    Closed,
}

impl ProxyResolver {
    pub fn new(url: String, resolver: String) -> Self {
        // Ids need not be secret on TCP; a different start per check keeps transcripts apart.
        let next_id = (js_sys::Math::random() * 60000.0) as u16 + 1;
        ProxyResolver {
            url,
            resolver,
            next_id,
        }
    }
}

fn sleep(ms: i32) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, _| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    }))
}

async fn exchange(url: &str, exchange: &mut Exchange, bytes: &[u8]) -> Result<(), String> {
    let ws =
        WebSocket::new(url).map_err(|_| "the browser refused the proxy's address".to_string())?;
    ws.set_binary_type(BinaryType::Arraybuffer);
    let (tx, mut rx) = mpsc::unbounded::<Event>();
    let on_tx = tx.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let event = if let Some(text) = data.as_string() {
            match ProxyFrame::parse(&text) {
                ProxyFrame::Connected { .. } => Event::Connected,
                ProxyFrame::Error { message, .. } => Event::Refused(message),
            }
        } else if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
            Event::Data(Uint8Array::new(buffer).to_vec())
        } else {
            return;
        };
        let _ = on_tx.unbounded_send(event);
    });
    let on_close = Closure::<dyn FnMut(web_sys::CloseEvent)>::new(move |_| {
        let _ = tx.unbounded_send(Event::Closed);
    });
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let outcome = loop {
        match rx.next().await {
            Some(Event::Connected) => {
                if ws.send_with_u8_array(bytes).is_err() {
                    break Err("the proxy connection closed before the questions went out".into());
                }
            }
            Some(Event::Data(data)) => {
                exchange.feed(&data);
                if exchange.done() {
                    break Ok(());
                }
            }
            Some(Event::Refused(message)) => break Err(format!("the proxy refused: {message}")),
            Some(Event::Closed) | None => {
                break Err("the connection to the resolver closed before every answer came".into())
            }
        }
    };
    ws.set_onmessage(None);
    ws.set_onclose(None);
    let _ = ws.close();
    outcome
}

impl Resolve for ProxyResolver {
    fn resolver(&self) -> String {
        self.resolver.clone()
    }

    async fn ask(&mut self, questions: &[Question]) -> Vec<(Question, Answer)> {
        let (mut round, bytes) = Exchange::new(questions, self.next_id);
        self.next_id = self.next_id.wrapping_add(questions.len() as u16);
        let why = {
            let work = pin!(exchange(&self.url, &mut round, &bytes));
            match select(work, sleep(ROUND_MS)).await {
                Either::Left((Ok(()), _)) => String::new(),
                Either::Left((Err(why), _)) => why,
                Either::Right(_) => format!(
                    "the resolver {} did not answer within {} s",
                    self.resolver,
                    ROUND_MS / 1000
                ),
            }
        };
        round.finish(&why)
    }
}
