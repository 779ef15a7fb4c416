//! Throughput of the generated `validate_login_token` route against a
//! hand-written axum handler that does the same work, measured in one run.
//!
//! Both servers listen on loopback at the same time. Each does, per request:
//! read `Authorization: whm USER:TOKEN` and check it in constant time, parse
//! the query strictly, require `api.version=1`, read the three typed
//! parameters, build the same data and write the same JSON envelope (the
//! bodies are compared before measuring). Load comes from separate tasks on
//! their own runtime thread: keep-alive HTTP/1.1 connections sending the
//! request back to back. Rounds alternate between the two servers so that
//! drift on the machine hits both; the report gives requests per second per
//! round, the medians, and the median of the per-round ratios (the figure
//! to quote: each ratio compares two runs close in time).
//!
//! ```text
//! cargo bench -p whm-tests --bench server [-- --seconds 1 --rounds 9 --connections 8]
//! ```

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use whm_api::server::{
    ApiError, Authenticator, Credentials, InMemoryAuthenticator, RequestContext, WhmServer,
};
use whm_api::types;
use whm_runtime::{Envelope, Format, Metadata, Params};

const USER: &str = "root";
const TOKEN: &str = "BENCHTOKEN0123456789ABCDEFGHIJKL";
const PATH: &str = "/json-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc";

/// The generated side: the business logic only.
struct Service;

impl WhmServer for Service {
    async fn validate_login_token(
        &self,
        _context: &RequestContext,
        request: types::ValidateLoginTokenRequest,
    ) -> Result<types::ValidateLoginTokenData, ApiError> {
        Ok(types::ValidateLoginTokenData {
            payload: Some(vec![types::authentication::validate_login_token::Payload {
                access_token: Some(request.login_token),
                refresh_token: Some(request.provider),
            }]),
        })
    }
}

/// The hand-written side's answer types.
#[derive(Serialize)]
struct HandData {
    payload: Vec<HandToken>,
}

#[derive(Serialize)]
struct HandToken {
    access_token: String,
    refresh_token: String,
}

fn refuse(status: StatusCode, reason: &str) -> Response {
    let envelope: Envelope<()> = Envelope {
        data: None,
        metadata: Metadata::failure("validate_login_token", reason),
    };
    let body = serde_json::to_vec(&envelope).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The hand-written handler: the same checks and the same answer, written out for this one function.
async fn hand_written(
    State(auth): State<Arc<InMemoryAuthenticator>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let credentials = match Credentials::from_headers(&headers) {
        Ok(credentials) => credentials,
        Err(err) => return refuse(StatusCode::UNAUTHORIZED, &err.to_string()),
    };
    if let Err(err) = auth.authenticate(&credentials).await {
        return refuse(StatusCode::FORBIDDEN, &err.to_string());
    }
    let params = match Params::parse(query.as_deref().unwrap_or("")) {
        Ok(params) => params,
        Err(err) => return refuse(StatusCode::OK, &err.to_string()),
    };
    if !matches!(params.get("api.version"), Ok(Some("1"))) {
        return refuse(StatusCode::OK, "The “api.version” parameter must be 1.");
    }
    let read = || -> Result<(String, String, String), whm_runtime::ParamError> {
        Ok((
            params.required_formatted("url_after_login", Format::Url)?,
            params.required("provider")?,
            params.required("login_token")?,
        ))
    };
    let (_url, provider, login_token) = match read() {
        Ok(values) => values,
        Err(err) => return refuse(StatusCode::OK, &err.to_string()),
    };
    let data = HandData {
        payload: vec![HandToken {
            access_token: login_token,
            refresh_token: provider,
        }],
    };
    let envelope = Envelope {
        data: Some(data),
        metadata: Metadata::ok("validate_login_token"),
    };
    match serde_json::to_vec(&envelope) {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(err) => refuse(StatusCode::OK, &err.to_string()),
    }
}

fn authenticator() -> Arc<InMemoryAuthenticator> {
    Arc::new(InMemoryAuthenticator::new().with_token(USER, TOKEN))
}

async fn serve(router: axum::Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = listener
        .local_addr()
        .expect("the bound address")
        .to_string();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    address
}

/// One keep-alive connection sending `request` back to back until `stop`; counts answers.
async fn load(
    address: String,
    request: Arc<Vec<u8>>,
    stop: Arc<AtomicBool>,
    count: Arc<AtomicU64>,
) {
    let Ok(mut stream) = TcpStream::connect(&address).await else {
        return;
    };
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0u8; 16 * 1024];
    while !stop.load(Ordering::Relaxed) {
        if stream.write_all(&request).await.is_err() {
            return;
        }
        // Read one answer: the head, then Content-Length bytes of body.
        let mut filled = 0;
        let (head_end, length) = loop {
            let Ok(n) = stream.read(&mut buffer[filled..]).await else {
                return;
            };
            if n == 0 {
                return;
            }
            filled += n;
            if let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (end + 4, length);
            }
        };
        while filled < head_end + length {
            let Ok(n) = stream.read(&mut buffer[filled..]).await else {
                return;
            };
            if n == 0 {
                return;
            }
            filled += n;
        }
        count.fetch_add(1, Ordering::Relaxed);
    }
}

/// The CPU time, in seconds, that the server runtime's threads have used so far
/// (Linux: `/proc/self/task/TID/stat`); `None` elsewhere.
fn server_cpu_seconds(threads: &Mutex<Vec<String>>) -> Option<f64> {
    // utime and stime are fields 14 and 15, counted after the parenthesised command name.
    const TICKS_PER_SECOND: f64 = 100.0;
    let threads = threads.lock().ok()?;
    let mut ticks = 0u64;
    for tid in threads.iter() {
        let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        ticks += fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    }
    (!threads.is_empty()).then_some(ticks as f64 / TICKS_PER_SECOND)
}

/// One measurement: requests per second of wall time, and per second of the server's CPU time.
struct Rates {
    wall: f64,
    cpu: Option<f64>,
}

/// Loads `address` for `seconds` from `connections` connections on `load_rt`.
fn measure(
    load_rt: &tokio::runtime::Runtime,
    server_threads: &Mutex<Vec<String>>,
    address: &str,
    connections: usize,
    seconds: f64,
) -> Rates {
    let request = Arc::new(
        format!("GET {PATH} HTTP/1.1\r\nHost: bench\r\nAuthorization: whm {USER}:{TOKEN}\r\n\r\n")
            .into_bytes(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            load_rt.spawn(load(
                address.to_owned(),
                Arc::clone(&request),
                Arc::clone(&stop),
                Arc::clone(&count),
            ))
        })
        .collect();
    // Warm up the connections, then count.
    std::thread::sleep(Duration::from_millis(300));
    let start_count = count.load(Ordering::Relaxed);
    let start_cpu = server_cpu_seconds(server_threads);
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let done = count.load(Ordering::Relaxed) - start_count;
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = match (start_cpu, server_cpu_seconds(server_threads)) {
        (Some(a), Some(b)) if b > a => Some(done as f64 / (b - a)),
        _ => None,
    };
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = load_rt.block_on(task);
    }
    Rates {
        wall: done as f64 / elapsed,
        cpu,
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

fn option(args: &[String], name: &str, default: f64) -> f64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs bench binaries with no `--bench`: do a quick smoke run then.
    let quick = !args.iter().any(|a| a == "--bench");
    let seconds = option(&args, "--seconds", if quick { 0.2 } else { 1.0 });
    let rounds = option(&args, "--rounds", if quick { 1.0 } else { 9.0 }) as usize;
    let connections = option(&args, "--connections", 8.0) as usize;

    // The servers get one runtime, the load another: one worker thread each on a 2-core machine.
    // The server runtime's threads, by id, for their CPU time.
    let server_threads = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&server_threads);
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .on_thread_start(move || {
            // "/proc/thread-self" links to "PID/task/TID".
            if let Ok(link) = std::fs::read_link("/proc/thread-self")
                && let Some(tid) = link.file_name().and_then(|t| t.to_str())
                && let Ok(mut threads) = record.lock()
            {
                threads.push(tid.to_owned());
            }
        })
        .enable_all()
        .build()
        .expect("the server runtime");
    let load_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the load runtime");

    let (generated, hand) = server_rt.block_on(async {
        let generated = serve(whm_api::server::router(Service, authenticator())).await;
        let hand = serve(
            axum::Router::new()
                .route(
                    "/json-api/validate_login_token",
                    axum::routing::get(hand_written),
                )
                .with_state(authenticator()),
        )
        .await;
        (generated, hand)
    });

    // Same work: byte-identical answers.
    let fetch = |address: &str| {
        load_rt.block_on(async {
            let mut stream = TcpStream::connect(address).await.expect("connect");
            let request =
                format!("GET {PATH} HTTP/1.1\r\nHost: bench\r\nAuthorization: whm {USER}:{TOKEN}\r\nConnection: close\r\n\r\n");
            stream.write_all(request.as_bytes()).await.expect("send");
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.expect("read");
            let text = String::from_utf8_lossy(&answer).into_owned();
            text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default()
        })
    };
    let (generated_body, hand_body) = (fetch(&generated), fetch(&hand));
    assert_eq!(
        generated_body, hand_body,
        "both servers must answer the same bytes"
    );
    assert!(generated_body.contains("\"result\":1"), "{generated_body}");

    let mut generated_rates = Vec::new();
    let mut hand_rates = Vec::new();
    let mut ratios = Vec::new();
    let mut cpu_ratios = Vec::new();
    println!(
        "server bench: {connections} keep-alive connections, 1 warm-up round + {rounds} rounds of {seconds} s per server, alternating"
    );
    let run = |address: &str, seconds: f64| {
        measure(&load_rt, &server_threads, address, connections, seconds)
    };
    run(&generated, seconds.min(1.0));
    run(&hand, seconds.min(1.0));
    for round in 1..=rounds {
        // Alternate which server goes first, so neither always follows the other.
        let (g, h) = if !round.is_multiple_of(2) {
            let g = run(&generated, seconds);
            (g, run(&hand, seconds))
        } else {
            let h = run(&hand, seconds);
            (run(&generated, seconds), h)
        };
        let cpu = match (g.cpu, h.cpu) {
            (Some(gc), Some(hc)) => {
                cpu_ratios.push(gc / hc);
                format!(
                    "   per server-CPU-second: {gc:>7.0} vs {hc:>7.0}, ratio {:.3}",
                    gc / hc
                )
            }
            _ => String::new(),
        };
        println!(
            "round {round}: generated {:>7.0} req/s   hand-written {:>7.0} req/s   ratio {:.3}{cpu}",
            g.wall,
            h.wall,
            g.wall / h.wall
        );
        generated_rates.push(g.wall);
        hand_rates.push(h.wall);
        ratios.push(g.wall / h.wall);
    }
    let (g, h) = (median(&mut generated_rates), median(&mut hand_rates));
    println!("median: generated {g:.0} req/s, hand-written {h:.0} req/s");
    println!(
        "median of the per-round ratios, generated/hand-written: {:.3}",
        median(&mut ratios)
    );
    if !cpu_ratios.is_empty() {
        println!(
            "median of the per-round ratios of requests per server-CPU-second: {:.3}",
            median(&mut cpu_ratios)
        );
    }
    drop(server_rt);
}
