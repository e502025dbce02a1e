//! Inside the worker: one session through the proxy, with TLS in this worker when asked.
//! The page's [`ToWorker`] messages come in, [`FromWorker`] reports go out (see
//! `messages.rs` for how they travel); the proxy's text frames are [`ProxyFrame`]s.

use std::cell::RefCell;

use js_sys::Uint8Array;
use mailscope_core::tls::{Exception, TlsClient, TlsError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, DedicatedWorkerGlobalScope, MessageEvent, WebSocket};

use super::messages::{
    decode, encode, FromWorker, ProxyFrame, ToWorker, TrustedCertificate, UntrustedCertificate,
};

/// One connection through the proxy: its WebSocket, where it leads, and its TLS once begun.
struct Tunnel {
    ws: WebSocket,
    host: String,
    port: u16,
    want_tls: bool,
    exceptions: Vec<Exception>,
    tls: Option<TlsClient>,
    secure: bool,
}

thread_local! {
    static SESSION: RefCell<Option<Tunnel>> = const { RefCell::new(None) };
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

fn post(report: FromWorker) {
    let _ = scope().post_message(&encode(&report));
}

fn error(reason: &str, message: impl Into<String>) -> FromWorker {
    FromWorker::Error {
        reason: reason.into(),
        message: message.into(),
    }
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
    post(FromWorker::Ready);
}

fn on_page_message(data: JsValue) {
    match decode::<ToWorker>(&data) {
        Some(ToWorker::Open {
            url,
            host,
            port,
            tls,
            exceptions,
        }) => open(url, host, port, tls, &exceptions),
        Some(ToWorker::Send { bytes }) => with_session(|s| send_plaintext(s, &bytes)),
        Some(ToWorker::StartTls) => with_session(|s| {
            if s.tls.is_none() {
                s.want_tls = true;
                start_tls(s);
            }
        }),
        Some(ToWorker::Close) => close(),
        None => {}
    }
}

fn with_session(f: impl FnOnce(&mut Tunnel)) {
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

fn open(url: String, host: String, port: u16, want_tls: bool, trusted: &[TrustedCertificate]) {
    close();
    let exceptions = trusted
        .iter()
        .filter_map(|e| {
            Some(Exception {
                host: e.host.clone(),
                port: e.port,
                sha256: hex32(&e.sha256)?,
            })
        })
        .collect();
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => return post(error("bad-request", "the proxy address is not valid")),
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
            post(FromWorker::Closed)
        }
    });
    ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
    onclose.forget();
    SESSION.with(|cell| {
        *cell.borrow_mut() = Some(Tunnel {
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
        match ProxyFrame::parse(&text) {
            ProxyFrame::Connected { address } => {
                post(FromWorker::ProxyConnected { address });
                with_session(start_tls);
            }
            ProxyFrame::Error { reason, message } => post(FromWorker::Error { reason, message }),
        }
        return;
    }
    let bytes = Uint8Array::new(&data).to_vec();
    with_session(|s| receive(s, &bytes));
}

fn start_tls(s: &mut Tunnel) {
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

fn receive(s: &mut Tunnel, bytes: &[u8]) {
    let Some(tls) = s.tls.as_mut() else {
        post(FromWorker::Data {
            bytes: bytes.to_vec(),
        });
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
        post(FromWorker::Secure);
    }
    if !plain.is_empty() {
        post(FromWorker::Data { bytes: plain });
    }
}

fn send_plaintext(s: &mut Tunnel, bytes: &[u8]) {
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

fn flush(s: &mut Tunnel) {
    if let Some(tls) = s.tls.as_mut() {
        let out = tls.ciphertext();
        if !out.is_empty() {
            let _ = s.ws.send_with_u8_array(&out);
        }
    }
}

fn fail(s: &mut Tunnel, e: &TlsError) {
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
            post(FromWorker::Untrusted(UntrustedCertificate {
                reason: reason.clone(),
                fingerprint,
                sha256,
                subject: summary.subject,
                issuer: summary.issuer,
                not_before: summary.not_before,
                not_after: summary.not_after,
            }));
        }
        other => post(error("tls", other.to_string())),
    }
    let _ = s.ws.close();
}
