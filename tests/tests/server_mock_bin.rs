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
    base_url: String,
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
    let mut child = Command::new(whm_mock_path())
        .args(args)
        .env_remove("WHM_MOCK_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("whm-mock starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut next = |prefix: &str| {
        let line = lines
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("whm-mock printed no {prefix:?} line"));
        line.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{line:?} does not start with {prefix:?}"))
            .to_owned()
    };
    let base_url = next("whm-mock listening on ");
    assert_eq!(next("user: "), user);
    let token_line = next("token: ");
    let session = next("session: ");
    MockProcess {
        child,
        base_url,
        token_line,
        session,
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
