//! Decoding the multi-byte charsets (Shift_JIS, ISO-2022-JP, EUC-KR, GBK, Big5…) with the
//! browser's own `TextDecoder`, which implements the whole WHATWG Encoding Standard. The
//! analysis calls it for every such text; carrying encoding_rs instead would add about
//! 125 KB to the gzipped bundle.

fn decode(label: &str, bytes: &[u8]) -> Option<String> {
    // "replacement" is a decoder that only ever yields U+FFFD; the browser refuses the label.
    if label == "replacement" {
        return Some(if bytes.is_empty() {
            String::new()
        } else {
            "\u{fffd}".into()
        });
    }
    let decoder = web_sys::TextDecoder::new_with_label(label).ok()?;
    decoder.decode_with_u8_array(bytes).ok()
}

/// Makes the analysis decode multi-byte charsets through the browser. Call once at start.
pub fn install() {
    mailscope_core::set_charset_decoder(decode);
}
