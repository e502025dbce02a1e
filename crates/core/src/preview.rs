//! How a decoded part may be shown in the app without ever becoming a document of the app's
//! own origin. A `blob:` URL belongs to the page that made it: opened in a tab of its own
//! ("Open image in new tab"), an SVG, HTML or XML blob would run its script with the app's
//! storage in reach. So only raster images whose bytes really are that image get a blob; an
//! SVG is drawn by the browser as an image (which runs no script) and shown as the PNG of
//! that drawing; text is shown as text; anything else is only saved, and saved files are
//! typed `application/octet-stream`.

/// What the app may do with a part to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preview {
    /// A raster image, checked by its signature: a `blob:` URL of exactly this type.
    Raster(&'static str),
    /// An SVG image: drawn from a `data:` URL as an image, shown as a PNG; never a blob of
    /// its own type.
    Svg,
    /// Shown as text in the page (text/*, message/*, also HTML and XML: their source).
    Text,
    /// Not shown; it can be saved.
    None,
}

/// Largest SVG shown inline as a `data:` URL.
pub const SVG_PREVIEW_LIMIT: usize = 4 << 20;

/// The type every saved file is given: the browser then stores it and never renders it.
pub const DOWNLOAD_TYPE: &str = "application/octet-stream";

/// Decides how the part with `content_type` (as declared) and these decoded bytes is shown.
pub fn preview(content_type: &str, bytes: &[u8]) -> Preview {
    let t = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if t == "image/svg+xml" {
        return if bytes.len() <= SVG_PREVIEW_LIMIT {
            Preview::Svg
        } else {
            Preview::None
        };
    }
    if let Some(kind) = t.strip_prefix("image/") {
        // The declared type must match the bytes: an "image/png" that is HTML is not shown.
        return match raster_signature(bytes) {
            Some(sniffed) if sniffed.ends_with(kind) || same_format(kind, sniffed) => {
                Preview::Raster(sniffed)
            }
            _ => Preview::None,
        };
    }
    if t.starts_with("text/")
        || t.starts_with("message/")
        || t.ends_with("+xml")
        || t.ends_with("/xml")
        || t == "application/json"
    {
        return Preview::Text;
    }
    Preview::None
}

/// The `data:` URL an SVG is drawn from (as an image only).
pub fn svg_data_url(bytes: &[u8]) -> String {
    format!("data:image/svg+xml;base64,{}", crate::html::base64(bytes))
}

fn same_format(declared: &str, sniffed: &str) -> bool {
    matches!(
        (declared, sniffed),
        ("jpg" | "pjpeg", "image/jpeg")
            | ("x-png", "image/png")
            | ("x-ms-bmp" | "x-bmp", "image/bmp")
            | ("vnd.microsoft.icon" | "ico", "image/x-icon")
    )
}

/// The raster format the bytes begin with, by its magic number.
pub fn raster_signature(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Some("image/webp")
    } else if b.starts_with(b"BM") && b.len() > 26 {
        Some("image/bmp")
    } else if b.starts_with(&[0, 0, 1, 0]) && b.len() > 6 {
        Some("image/x-icon")
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" && (&b[8..12] == b"avif" || &b[8..12] == b"avis")
    {
        Some("image/avif")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_genuine_raster_images_get_a_blob() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(preview("image/png", png), Preview::Raster("image/png"));
        assert_eq!(
            preview("IMAGE/PNG; name=x", png),
            Preview::Raster("image/png")
        );
        assert_eq!(
            preview("image/jpg", b"\xFF\xD8\xFF\xE0"),
            Preview::Raster("image/jpeg")
        );
        // Declared as an image, but HTML or SVG inside: nothing is shown.
        assert_eq!(
            preview("image/png", b"<html><script>x</script>"),
            Preview::None
        );
        assert_eq!(preview("image/gif", b"<svg onload=x>"), Preview::None);
        // A GIF's bytes under a PNG label are not shown as a PNG either.
        assert_eq!(preview("image/png", b"GIF89a...."), Preview::None);
    }

    #[test]
    fn active_types_are_never_a_document() {
        assert_eq!(preview("image/svg+xml", b"<svg onload='x'/>"), Preview::Svg);
        assert_eq!(
            preview("image/svg+xml", &vec![b' '; SVG_PREVIEW_LIMIT + 1]),
            Preview::None
        );
        for t in [
            "text/html",
            "application/xhtml+xml",
            "text/xml",
            "application/xml",
            "text/plain",
            "message/rfc822",
        ] {
            assert_eq!(
                preview(t, b"<html><script>x</script>"),
                Preview::Text,
                "{t}"
            );
        }
        for t in [
            "application/pdf",
            "application/octet-stream",
            "video/mp4",
            "application/javascript",
            "",
        ] {
            assert_eq!(preview(t, b"%PDF-1.4"), Preview::None, "{t}");
        }
    }
}
