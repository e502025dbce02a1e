//! The mail app's views as paths, both ways: every view has a URL (`/mail/…`), so Back and
//! Forward move between views and a reload lands on the same one.
//!
//! ```text
//! /mail/                                  the first account, or adding one
//! /mail/setup                             adding an account
//! /mail/ACCOUNT/                          its INBOX
//! /mail/ACCOUNT/folders                   the folder list (phones show it as a pane)
//! /mail/ACCOUNT/f/FOLDER                  a folder; `?q=WORDS` searches it
//! /mail/ACCOUNT/f/FOLDER/m/VALIDITY/UID   a message (UIDVALIDITY + UID: a UID means the
//!                                         same message only while the folder's UIDVALIDITY
//!                                         is unchanged)
//! /mail/ACCOUNT/device                    POP3 mail kept in this browser
//! /mail/ACCOUNT/device/m/ID               one of them
//! /mail/ACCOUNT/write                     compose (`?draft=UID` takes a draft up again)
//! /mail/ACCOUNT/settings                  the account's settings, connection and transcripts
//! ```
//! Account and folder names are percent-encoded as one segment each (a `/` in a folder
//! name included).

/// Where the app's paths start.
pub const BASE: &str = "/mail";

/// A view of the mail app.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum View {
    /// `/mail/`: the first account's INBOX, or setup when there is none.
    #[default]
    Start,
    Setup,
    Account(String, Place),
}

/// A place within an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A folder (INBOX for the account's own path), maybe searched, maybe with a message open.
    Folder {
        name: String,
        query: Option<String>,
        open: Option<(u32, u32)>,
    },
    Folders,
    Device {
        open: Option<String>,
    },
    Write {
        draft: Option<u32>,
    },
    Settings,
}

impl Place {
    pub fn inbox() -> Place {
        Place::folder("INBOX")
    }

    pub fn folder(name: &str) -> Place {
        Place::Folder {
            name: name.to_string(),
            query: None,
            open: None,
        }
    }
}

impl View {
    /// The view at `path` with its `?query` (the part after `?`, without it).
    pub fn parse(path: &str, search: &str) -> View {
        let rest = path.strip_prefix(BASE).unwrap_or(path);
        let parts: Vec<String> = rest
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        let q = param(search, "q").filter(|q| !q.trim().is_empty());
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        match parts.as_slice() {
            [] => View::Start,
            ["setup"] => View::Setup,
            [account, tail @ ..] => {
                let place = match tail {
                    [] => Place::Folder {
                        name: "INBOX".into(),
                        query: q,
                        open: None,
                    },
                    ["folders"] => Place::Folders,
                    ["f", folder] => Place::Folder {
                        name: folder.to_string(),
                        query: q,
                        open: None,
                    },
                    ["f", folder, "m", validity, uid] => match (validity.parse(), uid.parse()) {
                        (Ok(v), Ok(u)) => Place::Folder {
                            name: folder.to_string(),
                            query: q,
                            open: Some((v, u)),
                        },
                        _ => Place::folder(folder),
                    },
                    ["device"] => Place::Device { open: None },
                    ["device", "m", id] => Place::Device {
                        open: Some(id.to_string()),
                    },
                    ["write"] => Place::Write {
                        draft: param(search, "draft").and_then(|d| d.parse().ok()),
                    },
                    ["settings"] => Place::Settings,
                    _ => Place::inbox(),
                };
                View::Account(account.to_string(), place)
            }
        }
    }

    /// The path (with its query) that shows this view.
    pub fn path(&self) -> String {
        match self {
            View::Start => format!("{BASE}/"),
            View::Setup => format!("{BASE}/setup"),
            View::Account(account, place) => {
                let a = format!("{BASE}/{}", encode(account));
                let with_q = |p: String, q: &Option<String>| match q {
                    Some(q) => format!("{p}?q={}", encode(q)),
                    None => p,
                };
                match place {
                    Place::Folder { name, query, open } => {
                        let mut p = format!("{a}/f/{}", encode(name));
                        if let Some((v, u)) = open {
                            p.push_str(&format!("/m/{v}/{u}"));
                        }
                        with_q(p, query)
                    }
                    Place::Folders => format!("{a}/folders"),
                    Place::Device { open: None } => format!("{a}/device"),
                    Place::Device { open: Some(id) } => format!("{a}/device/m/{}", encode(id)),
                    Place::Write { draft: None } => format!("{a}/write"),
                    Place::Write { draft: Some(d) } => format!("{a}/write?draft={d}"),
                    Place::Settings => format!("{a}/settings"),
                }
            }
        }
    }

    /// The view one step up, where a Back control goes: a message → its folder, a folder →
    /// the folder list, compose or settings → the INBOX.
    pub fn up(&self) -> Option<View> {
        let View::Account(a, place) = self else {
            return None;
        };
        let place = match place {
            Place::Folder {
                name,
                query,
                open: Some(_),
            } => Place::Folder {
                name: name.clone(),
                query: query.clone(),
                open: None,
            },
            Place::Folder { open: None, .. } | Place::Device { open: None } => Place::Folders,
            Place::Device { open: Some(_) } => Place::Device { open: None },
            Place::Write { .. } | Place::Settings => Place::inbox(),
            Place::Folders => return None,
        };
        Some(View::Account(a.clone(), place))
    }
}

/// One path segment, percent-encoded: everything but unreserved characters (RFC 3986).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A percent-encoded segment decoded; `+` stays `+`; broken escapes and bytes that are not
/// UTF-8 are kept as they are or replaced, never a panic.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of `name` in a query string (`a=1&q=x%20y`), decoded (`+` is a space there).
fn param(search: &str, name: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| decode(&v.replace('+', " ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: View) {
        let p = v.path();
        let (path, search) = p.split_once('?').unwrap_or((&p, ""));
        assert_eq!(View::parse(path, search), v, "{p}");
    }

    #[test]
    fn every_view_round_trips() {
        let a = "alice@example.test".to_string();
        round_trip(View::Start);
        round_trip(View::Setup);
        for place in [
            Place::inbox(),
            Place::folder("Projects/2026 plans"),
            Place::Folder {
                name: "Archive".into(),
                query: Some("invoice & co? 100%".into()),
                open: Some((3857529045, 42)),
            },
            Place::Folders,
            Place::Device { open: None },
            Place::Device {
                open: Some("UIDL/+x".into()),
            },
            Place::Write { draft: None },
            Place::Write { draft: Some(7) },
            Place::Settings,
        ] {
            round_trip(View::Account(a.clone(), place));
        }
        round_trip(View::Account(
            "Grüße@例え.jp".into(),
            Place::folder("Entwürfe"),
        ));
    }

    #[test]
    fn paths_read_as_a_person_would_type_them() {
        assert_eq!(View::parse("/mail", ""), View::Start);
        assert_eq!(View::parse("/mail/", ""), View::Start);
        assert_eq!(
            View::parse("/mail/bob@example.test/", ""),
            View::Account("bob@example.test".into(), Place::inbox())
        );
        assert_eq!(
            View::parse("/mail/bob@example.test/f/INBOX", "q=hello+world"),
            View::Account(
                "bob@example.test".into(),
                Place::Folder {
                    name: "INBOX".into(),
                    query: Some("hello world".into()),
                    open: None
                }
            )
        );
        // Nonsense lands somewhere sensible, never a panic.
        assert_eq!(
            View::parse("/mail/b/f/X/m/notanumber/1", ""),
            View::Account("b".into(), Place::folder("X"))
        );
        assert_eq!(
            View::parse("/mail/b/what/ever", ""),
            View::Account("b".into(), Place::inbox())
        );
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn up_goes_one_step_towards_the_folders() {
        let a = || "a".to_string();
        let msg = View::Account(
            a(),
            Place::Folder {
                name: "INBOX".into(),
                query: None,
                open: Some((1, 2)),
            },
        );
        let list = msg.up().unwrap();
        assert_eq!(list, View::Account(a(), Place::inbox()));
        assert_eq!(list.up().unwrap(), View::Account(a(), Place::Folders));
        assert_eq!(View::Account(a(), Place::Folders).up(), None);
        assert_eq!(
            View::Account(a(), Place::Write { draft: None }).up(),
            Some(View::Account(a(), Place::inbox()))
        );
    }
}
