//! `mailscope-proxy`: serve Mailscope and relay its mail sessions.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use mailscope_proxy::policy::{Policy, Target, CLIENT_PORTS};
use mailscope_proxy::{new_token, tls, Config, Proxy};

#[derive(Parser, Debug)]
#[command(
    version,
    about = "Serves Mailscope and relays its WebSocket sessions to mail servers (TLS stays in the browser)"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built app to serve (Trunk's dist/).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Allow this target whatever its address or port (repeatable), e.g. 127.0.0.1:10993.
    #[arg(long, value_name = "HOST:PORT")]
    allow: Vec<Target>,
    /// A file with one allowed HOST:PORT per line (# starts a comment).
    #[arg(long, value_name = "FILE")]
    allow_file: Option<PathBuf>,
    /// The DNS resolver (TCP) the app's live checks ask; port 53 goes nowhere else.
    /// Default: the first nameserver of /etc/resolv.conf.
    #[arg(long, value_name = "HOST:PORT")]
    resolver: Option<Target>,
    /// Mail client ports allowed to any global address.
    #[arg(long, value_delimiter = ',', default_values_t = CLIENT_PORTS.to_vec())]
    client_ports: Vec<u16>,
    /// Another origin whose pages may open sessions (repeatable).
    #[arg(long, value_name = "ORIGIN")]
    origin: Vec<String>,
    /// The address users open when it is not the listening address (a DNS name, or a
    /// reverse proxy in front), e.g. https://mail.example.org: its host is accepted as the
    /// page's origin. Requests naming any other host are refused (DNS rebinding).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Access token to require; one is generated when listening beyond loopback.
    #[arg(long, env = "MAILSCOPE_PROXY_TOKEN")]
    token: Option<String>,
    #[arg(long, default_value_t = 1024)]
    max_sessions: usize,
    #[arg(long, default_value_t = 64)]
    max_per_ip: usize,
    /// Open connections of any kind, in total (page loads, WebSockets, unfinished requests).
    #[arg(long, default_value_t = 1024 + 256)]
    max_connections: usize,
    /// Open connections per client address (IPv4) or /64 (IPv6).
    #[arg(long, default_value_t = 64 + 32)]
    max_connections_per_client: usize,
    /// Seconds a client has to send a request's header.
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// Seconds to wait for a server to accept a connection.
    #[arg(long, default_value_t = 10)]
    connect_timeout: u64,
    /// Seconds without a byte either way before a session is closed.
    #[arg(long, default_value_t = 31 * 60)]
    idle_timeout: u64,
    /// Serve the page and the WebSocket over HTTPS/WSS with this certificate chain (PEM).
    #[arg(long, requires = "tls_key", value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    /// The private key for --tls-cert (PEM).
    #[arg(long, requires = "tls_cert", value_name = "FILE")]
    tls_key: Option<PathBuf>,
    /// Seconds sessions may go on after SIGINT/SIGTERM.
    #[arg(long, default_value_t = 10)]
    shutdown_grace: u64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mailscope-proxy: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut allow = args.allow;
    if let Some(file) = &args.allow_file {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for line in text
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default().trim())
            .filter(|l| !l.is_empty())
        {
            allow.push(
                line.parse()
                    .map_err(|e| format!("{}: {e}", file.display()))?,
            );
        }
    }
    let beyond_loopback = !args.listen.ip().is_loopback();
    let token = match args.token {
        Some(t) if !t.is_empty() => Some(t),
        _ if beyond_loopback => Some(new_token()),
        _ => None,
    };
    if let Some(url) = &args.public_url {
        if mailscope_proxy::origin::normalise_origin(url).is_none() {
            return Err(format!(
                "--public-url {url}: expected http(s)://HOST[:PORT]"
            ));
        }
    }
    // Read the certificate before anything listens: a proxy asked for HTTPS never serves
    // plain HTTP instead.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::acceptor_from_pem(cert, key)?),
        _ => None,
    };
    // Each session holds two sockets; make sure the descriptors for the caps exist.
    let descriptors = raise_descriptor_limit();
    let needed = (args.max_connections + args.max_sessions + 64) as u64;
    let max_connections = if descriptors < needed {
        let fit = (descriptors.saturating_sub(64) / 2).max(16) as usize;
        tracing::warn!(
            descriptors,
            max_connections = fit,
            "the open-file limit is low; fewer connections are allowed"
        );
        fit.min(args.max_connections)
    } else {
        args.max_connections
    };
    if let Some(dir) = &args.static_dir {
        if !dir.join("index.html").exists() {
            return Err(format!(
                "{} has no index.html: build the app first (scripts/build.sh)",
                dir.display()
            ));
        }
    }
    let config = Config {
        static_dir: args.static_dir,
        policy: Policy {
            allow,
            client_ports: args.client_ports,
            resolver: args.resolver.or_else(system_resolver),
        },
        origins: args.origin,
        public_url: args.public_url.clone(),
        token: token.clone(),
        max_sessions: args.max_sessions.min(max_connections),
        max_per_ip: args.max_per_ip,
        max_connections,
        max_connections_per_client: args.max_connections_per_client,
        header_timeout: Duration::from_secs(args.header_timeout),
        connect_timeout: Duration::from_secs(args.connect_timeout),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let base = match &args.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("{scheme}://{addr}"),
    };
    match &token {
        Some(t) => println!("Mailscope is served on {base}/?token={t}"),
        None => println!("Mailscope is served on {base}/"),
    }
    let proxy = Proxy::new(config);
    match tls {
        Some(tls) => proxy.serve_tls(listener, tls, shutdown_signal()).await,
        None => proxy.serve(listener, shutdown_signal()).await,
    }
    .map_err(|e| e.to_string())
}

/// The first `nameserver` of /etc/resolv.conf, on port 53.
fn system_resolver() -> Option<Target> {
    let text = std::fs::read_to_string("/etc/resolv.conf").ok()?;
    let address = mailscope_core::resolv_conf::first_nameserver(&text)?;
    format!("[{address}]:53").parse().ok()
}

/// Raises the soft limit on open files to the hard limit; returns the limit in force.
fn raise_descriptor_limit() -> u64 {
    #[cfg(unix)]
    unsafe {
        let mut l = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) != 0 {
            return 1024;
        }
        if l.rlim_cur < l.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: l.rlim_max,
                rlim_max: l.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return raised.rlim_cur as u64;
            }
        }
        l.rlim_cur as u64
    }
    #[cfg(not(unix))]
    {
        u64::MAX
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: no new sessions");
}
