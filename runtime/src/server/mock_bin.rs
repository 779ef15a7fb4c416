//! The `whm-mock` binary: its command line, credentials, listeners and request log.
//!
//! As WHM does, it serves HTTPS on port 2087 and plain HTTP on port 2086, and
//! accepts `Authorization: whm USER:APITOKEN` and HTTP Basic auth with a
//! password. `MOCK_USAGE` (printed by `--help`) gives the flags and the
//! users file.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde::Deserialize;

use super::auth::{Credentials, InMemoryAuthenticator};
use super::mock::{MockScript, MockSessions};
use super::serve::{ServeOptions, serve, serve_tls};

/// How the mock server binary was asked to run.
#[derive(Debug, Clone, PartialEq)]
struct MockOptions {
    /// The HTTPS address; `None`: no HTTPS.
    https: Option<String>,
    /// The plain HTTP address; `None`: no plain HTTP.
    http: Option<String>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    user: String,
    token: Option<String>,
    password: Option<String>,
    users: Option<PathBuf>,
    log: Option<PathBuf>,
    script: Option<PathBuf>,
    serve: ServeOptions,
}

const MOCK_USAGE: &str = "\
usage: {program} [--https ADDRESS] [--http ADDRESS] [--listen ADDRESS] [--cert FILE --key FILE]
       [--user NAME] [--token TOKEN] [--password PASSWORD] [--users FILE] [--log FILE]
       [--script FILE] [--max-connections N] [--header-timeout SECONDS] [--body-timeout SECONDS] [--idle-timeout SECONDS]

Serves WHM API 1 as WHM does, HTTPS on port 2087 and plain HTTP on port 2086,
answering every function from the spec's examples.

Listening:
  --https ADDRESS   where to serve HTTPS (default 127.0.0.1:2087; port 0 picks a free one; off: nowhere)
  --http ADDRESS    where to serve plain HTTP (default 127.0.0.1:2086; off: nowhere)
  --listen ADDRESS  plain HTTP at ADDRESS and no HTTPS (as --http ADDRESS --https off)
  --cert FILE       the HTTPS certificate chain, PEM; with --key FILE, its private key, PEM.
                    Without them a self-signed certificate for localhost and 127.0.0.1 is
                    made at start-up, written to a file, and its path and fingerprint printed.

Credentials:
  --user NAME       the account --token and --password belong to (default root)
  --token TOKEN     an API token of NAME, sent as “Authorization: whm NAME:TOKEN”
                    (default: $WHM_MOCK_TOKEN)
  --password PASS   NAME's password, sent by HTTP Basic auth
  --users FILE      accounts from a YAML file:
                        users:
                          root:
                            password: secret
                            tokens: [TOKEN1, TOKEN2]
                          reseller:
                            tokens: [TOKEN3]
                            may_call: [listaccts, createacct]
                    may_call lists the functions a user may call (“all”: every one, as
                    WHM's root privilege); a user without it may call every function.
                    Any other call is answered as a missing privilege: HTTP 200,
                    result 0, reason “Permission denied: …”.
                    With no --token, --password, $WHM_MOCK_TOKEN or --users, a token for NAME
                    is made and printed.

Sessions:
  create_user_session starts a real session of the requested user and answers its
  cp_security_token (/cpsess##########), session and a url on this server,
  SCHEME://HOST:PORT/cpsess##########/login/?session=…. Opening the url sets WHM's
  session cookie, whostmgrsession (for service=whostmgrd); calls to
  /cpsess##########/json-api/FUNCTION with that cookie are then the user's, as in WHM.
  As in WHM, such a session ends after 15 minutes without use.

Scripted answers:
  --script FILE     answers from a YAML (or JSON) file instead of the examples, by function:
                        functions:
                          version:
                            data: {version: '11.130.0.1'}   # success with this data
                          createacct:
                            fail: Sorry, that domain is taken.   # result 0, this reason
                          listaccts:
                            delay: 2.5                     # seconds before answering
                          gethostname:
                            body: '{\"metadata\":{\"result\":1}}'   # this body exactly
                    At most one of data, body and fail per function, with or without a
                    delay. A request is still checked first (credentials, privileges,
                    parameters); only a valid one gets the scripted answer.

Other:
  --log FILE        append one JSON line per request to FILE: time, listener, remote address,
                    method, path, query (a login URL's session ID left out), the user the
                    credentials name (never a secret),
                    HTTP status and milliseconds taken
  --max-connections N         connections served at once (default 4096)
  --header-timeout SECONDS    time for a request head to arrive (default 20)
  --body-timeout SECONDS      time for a request body to arrive (default 60)
  --idle-timeout SECONDS      time a connection may stay silent between requests (default 15)

It prints a line “{program} listening on URL” per listener (HTTPS first), for HTTPS
“certificate: FILE” and “fingerprint: SHA256:…”, then “user: NAME”, “token: …”
(the token it made, “(as given)” or “(none)”) and “session: cpsess##########”, a
session of NAME for URLs of the form /cpsess##########/json-api/FUNCTION.";

/// Why the command line was not read: `Help` for `--help`, else what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ArgsError {
    Help,
    Bad(String),
}

fn parse_mock_args(
    args: impl IntoIterator<Item = String>,
    env_token: Option<String>,
) -> Result<MockOptions, ArgsError> {
    let mut options = MockOptions {
        https: Some("127.0.0.1:2087".to_owned()),
        http: Some("127.0.0.1:2086".to_owned()),
        cert: None,
        key: None,
        user: "root".to_owned(),
        token: env_token,
        password: None,
        users: None,
        log: None,
        script: None,
        serve: ServeOptions::default(),
    };
    let bad = |why: String| ArgsError::Bad(why);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Err(ArgsError::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let known = [
            "--https",
            "--http",
            "--listen",
            "--cert",
            "--key",
            "--user",
            "--token",
            "--password",
            "--users",
            "--log",
            "--script",
            "--max-connections",
            "--header-timeout",
            "--body-timeout",
            "--idle-timeout",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(bad(format!("unknown argument “{flag}”")));
        }
        let value = match inline.or_else(|| args.next()) {
            Some(value) if !value.is_empty() => value,
            _ => return Err(bad(format!("{flag} needs a value"))),
        };
        let address = |value: String| (value != "off").then_some(value);
        let seconds = |value: &str| {
            value
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| {
                    bad(format!(
                        "{flag} takes a number of seconds above 0; received “{value}”"
                    ))
                })
        };
        match flag.as_str() {
            "--https" => options.https = address(value),
            "--http" => options.http = address(value),
            "--listen" => {
                options.http = Some(value);
                options.https = None;
            }
            "--cert" => options.cert = Some(value.into()),
            "--key" => options.key = Some(value.into()),
            "--user" => options.user = value,
            "--token" => options.token = Some(value),
            "--password" => options.password = Some(value),
            "--users" => options.users = Some(value.into()),
            "--log" => options.log = Some(value.into()),
            "--script" => options.script = Some(value.into()),
            "--max-connections" => {
                options.serve.max_connections = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        bad(format!(
                            "--max-connections takes a whole number above 0; received “{value}”"
                        ))
                    })?;
            }
            "--header-timeout" => options.serve.header_read_timeout = seconds(&value)?,
            "--body-timeout" => options.serve.body_read_timeout = seconds(&value)?,
            _ => options.serve.idle_timeout = seconds(&value)?,
        }
    }
    if options.cert.is_some() != options.key.is_some() {
        return Err(bad("--cert and --key go together".to_owned()));
    }
    if options.https.is_none() && options.http.is_none() {
        return Err(bad(
            "--https off and --http off leave nothing to serve".to_owned()
        ));
    }
    Ok(options)
}

/// The users file: accounts with a password, API tokens, or both.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    users: std::collections::BTreeMap<String, UserEntry>,
}

/// One account of the users file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserEntry {
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    tokens: Vec<String>,
    /// The functions the user may call; `None`: every one.
    #[serde(default)]
    may_call: Option<Vec<String>>,
}

/// Reads a users file into `authenticator`; the accounts' names, in order.
fn read_users(
    path: &Path,
    mut authenticator: InMemoryAuthenticator,
) -> Result<(InMemoryAuthenticator, Vec<String>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the users file {}: {e}", path.display()))?;
    let file: UsersFile = serde_yaml::from_str(&text)
        .map_err(|e| format!("the users file {} is not valid: {e}", path.display()))?;
    let mut names = Vec::new();
    for (user, entry) in file.users {
        if user.is_empty() || user.contains(':') {
            return Err(format!(
                "the users file {} names the user “{user}”: a name must be non-empty and have no “:”",
                path.display()
            ));
        }
        if entry.password.is_none() && entry.tokens.is_empty() {
            return Err(format!(
                "the users file {} gives “{user}” neither a password nor a token",
                path.display()
            ));
        }
        if let Some(password) = entry.password {
            authenticator = authenticator.with_password(user.clone(), password);
        }
        for token in entry.tokens {
            authenticator = authenticator.with_token(user.clone(), token);
        }
        if let Some(may_call) = entry.may_call {
            if let Some(bad) = may_call.iter().find(|name| name.trim().is_empty()) {
                return Err(format!(
                    "the users file {} gives “{user}” an empty function name in may_call (“{bad}”)",
                    path.display()
                ));
            }
            // An empty list is kept: the user may call nothing.
            authenticator = authenticator.with_privileges(user.clone(), may_call);
        }
        names.push(user);
    }
    Ok((authenticator, names))
}

/// The HTTPS configuration: the given certificate, or one made now.
struct Tls {
    config: Arc<rustls::ServerConfig>,
    /// The certificate's file: as given, or where the made one was written.
    cert_path: PathBuf,
    /// `SHA256:` and the certificate's (first) DER digest in hex pairs.
    fingerprint: String,
}

fn tls_config(cert: Option<&Path>, key: Option<&Path>) -> Result<Tls, String> {
    let (chain, key, cert_path) = match (cert, key) {
        (Some(cert), Some(key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("cannot read the certificate {}: {e}", cert.display()))?;
            if chain.is_empty() {
                return Err(format!("{} holds no PEM certificate", cert.display()));
            }
            let key = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| format!("cannot read the private key {}: {e}", key.display()))?;
            (chain, key, cert.to_owned())
        }
        _ => {
            let made = rcgen::generate_simple_self_signed(vec![
                "localhost".to_owned(),
                "127.0.0.1".to_owned(),
            ])
            .map_err(|e| format!("cannot make a certificate: {e}"))?;
            let path = std::env::temp_dir().join(format!("whm-mock-{}.pem", std::process::id()));
            std::fs::write(&path, made.cert.pem())
                .map_err(|e| format!("cannot write the certificate to {}: {e}", path.display()))?;
            let key =
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
            (vec![made.cert.der().clone()], key, path)
        }
    };
    let digest = ring::digest::digest(&ring::digest::SHA256, chain[0].as_ref());
    let fingerprint = digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("the certificate and key do not make a TLS server: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        cert_path,
        fingerprint: format!("SHA256:{fingerprint}"),
    })
}

/// Where the request log goes, and which listener a request came in on.
#[derive(Clone)]
struct LogTarget {
    file: Arc<Mutex<std::fs::File>>,
    listener: &'static str,
}

/// Writes one JSON line per request to the log.
async fn log_request(State(target): State<LogTarget>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let time = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let remote = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.to_string());
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    // A login URL's session ID logs its holder in: it is not written.
    let query = request.uri().query().map(redact_session);
    // The user the credentials name, unchecked; never the secret. A session
    // cookie names its user in the ID's first part, which is not secret.
    let security_token = path
        .strip_prefix('/')
        .and_then(|rest| rest.split('/').next())
        .filter(|segment| segment.starts_with("cpsess"));
    let user = Credentials::from_request(request.headers(), security_token)
        .ok()
        .map(|c| c.user().to_owned());
    let response = next.run(request).await;
    let line = serde_json::json!({
        "time": time,
        "listener": target.listener,
        "remote": remote,
        "method": method,
        "path": path,
        "query": query,
        "user": user,
        "status": response.status().as_u16(),
        "ms": started.elapsed().as_secs_f64() * 1000.0,
    });
    let mut text = line.to_string();
    text.push('\n');
    // One write per line to a file opened for appending: lines do not interleave.
    let mut file = target.file.lock().unwrap_or_else(|e| e.into_inner());
    if file.write_all(text.as_bytes()).is_err() {
        // A full disk does not stop the mock serving.
    }
    response
}

/// `query` with the value of any `session` parameter replaced by `<redacted>`.
fn redact_session(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("session", _)) => "session=<redacted>",
            _ => pair,
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Prints to stdout; a closed pipe (`whm-mock --help | head`) is not an error worth a panic.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// Prints to stderr, ignoring a closed pipe.
fn complain(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Runs the mock server binary: reads its command line, makes the
/// credentials (and a certificate if none was given), listens, prints where,
/// and serves `make_router`'s router until the process is stopped. Returns
/// the process's exit code: 0 after `--help`, 2 for a bad command line, 1
/// when it cannot start.
pub fn run<F>(program: &str, make_router: F) -> ExitCode
where
    F: FnOnce(Arc<InMemoryAuthenticator>) -> axum::Router,
{
    let usage = MOCK_USAGE.replace("{program}", program);
    let options = match parse_mock_args(
        std::env::args().skip(1),
        std::env::var("WHM_MOCK_TOKEN").ok(),
    ) {
        Ok(options) => options,
        Err(ArgsError::Help) => {
            say(&usage);
            return ExitCode::SUCCESS;
        }
        Err(ArgsError::Bad(why)) => {
            complain(&format!("{program}: {why}\n\n{usage}"));
            return ExitCode::from(2);
        }
    };
    match start(program, options, make_router) {
        Ok(code) => code,
        Err(why) => {
            complain(&format!("{program}: {why}"));
            ExitCode::FAILURE
        }
    }
}

fn start<F>(program: &str, options: MockOptions, make_router: F) -> Result<ExitCode, String>
where
    F: FnOnce(Arc<InMemoryAuthenticator>) -> axum::Router,
{
    let mut authenticator = InMemoryAuthenticator::new();
    let mut file_users = Vec::new();
    if let Some(path) = &options.users {
        (authenticator, file_users) = read_users(path, authenticator)?;
    }
    let user = options.user.clone();
    let make_token = options.token.is_none() && options.password.is_none() && file_users.is_empty();
    let token_line = match (&options.token, make_token) {
        (Some(token), _) => {
            authenticator = authenticator.with_token(user.clone(), token.clone());
            "(as given)".to_owned()
        }
        (None, true) => {
            let token = InMemoryAuthenticator::generate_token()
                .map_err(|e| format!("cannot make a random token: {e}"))?;
            authenticator = authenticator.with_token(user.clone(), token.clone());
            token
        }
        (None, false) => "(none)".to_owned(),
    };
    if let Some(password) = &options.password {
        authenticator = authenticator.with_password(user.clone(), password.clone());
    }
    // The printed session belongs to --user when it has credentials, else to the file's first user.
    let session_user = if options.token.is_some() || options.password.is_some() || make_token {
        user
    } else {
        file_users.first().cloned().unwrap_or(user)
    };
    let script = match &options.script {
        Some(path) => Some(MockScript::from_file(path)?),
        None => None,
    };
    let authenticator = Arc::new(authenticator);
    let session = authenticator
        .create_session(&session_user)
        .map_err(|e| format!("cannot make a session token: {e}"))?;
    let tls = match &options.https {
        Some(_) => Some(tls_config(options.cert.as_deref(), options.key.as_deref())?),
        None => None,
    };
    let log = match &options.log {
        Some(path) => Some(Arc::new(Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open the log {}: {e}", path.display()))?,
        ))),
        None => None,
    };
    let mut router = make_router(Arc::clone(&authenticator));
    if let Some(script) = &script {
        router = router.layer(script.layer());
    }
    let with_log = |listener: &'static str| {
        // Each listener's sessions get login URLs of its own scheme.
        let router = router
            .clone()
            .layer(MockSessions::new(Arc::clone(&authenticator), listener).layer());
        match &log {
            Some(file) => router.layer(axum::middleware::from_fn_with_state(
                LogTarget {
                    file: Arc::clone(file),
                    listener,
                },
                log_request,
            )),
            None => router,
        }
    };
    let (https_router, http_router) = (with_log("https"), with_log("http"));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let bind = |address: Option<String>| async move {
            match address {
                Some(address) => tokio::net::TcpListener::bind(&address)
                    .await
                    .map(Some)
                    .map_err(|e| format!("cannot listen on {address}: {e}")),
                None => Ok(None),
            }
        };
        let https = bind(options.https.clone()).await?;
        let http = bind(options.http.clone()).await?;
        let shown = |listener: &tokio::net::TcpListener| {
            listener
                .local_addr()
                .map_or_else(|e| format!("(unknown: {e})"), |a| a.to_string())
        };
        // Tests and scripts read these lines to find the server: all printed before serving.
        let mut lines = Vec::new();
        if let Some(listener) = &https {
            lines.push(format!(
                "{program} listening on https://{}",
                shown(listener)
            ));
        }
        if let Some(listener) = &http {
            lines.push(format!("{program} listening on http://{}", shown(listener)));
        }
        if let Some(tls) = &tls {
            lines.push(format!("certificate: {}", tls.cert_path.display()));
            lines.push(format!("fingerprint: {}", tls.fingerprint));
        }
        lines.push(format!("user: {session_user}"));
        lines.push(format!("token: {token_line}"));
        lines.push(format!("session: {session}"));
        say(&lines.join("\n"));

        let serving_https = async {
            match (https, tls) {
                (Some(listener), Some(tls)) => {
                    serve_tls(listener, https_router, tls.config, options.serve).await
                }
                _ => std::future::pending().await,
            }
        };
        let serving_http = async {
            match http {
                Some(listener) => serve(listener, http_router, options.serve).await,
                None => std::future::pending().await,
            }
        };
        let stopped = tokio::select! {
            result = serving_https => result,
            result = serving_http => result,
        };
        match stopped {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(err) => Err(format!("the server stopped: {err}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn reads_the_mock_command_line() {
        let o = parse_mock_args(args(&["--listen", "127.0.0.1:0", "--token=ABC"]), None).unwrap();
        assert_eq!(
            (
                o.http.as_deref(),
                o.https.as_deref(),
                o.user.as_str(),
                o.token.as_deref()
            ),
            (Some("127.0.0.1:0"), None, "root", Some("ABC"))
        );
        let o = parse_mock_args(args(&["--user", "reseller"]), Some("ENV".into())).unwrap();
        assert_eq!(
            (o.user.as_str(), o.token.as_deref()),
            ("reseller", Some("ENV"))
        );
        assert_eq!(
            parse_mock_args(args(&["--help"]), None),
            Err(ArgsError::Help)
        );
        let bad = |a: &[&str]| match parse_mock_args(args(a), None) {
            Err(ArgsError::Bad(why)) => why,
            other => panic!("{a:?} gave {other:?}"),
        };
        let o = parse_mock_args(args(&["--script", "s.yaml"]), None).unwrap();
        assert_eq!(o.script.as_deref(), Some(Path::new("s.yaml")));
        assert!(bad(&["--token"]).contains("needs a value"));
        assert!(bad(&["--bogus"]).contains("unknown argument"));
        assert!(bad(&["--cert", "c.pem"]).contains("go together"));
        assert!(bad(&["--https", "off", "--http=off"]).contains("nothing to serve"));
        assert!(bad(&["--idle-timeout", "0"]).contains("above 0"));
        assert!(bad(&["--max-connections", "x"]).contains("whole number"));
    }

    #[test]
    fn defaults_are_whms_ports_and_safe_limits() {
        let o = parse_mock_args(args(&[]), None).unwrap();
        assert_eq!(
            (o.https.as_deref(), o.http.as_deref()),
            (Some("127.0.0.1:2087"), Some("127.0.0.1:2086"))
        );
        assert_eq!(o.serve, ServeOptions::default());
        let o = parse_mock_args(
            args(&[
                "--https=127.0.0.1:0",
                "--http",
                "off",
                "--password",
                "pw",
                "--users",
                "u.yaml",
                "--log",
                "l.jsonl",
                "--max-connections",
                "10",
                "--header-timeout",
                "1.5",
                "--body-timeout=2",
                "--idle-timeout",
                "3",
            ]),
            None,
        )
        .unwrap();
        assert_eq!(o.http, None);
        assert_eq!(o.password.as_deref(), Some("pw"));
        assert_eq!(o.users.as_deref(), Some(Path::new("u.yaml")));
        assert_eq!(o.log.as_deref(), Some(Path::new("l.jsonl")));
        assert_eq!(o.script, None);
        assert_eq!(
            o.serve,
            ServeOptions {
                max_connections: 10,
                header_read_timeout: Duration::from_millis(1500),
                body_read_timeout: Duration::from_secs(2),
                idle_timeout: Duration::from_secs(3),
            }
        );
    }

    #[test]
    fn reads_a_users_file_and_refuses_a_bad_one() {
        let dir = std::env::temp_dir().join(format!("whm-mock-users-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("users.yaml");
        std::fs::write(
            &path,
            "users:\n  root:\n    password: secret\n    tokens: [T1, T2]\n  reseller:\n    tokens: [T3]\n    may_call: [listaccts, version]\n",
        )
        .unwrap();
        let (auth, names) = read_users(&path, InMemoryAuthenticator::new()).unwrap();
        assert_eq!(names, ["reseller", "root"]);
        assert_eq!(
            format!("{auth:?}"),
            r#"InMemoryAuthenticator { tokens: {"reseller": 1, "root": 2}, passwords: ["root"], sessions: 0, privileges: {"reseller": 2} }"#
        );
        for (text, why) in [
            ("users:\n  root: {}\n", "neither a password nor a token"),
            ("users:\n  root:\n    pasword: x\n", "not valid"),
            ("users:\n  \"a:b\":\n    password: x\n", "no “:”"),
            (
                "users:\n  r:\n    password: x\n    may_call: [\" \"]\n",
                "empty function name",
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            let err = read_users(&path, InMemoryAuthenticator::new()).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
        let err = read_users(&dir.join("missing.yaml"), InMemoryAuthenticator::new()).unwrap_err();
        assert!(err.contains("cannot read the users file"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_log_does_not_write_session_ids() {
        assert_eq!(
            redact_session("session=root:SECRET&locale=fr"),
            "session=<redacted>&locale=fr"
        );
        assert_eq!(
            redact_session("api.version=1&user=a"),
            "api.version=1&user=a"
        );
    }

    #[test]
    fn makes_a_certificate_or_reads_the_given_one() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let made = tls_config(None, None).unwrap();
        assert!(made.fingerprint.starts_with("SHA256:") && made.fingerprint.len() == 7 + 95);
        let pem = std::fs::read_to_string(&made.cert_path).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
        assert_eq!(made.config.alpn_protocols, [b"http/1.1".to_vec()]);

        let err = tls_config(
            Some(Path::new("/nonexistent.pem")),
            Some(Path::new("/k.pem")),
        )
        .err()
        .unwrap();
        assert!(err.contains("cannot read the certificate"), "{err}");
        // A certificate file without its key.
        let err = tls_config(Some(&made.cert_path), Some(&made.cert_path))
            .err()
            .unwrap();
        assert!(err.contains("cannot read the private key"), "{err}");
        let _ = std::fs::remove_file(&made.cert_path);
    }
}
