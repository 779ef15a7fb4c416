//! What the `whmapi1` process tests run against: the `whm-mock` binary on a
//! loopback socket, a recording stand-in for WHM that answers what a test
//! needs and keeps every request it received, the `whmapi1` binary itself
//! with a clean environment, and the exit statuses its `--help` documents.
//!
//! Both binaries belong to `whm-api`, so `CARGO_BIN_EXE_*` do not exist here;
//! [`whm_tests::binary`] builds them once with cargo (same profile) and runs
//! them from `target/`.

#![allow(dead_code)] // Not every test uses every helper.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The user the mock knows.
pub const USER: &str = "root";
/// The mock's API token for [`USER`].
pub const TOKEN: &str = "CL1T3STT0KEN0123456789ABCDEFGHIJ";

/// The path of a generated binary, built once per test run.
pub fn binary(name: &str) -> PathBuf {
    whm_tests::binary(name)
}

/// The `whm-mock` process, listening on a loopback port until dropped.
pub struct Mock {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `whm-mock` on a free loopback port, knowing [`USER`] by [`TOKEN`].
pub fn start_mock() -> Mock {
    let mut child = Command::new(binary("whm-mock"))
        .args(["--listen", "127.0.0.1:0", "--user", USER, "--token", TOKEN])
        .stdout(Stdio::piped())
        .spawn()
        .expect("whm-mock starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut lines = BufReader::new(stdout).lines();
    // "whm-mock listening on http://127.0.0.1:PORT", then user, token and session.
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let base_url = first.rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(
        base_url.starts_with("http://127.0.0.1:"),
        "whm-mock said {first:?}"
    );
    Mock { child, base_url }
}

/// One request a [`Recorder`] received.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request line: `GET /json-api/f?api.version=1 HTTP/1.1`.
    pub line: String,
    /// The header lines, as sent.
    pub headers: Vec<String>,
    /// The body, as sent (a POST's form).
    pub body: String,
}

/// A stand-in for a WHM server on a loopback port: it answers every request
/// with one HTTP status and body, and keeps the requests.
pub struct Recorder {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Recorder {
    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Starts a [`Recorder`] answering `status` (`200 OK`) with the JSON `body`.
pub fn recorder(status: &'static str, body: &'static str) -> Recorder {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let requests = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&requests);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let Some(request) = read_request(&mut stream) else {
                continue;
            };
            // Kept before the answer, so the request is there once whmapi1 has exited.
            if let Ok(mut list) = kept.lock() {
                list.push(request);
            }
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    Recorder {
        base_url: format!("http://{address}"),
        requests,
    }
}

/// Reads one HTTP/1.1 request: the head, then a body of its `content-length`.
fn read_request(stream: &mut impl Read) -> Option<Request> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<String> = lines.map(str::to_owned).collect();
    let length: usize = headers
        .iter()
        .find_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    Some(Request {
        line,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A private directory for one test's files (and its `HOME`, so no user
/// config is read), removed when the test ends.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new [`Scratch`] directory named after the test.
pub fn scratch_dir(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("whmapi1-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    Scratch(dir)
}

/// The `whmapi1` command with `args`, a clean environment plus `env`, and `HOME` at `home`.
pub fn whmapi1_command(args: &[&str], env: &[(&str, &str)], home: &Path) -> Command {
    let mut command = Command::new(binary("whmapi1"));
    command.args(args);
    for name in [
        "WHM_HOST",
        "WHM_USER",
        "WHM_API_TOKEN",
        "WHM_PASSWORD",
        "WHM_SESSION",
        "WHM_INSECURE",
        "WHM_TIMEOUT",
        "WHMAPI1_CONFIG",
        "XDG_CONFIG_HOME",
        "RUST_BACKTRACE",
    ] {
        command.env_remove(name);
    }
    command.env("HOME", home);
    command.envs(env.iter().copied());
    command
}

/// Runs `whmapi1 ARGS` with a clean environment plus `env`, and `HOME` at `home`.
pub fn whmapi1(args: &[&str], env: &[(&str, &str)], home: &Path) -> Output {
    whmapi1_command(args, env, home)
        .output()
        .expect("whmapi1 runs")
}

/// Runs `whmapi1 ARGS` with its standard output a pipe whose reading end is
/// already closed, as `| head -1` leaves it: every write fails (EPIPE).
pub fn whmapi1_into_closed_pipe(args: &[&str], home: &Path) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut command = whmapi1_command(args, &[], home);
    command.stdout(writer).stderr(Stdio::piped());
    command.output().expect("whmapi1 runs")
}

/// The standard output, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The standard error, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The exit statuses `whmapi1 --help` documents, as (code, meaning), in its order.
pub fn documented_exit_statuses(home: &Path) -> Vec<(i32, String)> {
    let help = stdout(&whmapi1(&["--help"], &[], home));
    let table = help
        .split_once("\nExit status:\n")
        .map(|(_, table)| table.to_owned())
        .unwrap_or_else(|| panic!("no exit status table in\n{help}"));
    table
        .lines()
        .map_while(|line| {
            let (code, meaning) = line.trim_start().split_once("  ")?;
            Some((code.parse().ok()?, meaning.trim().to_owned()))
        })
        .collect()
}

/// The one exit status whose documented meaning contains `phrase`.
pub fn documented_exit(statuses: &[(i32, String)], phrase: &str) -> i32 {
    let found: Vec<i32> = statuses
        .iter()
        .filter(|(_, meaning)| meaning.contains(phrase))
        .map(|(code, _)| *code)
        .collect();
    match found.as_slice() {
        [code] => *code,
        _ => panic!(
            "“{phrase}” is in {} exit statuses: {statuses:?}",
            found.len()
        ),
    }
}
