//! Shared by the server tests: servers on real loopback sockets, a raw HTTP/1.1
//! client for requests no well-behaved client would send, and reqwest for the rest.

#![allow(dead_code)] // Each test crate uses part of this module.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use whm_api::server::{InMemoryAuthenticator, WhmServer};
use whm_runtime::server::mock::MockScript;

/// The account the servers know.
pub const USER: &str = "root";
/// Its API token.
pub const TOKEN: &str = "SERVERTEST0123456789ABCDEFGHIJKL";
/// Its password over HTTP basic auth.
pub const PASSWORD: &str = "open sesame";
/// A second account, with its own token, for session ownership.
pub const OTHER_USER: &str = "reseller";
/// The second account's token.
pub const OTHER_TOKEN: &str = "OTHERTOKEN0123456789ABCDEFGHIJKL";

/// The seed page's JSON API URL's path and query, after its `cpsess#####` segment.
pub const SEED_JSON_PATH: &str = "/json-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc";
/// The seed page's XML API URL's path and query.
pub const SEED_XML_PATH: &str = "/xml-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc";

/// A server listening on a loopback port until the test's runtime ends.
pub struct Running {
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// A `cpsess` security token of a session of [`USER`].
    pub session: String,
    /// A `cpsess` security token of a session of [`OTHER_USER`].
    pub other_session: String,
}

fn authenticator() -> Arc<InMemoryAuthenticator> {
    Arc::new(
        InMemoryAuthenticator::new()
            .with_token(USER, TOKEN)
            .with_password(USER, PASSWORD)
            .with_token(OTHER_USER, OTHER_TOKEN),
    )
}

/// Serves `router` on a free loopback port, in the background: its `IP:PORT`.
pub async fn serve_router(router: axum::Router) -> String {
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

async fn serve(router: axum::Router, auth: &InMemoryAuthenticator) -> Running {
    let session = auth.create_session(USER).expect("a session token");
    let other_session = auth.create_session(OTHER_USER).expect("a session token");
    let address = serve_router(router).await;
    Running {
        base_url: format!("http://{address}"),
        address,
        session,
        other_session,
    }
}

/// Starts the generated mock (`whm_api::server::mock::mock_router`).
pub async fn start_mock() -> Running {
    let auth = authenticator();
    serve(whm_api::server::mock::mock_router(Arc::clone(&auth)), &auth).await
}

/// Starts the generated mock with `script` as a layer (scripted answers,
/// failures, delays), knowing [`USER`]'s token: its `http://127.0.0.1:PORT`.
pub async fn start_scripted(script: &MockScript) -> String {
    let auth = Arc::new(InMemoryAuthenticator::new().with_token(USER, TOKEN));
    let router = whm_api::server::mock::mock_router(auth).layer(script.layer());
    format!("http://{}", serve_router(router).await)
}

/// Starts the generated router over a hand-written `service`.
pub async fn start_service<S: WhmServer>(service: S) -> Running {
    let auth = authenticator();
    serve(whm_api::server::router(service, Arc::clone(&auth)), &auth).await
}

/// Every function of the specs, as the compiler reads them.
pub fn spec_api() -> whm_codegen::ir::Api {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    whm_codegen::front::load_api(&dir)
        .unwrap_or_else(|_| panic!("the specs in {} load", dir.display()))
}

/// A reqwest client (plain HTTP; rustls needs a crypto provider installed all the same).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client")
}

/// `Authorization: whm USER:TOKEN`.
pub fn whm_auth(user: &str, token: &str) -> String {
    format!("whm {user}:{token}")
}

/// An answer as the raw client read it.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header lines, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header of this name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `head` (request line and headers, without the blank line), then
/// `Connection: close`, then `body`, over a new connection, and reads the answer.
pub async fn raw(address: &str, head: &[u8], body: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(address)
        .await
        .expect("connect to the server");
    let mut request = head.to_vec();
    request.extend_from_slice(b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    let chunked = String::from_utf8_lossy(head)
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    if !body.is_empty() && !chunked {
        request.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    request.extend_from_slice(body);
    stream.write_all(&request).await.expect("send the request");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers in time")
        .expect("read the answer");
    parse_response(&answer)
}

fn parse_response(bytes: &[u8]) -> RawResponse {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect::<Vec<_>>();
    let mut body = bytes[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"))
    {
        body = unchunk(&body);
    }
    RawResponse {
        status,
        headers,
        body,
    }
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// Asserts a WHM failure envelope: `result` 0, the command, and a reason containing each of `words`.
pub fn assert_refused(envelope: &Value, command: &str, words: &[&str]) {
    let metadata = &envelope["metadata"];
    assert_eq!(metadata["result"], 0, "{envelope}");
    assert_eq!(metadata["version"], 1, "{envelope}");
    assert_eq!(metadata["command"], command, "{envelope}");
    let reason = metadata["reason"]
        .as_str()
        .unwrap_or_else(|| panic!("no reason in {envelope}"));
    for word in words {
        assert!(reason.contains(word), "reason {reason:?} lacks {word:?}");
    }
    assert!(
        envelope.get("data").is_none(),
        "a refusal carries no data: {envelope}"
    );
}

/// A reqwest answer's body as JSON (panics with the body when it is not).
pub async fn json_body(answer: reqwest::Response) -> Value {
    let text = answer.text().await.expect("read the body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the body is not JSON ({e}): {text}"))
}

/// A `whm-mock` process started by [`spawn_mock_bin`], killed when dropped.
pub struct MockBin {
    child: std::process::Child,
    /// The URLs it printed it listens on, HTTPS first.
    pub urls: Vec<String>,
    /// The certificate file it printed, when it serves HTTPS.
    pub certificate: Option<std::path::PathBuf>,
}

impl MockBin {
    /// The first URL of `scheme` (`https://` or `http://`) it listens on.
    pub fn url(&self, scheme: &str) -> String {
        self.urls
            .iter()
            .find(|u| u.starts_with(scheme))
            .cloned()
            .unwrap_or_else(|| panic!("no {scheme} listener in {:?}", self.urls))
    }
}

impl Drop for MockBin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the `whm-mock` binary with `args` and reads what it prints, up to its `session:` line.
pub fn spawn_mock_bin(args: &[&str]) -> MockBin {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(whm_tests::binary("whm-mock"))
        .args(args)
        .env_remove("WHM_MOCK_TOKEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("whm-mock starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut lines = BufReader::new(stdout).lines();
    let (mut urls, mut certificate) = (Vec::new(), None);
    loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("whm-mock {args:?} stopped before its session line");
        };
        if let Some(url) = line.strip_prefix("whm-mock listening on ") {
            urls.push(url.to_owned());
        } else if let Some(path) = line.strip_prefix("certificate: ") {
            certificate = Some(path.into());
        } else if line.starts_with("session: ") {
            break;
        }
    }
    MockBin {
        child,
        urls,
        certificate,
    }
}

/// A reqwest client that trusts exactly the certificates in `pem` (rustls with ring).
pub fn trusting(pem: &[u8]) -> reqwest::Client {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        roots.add(cert.expect("a PEM certificate")).expect("a root");
    }
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client")
}

/// A private directory for one test's files, removed when dropped.
pub struct ScratchDir(pub std::path::PathBuf);

impl ScratchDir {
    /// A new empty directory named after `name` and this process.
    pub fn new(name: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!("whm-tests-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        ScratchDir(dir)
    }

    /// Writes `text` to `name` in the directory and returns its path as a string.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write a scratch file");
        path.to_string_lossy().into_owned()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
