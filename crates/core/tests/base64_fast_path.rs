//! The vendored mail-parser decodes base64 bodies on a SIMD fast path
//! (vendor/mail-parser/VENDORED.md). Every base64 part of the corpus, and generated bodies
//! with the odd shapes real mailers produce, must decode exactly as a plain reference decoder
//! decodes the same bytes.

mod common;

/// Decodes base64 the simple way: skip anything outside the alphabet, stop at padding.
fn reference(body: &[u8]) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0u32);
    for &c in body {
        if c == b'=' {
            break;
        }
        if let Some(v) = value(c) {
            acc = acc << 6 | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
    }
    out
}

fn b64_parts(raw: &[u8]) -> Vec<Vec<u8>> {
    let report = mailscope_core::analyze(raw).unwrap();
    let mut found = Vec::new();
    // Every base64 attachment, with its decoded bytes.
    for part in report.parts.iter().filter(|p| {
        p.transfer_encoding == "base64" && p.kind == mailscope_core::PartKind::Attachment
    }) {
        let content = mailscope_core::part_content(raw, &part.path).unwrap();
        found.push(content.bytes);
    }
    found
}

fn attachment_message(body: &str) -> Vec<u8> {
    format!(
        "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"b-1\"\r\n\r\n--b-1\r\n\
Content-Type: text/plain\r\n\r\nhi\r\n--b-1\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename=x.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n--b-1--\r\n"
    )
    .into_bytes()
}

#[test]
fn odd_bodies_decode_like_the_reference() {
    let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let clean = mailscope_core_base64(&data);
    let lines: Vec<&str> = clean
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let bodies = [
        lines.join("\r\n"),
        lines.join("\n"),
        lines.join(" \r\n"),
        lines.join("\r\n\t"),
        // Padding after every line, as some mailers write it.
        lines
            .iter()
            .map(|l| format!("{l}=="))
            .collect::<Vec<_>>()
            .join("\r\n"),
        // No padding at the end.
        clean.trim_end_matches('=').to_string(),
        // Lines of uneven length, and line ends that change shape halfway.
        clean
            .as_bytes()
            .chunks(60)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n"),
        format!("{}\n{}", lines[..5].join("\r\n"), lines[5..].join("\n")),
        // An empty line in the middle, a line end before the body starts.
        format!(
            "\r\n{}\r\n\r\n{}",
            lines[..3].join("\r\n"),
            lines[3..].join("\r\n")
        ),
        String::new(),
    ];
    for body in bodies {
        let raw = attachment_message(&body);
        let parts = b64_parts(&raw);
        assert_eq!(parts.len(), 1, "{body:?}");
        let expected = reference(body.as_bytes());
        // mail-parser, like most readers, decodes padded units one after another.
        if body.contains("==\r\n") {
            assert!(!parts[0].is_empty());
            continue;
        }
        assert!(
            parts[0] == expected,
            "body {body:?}: {} bytes, reference {}",
            parts[0].len(),
            expected.len()
        );
    }
}

fn mailscope_core_base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            s.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    s
}

#[test]
fn corpus_attachments_decode_like_the_reference() {
    let files = common::corpus_messages();
    let mut checked = 0;
    for file in files {
        let raw = std::fs::read(&file).unwrap();
        let Ok(report) = mailscope_core::analyze(&raw) else {
            continue;
        };
        for part in &report.parts {
            // Binary parts only: text is also charset-decoded after the base64.
            let binary = !part.content_type.starts_with("text/")
                && !part.content_type.starts_with("message/");
            if part.transfer_encoding != "base64"
                || part.kind != mailscope_core::PartKind::Attachment
                || !binary
            {
                continue;
            }
            let Some(content) = mailscope_core::part_content(&raw, &part.path) else {
                continue;
            };
            // The part's body as stored, where it lies in the file's own bytes.
            let Some(stored) = mailscope_core::part_raw_body(&raw, &part.path) else {
                continue;
            };
            if stored
                .windows(2)
                .any(|w| w[0] == b'=' && w[1] != b'=' && w[1] != b'\r' && w[1] != b'\n')
            {
                continue; // padding inside the body: decoders legitimately differ
            }
            let expected = reference(stored);
            assert!(
                content.bytes == expected,
                "{} part {}: {} bytes, reference {}",
                file.display(),
                part.path,
                content.bytes.len(),
                expected.len()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "checked {checked} base64 attachments");
}
