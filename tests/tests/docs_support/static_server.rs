//! A static file server on loopback, as GitHub Pages would serve `docs/`:
//! tower-http's `ServeDir` in axum, with a layer that records every request
//! that found no file.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

type Misses = Arc<Mutex<Vec<String>>>;

/// A running server. It serves on a thread of its own, with a runtime of its
/// own, so that it outlives each test's runtime; it ends with the process.
pub struct StaticServer {
    addr: SocketAddr,
    misses: Misses,
}

impl StaticServer {
    /// Serves the files under `root` on 127.0.0.1, on a free port; a
    /// directory means its `index.html`.
    pub fn start(root: &Path) -> std::io::Result<StaticServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let misses = Misses::default();
        let app = Router::new().fallback_service(ServeDir::new(root)).layer(
            middleware::from_fn_with_state(misses.clone(), record_misses),
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::spawn(move || {
            let served = runtime.block_on(async move {
                axum::serve(tokio::net::TcpListener::from_std(listener)?, app).await
            });
            if let Err(e) = served {
                eprintln!("the static server on {addr} stopped: {e}");
            }
        });
        Ok(StaticServer { addr, misses })
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The request targets (path and query) that found no file.
    pub fn missed(&self) -> Vec<String> {
        self.misses
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Records the target of every 404, and asks the browser not to sniff
/// content types nor cache anything (each page load fetches what it uses).
async fn record_misses(State(misses): State<Misses>, request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path().to_string(), ToString::to_string);
    let mut response = next.run(request).await;
    if response.status() == StatusCode::NOT_FOUND {
        misses
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(target);
    }
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
