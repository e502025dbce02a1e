//! Header shapes real mail uses that break the grammar, each written for this test: an
//! obsolete zone must not cost the next field, a broken field is shown as written with a
//! defect, glued addresses are split. Every message runs with LF and CRLF endings.

use mailscope_core::{analyze, DefectCode, Mailbox, Report};

fn both(text: &str) -> [Report; 2] {
    let lf = text.replace("\r\n", "\n");
    let crlf = lf.replace('\n', "\r\n");
    [
        analyze(lf.as_bytes()).unwrap(),
        analyze(crlf.as_bytes()).unwrap(),
    ]
}

fn codes(r: &Report) -> Vec<DefectCode> {
    r.defects.iter().map(|d| d.code).collect()
}

fn mb(name: Option<&str>, address: Option<&str>) -> Mailbox {
    Mailbox {
        name: name.map(str::to_string),
        address: address.map(str::to_string),
        group: None,
    }
}

/// RFC 5322 §4.3's obsolete zones (and the military letters), in Date, Received and
/// Resent-Date, each followed by another field that must stay whole.
#[test]
fn an_obsolete_zone_never_costs_the_next_field() {
    let zones = [
        ("UT", "Z"),
        ("GMT", "Z"),
        ("Z", "Z"),
        ("A", "Z"),
        ("M", "Z"),
        ("EST", "-05:00"),
        ("EDT", "-04:00"),
        ("CST", "-06:00"),
        ("CDT", "-05:00"),
        ("MST", "-07:00"),
        ("MDT", "-06:00"),
        ("PST", "-08:00"),
        ("PDT", "-07:00"),
    ];
    for (zone, offset) in zones {
        let text = format!(
            "Received: from a.example by b.example with SMTP; Thu, 20 Jun 2002 05:53:49 {zone}\n\
             Date: Thu, 20 Jun 2002 05:53:48 {zone}\n\
             From: Ann <ann@example.org>\n\
             Resent-Date: Fri, 21 Jun 2002 10:00:00 {zone}\n\
             Subject: zone {zone}\n\
             Message-ID: <z@example.org>\n\n\
             body\n"
        );
        for r in both(&text) {
            assert_eq!(r.from, [mb(Some("Ann"), Some("ann@example.org"))], "{zone}");
            assert_eq!(r.subject.as_deref(), Some(&*format!("zone {zone}")));
            let date = r.date.as_deref().unwrap_or_default();
            assert!(date.starts_with("2002-06-20T05:53:48"), "{zone}: {date}");
            assert!(date.ends_with(offset), "{zone}: {date}");
            let hop = &r.hops[0];
            assert!(
                hop.date.as_deref().is_some_and(|d| d.ends_with(offset)),
                "{zone}: Received date {:?}",
                hop.date
            );
            assert_eq!(hop.delay_seconds, Some(1), "{zone}");
            let names: Vec<&str> = r.headers.iter().map(|h| h.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    "Received",
                    "Date",
                    "From",
                    "Resent-Date",
                    "Subject",
                    "Message-ID"
                ],
                "{zone}"
            );
            let c = codes(&r);
            assert!(!c.contains(&DefectCode::MissingFrom), "{zone}: {c:?}");
            assert!(!c.contains(&DefectCode::UnparseableDate), "{zone}: {c:?}");
        }
    }
}

/// Date forms real mail uses: no day name, two-digit years, no seconds, a comment zone.
#[test]
fn real_date_forms_are_read() {
    for (written, want) in [
        ("20 Jun 2002 05:53:48 +0200", "2002-06-20T05:53:48+02:00"),
        ("Thu, 20 Jun 02 05:53:48 -0000", "2002-06-20T05:53:48Z"),
        ("Thu, 20 Jun 2002 05:53 +0100", "2002-06-20T05:53:00+01:00"),
        (
            "Thu, 20 Jun 2002 05:53:48 +0000 (UTC)",
            "2002-06-20T05:53:48Z",
        ),
        (
            "Thu,20 Jun 2002 05:53:48 +0530",
            "2002-06-20T05:53:48+05:30",
        ),
        ("thu, 20 JUN 2002 05:53:48 gmt", "2002-06-20T05:53:48Z"),
    ] {
        let text = format!("Date: {written}\nFrom: a@example.org\nMessage-ID: <d@x>\n\nb\n");
        for r in both(&text) {
            assert_eq!(r.date.as_deref(), Some(want), "{written}");
            assert_eq!(r.from.len(), 1, "{written}");
        }
    }
    // A date nobody can read is a defect, and the next field is still there.
    for r in both("Date: sometime last week\nFrom: a@example.org\n\nb\n") {
        assert!(codes(&r).contains(&DefectCode::UnparseableDate));
        assert_eq!(r.from.len(), 1);
        assert_eq!(r.date_raw.as_deref(), Some("sometime last week"));
    }
}

#[test]
fn a_message_id_without_at_is_shown_with_a_defect() {
    for r in both("From: a@example.org\nDate: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <9PS291LhupY>\n\nb\n") {
        assert_eq!(r.message_id.as_deref(), Some("9PS291LhupY"));
        assert!(codes(&r).contains(&DefectCode::MalformedMessageId));
    }
    for r in both("From: a@example.org\nDate: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <good@example.org>\n\nb\n") {
        assert!(!codes(&r).contains(&DefectCode::MalformedMessageId));
    }
}

#[test]
fn a_from_without_an_address_is_shown_decoded_with_a_defect() {
    for (written, name) in [
        ("\"Your Bank\"", "Your Bank"),
        (
            "=?utf-8?B?WW91ciBCYW5rIOKAkyBTZWN1cml0eQ==?=",
            "Your Bank – Security",
        ),
        ("Lottery Winner Notification", "Lottery Winner Notification"),
    ] {
        let text = format!(
            "From: {written}\nDate: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <f@x.example>\n\nb\n"
        );
        for r in both(&text) {
            assert_eq!(r.from, [mb(Some(name), None)], "{written}");
            let d = r
                .defects
                .iter()
                .find(|d| d.code == DefectCode::AddressWithoutMailbox)
                .expect("a defect");
            assert!(
                d.message.starts_with("From has a name but no address"),
                "{}",
                d.message
            );
        }
    }
}

#[test]
fn an_encoded_word_with_a_language_tag_is_decoded() {
    let text = "From: =?iso-8859-2*sl?Q?=C8rna_gora?= <crna@example.si>\n\
                Subject: =?ISO-8859-2*SL?Q?Pozdrav_iz_=C8rne_gore?= =?utf-8*en-US?B?4pyT?=\n\
                Date: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <l@x.example>\n\nb\n";
    for r in both(text) {
        assert_eq!(r.subject.as_deref(), Some("Pozdrav iz Črne gore✓"));
        assert_eq!(r.from, [mb(Some("Črna gora"), Some("crna@example.si"))]);
    }
}

#[test]
fn addresses_with_only_a_space_between_them_are_split_and_flagged() {
    for (written, want) in [
        (
            "\"Joe\" <joe@x.example> bob@y.example",
            vec![
                mb(Some("Joe"), Some("joe@x.example")),
                mb(None, Some("bob@y.example")),
            ],
        ),
        (
            "ann@x.example carl@y.example",
            vec![
                mb(None, Some("ann@x.example")),
                mb(None, Some("carl@y.example")),
            ],
        ),
        (
            "=?utf-8?Q?Caf=C3=A9?= <cafe@x.example> Dora <dora@y.example>",
            vec![
                mb(Some("Café"), Some("cafe@x.example")),
                mb(Some("Dora"), Some("dora@y.example")),
            ],
        ),
    ] {
        let text = format!(
            "From: {written}\nTo: {written}\nDate: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <s@x.example>\n\nb\n"
        );
        for r in both(&text) {
            assert_eq!(r.from, want, "{written}");
            assert_eq!(r.to, want, "{written}");
            let flagged = codes(&r)
                .iter()
                .filter(|c| **c == DefectCode::AddressesNotSeparated)
                .count();
            assert_eq!(flagged, 2, "{written}");
        }
    }
    // A proper list is no defect.
    for r in both("From: a@x.example\nTo: \"Doe, Ann\" <ann@x.example>, bob@y.example\nDate: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <p@x.example>\n\nb\n") {
        assert_eq!(r.to.len(), 2);
        assert!(!codes(&r).contains(&DefectCode::AddressesNotSeparated));
    }
}

/// Authentication-Results, ARC-Authentication-Results, Received-SPF and DKIM-Signature are
/// read whichever of them the parser knows by a name of its own.
#[test]
fn every_authentication_field_is_read() {
    let text = "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org;\n dkim=pass header.d=example.org\n\
ARC-Authentication-Results: i=1; mx.example.net; dmarc=pass header.from=example.org\n\
Received-SPF: pass (mx.example.net: domain of a@example.org designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1;\n\
DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel; h=from:to; bh=x; b=y\n\
From: a@example.org\nDate: Thu, 20 Jun 2002 05:53:48 +0000\nMessage-ID: <a@example.org>\n\nb\n";
    for r in both(text) {
        let methods: Vec<&str> = r.auth.results.iter().map(|a| a.method.as_str()).collect();
        assert_eq!(methods, ["spf", "dkim", "dmarc"]);
        assert_eq!(r.auth.spf.len(), 1);
        assert_eq!(r.auth.spf[0].result, "pass");
        assert_eq!(r.auth.dkim_signatures.len(), 1);
        assert_eq!(
            r.auth.dkim_signatures[0].domain.as_deref(),
            Some("example.org")
        );
    }
}
