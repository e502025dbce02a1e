//! Inside the worker: one session through the proxy, with TLS in this worker when asked.
//!
//! Messages from the page are objects with a `type`:
//! `{type:"open", url, host, port, tls, exceptions:[{host, port, sha256}]}`,
//! `{type:"send", bytes: Uint8Array}`, `{type:"start-tls"}` (after a STARTTLS go-ahead: TLS
//! starts on this connection now), `{type:"close"}`.
//! Messages to the page: `{type:"ready"}` once listening, `{type:"proxy-connected", address}`, `{type:"secure"}`,
//! `{type:"data", bytes}`, `{type:"untrusted", reason, fingerprint, sha256, subject, issuer, notBefore, notAfter}`,
//! `{type:"error", reason, message}`, `{type:"closed"}`.

use std::cell::RefCell;

use js_sys::{Object, Reflect, Uint8Array};
use mailscope_core::tls::{Exception, TlsClient, TlsError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, DedicatedWorkerGlobalScope, MessageEvent, WebSocket};

struct Session {
    ws: WebSocket,
    host: String,
    port: u16,
    want_tls: bool,
    exceptions: Vec<Exception>,
    tls: Option<TlsClient>,
    secure: bool,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// Which session the WebSocket callbacks belong to: a closed session's late events
    /// (its close, its last bytes) must not reach the one that replaced it.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn current(generation: u64) -> bool {
    GENERATION.with(|g| g.get() == generation)
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(kind: &str, fields: &[(&str, JsValue)]) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"type".into(), &kind.into());
    for (k, v) in fields {
        let _ = Reflect::set(&msg, &(*k).into(), v);
    }
    let _ = scope().post_message(&msg);
}

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &key.into()).ok()?.as_string()
}

fn hex32(s: &str) -> Option<[u8; 32]> {
    let clean: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    if clean.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&clean[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

/// Starts the worker: listens for the page's messages.
pub fn start() {
    let onmessage =
        Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| on_page_message(e.data()));
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Messages posted before the wasm was running were dropped: the page waits for this.
    post("ready", &[]);
}

fn on_page_message(data: JsValue) {
    match get_str(&data, "type").as_deref() {
        Some("open") => open(&data),
        Some("send") => {
            let bytes = Reflect::get(&data, &"bytes".into())
                .ok()
                .map(|b| Uint8Array::new(&b).to_vec())
                .unwrap_or_default();
            with_session(|s| send_plaintext(s, &bytes));
        }
        Some("start-tls") => with_session(|s| {
            if s.tls.is_none() {
                s.want_tls = true;
                start_tls(s);
            }
        }),
        Some("close") => close(),
        _ => {}
    }
}

fn with_session(f: impl FnOnce(&mut Session)) {
    SESSION.with(|cell| {
        if let Some(s) = cell.borrow_mut().as_mut() {
            f(s);
        }
    });
}

fn close() {
    SESSION.with(|cell| {
        if let Some(s) = cell.borrow_mut().take() {
            let _ = s.ws.close();
        }
    });
}

fn open(data: &JsValue) {
    close();
    let url = get_str(data, "url").unwrap_or_default();
    let host = get_str(data, "host").unwrap_or_default();
    let port = Reflect::get(data, &"port".into())
        .ok()
        .and_then(|p| p.as_f64())
        .unwrap_or(0.0) as u16;
    let want_tls = Reflect::get(data, &"tls".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let mut exceptions = Vec::new();
    if let Ok(list) = Reflect::get(data, &"exceptions".into()) {
        for e in js_sys::Array::from(&list).iter() {
            let (Some(h), Some(fp)) = (get_str(&e, "host"), get_str(&e, "sha256")) else {
                continue;
            };
            let p = Reflect::get(&e, &"port".into())
                .ok()
                .and_then(|p| p.as_f64())
                .unwrap_or(0.0) as u16;
            if let Some(sha256) = hex32(&fp) {
                exceptions.push(Exception {
                    host: h,
                    port: p,
                    sha256,
                });
            }
        }
    }
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => {
            return post(
                "error",
                &[
                    ("reason", "bad-request".into()),
                    ("message", "the proxy address is not valid".into()),
                ],
            )
        }
    };
    ws.set_binary_type(BinaryType::Arraybuffer);
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if current(generation) {
            on_proxy_message(e.data())
        }
    });
    ws.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onclose = Closure::<dyn FnMut(web_sys::CloseEvent)>::new(move |_| {
        if current(generation) {
            post("closed", &[])
        }
    });
    ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
    onclose.forget();
    SESSION.with(|cell| {
        *cell.borrow_mut() = Some(Session {
            ws,
            host,
            port,
            want_tls,
            exceptions,
            tls: None,
            secure: false,
        });
    });
}

fn on_proxy_message(data: JsValue) {
    if let Some(text) = data.as_string() {
        let frame: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        match frame["type"].as_str() {
            Some("connected") => {
                post(
                    "proxy-connected",
                    &[(
                        "address",
                        frame["address"].as_str().unwrap_or_default().into(),
                    )],
                );
                with_session(start_tls);
            }
            _ => post(
                "error",
                &[
                    (
                        "reason",
                        frame["reason"].as_str().unwrap_or("bad-request").into(),
                    ),
                    (
                        "message",
                        frame["message"]
                            .as_str()
                            .unwrap_or("the proxy refused")
                            .into(),
                    ),
                ],
            ),
        }
        return;
    }
    let bytes = Uint8Array::new(&data).to_vec();
    with_session(|s| receive(s, &bytes));
}

fn start_tls(s: &mut Session) {
    if !s.want_tls {
        return;
    }
    match TlsClient::new(&s.host, s.port, &s.exceptions) {
        Ok(tls) => {
            s.tls = Some(tls);
            flush(s);
        }
        Err(e) => fail(s, &e),
    }
}

fn receive(s: &mut Session, bytes: &[u8]) {
    let Some(tls) = s.tls.as_mut() else {
        post("data", &[("bytes", Uint8Array::from(bytes).into())]);
        return;
    };
    if let Err(e) = tls.receive(bytes) {
        return fail(s, &e);
    }
    let plain = match tls.plaintext() {
        Ok(p) => p,
        Err(e) => return fail(s, &e),
    };
    let handshaken = !tls.is_handshaking();
    flush(s);
    if handshaken && !s.secure {
        s.secure = true;
        post("secure", &[]);
    }
    if !plain.is_empty() {
        post("data", &[("bytes", Uint8Array::from(&plain[..]).into())]);
    }
}

fn send_plaintext(s: &mut Session, bytes: &[u8]) {
    match s.tls.as_mut() {
        Some(tls) => {
            if let Err(e) = tls.send(bytes) {
                return fail(s, &e);
            }
            flush(s);
        }
        None => {
            let _ = s.ws.send_with_u8_array(bytes);
        }
    }
}

fn flush(s: &mut Session) {
    if let Some(tls) = s.tls.as_mut() {
        let out = tls.ciphertext();
        if !out.is_empty() {
            let _ = s.ws.send_with_u8_array(&out);
        }
    }
}

fn fail(s: &mut Session, e: &TlsError) {
    match e {
        TlsError::Untrusted {
            reason,
            certificate,
        } => {
            let (fingerprint, sha256) = certificate
                .as_ref()
                .map(|c| {
                    (
                        c.fingerprint(),
                        c.sha256
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect::<String>(),
                    )
                })
                .unwrap_or_default();
            let summary = certificate
                .as_ref()
                .and_then(|c| c.summary())
                .unwrap_or_default();
            post(
                "untrusted",
                &[
                    ("reason", reason.clone().into()),
                    ("fingerprint", fingerprint.into()),
                    ("sha256", sha256.into()),
                    ("subject", summary.subject.into()),
                    ("issuer", summary.issuer.into()),
                    ("notBefore", summary.not_before.into()),
                    ("notAfter", summary.not_after.into()),
                ],
            );
        }
        other => post(
            "error",
            &[
                ("reason", "tls".into()),
                ("message", other.to_string().into()),
            ],
        ),
    }
    let _ = s.ws.close();
}
