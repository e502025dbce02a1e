//! The inspector's bundle (`/`): opens files, analyses them off the first paint.

fn main() {
    console_error_panic_hook::set_once();
    mailscope::install_charset_decoder();
    if mailscope::embedded() {
        leptos::mount::mount_to_body(mailscope::EmbeddedInspector);
    } else {
        leptos::mount::mount_to_body(mailscope::App);
    }
    mailscope::warm_up_analysis();
}

/// The analysis of one message as JSON (the `mailscope inspect --json` schema), for scripts
/// in the page and for the benchmark: `window.wasmBindings.analyze_json(bytes)`. Written by
/// the same (pretty) serializer as the page's export: a second one would copy the code of
/// every report type into the bundle again. Exported by the inspector's bundle only (an
/// export in the library would be kept in every bundle).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn analyze_json(raw: &[u8]) -> Result<String, String> {
    let report = mailscope_core::analyze(raw).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}
