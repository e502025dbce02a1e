//! `mailscope inspect --live`: the live authentication checks over TCP DNS.

use std::net::SocketAddr;
use std::time::Instant;

use mailscope_auth::{run, Known, LiveCheck, LiveReport};
use mailscope_core::Report;
use mailscope_driver::TcpResolver;

pub struct Options {
    dns: Option<SocketAddr>,
    spf_hop: Option<usize>,
}

impl Options {
    /// `--live [--dns HOST:PORT] [--spf-hop N]`; None without `--live`.
    pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .map(|i| {
                    args.get(i + 1)
                        .cloned()
                        .ok_or(format!("{flag} needs a value"))
                })
                .transpose()
        };
        let dns = value("--dns")?
            .map(|d| {
                d.parse::<SocketAddr>()
                    .map_err(|_| format!("--dns {d}: expected IP:PORT"))
            })
            .transpose()?;
        let spf_hop = value("--spf-hop")?
            .map(|n| {
                n.parse::<usize>()
                    .map_err(|_| format!("--spf-hop {n}: expected a hop number"))
            })
            .transpose()?;
        let live = args.iter().any(|a| a == "--live");
        if !live && (dns.is_some() || spf_hop.is_some()) {
            return Err("--dns and --spf-hop go with --live".into());
        }
        Ok(live.then_some(Options { dns, spf_hop }))
    }

    /// Whether `args[i]` is the value of a flag rather than a file.
    pub fn is_value(args: &[String], i: usize) -> bool {
        i > 0 && matches!(args[i - 1].as_str(), "--dns" | "--spf-hop")
    }
}

/// Checks messages one after another, keeping DNS answers for the run.
pub struct Checker {
    resolver: TcpResolver,
    spf_hop: Option<usize>,
    known: Known,
    runtime: tokio::runtime::Runtime,
}

pub struct Checked {
    pub report: LiveReport,
    pub transcript: Vec<String>,
}

impl Checker {
    pub fn new(options: Options) -> Result<Self, String> {
        let resolver = match options.dns {
            Some(address) => TcpResolver::new(address),
            None => TcpResolver::system()
                .ok_or("no resolver in /etc/resolv.conf; name one with --dns IP:PORT")?,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Checker {
            resolver,
            spf_hop: options.spf_hop,
            known: Known::default(),
            runtime,
        })
    }

    pub fn check(&mut self, raw: &[u8], report: &Report) -> Checked {
        let mut check = LiveCheck::new(raw, report).with_known(std::mem::take(&mut self.known));
        if let Some(hop) = self.spf_hop {
            check = check.with_spf_hop(hop);
        }
        let mut transcript = Vec::new();
        let started = Instant::now();
        let mut live = self
            .runtime
            .block_on(run(&mut check, &mut self.resolver, &mut transcript));
        live.elapsed_ms = Some(started.elapsed().as_millis() as u64);
        self.known = check.known().clone();
        Checked {
            report: live,
            transcript,
        }
    }
}

/// The report as JSON, with `auth.live` when the live checks ran.
pub fn with_live(report: &Report, checked: Option<&Checked>) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    if let (Some(checked), Some(auth)) = (checked, value.get_mut("auth")) {
        if let Some(auth) = auth.as_object_mut() {
            auth.insert(
                "live".into(),
                serde_json::to_value(&checked.report).unwrap_or_default(),
            );
        }
    }
    value
}

pub fn print(checked: &Checked) {
    let live = &checked.report;
    println!(
        "Live checks (resolver {}, {} queries in {} rounds, {} ms):",
        live.resolver.as_deref().unwrap_or("?"),
        live.queries,
        live.rounds,
        live.elapsed_ms.unwrap_or_default()
    );
    if let Some(error) = &live.error {
        println!("  not finished: {error}");
    }
    for d in &live.dkim {
        println!(
            "  DKIM  {:9} d={} s={} {}{}{}",
            d.result,
            d.domain,
            d.selector,
            d.algorithm,
            d.key_bits
                .map_or(String::new(), |b| format!(" ({b}-bit key)")),
            d.reason
                .as_deref()
                .map_or(String::new(), |r| format!(": {r}"))
        );
    }
    if let Some(s) = &live.spf {
        println!(
            "  SPF   {:9} {} for {} from {} (hop {}: {}){}",
            s.result,
            s.identity,
            s.domain,
            s.ip,
            s.hop,
            s.hop_reason,
            s.mechanism
                .as_deref()
                .map_or(String::new(), |m| format!("; {m}"))
        );
    }
    if let Some(d) = &live.dmarc {
        println!(
            "  DMARC {:9} {} policy {} (SPF aligned: {}, DKIM aligned: {}){}",
            d.result,
            d.domain,
            d.policy.as_deref().unwrap_or("-"),
            d.spf_aligned,
            d.dkim_aligned,
            d.reason
                .as_deref()
                .map_or(String::new(), |r| format!(": {r}"))
        );
    }
    if let Some(a) = &live.arc {
        println!("  ARC   {:9} {} instances", a.result, a.instances);
    }
    for h in &live.hops {
        println!(
            "  hop {} {} PTR {} {} HELO {} {}",
            h.index,
            h.ip,
            if h.ptr.is_empty() {
                "none".into()
            } else {
                h.ptr.join(", ")
            },
            if h.fcrdns {
                "(confirmed)"
            } else {
                "(not confirmed)"
            },
            h.helo.as_deref().unwrap_or("?"),
            if h.helo_matches {
                "matches"
            } else {
                "does not match"
            }
        );
    }
    for c in &live.compare {
        println!(
            "  {} ours {} / {} wrote {}{}",
            c.method,
            c.ours,
            c.by.as_deref().unwrap_or("the receiver"),
            c.theirs.as_deref().unwrap_or("nothing"),
            if c.agree || c.theirs.is_none() {
                ""
            } else {
                " (differ)"
            }
        );
    }
    for line in &checked.transcript {
        println!("    {line}");
    }
}
