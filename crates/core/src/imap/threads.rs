//! Conversations: the server's (`UID THREAD REFERENCES`, RFC 5256) read into lists of UIDs,
//! or the same threading done here over the rows a client keeps (the REFERENCES algorithm
//! of RFC 5256 §3, after Jamie Zawinski's): messages linked by References and In-Reply-To,
//! lost parents kept as empty places so their children stay together, then top-level
//! messages with the same base subject joined when one of them is a reply.

use std::collections::HashMap;

use imap_next::imap_types::extensions::thread::Thread;
use imap_next::imap_types::response::Data;

use super::{Done, Summary};

/// One conversation: its messages' UIDs, oldest first.
pub type Conversation = Vec<u32>;

/// The conversations a `UID THREAD` answered, each in the server's tree order.
pub fn from_server(done: &Done) -> Vec<Conversation> {
    fn walk(t: &Thread, out: &mut Vec<u32>) {
        match t {
            Thread::Members { prefix, answers } => {
                out.extend(prefix.as_ref().iter().map(|n| n.get()));
                if let Some(a) = answers {
                    for t in a.as_ref() {
                        walk(t, out);
                    }
                }
            }
            Thread::Nested { answers } => {
                for t in answers.as_ref() {
                    walk(t, out);
                }
            }
        }
    }
    done.data
        .iter()
        .flat_map(|d| match d {
            Data::Thread(threads) => threads.clone(),
            _ => Vec::new(),
        })
        .map(|t| {
            let mut uids = Vec::new();
            walk(&t, &mut uids);
            uids
        })
        .filter(|c| !c.is_empty())
        .collect()
}

/// The subject without `Re:`, `Fwd:`, `Fw:`, `[list]` tags and `(fwd)` (RFC 5256 §2.1),
/// lower-cased; and whether anything reply-like was taken off.
pub fn base_subject(subject: &str) -> (String, bool) {
    let mut s = subject.trim().to_string();
    let mut reply = false;
    loop {
        let before = s.clone();
        let lower = s.to_ascii_lowercase();
        if lower.ends_with("(fwd)") {
            s.truncate(s.len() - 5);
            reply = true;
        }
        let t = s.trim_start();
        if t.starts_with('[') {
            if let Some(end) = t.find(']') {
                // A `[list]` blob goes only when a subject is left behind it.
                if !t[end + 1..].trim().is_empty() {
                    s = t[end + 1..].to_string();
                }
            }
        }
        let t = s.trim_start();
        let lower = t.to_ascii_lowercase();
        for prefix in ["re", "fwd", "fw"] {
            if let Some(rest) = lower.strip_prefix(prefix) {
                // `Re:`, `Re[2]:`, `Re :`.
                let rest_orig = &t[prefix.len()..];
                let skip = if rest.starts_with('[') {
                    rest.find(']').map(|i| i + 1).unwrap_or(0)
                } else {
                    0
                };
                let after = rest_orig[skip..].trim_start();
                if let Some(x) = after.strip_prefix(':') {
                    s = x.to_string();
                    reply = true;
                    break;
                }
            }
        }
        s = s.trim().to_string();
        if s == before {
            break;
        }
    }
    (s.to_lowercase(), reply)
}

#[derive(Default)]
struct Node {
    /// The row this place holds; `None` for a message only referred to.
    row: Option<usize>,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// Whether `a` is `b` or above it.
fn is_ancestor(nodes: &[Node], a: usize, mut b: usize) -> bool {
    let mut steps = 0;
    loop {
        if a == b {
            return true;
        }
        match nodes[b].parent {
            Some(p) if steps < nodes.len() => {
                b = p;
                steps += 1;
            }
            _ => return false,
        }
    }
}

fn link(nodes: &mut [Node], parent: usize, child: usize) {
    if nodes[child].parent.is_some() || is_ancestor(nodes, child, parent) {
        return;
    }
    nodes[child].parent = Some(parent);
    nodes[parent].children.push(child);
}

/// Threads `rows` here: the conversations, each oldest first (by the server's arrival
/// date, then UID), and the conversations newest first by their latest message.
pub fn local(rows: &[Summary]) -> Vec<Conversation> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    fn place(nodes: &mut Vec<Node>, by_id: &mut HashMap<String, usize>, id: &str) -> usize {
        if let Some(i) = by_id.get(id) {
            return *i;
        }
        nodes.push(Node::default());
        by_id.insert(id.to_string(), nodes.len() - 1);
        nodes.len() - 1
    }
    for (r, s) in rows.iter().enumerate() {
        // A message without an id, or with one seen already, gets a place of its own.
        let me = if s.message_id.is_empty()
            || by_id
                .get(&s.message_id)
                .is_some_and(|i| nodes[*i].row.is_some())
        {
            nodes.push(Node::default());
            nodes.len() - 1
        } else {
            place(&mut nodes, &mut by_id, &s.message_id)
        };
        nodes[me].row = Some(r);
        let mut chain: Vec<String> = s.references.clone();
        if !s.in_reply_to.is_empty() && chain.last() != Some(&s.in_reply_to) {
            chain.extend(super::message_ids(&s.in_reply_to));
        }
        let mut prev: Option<usize> = None;
        for id in chain.iter().filter(|id| **id != s.message_id) {
            let here = place(&mut nodes, &mut by_id, id);
            if let Some(p) = prev {
                link(&mut nodes, p, here);
            }
            prev = Some(here);
        }
        if let Some(p) = prev {
            // The message's own parent is the last reference, whatever was guessed before.
            if let Some(old) = nodes[me].parent.take() {
                nodes[old].children.retain(|c| *c != me);
            }
            link(&mut nodes, p, me);
        }
    }
    // Each top-level place and what hangs below it.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for root in (0..nodes.len()).filter(|i| nodes[*i].parent.is_none()) {
        let mut rows_in = Vec::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            rows_in.extend(nodes[n].row);
            stack.extend(nodes[n].children.iter().copied());
        }
        if !rows_in.is_empty() {
            groups.push(rows_in);
        }
    }
    // Top-level conversations with one base subject are joined when one of them starts with a
    // reply (its parent was never seen).
    let first = |g: &Vec<usize>| {
        *g.iter()
            .min_by(|a, b| (&rows[**a].date, rows[**a].uid).cmp(&(&rows[**b].date, rows[**b].uid)))
            .expect("groups are not empty")
    };
    let mut by_subject: HashMap<String, usize> = HashMap::new();
    let mut joined: Vec<Vec<usize>> = Vec::new();
    let mut order: Vec<(usize, bool)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (i, base_subject(&rows[first(g)].subject).1))
        .collect();
    // Originals first, so replies find them.
    order.sort_by_key(|(_, reply)| *reply);
    for (i, reply) in order {
        let (subject, _) = base_subject(&rows[first(&groups[i])].subject);
        match by_subject.get(&subject) {
            Some(j) if !subject.is_empty() && reply => joined[*j].extend(groups[i].iter().copied()),
            _ => {
                if !subject.is_empty() && !reply {
                    by_subject.entry(subject).or_insert(joined.len());
                }
                joined.push(groups[i].clone());
            }
        }
    }
    let mut out: Vec<Conversation> = joined
        .into_iter()
        .map(|mut g| {
            g.sort_by(|a, b| (&rows[*a].date, rows[*a].uid).cmp(&(&rows[*b].date, rows[*b].uid)));
            g.into_iter().map(|r| rows[r].uid).collect()
        })
        .collect();
    let by_uid: HashMap<u32, &Summary> = rows.iter().map(|s| (s.uid, s)).collect();
    let latest = |c: &Conversation| {
        c.last()
            .and_then(|u| by_uid.get(u))
            .map(|s| (s.date.clone(), s.uid))
    };
    out.sort_by_key(|c| std::cmp::Reverse(latest(c)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(uid: u32, id: &str, refs: &[&str], subject: &str, date: &str) -> Summary {
        Summary {
            uid,
            message_id: id.into(),
            references: refs.iter().map(|s| s.to_string()).collect(),
            subject: subject.into(),
            date: date.into(),
            ..Summary::default()
        }
    }

    #[test]
    fn base_subjects() {
        assert_eq!(base_subject("Re: Re[2]: Lunch"), ("lunch".into(), true));
        assert_eq!(
            base_subject("[dev] Fwd: Plans (fwd)"),
            ("plans".into(), true)
        );
        assert_eq!(base_subject("Lunch"), ("lunch".into(), false));
        assert_eq!(base_subject("[dev]"), ("[dev]".into(), false));
        assert_eq!(base_subject("Re:"), ("".into(), true));
    }

    #[test]
    fn replies_hang_under_their_parents_in_date_order() {
        let rows = vec![
            row(
                5,
                "<e@x>",
                &["<a@x>", "<b@x>", "<d@x>"],
                "Re: Plan",
                "2026-01-05",
            ),
            row(1, "<a@x>", &[], "Plan", "2026-01-01"),
            row(2, "<b@x>", &["<a@x>"], "Re: Plan", "2026-01-02"),
            row(9, "<z@x>", &[], "Other", "2026-01-03"),
            row(3, "<c@x>", &["<a@x>", "<b@x>"], "Re: Plan", "2026-01-03"),
            row(4, "<d@x>", &["<a@x>", "<b@x>"], "Re: Plan", "2026-01-04"),
        ];
        let c = local(&rows);
        assert_eq!(c, vec![vec![1, 2, 3, 4, 5], vec![9]]);
    }

    #[test]
    fn a_lost_parent_keeps_its_children_together_and_subjects_join_replies() {
        let rows = vec![
            // Both answer <gone@x>, which is not here.
            row(2, "<b@x>", &["<gone@x>"], "Re: Trip", "2026-01-02"),
            row(3, "<c@x>", &["<gone@x>"], "Re: Trip", "2026-01-03"),
            // No References at all, only the subject.
            row(4, "<d@x>", &[], "Re: Budget", "2026-01-04"),
            row(1, "<a@x>", &[], "Budget", "2026-01-01"),
            // Same subject, not a reply: a conversation of its own.
            row(6, "<f@x>", &[], "Budget", "2026-01-06"),
        ];
        let c = local(&rows);
        assert!(c.contains(&vec![2, 3]));
        assert!(c.contains(&vec![1, 4]) || c.contains(&vec![6, 4]) || c.contains(&vec![1, 6, 4]));
        assert_eq!(c.iter().map(|c| c.len()).sum::<usize>(), 5);
    }

    #[test]
    fn loops_and_duplicate_ids_do_not_hang_or_lose_messages() {
        let rows = vec![
            row(1, "<a@x>", &["<b@x>"], "x", "1"),
            row(2, "<b@x>", &["<a@x>"], "x", "2"),
            row(3, "<a@x>", &[], "x", "3"),
            row(4, "", &["<a@x>"], "", "4"),
            row(5, "<s@x>", &["<s@x>"], "self", "5"),
        ];
        let c = local(&rows);
        let mut all: Vec<u32> = c.concat();
        all.sort();
        assert_eq!(all, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_servers_threads_are_read_depth_first() {
        use crate::imap::{Client, Event};
        let mut c = Client::new();
        c.feed(b"* OK ready\r\n");
        c.next_event().unwrap();
        c.send(crate::imap::commands::thread_references()).unwrap();
        c.feed(b"* THREAD (2)(3 6 (4 23)(44 7 96))\r\nM1 OK Thread completed.\r\n");
        let done = loop {
            if let Some(Event::Done(d)) = c.next_event().unwrap() {
                break d;
            }
        };
        assert_eq!(
            from_server(&done),
            vec![vec![2], vec![3, 6, 4, 23, 44, 7, 96]]
        );
    }
}
