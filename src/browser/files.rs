//! Reading dropped or picked files into memory, in slices so that progress can be shown and
//! the page stays responsive while a big file comes in.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Files above this are refused with an explanation rather than risking the tab's memory.
pub const MAX_FILE_BYTES: f64 = 100_000_000.0;

/// Each slice is one request to the browser for the file's bytes; below 16 MB the requests'
/// overhead dominates (8 MB slices took twice as long for a 26 MB file).
const SLICE: usize = 32 * 1024 * 1024;

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
        let n = array.length() as usize;
        out.reserve(n);
        let start = out.len();
        // Straight into the vector's spare room: no zero-fill of memory about to be written.
        array.copy_to_uninit(&mut out.spare_capacity_mut()[..n]);
        // SAFETY: copy_to_uninit initialised exactly these n bytes after `start`.
        unsafe { out.set_len(start + n) };
        offset = end;
        progress(offset, size);
    }
    Ok(out)
}

/// The first `max` bytes of `file` (all of it when smaller).
pub async fn read_start(file: &web_sys::File, max: usize) -> Result<Vec<u8>, String> {
    let end = (file.size() as usize).min(max);
    let slice = file
        .slice_with_f64_and_f64(0.0, end as f64)
        .map_err(|_| "the browser could not read the file".to_string())?;
    let buffer = JsFuture::from(slice.array_buffer())
        .await
        .map_err(|_| "the browser could not read the file".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
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
