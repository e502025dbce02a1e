//! Folders as a mail client shows them: the name, its last part under its parent, the
//! depth, the special-use role (RFC 6154: `\Sent`, `\Drafts`…), whether it can be opened,
//! and the order of a folder tree (INBOX, then the special ones, then the rest by name,
//! each followed by the folders inside it).

use super::data::{delimiter, folders};
use super::Done;

/// What a folder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Inbox,
    Sent,
    Drafts,
    Trash,
    Archive,
    Junk,
    All,
    Flagged,
}

impl Role {
    /// The role's name, as the tree shows it and the page marks it (`Sent`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inbox => "Inbox",
            Role::Sent => "Sent",
            Role::Drafts => "Drafts",
            Role::Trash => "Trash",
            Role::Archive => "Archive",
            Role::Junk => "Junk",
            Role::All => "All",
            Role::Flagged => "Flagged",
        }
    }

    /// The RFC 6154 attribute.
    pub fn attribute(self) -> &'static str {
        match self {
            Role::Inbox => "",
            Role::Sent => "\\Sent",
            Role::Drafts => "\\Drafts",
            Role::Trash => "\\Trash",
            Role::Archive => "\\Archive",
            Role::Junk => "\\Junk",
            Role::All => "\\All",
            Role::Flagged => "\\Flagged",
        }
    }

    /// Names servers without special-use give these folders, to fall back on.
    fn usual_names(self) -> &'static [&'static str] {
        match self {
            Role::Inbox => &["INBOX"],
            Role::Sent => &["Sent", "Sent Items", "Sent Messages", "Sent Mail"],
            Role::Drafts => &["Drafts", "Draft"],
            Role::Trash => &["Trash", "Deleted Items", "Deleted Messages", "Bin"],
            Role::Archive => &["Archive", "Archives"],
            Role::Junk => &["Junk", "Spam", "Junk E-mail", "Bulk Mail"],
            Role::All => &["All Mail"],
            Role::Flagged => &["Flagged", "Starred"],
        }
    }

    const SPECIAL: [Role; 7] = [
        Role::Sent,
        Role::Drafts,
        Role::Trash,
        Role::Archive,
        Role::Junk,
        Role::All,
        Role::Flagged,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// The whole name (`Projects.2026` with `.` as the delimiter), Unicode.
    pub name: String,
    /// The last part of the name, as the tree shows it under its parent.
    pub label: String,
    /// How deep in the tree (0 at the top).
    pub depth: usize,
    pub role: Option<Role>,
    /// `\Noselect` or `\NonExistent` folders only hold others.
    pub selectable: bool,
}

/// The folders a LIST answered, in tree order.
pub fn tree(list: &Done) -> Vec<Folder> {
    let delim = delimiter(list);
    let mut out: Vec<Folder> = folders(list)
        .into_iter()
        .map(|(name, attrs)| {
            let has = |a: &str| attrs.iter().any(|x| x.eq_ignore_ascii_case(a));
            let parts: Vec<&str> = match delim {
                Some(d) => name.split(d).collect(),
                None => vec![name.as_str()],
            };
            let role = if name.eq_ignore_ascii_case("INBOX") {
                Some(Role::Inbox)
            } else {
                Role::SPECIAL.into_iter().find(|r| has(r.attribute()))
            };
            Folder {
                label: parts.last().copied().unwrap_or_default().to_string(),
                depth: parts.len().saturating_sub(1),
                role,
                selectable: !has("\\Noselect") && !has("\\NonExistent"),
                name,
            }
        })
        .collect();
    sort_as_tree(&mut out, delim);
    out
}

fn sort_as_tree(list: &mut [Folder], delim: Option<char>) {
    let top = |name: &str| -> String {
        delim
            .and_then(|d| name.split(d).next())
            .unwrap_or(name)
            .to_string()
    };
    let special: std::collections::HashSet<String> = list
        .iter()
        .filter(|f| f.role.is_some_and(|r| r != Role::Inbox))
        .map(|f| f.name.clone())
        .collect();
    list.sort_by_cached_key(|f| {
        let t = top(&f.name);
        let rank = if t.eq_ignore_ascii_case("INBOX") {
            0
        } else if special.contains(&t) {
            1
        } else {
            2
        };
        let path: Vec<String> = match delim {
            Some(d) => f.name.split(d).map(str::to_lowercase).collect(),
            None => vec![f.name.to_lowercase()],
        };
        (rank, path)
    });
}

/// The folder with `role`: by its special-use attribute, else by a usual name.
pub fn with_role(list: &[Folder], role: Role) -> Option<&Folder> {
    list.iter().find(|f| f.role == Some(role)).or_else(|| {
        role.usual_names()
            .iter()
            .find_map(|n| list.iter().find(|f| f.name.eq_ignore_ascii_case(n)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str, role: Option<Role>) -> Folder {
        Folder {
            name: name.into(),
            label: name.rsplit('/').next().unwrap().into(),
            depth: name.matches('/').count(),
            role,
            selectable: true,
        }
    }

    #[test]
    fn tree_order_and_roles() {
        let mut list = vec![
            folder("Zeta", None),
            folder("Projects/2026", None),
            folder("Sent", Some(Role::Sent)),
            folder("INBOX", Some(Role::Inbox)),
            folder("Projects", None),
            folder("Archive/2025", None),
            folder("Archive", Some(Role::Archive)),
        ];
        sort_as_tree(&mut list, Some('/'));
        let names: Vec<&str> = list.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "INBOX",
                "Archive",
                "Archive/2025",
                "Sent",
                "Projects",
                "Projects/2026",
                "Zeta"
            ]
        );
    }

    #[test]
    fn a_role_is_found_by_attribute_then_by_name() {
        let list = vec![
            folder("Gesendet", Some(Role::Sent)),
            folder("Sent Items", None),
            folder("Spam", None),
        ];
        assert_eq!(with_role(&list, Role::Sent).unwrap().name, "Gesendet");
        assert_eq!(with_role(&list, Role::Junk).unwrap().name, "Spam");
        assert_eq!(
            with_role(&list[1..], Role::Sent).unwrap().name,
            "Sent Items"
        );
        assert!(with_role(&list, Role::Drafts).is_none());
    }
}
