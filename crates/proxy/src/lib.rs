//! `mailscope-proxy`: serves the built app and relays WebSocket sessions to mail servers'
//! TCP ports. It moves bytes; TLS runs in the browser, so it sees only ciphertext.

pub mod assets;
pub mod config;
pub mod connect;
pub mod csp;
#[doc(hidden)]
pub mod fuzzing;
pub mod limits;
pub mod origin;
pub mod policy;
pub mod protocol;
mod serve;
mod session;
pub mod tls;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::Config;
use connect::{Connector, Resolver, SystemResolver, TcpConnector};
use limits::Limits;
use protocol::{Reason, Refusal};

pub(crate) struct Shared {
    pub config: Config,
    pub resolver: Arc<dyn Resolver>,
    pub connector: Arc<dyn Connector>,
    pub limits: Arc<Limits>,
    /// Open connections of any kind.
    pub connections: Arc<Limits>,
    /// Who may open sessions; set once the listening address is known.
    pub origins: OnceLock<origin::Origins>,
    pub next_id: AtomicU64,
    /// Set when the grace period after a shutdown signal is over.
    pub force_close: watch::Sender<bool>,
}

/// The proxy, ready to serve. Tests swap the resolver and connector.
pub struct Proxy {
    shared: Arc<Shared>,
}

impl Proxy {
    pub fn new(config: Config) -> Self {
        Self::with_seams(config, Arc::new(SystemResolver), Arc::new(TcpConnector))
    }

    pub fn with_seams(
        config: Config,
        resolver: Arc<dyn Resolver>,
        connector: Arc<dyn Connector>,
    ) -> Self {
        let limits = Limits::new(config.max_sessions, config.max_per_ip);
        let connections = Limits::counting(
            "connections",
            config.max_connections,
            config.max_connections_per_client,
        );
        let (force_close, _) = watch::channel(false);
        Proxy {
            shared: Arc::new(Shared {
                config,
                resolver,
                connector,
                limits,
                connections,
                origins: OnceLock::new(),
                next_id: AtomicU64::new(1),
                force_close,
            }),
        }
    }

    /// Sessions open now (total, distinct clients).
    pub fn open_sessions(&self) -> (usize, usize) {
        self.shared.limits.open()
    }

    /// A handle that reports open sessions after `serve` has taken the proxy.
    pub fn limits(&self) -> Arc<Limits> {
        self.shared.limits.clone()
    }

    /// Serves plain HTTP until `shutdown` completes: then stops accepting, lets sessions run
    /// for the grace period, and closes the rest with the reason `shutdown`.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        self.serve_with(listener, None, shutdown).await
    }

    /// The same over HTTPS/WSS.
    pub async fn serve_tls(
        self,
        listener: TcpListener,
        tls: tls::TlsAcceptor,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        self.serve_with(listener, Some(tls), shutdown).await
    }

    async fn serve_with(
        self,
        listener: TcpListener,
        tls: Option<tls::TlsAcceptor>,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let local = listener.local_addr()?;
        let config = &self.shared.config;
        let _ = self.shared.origins.set(origin::Origins::new(
            local,
            config.public_url.as_deref(),
            &config.origins,
        ));
        let sessions = TaskTracker::new();
        let app = router(self.shared.clone(), sessions.clone());
        let listening = serve::Listening {
            listener,
            tls,
            connections: self.shared.connections.clone(),
            header_timeout: config.header_timeout,
        };
        let connections = serve::accept_until(listening, app, shutdown).await;
        sessions.close();
        let grace = self.shared.config.shutdown_grace;
        let deadline = tokio::time::Instant::now() + grace;
        if tokio::time::timeout_at(deadline, sessions.wait())
            .await
            .is_err()
        {
            tracing::info!(
                open = sessions.len(),
                "grace period over; closing the remaining sessions"
            );
            let _ = self.shared.force_close.send(true);
            sessions.wait().await;
        }
        // Requests still being answered (a large file to a slow client) get what is left of
        // the grace period.
        let _ = tokio::time::timeout_at(deadline, connections.wait()).await;
        Ok(())
    }

    /// Connections open now (total, distinct clients).
    pub fn open_connections(&self) -> (usize, usize) {
        self.shared.connections.open()
    }

    /// A handle that reports open connections after `serve` has taken the proxy.
    pub fn connection_limits(&self) -> Arc<Limits> {
        self.shared.connections.clone()
    }
}

/// The client's address, over plain TCP or TLS.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub SocketAddr);

fn router(shared: Arc<Shared>, tracker: TaskTracker) -> Router {
    let ws = Router::new()
        .route("/ws", get(open_session))
        .route("/resolver", get(resolver))
        .with_state((shared.clone(), tracker));
    let app = match &shared.config.static_dir {
        Some(dir) => assets::routes(ws, dir),
        None => ws.fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "mailscope-proxy: no app is served here (start with --static DIR)\n",
            )
        }),
    };
    app.layer(axum::middleware::from_fn(csp::document_headers))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(assets::REVALIDATE),
        ))
}

async fn open_session(
    State((shared, tracker)): State<(Arc<Shared>, TaskTracker)>,
    ConnectInfo(ClientAddr(client)): ConnectInfo<ClientAddr>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let origins = shared.origins.get().cloned().unwrap_or_default();
    let target = admit(&shared.config, &origins, &headers, &query);
    let max = shared.config.max_frame;
    // Refusals too are sent over the WebSocket, so the page can show the reason.
    // Small socket buffers: an idle session then costs a few KB; tungstenite grows them for
    // a large message as needed.
    upgrade
        .max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(4096)
        .write_buffer_size(0)
        .on_upgrade(move |socket| {
            tracker.track_future(session::run(shared, socket, client, target))
        })
        .into_response()
}

/// The resolver the page's live checks reach through `/ws`: `{"resolver": "HOST:PORT"}`,
/// or null when the proxy names none.
async fn resolver(State((shared, _)): State<(Arc<Shared>, TaskTracker)>) -> Response {
    let address = shared.config.policy.resolver.as_ref().map(|r| r.address());
    let body = serde_json::json!({ "resolver": address }).to_string();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// Checks the Host and Origin against the proxy's own names, the token and the query;
/// returns the target.
fn admit(
    config: &Config,
    origins: &origin::Origins,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<(String, u16), Refusal> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let Some(origin) = header(header::ORIGIN) else {
        return Err(Refusal::new(
            Reason::Unauthorized,
            "the request has no Origin header; only web pages may use this proxy",
        ));
    };
    let host = header(header::HOST).unwrap_or_default();
    origins
        .admits(origin, host)
        .map_err(|why| Refusal::new(Reason::Unauthorized, why))?;
    if let Some(token) = &config.token {
        let given = query.get("token").map(String::as_str).unwrap_or_default();
        if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
            return Err(Refusal::new(
                Reason::Unauthorized,
                "a valid access token is required (open the address the proxy printed at start)",
            ));
        }
    }
    let host = query
        .get("host")
        .and_then(|h| policy::normalise_host(h))
        .ok_or_else(|| {
            Refusal::new(
                Reason::BadRequest,
                "the host parameter is missing or not a host name",
            )
        })?;
    let port = query
        .get("port")
        .and_then(|p| p.parse::<u16>().ok())
        .filter(|p| *p != 0)
        .ok_or_else(|| {
            Refusal::new(
                Reason::BadRequest,
                "the port parameter is missing or not a port number",
            )
        })?;
    Ok((host, port))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random access token: 128 bits, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source is available");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
