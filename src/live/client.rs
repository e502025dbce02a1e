//! The page's side of the live checks: which resolver the proxy names (`GET /resolver`),
//! and the `mailscope-live` worker, started at the first check and kept for the page's
//! life (its DNS answers live for their TTL).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use super::messages::{FromLive, ToLive};
use crate::net::client::{proxy_url, worker_url};
use crate::net::messages::{decode, encode};

/// The resolver the proxy relays DNS to, as `HOST:PORT`; None when it names none.
pub async fn resolver() -> Result<Option<String>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let unreachable =
        "the proxy did not say which resolver it asks (is this page served by mailscope-proxy?)";
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str("/resolver"))
        .await
        .map_err(|_| unreachable.to_string())?
        .unchecked_into();
    if !response.ok() {
        return Err(unreachable.into());
    }
    let text = JsFuture::from(response.text().map_err(|_| unreachable.to_string())?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| unreachable.to_string())?;
    Ok(value["resolver"].as_str().map(str::to_string))
}

/// `HOST:PORT` or `[V6]:PORT` split.
fn host_port(resolver: &str) -> Option<(String, u16)> {
    let (host, port) = resolver.rsplit_once(':')?;
    Some((
        host.trim_matches(|c| c == '[' || c == ']').to_string(),
        port.parse().ok()?,
    ))
}

type Handler = Rc<RefCell<Box<dyn FnMut(FromLive)>>>;

struct LiveWorker {
    worker: Worker,
    ready: Rc<RefCell<bool>>,
    waiting: Rc<RefCell<Option<JsValue>>>,
    handler: Handler,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static WORKER: RefCell<Option<LiveWorker>> = const { RefCell::new(None) };
}

fn start_worker() -> Result<LiveWorker, String> {
    let worker = Worker::new(&worker_url("mailscope-live_loader.js"))
        .map_err(|_| "the browser could not start the live-check worker".to_string())?;
    let ready = Rc::new(RefCell::new(false));
    let waiting: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let handler: Handler = Rc::new(RefCell::new(Box::new(|_| {})));
    let (w, r, q, h) = (
        worker.clone(),
        ready.clone(),
        waiting.clone(),
        handler.clone(),
    );
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        match decode::<FromLive>(&e.data()) {
            Some(FromLive::Ready) => {
                *r.borrow_mut() = true;
                if let Some(message) = q.borrow_mut().take() {
                    let _ = w.post_message(&message);
                }
            }
            Some(event) => (h.borrow_mut())(event),
            None => {}
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let h = handler.clone();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        e.prevent_default();
        (h.borrow_mut())(FromLive::Done {
            report: mailscope_auth::LiveReport {
                error: Some("the live-check worker failed to load or stopped".into()),
                ..Default::default()
            },
        });
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(LiveWorker {
        worker,
        ready,
        waiting,
        handler,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Checks `raw` live; every report of the worker goes to `on_event` until the next check.
pub fn check(
    raw: Vec<u8>,
    resolver: &str,
    spf_hop: Option<usize>,
    on_event: impl FnMut(FromLive) + 'static,
) -> Result<(), String> {
    let (host, port) =
        host_port(resolver).ok_or("the proxy named a resolver this page cannot read")?;
    let message = encode(&ToLive::Check {
        raw,
        url: proxy_url(&host, port)?,
        resolver: resolver.to_string(),
        spf_hop,
    });
    WORKER.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = Some(start_worker()?);
        }
        let live = slot.as_ref().expect("just started");
        *live.handler.borrow_mut() = Box::new(on_event);
        if *live.ready.borrow() {
            let _ = live.worker.post_message(&message);
        } else {
            *live.waiting.borrow_mut() = Some(message);
        }
        Ok(())
    })
}
