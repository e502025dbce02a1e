//! The proxy's parsing of what a client sends, for the fuzz target `request`
//! (`crates/core/fuzz`) and its replay test: the query string, the Origin and Host headers,
//! and the names and addresses they carry. HTTP itself is parsed by hyper.

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, Uri};

use crate::origin::{normalise_origin, Origins};
use crate::policy::{normalise_host, Target};
use crate::Config;

/// `data` is three lines: the query string, the Origin, the Host.
pub fn request(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let query = lines.next().unwrap_or_default();
    let origin = lines.next();
    let host = lines.next();
    let _ = query.parse::<Target>();
    let _ = normalise_host(query);
    let _ = normalise_origin(query);
    let Ok(uri) = format!("/ws?{query}").parse::<Uri>() else {
        return;
    };
    let Ok(Query(params)) = Query::<HashMap<String, String>>::try_from_uri(&uri) else {
        return;
    };
    let mut headers = HeaderMap::new();
    for (name, value) in [(header::ORIGIN, origin), (header::HOST, host)] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, v);
        }
    }
    let origins = Origins::new(
        "127.0.0.1:8080".parse().expect("an address"),
        Some("https://mail.example.org"),
        &["http://localhost:5173".into()],
    );
    let config = Config {
        token: Some("s3cret".into()),
        ..Config::default()
    };
    if let Ok((host, port)) = crate::admit(&config, &origins, &headers, &params) {
        let _ = config.policy.precheck(&host, port);
    }
}
