//! The page's side of a session: starts the `mailscope-net` worker and turns its messages
//! into events.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// What the worker reports.
#[derive(Debug, Clone, PartialEq)]
pub enum NetEvent {
    ProxyConnected(String),
    Secure,
    Data(Vec<u8>),
    Untrusted(UntrustedCertificate),
    Error { reason: String, message: String },
    Closed,
}

/// A certificate that did not verify, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UntrustedCertificate {
    pub reason: String,
    pub fingerprint: String,
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

/// A certificate the user trusts for one host and port, as kept in localStorage.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrustedCertificate {
    pub host: String,
    pub port: u16,
    pub sha256: String,
}

const EXCEPTIONS_KEY: &str = "mailscope.certificate-exceptions";

pub fn load_exceptions() -> Vec<TrustedCertificate> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(EXCEPTIONS_KEY).ok().flatten())
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default()
}

pub fn remember_exception(e: TrustedCertificate) {
    let mut all = load_exceptions();
    all.retain(|x| !(x.host == e.host && x.port == e.port));
    all.push(e);
    if let (Some(storage), Ok(json)) = (
        web_sys::window().and_then(|w| w.local_storage().ok().flatten()),
        serde_json::to_string(&all),
    ) {
        let _ = storage.set_item(EXCEPTIONS_KEY, &json);
    }
}

pub struct Connection {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

fn str_field(v: &JsValue, k: &str) -> String {
    Reflect::get(v, &k.into())
        .ok()
        .and_then(|x| x.as_string())
        .unwrap_or_default()
}

impl Connection {
    /// Opens a session to `host:port` through the proxy that served this page.
    pub fn open(
        host: &str,
        port: u16,
        tls: bool,
        mut on_event: impl FnMut(NetEvent) + 'static,
    ) -> Result<Self, String> {
        let worker = Worker::new("./mailscope-net_loader.js")
            .map_err(|_| "the browser could not start the connection worker".to_string())?;
        let open_request = Object::new();
        let pending = open_request.clone();
        let worker_for_ready = worker.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let d = e.data();
            let event = match str_field(&d, "type").as_str() {
                "ready" => {
                    let _ = worker_for_ready.post_message(&pending);
                    return;
                }
                "proxy-connected" => NetEvent::ProxyConnected(str_field(&d, "address")),
                "secure" => NetEvent::Secure,
                "data" => NetEvent::Data(
                    Reflect::get(&d, &"bytes".into())
                        .map(|b| Uint8Array::new(&b).to_vec())
                        .unwrap_or_default(),
                ),
                "untrusted" => NetEvent::Untrusted(UntrustedCertificate {
                    reason: str_field(&d, "reason"),
                    fingerprint: str_field(&d, "fingerprint"),
                    sha256: str_field(&d, "sha256"),
                    subject: str_field(&d, "subject"),
                    issuer: str_field(&d, "issuer"),
                    not_before: str_field(&d, "notBefore"),
                    not_after: str_field(&d, "notAfter"),
                }),
                "error" => NetEvent::Error {
                    reason: str_field(&d, "reason"),
                    message: str_field(&d, "message"),
                },
                "closed" => NetEvent::Closed,
                _ => return,
            };
            on_event(event);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

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
        let url = format!(
            "{scheme}://{page_host}/ws?host={}&port={port}{token}",
            js_sys::encode_uri_component(host)
        );
        let exceptions = js_sys::Array::new();
        for e in load_exceptions() {
            let o = Object::new();
            let _ = Reflect::set(&o, &"host".into(), &e.host.into());
            let _ = Reflect::set(&o, &"port".into(), &JsValue::from(e.port));
            let _ = Reflect::set(&o, &"sha256".into(), &e.sha256.into());
            exceptions.push(&o);
        }
        // Sent once, when the worker says it is listening: a message posted before its wasm
        // runs would be lost, and one sent twice would open a second session.
        let msg = open_request;
        for (k, v) in [
            ("type", JsValue::from("open")),
            ("url", url.into()),
            ("host", host.into()),
            ("port", JsValue::from(port)),
            ("tls", JsValue::from(tls)),
            ("exceptions", exceptions.into()),
        ] {
            let _ = Reflect::set(&msg, &k.into(), &v);
        }
        Ok(Connection {
            worker,
            _on_message: on_message,
        })
    }

    /// After the server's STARTTLS go-ahead: the worker puts TLS in place, and every byte
    /// from now on is a TLS record.
    pub fn start_tls(&self) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"type".into(), &"start-tls".into());
        let _ = self.worker.post_message(&msg);
    }

    /// Ends the session.
    pub fn close(&self) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"type".into(), &"close".into());
        let _ = self.worker.post_message(&msg);
    }

    pub fn send(&self, bytes: &[u8]) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"type".into(), &"send".into());
        let _ = Reflect::set(&msg, &"bytes".into(), &Uint8Array::from(bytes).into());
        let _ = self.worker.post_message(&msg);
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
        _ => "try again; if it keeps happening, check the server and the proxy",
    }
}
