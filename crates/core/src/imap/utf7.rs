//! Folder names in modified UTF-7 (RFC 3501 §5.1.3): what the user types and sees is
//! Unicode; on the wire, runs of non-ASCII become `&…-` with UTF-16 in a base64 variant
//! (`,` for `/`), and `&` itself is `&-`.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

fn printable(c: char) -> bool {
    ('\u{20}'..='\u{7e}').contains(&c)
}

fn flush(units: &mut Vec<u16>, out: &mut String) {
    if units.is_empty() {
        return;
    }
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    out.push('&');
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..chunk.len() + 1 {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out.push('-');
    units.clear();
}

/// A Unicode folder name as the server wants it.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut units = Vec::new();
    for c in name.chars() {
        if printable(c) {
            flush(&mut units, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut units, &mut out);
    out
}

/// A folder name from the server as Unicode; `None` when it is not valid modified UTF-7
/// (shown as sent, then).
pub fn decode(wire: &str) -> Option<String> {
    let mut out = String::with_capacity(wire.len());
    let mut rest = wire;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find('-')?;
        let run = &after[..end];
        if run.is_empty() {
            out.push('&');
        } else {
            let mut bits = 0u32;
            let mut nbits = 0;
            let mut bytes = Vec::new();
            for b in run.bytes() {
                let v = ALPHABET.iter().position(|&a| a == b)? as u32;
                bits = (bits << 6) | v;
                nbits += 6;
                if nbits >= 8 {
                    nbits -= 8;
                    bytes.push((bits >> nbits) as u8);
                    bits &= (1 << nbits) - 1;
                }
            }
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            out.push_str(&String::from_utf16(&units).ok()?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3501_example_both_ways() {
        assert_eq!(
            encode("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(
            decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").as_deref(),
            Some("~peter/mail/台北/日本語")
        );
    }

    #[test]
    fn ampersands_emoji_and_round_trips() {
        assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
        assert_eq!(decode("Tom &- Jerry").as_deref(), Some("Tom & Jerry"));
        for name in [
            "Grüße",
            "Entwürfe",
            "📨 Post",
            "a&b/ü&ö",
            "Ordner ÄÖÜ äöü ß",
            "",
        ] {
            let wire = encode(name);
            assert!(wire.is_ascii(), "{wire}");
            assert_eq!(decode(&wire).as_deref(), Some(name), "{wire}");
        }
        assert_eq!(
            encode("Grüße"),
            "Gr&APw-&AN8-e".replace("&APw-&AN8-", "&APwA3w-")
        );
    }

    #[test]
    fn broken_input_is_refused_not_panicked_on() {
        for bad in ["&", "&AP", "&!!-", "&AA-", "&2D3d-"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
