//! `mailscope`: the inspector's analysis from the command line.
//!
//! ```text
//! mailscope inspect [--json] [--live [--dns HOST:PORT] [--spf-hop N]] FILE...
//! mailscope compare [--json] A.eml B.eml
//! ```

use std::process::ExitCode;

use mailscope_core::{analyze, mbox, Report};

mod live;

const USAGE: &str = "usage: mailscope inspect [--json] [--live [--dns HOST:PORT] [--spf-hop N]] FILE...\n\
       mailscope compare [--json] A.eml B.eml\n\
  inspect  analyse e-mail messages (.eml, or .mbox files split into their messages)\n\
  compare  two messages side by side: routes aligned by host, header fields, authentication, MIME parts\n\
  --json   print the analysis as JSON (inspect: one array of reports per run)\n\
  --live   check DKIM, SPF, DMARC, ARC and reverse DNS against DNS now (JSON: auth.live)\n\
  --dns    the resolver to ask over TCP (default: the first nameserver of /etc/resolv.conf)\n\
  --spf-hop  check SPF against this hop's address (1 is the first hop)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inspect") => inspect(&args[1..]),
        Some("compare") => compare(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn compare(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [a, b] = files[..] else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let read = |file: &String| -> Result<Report, String> {
        let raw = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        analyze(&raw).map_err(|e| format!("{file}: {e}"))
    };
    let (ra, rb) = match (read(a), read(b)) {
        (Ok(ra), Ok(rb)) => (ra, rb),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("mailscope: {e}");
            return ExitCode::FAILURE;
        }
    };
    let c = mailscope_core::compare::compare(&ra, &rb);
    if json {
        match serde_json::to_string_pretty(&c) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("mailscope: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print_comparison(a, b, &c);
    }
    ExitCode::SUCCESS
}

fn print_comparison(a: &str, b: &str, c: &mailscope_core::compare::Comparison) {
    let secs = |s: Option<i64>| s.map_or("?".to_string(), |s| format!("{s} s"));
    println!("A: {a} ({} hops, {})", c.a.hops, secs(c.a.total_seconds));
    println!("B: {b} ({} hops, {})", c.b.hops, secs(c.b.total_seconds));
    println!("Route:");
    for r in &c.route {
        let side = |h: &Option<mailscope_core::compare::HopSide>| {
            h.as_ref().map_or("-".to_string(), |h| {
                format!("#{} {}", h.index, secs(h.delay_seconds))
            })
        };
        let diff = r
            .delay_difference
            .map(|d| format!("  (B {d:+} s)"))
            .unwrap_or_default();
        println!(
            "  {:40} A {:12} B {:12}{diff}",
            r.host,
            side(&r.a),
            side(&r.b)
        );
    }
    if let Some(h) = &c.parted_after {
        println!("  The routes part after {h}.");
    }
    if !c.headers.only_a.is_empty() {
        println!("Only in A: {}", c.headers.only_a.join(", "));
    }
    if !c.headers.only_b.is_empty() {
        println!("Only in B: {}", c.headers.only_b.join(", "));
    }
    for f in &c.headers.differ {
        println!(
            "Differs: {}\n  A: {}\n  B: {}",
            f.name,
            f.a.join(" | "),
            f.b.join(" | ")
        );
    }
    for r in c.auth.iter().filter(|r| !r.same) {
        println!(
            "Authentication {}: A {} / B {}",
            r.method,
            r.a.join(", "),
            r.b.join(", ")
        );
    }
    for p in &c.mime {
        println!(
            "Part {}: A {} / B {}",
            p.path,
            p.a.as_deref().unwrap_or("-"),
            p.b.as_deref().unwrap_or("-")
        );
    }
}

fn inspect(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let options = match live::Options::parse(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("mailscope: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && !live::Options::is_value(args, *i))
        .map(|(_, a)| a)
        .collect();
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut checker = match options.map(live::Checker::new).transpose() {
        Ok(checker) => checker,
        Err(e) => {
            eprintln!("mailscope: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    let mut reports = Vec::new();
    for file in files {
        let raw = match std::fs::read(file) {
            Ok(raw) => raw,
            Err(e) => {
                eprintln!("mailscope: {file}: {e}");
                failed = true;
                continue;
            }
        };
        let messages: Vec<&[u8]> = if mbox::is_mbox(&raw) {
            mbox::split(&raw).into_iter().map(|r| &raw[r]).collect()
        } else {
            vec![&raw[..]]
        };
        for (i, message) in messages.iter().enumerate() {
            let name = if messages.len() > 1 {
                format!("{file}#{}", i + 1)
            } else {
                file.clone()
            };
            match analyze(message) {
                Ok(report) => {
                    let checked = checker.as_mut().map(|c| c.check(message, &report));
                    if json {
                        reports.push(live::with_live(&report, checked.as_ref()));
                    } else {
                        print_text(&name, &report);
                        if let Some(checked) = &checked {
                            live::print(checked);
                        }
                    }
                }
                Err(e) => {
                    eprintln!("mailscope: {name}: {e}");
                    failed = true;
                }
            }
        }
    }
    if json {
        match serde_json::to_string_pretty(&reports) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("mailscope: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn addresses(list: &[mailscope_core::Mailbox]) -> String {
    list.iter()
        .map(|m| match (&m.name, &m.address) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (None, Some(a)) => a.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_text(name: &str, r: &Report) {
    println!("== {name}");
    println!("Subject:    {}", r.subject.as_deref().unwrap_or("(none)"));
    println!("From:       {}", addresses(&r.from));
    println!("To:         {}", addresses(&r.to));
    if !r.cc.is_empty() {
        println!("Cc:         {}", addresses(&r.cc));
    }
    println!(
        "Date:       {}",
        r.date
            .as_deref()
            .or(r.date_raw.as_deref())
            .unwrap_or("(none)")
    );
    println!(
        "Message-ID: {}",
        r.message_id.as_deref().unwrap_or("(none)")
    );
    println!(
        "Route ({} hops, total {}):",
        r.hops.len(),
        r.route
            .total_seconds
            .map_or("?".into(), |s| format!("{s} s"))
    );
    for hop in &r.hops {
        println!(
            "  {}. {} -> {} with {} {} {}",
            hop.index,
            hop.from_host.as_deref().unwrap_or("?"),
            hop.by_host.as_deref().unwrap_or("?"),
            hop.with.as_deref().unwrap_or("?"),
            hop.delay_seconds
                .map_or(String::new(), |d| format!("+{d}s")),
            mailscope_core::hop_encryption(hop),
        );
        for f in &hop.flags {
            println!("       {}: {}", f.label(), f.explanation());
        }
    }
    println!("Parts:");
    for p in &r.parts {
        println!(
            "  {:8} {:32} {:16} {:>10} -> {:>10} {}",
            p.path,
            p.content_type,
            p.transfer_encoding,
            p.encoded_size,
            p.decoded_size,
            p.filename.as_deref().unwrap_or("")
        );
    }
    if let Some(b) = &r.bounce {
        print_bounce(b);
    }
    for d in &r.defects {
        println!("Defect: {:?}: {}", d.code, d.message);
    }
}

fn print_bounce(b: &mailscope_core::Bounce) {
    println!(
        "Report:     {} ({}{})",
        b.kind.as_str(),
        b.format,
        b.mta.as_deref().map_or(String::new(), |m| format!(", {m}"))
    );
    if let Some(mta) = &b.reporting_mta {
        println!("  reported by {mta}");
    }
    for r in &b.recipients {
        let codes: Vec<String> = [r.smtp_code.map(|c| c.to_string()), r.status.clone()]
            .into_iter()
            .flatten()
            .collect();
        let cause = r
            .cause
            .map(|c| format!(" (cause: {})", c.as_str()))
            .unwrap_or_default();
        println!(
            "  {} {}: {}{cause} [{}]",
            r.address,
            r.action,
            r.reason.as_str(),
            codes.join(" ")
        );
        println!("    {}", r.explanation);
        println!("    What to do: {}", r.advice);
        if let Some(d) = &r.diagnostic {
            println!("    Server said: {d}");
        }
    }
    if let Some(o) = &b.original {
        println!(
            "  Original ({}): {}",
            o.source,
            o.subject.as_deref().unwrap_or("(no subject)")
        );
    }
}
