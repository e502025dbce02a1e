//! An SVG part previewed as a PNG: the SVG is drawn by the browser as an image (which runs no
//! script and loads nothing) onto a canvas, and the canvas becomes a PNG blob. What the page
//! then holds is a picture: opened in a tab of its own it is a PNG document, never an SVG
//! document that could run script in the app's origin.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

/// Largest side of the rendered picture, in pixels.
const MAX_SIDE: f64 = 2048.0;

/// A `blob:` URL of a PNG of the SVG, or None when the browser cannot draw it.
pub async fn svg_as_png(data_url: &str) -> Option<String> {
    let img = HtmlImageElement::new().ok()?;
    let loaded = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let fail = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        img.set_onload(Some(ok.unchecked_ref()));
        img.set_onerror(Some(fail.unchecked_ref()));
    });
    img.set_src(data_url);
    JsFuture::from(loaded).await.ok()?;
    // An SVG without a size of its own has none to report; browsers draw it at 300 × 150.
    let (w, h) = match (img.natural_width(), img.natural_height()) {
        (0, _) | (_, 0) => (300.0, 150.0),
        (w, h) => (f64::from(w), f64::from(h)),
    };
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let (w, h) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w, h)
        .ok()?;
    let blob = Promise::new(&mut |resolve: Function, reject: Function| {
        let done = Closure::once_into_js(move |b: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &b);
        });
        if canvas.to_blob(done.unchecked_ref()).is_err() {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob: web_sys::Blob = JsFuture::from(blob).await.ok()?.dyn_into().ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
