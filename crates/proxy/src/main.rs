//! `mailscope-proxy`: serve Mailscope and relay its mail sessions.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use mailscope_proxy::policy::{Policy, Target, CLIENT_PORTS};
use mailscope_proxy::{new_token, Config, Proxy};

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
    /// Mail client ports allowed to any global address.
    #[arg(long, value_delimiter = ',', default_values_t = CLIENT_PORTS.to_vec())]
    client_ports: Vec<u16>,
    /// Another origin whose pages may open sessions (repeatable).
    #[arg(long, value_name = "ORIGIN")]
    origin: Vec<String>,
    /// Access token to require; one is generated when listening beyond loopback.
    #[arg(long, env = "MAILSCOPE_PROXY_TOKEN")]
    token: Option<String>,
    #[arg(long, default_value_t = 1024)]
    max_sessions: usize,
    #[arg(long, default_value_t = 64)]
    max_per_ip: usize,
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
        },
        origins: args.origin,
        token: token.clone(),
        max_sessions: args.max_sessions,
        max_per_ip: args.max_per_ip,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    match &token {
        Some(t) => println!("Mailscope is served on http://{addr}/?token={t}"),
        None => println!("Mailscope is served on http://{addr}/"),
    }
    Proxy::new(config)
        .serve(listener, shutdown_signal())
        .await
        .map_err(|e| e.to_string())
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
