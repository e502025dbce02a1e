//! `mailscope`: the inspector's analysis from the command line.
//!
//! ```text
//! mailscope inspect [--json] FILE...
//! ```

use std::process::ExitCode;

use mailscope_core::{analyze, mbox, Report};

const USAGE: &str = "usage: mailscope inspect [--json] FILE...\n\
  Analyse e-mail messages (.eml, or .mbox files split into their messages).\n\
  --json   print the analysis as JSON (one array of reports per run)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inspect") => inspect(&args[1..]),
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

fn inspect(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
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
                Ok(report) if json => reports.push(report),
                Ok(report) => print_text(&name, &report),
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
            "  {}. {} -> {} with {} {} {:?}",
            hop.index,
            hop.from_host.as_deref().unwrap_or("?"),
            hop.by_host.as_deref().unwrap_or("?"),
            hop.with.as_deref().unwrap_or("?"),
            hop.delay_seconds
                .map_or(String::new(), |d| format!("+{d}s")),
            hop.flags
        );
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
