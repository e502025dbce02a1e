//! The page's side of a session: starts the `mailscope-net` worker, sends it
//! [`ToWorker`] messages and hands its [`FromWorker`] reports to the caller; the
//! certificates the user chose to trust, kept in this browser.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::messages::{decode, encode};
pub use super::messages::{FromWorker, ToWorker, TrustedCertificate, UntrustedCertificate};
use crate::browser::settings;

const EXCEPTIONS_KEY: &str = "mailscope.certificate-exceptions";

pub fn load_exceptions() -> Vec<TrustedCertificate> {
    settings::load(EXCEPTIONS_KEY).unwrap_or_default()
}

pub fn remember_exception(e: TrustedCertificate) {
    let mut all = load_exceptions();
    all.retain(|x| !(x.host == e.host && x.port == e.port));
    all.push(e);
    settings::save(EXCEPTIONS_KEY, &all);
}

pub struct Connection {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// The proxy's WebSocket address for a session to `host:port`: the proxy that served this
/// page, with its access token when the page was opened with one.
pub(crate) fn proxy_url(host: &str, port: u16) -> Result<String, String> {
    let location = web_sys::window().map(|w| w.location()).ok_or("no window")?;
    let scheme = if location.protocol().unwrap_or_default() == "https:" {
        "wss"
    } else {
        "ws"
    };
    let page_host = location.host().unwrap_or_default();
    let token = web_sys::UrlSearchParams::new_with_str(&location.search().unwrap_or_default())
        .ok()
        .and_then(|p| p.get("token"))
        .map(|t| format!("&token={}", js_sys::encode_uri_component(&t)))
        .unwrap_or_default();
    Ok(format!(
        "{scheme}://{page_host}/ws?host={}&port={port}{token}",
        js_sys::encode_uri_component(host)
    ))
}

/// The worker's script, beside the page's own start script: the page's address may be any
/// path under its bundle (`/mail/alice@example.com/f/INBOX`), so a relative name will not do.
pub(crate) fn worker_url(name: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("script[type=module][src]").ok().flatten())
        .and_then(|s| s.dyn_into::<web_sys::HtmlScriptElement>().ok())
        .map(|s| s.src())
        .and_then(|src| src.rsplit_once('/').map(|(dir, _)| format!("{dir}/{name}")))
        .unwrap_or_else(|| format!("./{name}"))
}

impl Connection {
    /// Opens a session to `host:port` through the proxy that served this page; every report
    /// of the worker but `Ready` goes to `on_event`.
    pub fn open(
        host: &str,
        port: u16,
        tls: bool,
        on_event: impl FnMut(FromWorker) + 'static,
    ) -> Result<Self, String> {
        let on_event = std::rc::Rc::new(std::cell::RefCell::new(on_event));
        let worker = Worker::new(&worker_url("mailscope-net_loader.js"))
            .map_err(|_| "the browser could not start the connection worker".to_string())?;
        // Sent once, when the worker says it is listening: a message posted before its wasm
        // runs would be lost, and one sent twice would open a second session.
        let open = encode(&ToWorker::Open {
            url: proxy_url(host, port)?,
            host: host.to_string(),
            port,
            tls,
            exceptions: load_exceptions(),
        });
        let worker_for_ready = worker.clone();
        let on_event_for_message = on_event.clone();
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                match decode::<FromWorker>(&e.data()) {
                    Some(FromWorker::Ready) => {
                        let _ = worker_for_ready.post_message(&open);
                    }
                    Some(event) => (on_event_for_message.borrow_mut())(event),
                    None => {}
                }
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // A worker that cannot load or run (its script missing, wasm refused) says so once,
        // instead of leaving the session waiting for a greeting that never comes.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let detail = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "its script did not load".into());
            (on_event.borrow_mut())(FromWorker::Error {
                reason: "worker".into(),
                message: format!("the connection worker failed: {detail}"),
            });
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Connection {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn post(&self, message: &ToWorker) {
        let _ = self.worker.post_message(&encode(message));
    }

    /// After the server's STARTTLS go-ahead: the worker puts TLS in place, and every byte
    /// from now on is a TLS record.
    pub fn start_tls(&self) {
        self.post(&ToWorker::StartTls);
    }

    /// Ends the session.
    pub fn close(&self) {
        self.post(&ToWorker::Close);
    }

    pub fn send(&self, bytes: &[u8]) {
        self.post(&ToWorker::Send {
            bytes: bytes.to_vec(),
        });
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// What to do about a proxy's refusal or failure, by its reason code.
pub fn advice(reason: &str) -> &'static str {
    match reason {
        "not-allowed" => "the proxy reaches only the servers it was started to allow (--allow); check the server and port, or ask whoever runs the proxy",
        "unauthorized" => "the proxy wants its access token: open the page from the address the proxy printed",
        "resolve-failed" => "check the server's name",
        "connect-failed" => "check the server's name and port, and that the server is running and reachable from the proxy",
        "timeout" => "the server did not answer in time: check the name and port, or try again later",
        "limit" => "the proxy is at its limit: try again in a moment",
        "shutdown" => "the proxy is shutting down: try again when it is back",
        "bad-request" => "the page and the proxy do not agree: reload the page",
        "worker" => "reload the page; if it keeps happening, the app's files on the server are incomplete (build it again)",
        _ => "try again; if it keeps happening, check the server and the proxy",
    }
}
