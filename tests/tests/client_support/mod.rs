//! Servers for the client tests: the generated mock on a loopback socket, and
//! tiny raw HTTP servers that answer with whatever a test needs (broken
//! bodies, wrong types, silence).

#![allow(dead_code)] // Each test crate uses part of this module.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use whm_runtime::server::InMemoryAuthenticator;

/// The account the mock knows.
pub const USER: &str = "root";
/// The mock's API token for [`USER`].
pub const TOKEN: &str = "T3STT0KEN0123456789ABCDEFGHIJKLM";
/// The mock's password for [`USER`] over basic auth.
pub const PASSWORD: &str = "correct horse battery staple";

/// The generated mock server, serving on a loopback port until the test ends.
pub struct Mock {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// A `cpsess` security token of a session of [`USER`].
    pub session: String,
}

/// Starts the generated mock router (`whm_api::server::mock`) on a real loopback socket.
pub async fn start_mock() -> Mock {
    let authenticator = Arc::new(
        InMemoryAuthenticator::new()
            .with_token(USER, TOKEN)
            .with_password(USER, PASSWORD),
    );
    let session = authenticator
        .create_session(USER)
        .expect("a random session token");
    let router = whm_api::server::mock::mock_router(authenticator);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = listener.local_addr().expect("the bound address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Mock {
        base_url: format!("http://{address}"),
        session,
    }
}

/// A client of the mock with the right API token.
pub fn client(mock: &Mock) -> whm_api::client::Client {
    whm_api::client::Client::builder(&mock.base_url)
        .api_token(USER, TOKEN)
        .build()
        .expect("a client")
}

/// Every function of the specs, with their examples, as the compiler reads them.
pub fn spec_api() -> whm_codegen::ir::Api {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    whm_codegen::front::load_api(&dir)
        .unwrap_or_else(|_| panic!("the specs in {} load", dir.display()))
}

/// What a raw server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The request head, as received (request line and headers).
    pub head: String,
    /// The request body (`Content-Length` bytes; empty for a GET).
    pub body: String,
}

impl Seen {
    /// The request target of the request line: `/json-api/...?...`.
    pub fn target(&self) -> &str {
        self.head
            .lines()
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .unwrap_or("")
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A server that answers every request with `status` and `body` (as JSON) and
/// reports each request head it received.
pub async fn raw_server(
    status: u16,
    body: &'static str,
) -> (String, mpsc::UnboundedReceiver<Seen>) {
    raw_server_with(move |_| format_response(status, "application/json", body)).await
}

/// An HTTP/1.1 response with a body.
pub fn format_response(status: u16, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} Whatever\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A server that answers every request with the bytes `respond` makes of it
/// (`None`: never answer) and reports each request head it received.
pub async fn raw_server_with<F>(respond: F) -> (String, mpsc::UnboundedReceiver<Seen>)
where
    F: Fn(&Seen) -> Vec<u8> + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = listener.local_addr().expect("the bound address");
    let (seen_tx, seen_rx) = mpsc::unbounded_channel();
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen_tx = seen_tx.clone();
            let respond = respond.clone();
            tokio::spawn(async move {
                let Some((head, body)) = read_request(&mut socket).await else {
                    return;
                };
                let seen = Seen { head, body };
                let reply = respond(&seen);
                let _ = seen_tx.send(seen);
                if reply.is_empty() {
                    // Stay silent, holding the connection open, until the client gives up.
                    let mut sink = [0u8; 64];
                    while matches!(socket.read(&mut sink).await, Ok(n) if n > 0) {}
                    return;
                }
                let _ = socket.write_all(&reply).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{address}"), seen_rx)
}

/// Reads a request: its head, then its `Content-Length` bytes of body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<(String, String)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 1024];
    let end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..end].to_vec()).ok()?;
    let length: usize = (Seen {
        head: head.clone(),
        body: String::new(),
    })
    .header("content-length")
    .and_then(|n| n.parse().ok())
    .unwrap_or(0);
    let mut body = buffer[end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, String::from_utf8(body).ok()?))
}

/// The address of a loopback port that nothing listens on.
pub fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = listener.local_addr().expect("the bound address");
    drop(listener);
    address
}
