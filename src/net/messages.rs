//! The page's and the worker's messages on the wire: one typed enum each way
//! ([`ToWorker`], [`FromWorker`] in `mailscope_session::relay`), posted as
//! `{json, bytes?}`: the enum as JSON, and a message's bytes (data to or from the server)
//! beside it as a `Uint8Array` rather than as a JSON array of numbers.

use js_sys::{Object, Reflect, Uint8Array};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

pub use mailscope_session::relay::{
    FromWorker, ProxyFrame, ToWorker, TrustedCertificate, UntrustedCertificate,
};

/// A message whose bytes travel beside its JSON.
pub trait Message: Serialize + DeserializeOwned {
    fn bytes(&self) -> Option<&[u8]>;
    fn set_bytes(&mut self, bytes: Vec<u8>);
}

impl Message for ToWorker {
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            ToWorker::Send { bytes } => Some(bytes),
            _ => None,
        }
    }
    fn set_bytes(&mut self, b: Vec<u8>) {
        if let ToWorker::Send { bytes } = self {
            *bytes = b;
        }
    }
}

impl Message for FromWorker {
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            FromWorker::Data { bytes } => Some(bytes),
            _ => None,
        }
    }
    fn set_bytes(&mut self, b: Vec<u8>) {
        if let FromWorker::Data { bytes } = self {
            *bytes = b;
        }
    }
}

/// `message` as the object `postMessage` sends.
pub fn encode<M: Message>(message: &M) -> JsValue {
    let o = Object::new();
    let json = serde_json::to_string(message).unwrap_or_default();
    let _ = Reflect::set(&o, &"json".into(), &json.into());
    if let Some(bytes) = message.bytes() {
        let _ = Reflect::set(&o, &"bytes".into(), &Uint8Array::from(bytes).into());
    }
    o.into()
}

/// The message in a `MessageEvent`'s data; `None` for anything else.
pub fn decode<M: Message>(data: &JsValue) -> Option<M> {
    let json = Reflect::get(data, &"json".into()).ok()?.as_string()?;
    let mut message: M = serde_json::from_str(&json).ok()?;
    if let Ok(b) = Reflect::get(data, &"bytes".into()) {
        if b.is_object() {
            message.set_bytes(Uint8Array::new(&b).to_vec());
        }
    }
    Some(message)
}
