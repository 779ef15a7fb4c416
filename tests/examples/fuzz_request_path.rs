//! Fuzzes the server's request path in process, on stable Rust.
//!
//! ```text
//! cargo run --release -p whm-tests --example fuzz_request_path -- --iterations 1000000 [--seed N]
//! cargo test -p whm-tests --example fuzz_request_path     # the short run: 20,000 inputs
//! ```
//!
//! Each input is a request made by mutating a valid one (from the specs'
//! examples and required parameters): its method, path (`json-api`/`xml-api`,
//! a `cpsess` token, the function name), query string, `Authorization` header
//! (right, wrong and broken tokens, Basic passwords, base64 and schemes),
//! `Cookie` header (a session's `whostmgrsession` cookie, right, mutated or
//! random), `Content-Type` and form body are each, at random, kept, mutated byte by
//! byte, spliced with WHM-ish pieces (`%zz`, `%FF`, `acl-0=`, repeated
//! `api.version`, huge numbers, control characters) or replaced. It goes
//! through the generated mock's axum router, so query and form decoding,
//! credentials, the parameter checks of every function, the envelope and the
//! XML writer all run, with a `MockScript` (fixed data and failures) and
//! `MockSessions` (real `create_user_session` answers and login URLs) layered on. Each answer is checked: no panic, no 5xx, a JSON answer
//! parses with `metadata.result` 0 or 1 (and a reason when 0), an XML answer is
//! accepted by a strict XML 1.0 parser (roxmltree) and by the runtime's reader.
//!
//! Alongside each request, the same bytes go straight to `Params::parse` and
//! `Credentials::parse`, a random JSON tree (random keys, any characters) is
//! written as XML and must parse strictly and read back, and mutated XML goes
//! to the runtime's XML reader, which must answer an error rather than panic.
//!
//! It prints the counts and exits 1 if any input panicked or broke a rule.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Uri, header};
use base64::Engine;
use serde_json::Value;
use tower_service::Service;
use whm_api::server::InMemoryAuthenticator;
use whm_runtime::query::Params;
use whm_runtime::server::mock::{MockScript, MockSessions};
use whm_runtime::server::{Credentials, LoginSession};

const USER: &str = "root";
const TOKEN: &str = "FUZZTOKEN0123456789ABCDEFGHIJKLM";
const PASSWORD: &str = "fuzz password";

/// A small, fast, seedable generator (SplitMix64): every run with one seed makes the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True `percent` times in 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Any character, often one that matters to URLs, XML or WHM.
    fn char(&mut self) -> char {
        match self.below(6) {
            0 => char::from_u32(self.next() as u32 % 0x11_0000).unwrap_or('\u{FFFD}'),
            1 => char::from(self.below(0x80) as u8),
            2 => *self.pick(&[
                '&', '=', '%', '+', '<', '>', '"', '\'', ':', '\0', '\t', '\n', '\r', '\u{1b}',
                '\u{FFFE}', '\u{FFFF}', '²', 'Ⅻ', '\u{85}', '\u{2028}', '\u{202E}', '#', '?', '/',
            ]),
            _ => char::from(b'a' + self.below(26) as u8),
        }
    }
    fn text(&mut self, max: usize) -> String {
        let len = self.below(max + 1);
        (0..len).map(|_| self.char()).collect()
    }
}

/// Pieces spliced into queries and bodies.
const PIECES: &[&str] = &[
    "%",
    "%z",
    "%zz",
    "%FF",
    "%00",
    "%C3%28",
    "%E2%80%AE",
    "%2B",
    "%26",
    "%3D",
    "&",
    "=",
    "&&",
    "==",
    "+",
    "api.version=1",
    "api.version=0",
    "api.version=1&api.version=1",
    "api.version=",
    "-1",
    "1e999",
    "99999999999999999999999",
    "0x10",
    "true",
    "yes",
    "null",
    "acl-1=",
    "acl-0=",
    "acl-99999999999=x",
    "-0=",
    "item",
    "key=",
    "\u{0}",
    "\u{7f}",
    " ",
    "%20",
    "\u{1F600}",
    "user=root",
    "domain=example.com",
    "plan=default",
    "want=all",
];

/// What the fuzzer starts from: every function with its valid parameter sets and its parameter names.
struct Seed {
    name: String,
    param_sets: Vec<Vec<(String, String)>>,
    keys: Vec<String>,
}

fn seeds() -> Vec<Seed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let api = whm_codegen::front::load_api(&dir).expect("the specs load");
    api.functions()
        .map(|f| {
            let mut param_sets: Vec<Vec<(String, String)>> =
                f.examples.iter().map(|e| e.params.clone()).collect();
            let required: Vec<(String, String)> = f
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    let value = p
                        .example
                        .as_ref()
                        .map_or_else(|| "x".to_owned(), |e| e.display());
                    (p.name.clone(), value)
                })
                .collect();
            param_sets.push(required);
            for set in &mut param_sets {
                if !set.iter().any(|(k, _)| k == "api.version") {
                    set.insert(0, ("api.version".to_owned(), "1".to_owned()));
                }
            }
            Seed {
                name: f.name.clone(),
                param_sets,
                keys: f.params.iter().map(|p| p.name.clone()).collect(),
            }
        })
        .collect()
}

fn encode(params: &[(String, String)]) -> Vec<u8> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    const SET: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let set = SET;
    params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, set),
                utf8_percent_encode(v, set)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// One to four random edits of `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, keys: &[String]) {
    for _ in 0..=rng.below(4) {
        let at = if bytes.is_empty() {
            0
        } else {
            rng.below(bytes.len() + 1)
        };
        match rng.below(9) {
            0 => bytes.insert(at, rng.next() as u8),
            1 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            2 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            3 => {
                let piece = rng.pick(PIECES).as_bytes().to_vec();
                bytes.splice(at..at, piece);
            }
            4 if !keys.is_empty() => {
                let key = rng.pick(keys).clone();
                let value = if rng.chance(50) {
                    rng.text(6)
                } else {
                    String::new()
                };
                let pair = format!("&{key}={value}");
                bytes.splice(at..at, pair.into_bytes());
            }
            5 if !bytes.is_empty() => {
                // Repeat a slice: repeated parameters, long values.
                let start = rng.below(bytes.len());
                let end = (start + 1 + rng.below(32)).min(bytes.len());
                let slice = bytes[start..end].to_vec();
                for _ in 0..=rng.below(4) {
                    bytes.splice(at..at, slice.iter().copied());
                }
            }
            6 => {
                let text = rng.text(8);
                bytes.splice(at..at, text.into_bytes());
            }
            7 if !bytes.is_empty() => bytes.truncate(at),
            _ => {}
        }
    }
}

/// The bytes a URL may carry as they are; others are percent-encoded so that the request can be made.
fn urlsafe(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'#' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One generated request, as bytes before it is made a `Request`.
struct Case {
    method: Method,
    path: String,
    xml: bool,
    query: Vec<u8>,
    auth: Option<Vec<u8>>,
    cookie: Option<Vec<u8>>,
    content_type: Option<Vec<u8>>,
    body: Vec<u8>,
}

fn make_case(rng: &mut Rng, seeds: &[Seed], session: &str, login: &LoginSession) -> Case {
    let seed = rng.pick(seeds);
    let params = rng.pick(&seed.param_sets);
    let mut query = encode(params);
    if rng.chance(70) {
        mutate(rng, &mut query, &seed.keys);
    }
    if rng.chance(1) {
        // Past the query limit (16 KiB) or the parameter count (1,000).
        let extra = if rng.chance(50) {
            "a".repeat(17_000)
        } else {
            "&a=1".repeat(1_100)
        };
        query.extend_from_slice(extra.as_bytes());
    }
    let mut name = seed.name.clone().into_bytes();
    if rng.chance(10) {
        mutate(rng, &mut name, &[]);
    }
    let xml = rng.chance(40);
    let api = if xml { "xml-api" } else { "json-api" };
    let prefix = match rng.below(12) {
        0 => format!("/{session}"),
        10 | 11 => format!("/{}", login.security_token),
        1 => format!("/cpsess{:010}", rng.next() % 10_000_000_000),
        2 => format!("/{}", urlsafe(rng.text(8).as_bytes())),
        _ => String::new(),
    };
    let mut path = format!("{prefix}/{api}/{}", urlsafe(&name));
    if rng.chance(3) {
        // A login URL, with the right session, a mutated one or none.
        let mut id = login.session.clone().into_bytes();
        if rng.chance(50) {
            mutate(rng, &mut id, &[]);
        }
        path = format!("{prefix}/login/");
        if rng.chance(80) {
            query = [b"session=".as_slice(), &id].concat();
        }
    }
    if rng.chance(3) {
        let mut bytes = path.into_bytes();
        mutate(rng, &mut bytes, &[]);
        path = urlsafe(&bytes);
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
    }
    let auth = match rng.below(10) {
        0..=4 => Some(format!("whm {USER}:{TOKEN}").into_bytes()),
        5 => Some(
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
            )
            .into_bytes(),
        ),
        6 => None,
        7 => {
            let mut raw = rng.text(12).into_bytes();
            if rng.chance(50) {
                raw.extend_from_slice(b":");
                raw.extend_from_slice(rng.text(12).as_bytes());
            }
            let scheme = *rng.pick(&["Basic ", "basic ", "whm ", "WHM ", "Bearer ", "", "Basic  "]);
            let encoded = if rng.chance(50) {
                base64::engine::general_purpose::STANDARD
                    .encode(&raw)
                    .into_bytes()
            } else {
                raw
            };
            Some([scheme.as_bytes(), &encoded].concat())
        }
        _ => {
            let mut valid = format!("whm {USER}:{TOKEN}").into_bytes();
            mutate(rng, &mut valid, &[]);
            Some(valid)
        }
    };
    let cookie = match rng.below(10) {
        0 | 1 => {
            Some(format!("whostmgrsession={}", login.session.replace(':', "%3a")).into_bytes())
        }
        2 => {
            let mut valid = format!("whostmgrsession={}", login.session).into_bytes();
            mutate(rng, &mut valid, &[]);
            Some(valid)
        }
        3 => Some(
            format!(
                "{}={}; whostmgrsession={}",
                rng.text(4),
                rng.text(6),
                rng.text(12)
            )
            .into_bytes(),
        ),
        _ => None,
    };
    let method = match rng.below(20) {
        0..=11 => Method::GET,
        12..=17 => Method::POST,
        _ => rng
            .pick(&[
                Method::PUT,
                Method::DELETE,
                Method::HEAD,
                Method::OPTIONS,
                Method::PATCH,
            ])
            .clone(),
    };
    let (content_type, body) = if method == Method::POST {
        // Some parameters move to the body.
        let mut body = if rng.chance(50) {
            std::mem::take(&mut query)
        } else {
            encode(params)
        };
        if rng.chance(50) {
            mutate(rng, &mut body, &seed.keys);
        }
        let kind = match rng.below(10) {
            0 => None,
            1 => Some(b"application/json".to_vec()),
            2 => Some(rng.text(10).into_bytes()),
            3 => Some(b"application/x-www-form-urlencoded; charset=UTF-8".to_vec()),
            _ => Some(b"application/x-www-form-urlencoded".to_vec()),
        };
        (kind, body)
    } else {
        (None, Vec::new())
    };
    Case {
        method,
        path,
        xml,
        query,
        auth,
        cookie,
        content_type,
        body,
    }
}

fn build(case: &Case) -> Option<Request<Body>> {
    let query = String::from_utf8_lossy(&case.query);
    let uri = format!("{}?{}", case.path, query);
    let uri = Uri::try_from(uri.as_str())
        .or_else(|_| Uri::try_from(format!("{}?{}", case.path, urlsafe(&case.query)).as_str()))
        .ok()?;
    let mut request = Request::builder().method(case.method.clone()).uri(uri);
    // A header value no HTTP parser would let through is left out, as it never reaches a server.
    if let Some(value) = case
        .auth
        .as_deref()
        .and_then(|v| HeaderValue::from_bytes(v).ok())
    {
        request = request.header(header::AUTHORIZATION, value);
    }
    if let Some(value) = case
        .cookie
        .as_deref()
        .and_then(|v| HeaderValue::from_bytes(v).ok())
    {
        request = request.header(header::COOKIE, value);
    }
    if let Some(value) = case
        .content_type
        .as_deref()
        .and_then(|v| HeaderValue::from_bytes(v).ok())
    {
        request = request.header(header::CONTENT_TYPE, value);
    }
    request.body(Body::from(case.body.clone())).ok()
}

/// Whether `path` is a login URL's (`/cpsess…/login/` or `/cpsess…/login`), which answers plain text.
fn is_login(path: &str) -> bool {
    let mut segments = path.split('/');
    segments.next() == Some("")
        && segments
            .next()
            .is_some_and(|first| first != "json-api" && first != "xml-api")
        && segments.next() == Some("login")
        && matches!(segments.next(), None | Some(""))
        && segments.next().is_none()
}

/// The rules every answer keeps; `Err` says which was broken.
fn check_answer(xml: bool, status: u16, body: &[u8]) -> Result<Option<bool>, String> {
    if status >= 500 {
        return Err(format!("HTTP {status}"));
    }
    if status == 404 {
        return Ok(None); // A path that is not the API's: plain text.
    }
    let text = std::str::from_utf8(body).map_err(|_| "a body that is not UTF-8".to_owned())?;
    let tree = if xml {
        roxmltree::Document::parse(text).map_err(|e| format!("XML refused by roxmltree: {e}"))?;
        whm_runtime::xml::from_xml_str(text)
            .map_err(|e| format!("XML refused by the reader: {e}"))?
    } else {
        serde_json::from_str::<Value>(text).map_err(|e| format!("JSON refused: {e}"))?
    };
    // The seed page's documented answers carry metadata inside data.
    let metadata = tree
        .get("metadata")
        .or_else(|| tree.get("data").and_then(|d| d.get("metadata")))
        .ok_or("no metadata")?;
    let result = match metadata.get("result") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    match result {
        Some(1) => Ok(Some(true)),
        Some(0) => {
            let reason = metadata.get("reason").and_then(Value::as_str).unwrap_or("");
            if reason.trim().is_empty() {
                Err("a failure without a reason".into())
            } else {
                Ok(Some(false))
            }
        }
        other => Err(format!("metadata.result is {other:?}")),
    }
}

/// A random JSON tree with random keys: what a server may be asked to write as XML.
fn random_tree(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => Value::String(rng.text(10)),
        1 => Value::from(rng.next() as i64),
        2 => Value::Bool(rng.chance(50)),
        3 => Value::Null,
        4 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_tree(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| (rng.text(6), random_tree(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// The other entry points, fed from the same case: none may panic; XML written must parse.
fn direct_checks(rng: &mut Rng, case: &Case) -> Result<(), String> {
    let _ = Params::parse(&String::from_utf8_lossy(&case.query));
    let _ = Params::parse(&String::from_utf8_lossy(&case.body));
    if let Some(auth) = &case.auth {
        let _ = Credentials::parse(&String::from_utf8_lossy(auth));
    }
    if let Some(value) = case
        .cookie
        .as_deref()
        .and_then(|v| HeaderValue::from_bytes(v).ok())
    {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(header::COOKIE, value);
        let token = case.path.split('/').nth(1);
        let _ = Credentials::from_request(&headers, token);
    }
    let tree = Value::Object(
        [("data".to_owned(), random_tree(rng, 3))]
            .into_iter()
            .collect(),
    );
    let xml = if rng.chance(50) {
        whm_runtime::xml::to_xml_string(&tree)
    } else {
        whm_runtime::xml::to_xml_pretty(&tree, 2)
    };
    roxmltree::Document::parse(&xml).map_err(|e| format!("written XML refused: {e}: {xml:?}"))?;
    whm_runtime::xml::from_xml_str(&xml).map_err(|e| format!("written XML not read back: {e}"))?;
    let mut broken = xml.into_bytes();
    mutate(rng, &mut broken, &[]);
    let _ = whm_runtime::xml::from_xml_str(&String::from_utf8_lossy(&broken));
    Ok(())
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Inputs generated (each a request and the direct checks).
    pub inputs: u64,
    /// Of them, requests the router answered (the others could not be made into an HTTP request).
    pub requests: u64,
    /// Answers by HTTP status.
    pub statuses: BTreeMap<u16, u64>,
    /// Answers with `result` 1.
    pub succeeded: u64,
    /// Answers with `result` 0.
    pub refused: u64,
    /// Panics, with the input's description.
    pub panics: Vec<String>,
    /// Broken rules, with the input's description.
    pub violations: Vec<String>,
}

/// Runs `iterations` inputs from `seed`.
pub fn fuzz(iterations: u64, seed: u64) -> Report {
    let seeds = seeds();
    let auth = Arc::new(
        InMemoryAuthenticator::new()
            .with_token(USER, TOKEN)
            .with_password(USER, PASSWORD),
    );
    let session = auth.create_session(USER).expect("a session");
    let login = auth
        .create_login_session(USER, "whostmgrd")
        .expect("a login session");
    // Scripted answers that every format can carry (a body is sent as given, so none here).
    let script = MockScript::new();
    script.answer_data("version", serde_json::json!({"version": "11.999.0.1"}));
    script.fail("listaccts", "Scripted failure.");
    script.answer_data(
        "createacct",
        serde_json::json!({"ip": "192.0.2.1", "<&>": "\u{1}"}),
    );
    let router = whm_api::server::mock::mock_router(Arc::clone(&auth))
        .layer(script.layer())
        .layer(MockSessions::new(Arc::clone(&auth), "http").layer());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // Panics are counted, not printed as they happen.
    let last_panic = Arc::new(Mutex::new(String::new()));
    let hook_panic = Arc::clone(&last_panic);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        *hook_panic.lock().unwrap_or_else(|e| e.into_inner()) = info.to_string();
    }));
    let mut rng = Rng(seed);
    let mut report = Report::default();
    for _ in 0..iterations {
        report.inputs += 1;
        let case = make_case(&mut rng, &seeds, &session, &login);
        let describe = |case: &Case| {
            format!(
                "{} {}?{} auth={:?} cookie={:?} type={:?} body={:?}",
                case.method,
                case.path,
                String::from_utf8_lossy(&case.query),
                case.auth.as_deref().map(String::from_utf8_lossy),
                case.cookie.as_deref().map(String::from_utf8_lossy),
                case.content_type.as_deref().map(String::from_utf8_lossy),
                String::from_utf8_lossy(&case.body)
            )
        };
        let direct = catch_unwind(AssertUnwindSafe(|| direct_checks(&mut rng, &case)));
        match direct {
            Ok(Ok(())) => {}
            Ok(Err(why)) => report
                .violations
                .push(format!("{why}; from {}", describe(&case))),
            Err(_) => report.panics.push(format!(
                "{} in the direct checks of {}",
                last_panic.lock().unwrap_or_else(|e| e.into_inner()),
                describe(&case)
            )),
        }
        let Some(request) = build(&case) else {
            continue;
        };
        let mut service = router.clone();
        let answered = catch_unwind(AssertUnwindSafe(|| {
            runtime.block_on(async {
                let response = service
                    .call(request)
                    .await
                    .expect("the router is infallible");
                let status = response.status().as_u16();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .map(|b| b.to_vec())
                    .unwrap_or_default();
                (status, body)
            })
        }));
        let (status, body) = match answered {
            Ok(answer) => answer,
            Err(_) => {
                report.panics.push(format!(
                    "{} answering {}",
                    last_panic.lock().unwrap_or_else(|e| e.into_inner()),
                    describe(&case)
                ));
                continue;
            }
        };
        report.requests += 1;
        *report.statuses.entry(status).or_default() += 1;
        // A HEAD answer has no body to check; a login URL answers plain text (or a 404).
        if case.method == Method::HEAD || is_login(&case.path) {
            if status >= 500 {
                report
                    .violations
                    .push(format!("HTTP {status} answering {}", describe(&case)));
            }
            continue;
        }
        match check_answer(case.xml, status, &body) {
            Ok(Some(true)) => report.succeeded += 1,
            Ok(Some(false)) => report.refused += 1,
            Ok(None) => {}
            Err(why) => report.violations.push(format!(
                "{why}: {} answering {}",
                String::from_utf8_lossy(&body),
                describe(&case)
            )),
        }
    }
    std::panic::set_hook(previous);
    report
}

fn main() -> std::process::ExitCode {
    let mut iterations = 1_000_000u64;
    let mut seed = 0x5EED_u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--iterations", Some(n)) => iterations = n,
            ("--seed", Some(n)) => seed = n,
            _ => {
                eprintln!("usage: fuzz_request_path [--iterations N] [--seed N]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let started = std::time::Instant::now();
    let report = fuzz(iterations, seed);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} inputs ({} requests answered: {} succeeded, {} refused) in {seconds:.1} s, {:.0}/s; seed {seed}",
        report.inputs,
        report.requests,
        report.succeeded,
        report.refused,
        report.inputs as f64 / seconds
    );
    println!("statuses: {:?}", report.statuses);
    println!(
        "{} panics, {} broken rules",
        report.panics.len(),
        report.violations.len()
    );
    for problem in report.panics.iter().chain(&report.violations).take(20) {
        println!("  {problem}");
    }
    if report.panics.is_empty() && report.violations.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short run: 20,000 inputs, no panic, no broken rule, and the inputs
    /// reach every layer (successes, parameter refusals, and each HTTP refusal).
    #[test]
    fn twenty_thousand_inputs_neither_panic_nor_break_a_rule() {
        let report = fuzz(20_000, 1);
        assert!(
            report.panics.is_empty(),
            "{:#?}",
            &report.panics[..report.panics.len().min(5)]
        );
        assert!(
            report.violations.is_empty(),
            "{:#?}",
            &report.violations[..report.violations.len().min(5)]
        );
        assert!(report.requests > 19_000, "{report:?}");
        assert!(
            report.succeeded > 1_000 && report.refused > 1_000,
            "{report:?}"
        );
        for status in [200, 401, 403, 404, 405, 413, 414, 415] {
            assert!(
                report.statuses.contains_key(&status),
                "no {status}: {report:?}"
            );
        }
    }

    /// The rules do catch what they are for.
    #[test]
    fn the_answer_rules_refuse_broken_answers() {
        let ok = br#"{"metadata":{"result":0,"reason":"Bad user."}}"#;
        assert_eq!(check_answer(false, 200, ok), Ok(Some(false)));
        assert!(is_login("/cpsess1/login/") && is_login("/cpsess1/login"));
        assert!(!is_login("/json-api/login") && !is_login("/a/login/x"));
        assert!(check_answer(false, 500, ok).is_err());
        assert!(check_answer(false, 200, br#"{"metadata":{"result":0}}"#).is_err());
        assert!(check_answer(false, 200, br#"{"data":{}}"#).is_err());
        assert!(check_answer(false, 200, b"{").is_err());
        let xml = b"<result><metadata><result>1</result></metadata></result>";
        assert_eq!(check_answer(true, 200, xml), Ok(Some(true)));
        // A name quick-xml lets through and XML 1.0 does not.
        let bad = "<result><a\u{b2}>1</a\u{b2}><metadata><result>1</result></metadata></result>";
        assert!(check_answer(true, 200, bad.as_bytes()).is_err());
        assert!(check_answer(true, 200, b"<result><a>\x01</a></result>").is_err());
    }
}
