//! What signing in needs in every protocol: a secret that never prints, Base64 (RFC 4648),
//! and SASL PLAIN's initial response (RFC 4616).

use std::fmt;

/// A password or a SASL payload: shown as `***` when printed or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

pub(crate) fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SASL PLAIN's response: `\0user\0password`, in Base64.
pub(crate) fn plain(user: &str, password: &Secret) -> String {
    base64(format!("\0{user}\0{}", password.expose()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_plain() {
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(
            plain("alice@example.test", &Secret::new("alice-password")),
            "AGFsaWNlQGV4YW1wbGUudGVzdABhbGljZS1wYXNzd29yZA=="
        );
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "***");
    }
}
