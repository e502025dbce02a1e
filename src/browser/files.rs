//! Reading dropped or picked files into memory, in slices so that progress can be shown and
//! the page stays responsive while a big file comes in.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Files above this are refused with an explanation rather than risking the tab's memory.
pub const MAX_FILE_BYTES: f64 = 100_000_000.0;

const SLICE: usize = 8 * 1024 * 1024;

/// Reads `file` whole, calling `progress(done, total)` after each slice.
pub async fn read(
    file: &web_sys::File,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<u8>, String> {
    let size = file.size() as usize;
    let mut out = Vec::with_capacity(size);
    let mut offset = 0;
    while offset < size {
        let end = (offset + SLICE).min(size);
        let slice = file
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|_| "the browser could not read a part of the file".to_string())?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(|_| {
            "the browser could not read the file (was it moved or deleted?)".to_string()
        })?;
        let array = js_sys::Uint8Array::new(&buffer);
        let start = out.len();
        out.resize(start + array.length() as usize, 0);
        array.copy_to(&mut out[start..]);
        offset = end;
        progress(offset, size);
    }
    Ok(out)
}

/// The files of a FileList (from a picker or a drop).
pub fn list(files: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(files) = files else {
        return Vec::new();
    };
    (0..files.length()).filter_map(|i| files.get(i)).collect()
}

/// Lets the browser paint (progress, the "working" state) before more work runs.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(resolve.unchecked_ref());
        }
    });
    let _ = JsFuture::from(promise).await;
}
