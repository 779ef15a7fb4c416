//! Serving a router on a listener, with limits against slow and idle clients.
//!
//! `axum::serve` waits on a client for ever: a connection that sends nothing,
//! half a request head or a short body holds its descriptor until the client
//! goes away, and enough of them exhaust the process's descriptors. [`serve`]
//! (plain HTTP/1.1) and [`serve_tls`] (HTTPS) serve any axum [`Router`] with
//! the limits of [`ServeOptions`] instead:
//!
//! - **Connections.** At most [`ServeOptions::max_connections`] at once; past
//!   that, new connections wait in the listener's backlog (they are not
//!   accepted, so they cost this process no descriptor) until one closes.
//! - **Request head** (and the TLS handshake before the first one):
//!   [`ServeOptions::header_read_timeout`] from when the server starts waiting
//!   for it, on a new connection or between two requests of a kept-alive one.
//!   A head that has not fully arrived by then: the connection is closed.
//! - **Request body:** [`ServeOptions::body_read_timeout`] from the end of the
//!   head. A body that has not fully arrived by then fails to read; a server
//!   built on [`super::ApiRouter`] answers HTTP 408 with WHM's envelope and
//!   the connection is closed.
//! - **Idle:** a connection on which no handler is running and no byte has
//!   moved either way for [`ServeOptions::idle_timeout`] is closed: at once
//!   when it is between requests, else after the response under way had as
//!   long again to be written (a client that does not read its answer).
//!
//! Every request handed to the router carries its peer's address as the
//! extension [`axum::extract::ConnectInfo`]`<SocketAddr>`.
//!
//! ```no_run
//! # async fn example(router: axum::Router) -> std::io::Result<()> {
//! use std::time::Duration;
//! use whm_runtime::server::{ServeOptions, serve};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:2086").await?;
//! let options = ServeOptions {
//!     max_connections: 512,
//!     idle_timeout: Duration::from_secs(5),
//!     ..ServeOptions::default()
//! };
//! serve(listener, router, options).await
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};
use tower_service::Service;

/// The limits [`serve`] and [`serve_tls`] apply to connections.
///
/// The defaults suit a server on the open internet: they close a slow or
/// silent client's connection within a minute and leave room for thousands
/// of connections (the process's descriptor limit, `ulimit -n`, must be higher
/// than [`ServeOptions::max_connections`] for the cap to be what binds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// How long a request head (and, for HTTPS, the TLS handshake) may take to
    /// arrive, from when the server starts waiting for it. Default: 20 seconds.
    pub header_read_timeout: Duration,
    /// How long a request body may take to arrive, from the end of its head.
    /// Default: 60 seconds.
    pub body_read_timeout: Duration,
    /// How long a connection may stay with no handler running and no byte
    /// read or written before it is closed. Default: 15 seconds.
    pub idle_timeout: Duration,
    /// The most connections served at once. Default: 4,096.
    pub max_connections: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_read_timeout: Duration::from_secs(20),
            body_read_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(15),
            max_connections: 4096,
        }
    }
}

/// Serves `router` over plain HTTP/1.1 on `listener`, with `options`' limits.
///
/// Runs until the future is dropped, which also closes every connection it
/// accepted. Errors accepting a connection (the process out of descriptors,
/// a client gone before it was accepted) are waited out, not returned.
pub async fn serve(listener: TcpListener, router: Router, options: ServeOptions) -> io::Result<()> {
    accept_loop(listener, router, options, None).await
}

/// Serves `router` over HTTPS (HTTP/1.1 over TLS) on `listener`, with
/// `options`' limits; the TLS handshake counts towards the first request
/// head's [`ServeOptions::header_read_timeout`].
///
/// `tls` should offer `http/1.1` by ALPN (or nothing). Otherwise as [`serve`].
pub async fn serve_tls(
    listener: TcpListener,
    router: Router,
    tls: Arc<rustls::ServerConfig>,
    options: ServeOptions,
) -> io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    accept_loop(listener, router, options, Some(acceptor)).await
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    // Owning the connections' tasks: dropping this future ends them all.
    let mut connections = JoinSet::new();
    loop {
        // A slot first: past the cap, connections wait in the kernel's backlog, unaccepted.
        let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
            return Ok(()); // The semaphore is never closed.
        };
        let (stream, remote) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(err) => {
                if !is_connection_error(&err) {
                    // Out of descriptors or memory: wait for connections to close.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        // Small answers go out at once, not after Nagle's delay.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let tls = tls.clone();
        connections.spawn(async move {
            handle(stream, remote, router, options, tls).await;
            drop(permit);
        });
        while connections.try_join_next().is_some() {}
    }
}

/// Errors of one connection that say nothing about the listener.
fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

async fn handle(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    options: ServeOptions,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let activity = Arc::new(Activity::new());
    let stream = Tracked {
        inner: stream,
        activity: Arc::clone(&activity),
    };
    match tls {
        None => serve_connection(stream, remote, router, options, activity).await,
        Some(acceptor) => {
            let handshake =
                tokio::time::timeout(options.header_read_timeout, acceptor.accept(stream));
            // A failed or slow handshake: the connection is dropped.
            if let Ok(Ok(stream)) = handshake.await {
                serve_connection(stream, remote, router, options, activity).await;
            }
        }
    }
}

async fn serve_connection<IO>(
    io: IO,
    remote: SocketAddr,
    router: Router,
    options: ServeOptions,
    activity: Arc<Activity>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service_activity = Arc::clone(&activity);
    let body_timeout = options.body_read_timeout;
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let mut router = router.clone();
        let running = Running::start(Arc::clone(&service_activity));
        let mut request = request.map(|body| {
            Body::new(DeadlineBody {
                inner: body,
                deadline: Box::pin(tokio::time::sleep(body_timeout)),
                timeout: body_timeout,
            })
        });
        request.extensions_mut().insert(ConnectInfo(remote));
        async move {
            std::future::poll_fn(|cx| {
                <Router as Service<Request<Body>>>::poll_ready(&mut router, cx)
            })
            .await?;
            let response = router.call(request).await;
            drop(running);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let mut closing_by: Option<Instant> = None;
    loop {
        let wake = closing_by.unwrap_or_else(|| activity.idle_deadline(options.idle_timeout));
        tokio::select! {
            _ = connection.as_mut() => return,
            () = tokio::time::sleep_until(wake) => {
                if closing_by.is_some() {
                    // The answer under way had its time: close without it.
                    return;
                }
                if activity.is_idle(options.idle_timeout) {
                    // Closes at once between requests; else after the answer under way.
                    connection.as_mut().graceful_shutdown();
                    closing_by = Some(Instant::now() + options.idle_timeout);
                }
            }
        }
    }
}

/// When a connection last moved a byte, and how many of its requests a handler is working on.
struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last byte read or written (or the last handler's end).
    last_ms: AtomicU64,
    running: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            running: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// When the connection is idle for `timeout` if nothing moves until then.
    fn idle_deadline(&self, timeout: Duration) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)) + timeout
    }

    fn is_idle(&self, timeout: Duration) -> bool {
        self.running.load(Ordering::Relaxed) == 0 && Instant::now() >= self.idle_deadline(timeout)
    }
}

/// A handler at work on one request of a connection, until dropped.
struct Running(Arc<Activity>);

impl Running {
    fn start(activity: Arc<Activity>) -> Self {
        activity.running.fetch_add(1, Ordering::Relaxed);
        Running(activity)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A stream that records in its [`Activity`] every time bytes move.
struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A request body that fails with [`BodyReadTimeout`] when it has not fully
/// arrived by its deadline.
///
/// A deadline for the whole body, not a wait between two pieces of it: a
/// client sending a byte now and then never runs out a per-piece timeout.
struct DeadlineBody {
    inner: Incoming,
    deadline: Pin<Box<Sleep>>,
    timeout: Duration,
}

impl HttpBody for DeadlineBody {
    type Data = hyper::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            let timeout = self.timeout;
            return Poll::Ready(Some(Err(Box::new(BodyReadTimeout { timeout }))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The error a request body read under [`serve`] gives when the body has not
/// arrived within [`ServeOptions::body_read_timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyReadTimeout {
    /// The time the body had.
    pub timeout: Duration,
}

impl fmt::Display for BodyReadTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the request body did not arrive within {} seconds",
            self.timeout.as_secs_f64()
        )
    }
}

impl std::error::Error for BodyReadTimeout {}

impl BodyReadTimeout {
    /// The [`BodyReadTimeout`] that `err` is or was caused by, if any (as a
    /// body error reaches a handler, wrapped by axum and by body adapters).
    pub fn find<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyReadTimeout> {
        let mut current = Some(err);
        while let Some(err) = current {
            if let Some(timeout) = err.downcast_ref::<BodyReadTimeout>() {
                return Some(timeout);
            }
            current = err.source();
        }
        None
    }
}
