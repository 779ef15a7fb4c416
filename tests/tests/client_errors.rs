//! Each kind of client error, against real loopback servers that misbehave on purpose.

mod client_support;

use std::time::Duration;

use client_support::{TOKEN, USER, closed_port, format_response, raw_server, raw_server_with};
use whm_api::client::{Client, Error, Format, WhmApi};
use whm_api::types;
use whm_runtime::QueryBuilder;

fn seed_request() -> types::ValidateLoginTokenRequest {
    types::ValidateLoginTokenRequest {
        url_after_login: "http://hostname.example.com/redirectionlocation.cgi?state".to_owned(),
        provider: "cPStore".to_owned(),
        login_token: "1a676e6f-99fc-11e6-9ab6-e60a769b73bc".to_owned(),
    }
}

fn client(base_url: &str) -> Client {
    Client::builder(base_url)
        .api_token(USER, TOKEN)
        .session("cpsess9876543210")
        .build()
        .expect("a client")
}

/// Neither the token nor the session token appear in what an error shows.
fn assert_no_secrets(err: &Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
        assert!(!shown.contains("9876543210"), "the session leaked: {shown}");
    }
}

const OK_METADATA: &str =
    r#""metadata":{"command":"validate_login_token","version":1,"reason":"OK","result":1}"#;

#[tokio::test]
async fn malformed_json_is_a_decode_error_showing_what_arrived() {
    let (url, _) = raw_server(200, r#"{"data":{"payload":[{"access_token":"b7a6f029""#).await;
    let err = client(&url)
        .validate_login_token(&seed_request())
        .await
        .expect_err("a cut body fails");
    match &err {
        Error::Decode(decode) => {
            assert!(decode.malformed, "{decode:?}");
            assert_eq!(decode.function, "validate_login_token");
            assert!(
                decode.excerpt.contains("b7a6f029"),
                "the excerpt shows the body: {decode:?}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_no_secrets(&err);
}

#[tokio::test]
async fn an_html_page_is_a_decode_error() {
    let (url, _) =
        raw_server_with(|_| format_response(200, "text/html", "<html><body>Login</body></html>"))
            .await;
    match client(&url).validate_login_token(&seed_request()).await {
        Err(Error::Decode(decode)) => {
            assert!(decode.malformed);
            assert!(decode.to_string().contains("<html>"), "{decode}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named_with_its_value() {
    let body: &'static str = Box::leak(
        format!(r#"{{"data":{{"payload":[{{"access_token":"a","refresh_token":{{"nested":true}}}}]}},{OK_METADATA}}}"#)
            .into_boxed_str(),
    );
    let (url, _) = raw_server(200, body).await;
    let err = client(&url)
        .validate_login_token(&seed_request())
        .await
        .expect_err("a hash is not a string");
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(!decode.malformed);
    assert_eq!(decode.path, "data.payload[0].refresh_token");
    assert!(
        decode.message.contains("map") || decode.message.contains("a string"),
        "{}",
        decode.message
    );
    assert!(decode.excerpt.contains("refresh_token"), "{decode:?}");
    let shown = err.to_string();
    assert!(shown.contains("data.payload[0].refresh_token"), "{shown}");
}

#[tokio::test]
async fn whm_looseness_is_accepted() {
    // Numbers as strings, booleans as "1"/0, a one-element list sent bare.
    let body = r#"{"metadata":{"command":"listsuspended","version":"1","reason":"OK","result":"1"},
        "data":{"account":{"user":"bob","is_locked":"1","unixtime":"1700000000","owner":"root"}}}"#;
    let (url, _) = raw_server(200, body).await;
    let response = client(&url)
        .listsuspended(&types::ListsuspendedRequest::default())
        .await
        .expect("loose values decode");
    let accounts = response.data.account.expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].is_locked, Some(true));
    assert_eq!(accounts[0].unixtime, Some(1_700_000_000));
    assert_eq!(accounts[0].user.as_deref(), Some("bob"));
    assert!(response.metadata.result);
    assert_eq!(response.metadata.version, 1);
}

#[tokio::test]
async fn result_zero_from_any_server_is_an_api_error_with_raw_output() {
    let body = r#"{"metadata":{"command":"suspendacct","version":1,"reason":"No such user.","result":0,"output":{"raw":"Cannot suspend bob."}}}"#;
    let (url, _) = raw_server(200, body).await;
    let err = client(&url)
        .suspendacct(&types::SuspendacctRequest::new("bob"))
        .await
        .expect_err("result 0 fails");
    match &err {
        Error::Api {
            reason, metadata, ..
        } => {
            assert_eq!(reason, "No such user.");
            assert_eq!(
                metadata.output.as_ref().and_then(|o| o.raw.as_deref()),
                Some("Cannot suspend bob.")
            );
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(err.to_string(), "suspendacct failed: No such user.");
}

#[tokio::test]
async fn http_errors_carry_the_status_and_the_start_of_the_body() {
    let (url, _) = raw_server(500, "Internal Server Error: cpsrvd restarting").await;
    match client(&url).validate_login_token(&seed_request()).await {
        Err(Error::Status {
            status,
            reason,
            body,
            ..
        }) => {
            assert_eq!(status, 500);
            assert_eq!(reason, None);
            assert!(body.contains("cpsrvd restarting"), "{body}");
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    // A redirect (to a login page, say) is not followed.
    let (url, _) = raw_server_with(|_| {
        b"HTTP/1.1 302 Found\r\nlocation: /login\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            .to_vec()
    })
    .await;
    match client(&url).validate_login_token(&seed_request()).await {
        Err(Error::Status { status: 302, .. }) => {}
        other => panic!("expected the redirect as an HTTP status error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_is_down_is_a_transport_error() {
    let url = format!("http://{}", closed_port());
    let err = client(&url)
        .validate_login_token(&seed_request())
        .await
        .expect_err("nobody listens");
    match &err {
        Error::Transport {
            function, server, ..
        } => {
            assert_eq!(function, "validate_login_token");
            assert_eq!(server, &url);
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_no_secrets(&err);
}

#[tokio::test]
async fn a_silent_server_is_a_timeout() {
    // The server reads the request and never answers.
    let (url, mut seen) = raw_server_with(|_| Vec::new()).await;
    let client = Client::builder(&url)
        .api_token(USER, TOKEN)
        .session("cpsess9876543210")
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a client");
    // The outer limit only keeps a broken client from hanging the test run.
    let outcome = tokio::time::timeout(
        Duration::from_secs(30),
        client.validate_login_token(&seed_request()),
    )
    .await
    .expect("the client gives up by itself");
    let err = outcome.expect_err("no answer is an error");
    assert!(err.is_timeout(), "expected a timeout, got {err:?}");
    assert!(matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(300)));
    assert_no_secrets(&err);
    assert!(
        seen.recv().await.is_some(),
        "the request reached the server"
    );
}

#[tokio::test]
async fn call_text_checks_the_body_it_returns() {
    let (url, _) = raw_server(200, "not json").await;
    let client = client(&url);
    match client
        .call_text("gethostname", &QueryBuilder::new(), Format::Json)
        .await
    {
        Err(Error::Decode(_)) => {}
        other => panic!("expected a decode error, got {other:?}"),
    }
    let xml = "<result><metadata><result>0</result><reason>Nope &amp; never.</reason></metadata></result>";
    let (url, _) = raw_server_with(move |_| format_response(200, "text/xml", xml)).await;
    match Client::builder(&url)
        .build()
        .expect("a client")
        .call_text("gethostname", &QueryBuilder::new(), Format::Xml)
        .await
    {
        Err(Error::Api { reason, .. }) => assert_eq!(reason, "Nope & never."),
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A 200 answer whose head declares `length` bytes, followed by only `sent` of them.
fn declared_length_response(length: u64, sent: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n{sent}"
    )
    .into_bytes()
}

/// A 200 answer with `body` sent in chunks of `size` bytes and no `Content-Length`.
fn chunked_response(body: &str, size: usize) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
    for chunk in body.as_bytes().chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_naming_the_limit() {
    // A declared length over the default 64 MiB: refused before the body is read
    // (the server sends only its first bytes, as if the rest were to come).
    let (url, _) = raw_server_with(|_| declared_length_response(100_000_000, "{\"data\":")).await;
    let err = client(&url)
        .validate_login_token(&seed_request())
        .await
        .expect_err("a 100 MB answer is refused");
    match &err {
        Error::BodyTooLarge { limit, length, .. } => {
            assert_eq!(*limit, whm_runtime::client::DEFAULT_MAX_BODY_BYTES);
            assert_eq!(*length, Some(100_000_000));
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.contains("100000000 bytes") && shown.contains("at most 67108864 bytes"),
        "{shown}"
    );
    assert_no_secrets(&err);

    // No declared length: refused while reading, once past a limit set on the builder.
    let body: String = format!(
        r#"{{"data":{{"payload":[{{"access_token":"{}"}}]}},{OK_METADATA}}}"#,
        "x".repeat(4096)
    );
    let large = body.clone();
    let (url, _) = raw_server_with(move |_| chunked_response(&large, 512)).await;
    let limited = |limit: u64| {
        Client::builder(&url)
            .api_token(USER, TOKEN)
            .max_body_bytes(limit)
            .build()
            .expect("a client")
    };
    let err = limited(1024)
        .validate_login_token(&seed_request())
        .await
        .expect_err("a 4 KiB answer over a 1 KiB limit is refused");
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 1024,
                length: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("at most 1024 bytes"), "{err}");
    // The same answer under a larger limit is read.
    let response = limited(body.len() as u64)
        .validate_login_token(&seed_request())
        .await
        .expect("an answer within the limit");
    assert!(response.metadata.result);
    // A declared length over the limit set on the builder.
    let (url, _) = raw_server(200, OK_BODY).await;
    let err = Client::builder(&url)
        .max_body_bytes(10)
        .build()
        .expect("a client")
        .call_text("validate_login_token", &QueryBuilder::new(), Format::Json)
        .await
        .expect_err("over 10 bytes");
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 10, length: Some(n), .. } if n == OK_BODY.len() as u64),
        "{err:?}"
    );
}

/// A successful answer with no data.
const OK_BODY: &str =
    r#"{"metadata":{"command":"validate_login_token","version":1,"reason":"OK","result":1}}"#;
