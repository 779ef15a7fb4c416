//! Scripted answers for the tests of code that calls WHM: a fixed answer, a
//! failure or a delay per function, set on the library mock through a
//! `MockScript` layer and on the `whm-mock` binary with `--script FILE`.
//! Real loopback sockets, a real HTTP client, the binary as a process.

mod server_support;

use std::time::{Duration, Instant};

use serde_json::json;
use server_support::*;
use whm_runtime::server::mock::MockScript;

async fn get(http: &reqwest::Client, url: String) -> reqwest::Response {
    http.get(url)
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .expect("the mock answers")
}

#[tokio::test]
async fn a_script_set_from_the_library_answers_fails_and_waits_then_is_cleared() {
    let script = MockScript::new();
    let base = start_scripted(&script).await;
    let http = http();
    let version = || get(&http, format!("{base}/json-api/version?api.version=1"));
    let usual = json_body(version().await).await;
    assert_eq!(usual["metadata"]["result"], 1, "{usual}");

    // A fixed answer: the given data in WHM's envelope, with the function's success reason.
    script.answer_data("version", json!({"version": "11.999.0.1"}));
    let fixed = json_body(version().await).await;
    assert_eq!(fixed["data"], json!({"version": "11.999.0.1"}), "{fixed}");
    assert_eq!(fixed["metadata"]["result"], 1);
    assert_eq!(fixed["metadata"]["command"], "version");
    assert_eq!(fixed["metadata"]["version"], 1);
    let created = {
        script.answer_data("createacct", json!({"ip": "192.0.2.1"}));
        json_body(
            get(
                &http,
                format!("{base}/json-api/createacct?api.version=1&username=alice"),
            )
            .await,
        )
        .await
    };
    assert_eq!(
        created["metadata"]["reason"], "Account Creation Ok",
        "{created}"
    );
    assert_eq!(created["data"]["ip"], "192.0.2.1");
    // The XML path gets the same answer as XML.
    let xml = get(&http, format!("{base}/xml-api/version?api.version=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        xml.contains("11.999.0.1") && xml.contains("<result>1</result>"),
        "{xml}"
    );

    // A failure: HTTP 200, result 0, the given reason.
    script.fail(
        "createacct",
        "Sorry, a group for that username already exists.",
    );
    let failed = get(
        &http,
        format!("{base}/json-api/createacct?api.version=1&username=alice"),
    )
    .await;
    assert_eq!(failed.status(), 200);
    assert_refused(
        &json_body(failed).await,
        "createacct",
        &["Sorry, a group for that username already exists."],
    );
    // A scripted function still checks its parameters first.
    let invalid = get(&http, format!("{base}/json-api/createacct?api.version=1")).await;
    assert_refused(&json_body(invalid).await, "createacct", &["username"]);
    // And a stranger is still refused before any script.
    let stranger = http
        .get(format!("{base}/json-api/version?api.version=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 401);

    // A body exactly as given.
    script.answer_body(
        "gethostname",
        r#"{"data":{"hostname":"scripted.example.com"}}"#,
    );
    let body = get(&http, format!("{base}/json-api/gethostname?api.version=1"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(body, r#"{"data":{"hostname":"scripted.example.com"}}"#);

    // A delay keeps the answer and comes before it.
    script.delay("version", Duration::from_millis(400));
    let started = Instant::now();
    let delayed = json_body(version().await).await;
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(delayed["data"], json!({"version": "11.999.0.1"}));

    // Cleared, the function answers as it did before the script.
    script.clear("version");
    let again = json_body(version().await).await;
    assert_eq!(again, usual);
    script.reset();
    let created = json_body(
        get(
            &http,
            format!("{base}/json-api/createacct?api.version=1&username=alice"),
        )
        .await,
    )
    .await;
    assert_eq!(created["metadata"]["result"], 1, "{created}");
}

#[tokio::test]
async fn the_binary_answers_from_a_script_file() {
    let scratch = ScratchDir::new("script");
    let script = scratch.write(
        "script.yaml",
        "functions:\n  version:\n    data: {version: '11.888.0.1'}\n  createacct:\n    fail: Sorry, that domain is taken.\n  listaccts:\n    delay: 0.4\n",
    );
    let mock = spawn_mock_bin(&[
        "--listen",
        "127.0.0.1:0",
        "--token",
        TOKEN,
        "--script",
        &script,
    ]);
    let base = mock.url("http://");
    let http = http();
    let fixed = json_body(get(&http, format!("{base}/json-api/version?api.version=1")).await).await;
    assert_eq!(fixed["data"]["version"], "11.888.0.1", "{fixed}");
    let failed = get(
        &http,
        format!("{base}/json-api/createacct?api.version=1&username=alice"),
    )
    .await;
    assert_refused(
        &json_body(failed).await,
        "createacct",
        &["Sorry, that domain is taken."],
    );
    let started = Instant::now();
    let delayed =
        json_body(get(&http, format!("{base}/json-api/listaccts?api.version=1")).await).await;
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(delayed["metadata"]["result"], 1, "{delayed}");
    assert_eq!(delayed["metadata"]["command"], "listaccts");
}

#[test]
fn the_binary_refuses_a_bad_script_and_documents_the_flag() {
    let scratch = ScratchDir::new("bad-script");
    let bad = scratch.write(
        "bad.yaml",
        "functions:\n  version:\n    data: 1\n    fail: x\n",
    );
    let output = std::process::Command::new(whm_tests::binary("whm-mock"))
        .args(["--listen", "127.0.0.1:0", "--token", "T", "--script", &bad])
        .output()
        .expect("whm-mock runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not valid") && stderr.contains("only one of data, body and fail"),
        "{stderr}"
    );
    let missing = std::process::Command::new(whm_tests::binary("whm-mock"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--script",
            "/nonexistent/script.yaml",
        ])
        .output()
        .expect("whm-mock runs");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the script"));

    let help = std::process::Command::new(whm_tests::binary("whm-mock"))
        .arg("--help")
        .output()
        .expect("whm-mock runs");
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--script FILE",
        "may_call",
        "create_user_session",
        "whostmgrsession",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
}
