//! The `whm-mock` binary as a process: it listens where told, prints how to
//! reach it, and answers the seed page's URLs with the seed's outputs.
//!
//! The binary belongs to `whm-api`, so `CARGO_BIN_EXE_whm-mock` does not exist
//! here; the tests build it once with cargo (same profile) and run it from `target/`.

mod server_support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use server_support::*;

fn whm_mock_path() -> PathBuf {
    whm_tests::binary("whm-mock")
}

/// A running `whm-mock`, killed when dropped.
struct MockProcess {
    child: Child,
    /// The first URL it listens on (HTTPS when it serves HTTPS).
    base_url: String,
    /// `https://127.0.0.1:PORT`, when it serves HTTPS.
    https_url: Option<String>,
    /// `http://127.0.0.1:PORT`, when it serves plain HTTP.
    http_url: Option<String>,
    /// The file of its HTTPS certificate, and the fingerprint it printed.
    certificate: Option<(PathBuf, String)>,
    user: String,
    token_line: String,
    session: String,
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(user: &str, args: &[&str]) -> MockProcess {
    let mock = spawn_any(args);
    assert_eq!(mock.user, user);
    mock
}

/// Starts `whm-mock` with `args` and reads what it prints, up to its `session:` line.
fn spawn_any(args: &[&str]) -> MockProcess {
    let mut child = Command::new(whm_mock_path())
        .args(args)
        .env_remove("WHM_MOCK_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("whm-mock starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut lines = BufReader::new(stdout).lines();
    let (mut urls, mut cert, mut fingerprint, mut user, mut token_line) =
        (Vec::new(), None, None, None, None);
    let session = loop {
        let line = lines
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("whm-mock stopped before its session line"));
        if let Some(url) = line.strip_prefix("whm-mock listening on ") {
            urls.push(url.to_owned());
        } else if let Some(path) = line.strip_prefix("certificate: ") {
            cert = Some(PathBuf::from(path));
        } else if let Some(f) = line.strip_prefix("fingerprint: ") {
            fingerprint = Some(f.to_owned());
        } else if let Some(u) = line.strip_prefix("user: ") {
            user = Some(u.to_owned());
        } else if let Some(t) = line.strip_prefix("token: ") {
            token_line = Some(t.to_owned());
        } else if let Some(s) = line.strip_prefix("session: ") {
            break s.to_owned();
        } else {
            panic!("whm-mock printed {line:?}");
        }
    };
    let find = |scheme: &str| urls.iter().find(|u| u.starts_with(scheme)).cloned();
    MockProcess {
        base_url: urls.first().cloned().expect("a listening line"),
        https_url: find("https://"),
        http_url: find("http://"),
        certificate: cert.zip(fingerprint),
        user: user.expect("a user line"),
        token_line: token_line.expect("a token line"),
        session,
        child,
    }
}

#[tokio::test]
async fn the_binary_serves_the_seed_urls_with_the_given_token() {
    let mock = spawn(USER, &["--listen", "127.0.0.1:0", "--token", TOKEN]);
    assert_eq!(mock.token_line, "(as given)");
    let api = spec_api();
    let example = &api
        .functions()
        .find(|f| f.name == "validate_login_token")
        .unwrap()
        .examples[0];
    let http = http();

    let json = http
        .get(format!(
            "{}/{}{SEED_JSON_PATH}",
            mock.base_url, mock.session
        ))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    assert_eq!(Some(json.text().await.unwrap()), example.json);

    let xml = http
        .get(format!("{}/{}{SEED_XML_PATH}", mock.base_url, mock.session))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(Some(xml.text().await.unwrap()), example.xml);

    let refused = http
        .get(format!("{}{SEED_JSON_PATH}", mock.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let wrong = http
        .get(format!("{}{SEED_JSON_PATH}", mock.base_url))
        .header("Authorization", whm_auth(USER, "WRONG"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
}

#[tokio::test]
async fn the_binary_makes_and_prints_a_token_when_given_none() {
    let mock = spawn("admin", &["--listen=127.0.0.1:0", "--user", "admin"]);
    let token = mock.token_line.clone();
    assert_eq!(token.len(), 32, "{token}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "{token}"
    );
    let http = http();
    let answer = http
        .get(format!("{}{SEED_JSON_PATH}", mock.base_url))
        .header("Authorization", whm_auth("admin", &token))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    // The token belongs to the named user only.
    let as_root = http
        .get(format!("{}{SEED_JSON_PATH}", mock.base_url))
        .header("Authorization", whm_auth(USER, &token))
        .send()
        .await
        .unwrap();
    assert_eq!(as_root.status(), 403);
}

#[test]
fn the_binary_refuses_bad_arguments_and_explains_itself() {
    let bad = Command::new(whm_mock_path())
        .args(["--port", "1"])
        .output()
        .expect("whm-mock runs");
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("unknown argument “--port”") && stderr.contains("usage: whm-mock"),
        "{stderr}"
    );

    let help = Command::new(whm_mock_path())
        .arg("--help")
        .output()
        .expect("whm-mock runs");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--listen ADDRESS"));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let busy = Command::new(whm_mock_path())
        .args(["--listen", &address, "--token", "T"])
        .output()
        .expect("whm-mock runs");
    assert_eq!(busy.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&busy.stderr).contains(&format!("cannot listen on {address}")));
}

/// A private directory for one test's files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("whm-mock-bin-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `SHA256:AA:BB:…` of a certificate's DER, as the mock prints it.
fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    format!("SHA256:{}", hex.join(":"))
}

#[tokio::test]
async fn basic_auth_over_https_with_the_made_certificate_and_over_plain_http() {
    let scratch = Scratch::new("tls");
    let log = scratch.0.join("requests.jsonl");
    let log_arg = log.to_string_lossy().into_owned();
    let mock = spawn(
        USER,
        &[
            "--https",
            "127.0.0.1:0",
            "--http=127.0.0.1:0",
            "--password",
            PASSWORD,
            "--token",
            TOKEN,
            "--log",
            &log_arg,
        ],
    );
    let https = mock.https_url.clone().expect("an HTTPS listener");
    let plain = mock.http_url.clone().expect("a plain HTTP listener");
    assert_eq!(mock.base_url, https, "HTTPS is printed first");
    assert!(https.starts_with("https://127.0.0.1:") && plain.starts_with("http://127.0.0.1:"));
    let (cert_path, printed_fingerprint) = mock.certificate.clone().expect("a certificate line");
    let pem = std::fs::read(&cert_path).expect("the printed certificate file");
    {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let der = CertificateDer::from_pem_slice(&pem).expect("a PEM certificate");
        assert_eq!(printed_fingerprint, fingerprint(der.as_ref()));
    }

    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = trusting(&pem);
    let url = |base: &str| format!("{base}{SEED_JSON_PATH}");
    let ok = tls
        .get(url(&https))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .expect("HTTPS with the printed certificate trusted");
    assert_eq!(ok.status(), 200);
    let body = json_body(ok).await;
    assert!(body["data"].is_object(), "{body}");
    let wrong = tls
        .get(url(&https))
        .basic_auth(USER, Some("not the password"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let by_token = tls
        .get(format!("{https}/{}{SEED_JSON_PATH}", mock.session))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), 200);

    // A client that does not trust the certificate cannot talk to the HTTPS port.
    let untrusting = trusting(b"");
    let refused = untrusting.get(url(&https)).send().await;
    assert!(refused.is_err(), "{refused:?}");

    let http = http();
    let plain_ok = http
        .get(url(&plain))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(plain_ok.status(), 200);
    let none = http.get(url(&plain)).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(
        none.headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Basic realm=\"WHM\"")
    );

    // One JSON line per request answered, in order, naming listener, user and status; no secret.
    let text = std::fs::read_to_string(&log).expect("the request log");
    assert!(!text.contains(PASSWORD) && !text.contains(TOKEN), "{text}");
    let entries: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let seen: Vec<(&str, Option<&str>, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["listener"].as_str().unwrap_or(""),
                e["user"].as_str(),
                e["status"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("https", Some(USER), 200),
            ("https", Some(USER), 403),
            ("https", Some(USER), 200),
            ("http", Some(USER), 200),
            ("http", None, 401),
        ]
    );
    let first = &entries[0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/json-api/validate_login_token");
    assert!(
        first["query"]
            .as_str()
            .is_some_and(|q| q.starts_with("api.version=1&")),
        "{first}"
    );
    assert!(
        first["remote"]
            .as_str()
            .is_some_and(|r| r.starts_with("127.0.0.1:"))
    );
    assert!(first["time"].as_f64().is_some_and(|t| t > 1.0e9));
    let _ = std::fs::remove_file(&cert_path);
}

#[tokio::test]
async fn accounts_from_a_users_file_sign_in_by_password_and_by_token() {
    let scratch = Scratch::new("users");
    let users = scratch.0.join("users.yaml");
    std::fs::write(
        &users,
        format!(
            "# accounts of the mock\nusers:\n  {OTHER_USER}:\n    tokens: [{OTHER_TOKEN}]\n  \
             {USER}:\n    password: \"{PASSWORD}\"\n    tokens: [{TOKEN}, SECONDTOKEN]\n"
        ),
    )
    .unwrap();
    let users_arg = users.to_string_lossy().into_owned();
    let mock = spawn_any(&["--listen", "127.0.0.1:0", "--users", &users_arg]);
    // No token was made; the printed session belongs to the file's first account.
    assert_eq!(mock.token_line, "(none)");
    assert_eq!(mock.user, OTHER_USER);
    assert!(mock.https_url.is_none() && mock.certificate.is_none());
    let http = http();
    let call = |auth: Option<String>, basic: Option<(&str, &str)>, session: Option<&str>| {
        let mut request = http.get(match session {
            Some(s) => format!("{}/{s}{SEED_JSON_PATH}", mock.base_url),
            None => format!("{}{SEED_JSON_PATH}", mock.base_url),
        });
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        if let Some((user, password)) = basic {
            request = request.basic_auth(user, Some(password));
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(call(None, Some((USER, PASSWORD)), None).await, 200);
    assert_eq!(
        call(Some(whm_auth(USER, "SECONDTOKEN")), None, None).await,
        200
    );
    assert_eq!(call(Some(whm_auth(USER, TOKEN)), None, None).await, 200);
    assert_eq!(
        call(Some(whm_auth(OTHER_USER, OTHER_TOKEN)), None, None).await,
        200
    );
    assert_eq!(call(None, Some((OTHER_USER, PASSWORD)), None).await, 403);
    assert_eq!(
        call(
            Some(whm_auth(OTHER_USER, OTHER_TOKEN)),
            None,
            Some(&mock.session)
        )
        .await,
        200
    );
    assert_eq!(
        call(Some(whm_auth(USER, TOKEN)), None, Some(&mock.session)).await,
        403,
        "the session is the other account's"
    );

    // A users file that says nothing usable stops the mock with a reason.
    std::fs::write(&users, "users:\n  root: {}\n").unwrap();
    let bad = Command::new(whm_mock_path())
        .args(["--listen", "127.0.0.1:0", "--users", &users_arg])
        .output()
        .expect("whm-mock runs");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("neither a password nor a token"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn help_into_a_closed_pipe_does_not_panic() {
    // The reading end is closed before the mock writes: as `whm-mock --help | head -0`.
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(whm_mock_path())
        .arg("--help")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("whm-mock runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[tokio::test]
async fn the_binary_closes_silent_connections_on_both_ports_in_the_time_given() {
    use tokio::io::AsyncReadExt;
    let mock = spawn(
        USER,
        &[
            "--https=127.0.0.1:0",
            "--http=127.0.0.1:0",
            "--token",
            TOKEN,
            "--header-timeout",
            "1",
            "--idle-timeout",
            "0.5",
        ],
    );
    // HTTPS: a connection that never starts its TLS handshake (1 s, the header
    // timeout); plain HTTP: one that never sends a request (0.5 s, idle).
    for (url, at_least) in [
        (mock.https_url.clone().unwrap(), 900),
        (mock.http_url.clone().unwrap(), 400),
    ] {
        let address = url.split_once("://").unwrap().1.to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let started = std::time::Instant::now();
        let mut buf = [0u8; 64];
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("{url}: still open after 5 s"));
        assert!(matches!(read, Ok(0) | Err(_)), "{url}: {read:?}");
        let took = started.elapsed();
        assert!(
            took >= std::time::Duration::from_millis(at_least),
            "{url}: closed after {took:?}"
        );
    }
    if let Some((cert, _)) = &mock.certificate {
        let _ = std::fs::remove_file(cert);
    }
}
