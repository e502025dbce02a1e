//! Prints how Mailscope reads each delivery report given on the command line: kind,
//! recipients, reasons. For looking at many reports at once.
fn main() {
    for path in std::env::args().skip(1) {
        let raw = std::fs::read(&path).unwrap_or_default();
        let name = std::path::Path::new(&path)
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        match mailscope_core::analyze(&raw) {
            Ok(r) => match r.bounce {
                Some(b) => {
                    println!(
                        "{name}: {:?} {} mta={:?} original={:?}",
                        b.kind,
                        b.format,
                        b.mta,
                        b.original.as_ref().map(|o| &o.source)
                    );
                    for x in &b.recipients {
                        println!(
                            "   {} {} {:?} {:?} {:?} | {}",
                            x.address,
                            x.action,
                            x.status,
                            x.smtp_code,
                            x.reason,
                            x.diagnostic
                                .as_deref()
                                .unwrap_or("")
                                .chars()
                                .take(160)
                                .collect::<String>()
                        );
                    }
                }
                None => println!("{name}: not a report"),
            },
            Err(e) => println!("{name}: {e}"),
        }
    }
}
