//! Fetching a file the app itself serves (the samples), from the page's own origin.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The bytes at `path`, relative to the page.
pub async fn bytes(path: &str) -> Result<Vec<u8>, String> {
    let failed =
        || format!("{path} could not be loaded from this server; reload the page and try again");
    let window = web_sys::window().ok_or_else(failed)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| failed())?
        .dyn_into()
        .map_err(|_| failed())?;
    if !response.ok() {
        return Err(failed());
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
