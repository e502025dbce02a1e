//! Saving bytes as a file, through a Blob URL: nothing is uploaded anywhere. Every blob made
//! here is typed so that, opened on its own, it can never be a document of the app's origin
//! (see `mailscope_core::preview`).

use wasm_bindgen::JsCast;

/// Offers `bytes` to the user as a download named `name`. The blob is typed
/// `application/octet-stream` whatever the content is: the browser saves it and renders
/// nothing, and its URL is revoked at once.
pub fn save(name: &str, bytes: &[u8]) {
    let Some(url) = blob_url(mailscope_core::preview::DOWNLOAD_TYPE, bytes) else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(&safe_file_name(name));
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A `blob:` URL for a raster image preview: `kind` is the type its signature showed
/// (`Preview::Raster`). The caller revokes it when the preview closes.
pub fn raster_url(kind: &'static str, bytes: &[u8]) -> Option<String> {
    debug_assert!(kind.starts_with("image/") && kind != "image/svg+xml");
    blob_url(kind, bytes)
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

fn blob_url(content_type: &str, bytes: &[u8]) -> Option<String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// A file name from a message may carry paths or control characters; keep only its last
/// component and printable characters.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim().trim_start_matches('.');
    if clean.is_empty() {
        "attachment".into()
    } else {
        clean.to_string()
    }
}
