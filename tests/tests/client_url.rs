//! The URLs and headers the client sends, as a real server receives them.

mod client_support;

use client_support::{PASSWORD, TOKEN, USER, raw_server};
use whm_api::client::{Client, Format, WhmApi};
use whm_api::types;

/// The seed page's example request, byte for byte (the path and query of its JSON API URL).
const SEED_TARGET: &str = "/json-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc";

const SEED_ANSWER: &str = r#"{"data":{"payload":[]},"metadata":{"command":"validate_login_token","version":1,"reason":"OK","result":1}}"#;

fn seed_request() -> types::ValidateLoginTokenRequest {
    types::ValidateLoginTokenRequest {
        url_after_login: "http://hostname.example.com/redirectionlocation.cgi?state".to_owned(),
        provider: "cPStore".to_owned(),
        login_token: "1a676e6f-99fc-11e6-9ab6-e60a769b73bc".to_owned(),
    }
}

#[tokio::test]
async fn the_seed_request_is_sent_exactly_as_the_docs_show() {
    let (url, mut seen) = raw_server(200, SEED_ANSWER).await;
    let client = Client::builder(&url)
        .api_token(USER, TOKEN)
        .build()
        .expect("a client");
    client
        .validate_login_token(&seed_request())
        .await
        .expect("the call succeeds");
    let request = seen.recv().await.expect("the server saw the request");
    assert_eq!(request.target(), SEED_TARGET);
    assert!(request.head.starts_with("GET "), "{}", request.head);
    // The dry-run URL is the same.
    assert_eq!(
        client.url_for(&seed_request(), Format::Json),
        format!("{url}{SEED_TARGET}")
    );
}

#[tokio::test]
async fn credentials_and_user_agent_travel_in_headers() {
    let (url, mut seen) = raw_server(200, SEED_ANSWER).await;
    let token = Client::builder(&url)
        .api_token(USER, TOKEN)
        .build()
        .expect("a client");
    token
        .validate_login_token(&seed_request())
        .await
        .expect("the call succeeds");
    let request = seen.recv().await.expect("a request");
    assert_eq!(
        request.header("authorization"),
        Some(format!("whm {USER}:{TOKEN}").as_str())
    );
    let agent = request.header("user-agent").unwrap_or_default();
    let version = agent.strip_prefix("whm-runtime/").unwrap_or_default();
    assert!(
        version.split('.').count() == 3 && version.split('.').all(|n| n.parse::<u32>().is_ok()),
        "{agent}"
    );
    assert!(!request.target().contains(TOKEN));

    let basic = Client::builder(&url)
        .basic_auth(USER, PASSWORD)
        .build()
        .expect("a client");
    basic
        .validate_login_token(&seed_request())
        .await
        .expect("the call succeeds");
    let request = seen.recv().await.expect("a request");
    // base64("root:correct horse battery staple")
    assert_eq!(
        request.header("authorization"),
        Some("Basic cm9vdDpjb3JyZWN0IGhvcnNlIGJhdHRlcnkgc3RhcGxl")
    );
}

#[tokio::test]
async fn a_session_is_the_first_path_segment_but_never_printed() {
    let (url, mut seen) = raw_server(200, SEED_ANSWER).await;
    let client = Client::builder(&url)
        .api_token(USER, TOKEN)
        .session("cpsess0123456789")
        .build()
        .expect("a client");
    client
        .validate_login_token(&seed_request())
        .await
        .expect("the call succeeds");
    let request = seen.recv().await.expect("a request");
    assert_eq!(request.target(), format!("/cpsess0123456789{SEED_TARGET}"));
    // The dry-run URL shows the session as the documentation does.
    assert_eq!(
        client.url_for(&seed_request(), Format::Xml),
        format!(
            "{url}/cpsess#####{}",
            SEED_TARGET.replace("/json-api/", "/xml-api/")
        )
    );
}

#[tokio::test]
async fn unset_optional_parameters_are_not_sent() {
    let answer = r#"{"data":{"acct":[]},"metadata":{"command":"listaccts","version":1,"reason":"OK","result":1}}"#;
    let (url, mut seen) = raw_server(200, answer).await;
    let client = Client::builder(&url)
        .api_token(USER, TOKEN)
        .build()
        .expect("a client");

    client
        .listaccts(&types::ListacctsRequest::default())
        .await
        .expect("the call succeeds");
    assert_eq!(
        seen.recv().await.expect("a request").target(),
        "/json-api/listaccts?api.version=1"
    );

    let request = types::ListacctsRequest {
        want: Some("user,domain".to_owned()),
        ..Default::default()
    };
    client.listaccts(&request).await.expect("the call succeeds");
    assert_eq!(
        seen.recv().await.expect("a request").target(),
        "/json-api/listaccts?api.version=1&want=user%2Cdomain"
    );
}

#[tokio::test]
async fn a_password_travels_in_a_post_body_not_in_the_url() {
    let answer = r#"{"data":{},"metadata":{"command":"createacct","version":1,"reason":"Account Creation Ok","result":1}}"#;
    let (url, mut seen) = raw_server(200, answer).await;
    let client = Client::builder(&url)
        .api_token(USER, TOKEN)
        .session("cpsess0123456789")
        .build()
        .expect("a client");
    let request = types::CreateacctRequest {
        domain: Some("example.com".to_owned()),
        password: Some("s3cret p@ss&word".to_owned()),
        ..types::CreateacctRequest::new("username")
    };
    client
        .createacct(&request)
        .await
        .expect("the call succeeds");
    let seen = seen.recv().await.expect("a request");
    assert!(seen.head.starts_with("POST "), "{}", seen.head);
    assert_eq!(seen.target(), "/cpsess0123456789/json-api/createacct");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // The body is the query the URL would have carried, in spec order.
    assert_eq!(
        seen.body,
        "api.version=1&username=username&domain=example.com&password=s3cret%20p%40ss%26word"
    );
    assert!(!seen.head.contains("s3cret"), "{}", seen.head);
    // A Debug print of the request does not show it either.
    let debug = format!("{request:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains(r#"password: <redacted>"#), "{debug}");
    assert!(debug.contains(r#"pass: None"#), "{debug}");
}

#[tokio::test]
async fn a_password_post_reaches_the_mock_server() {
    // The generated server reads parameters from a form body as from a query.
    let mock = client_support::start_mock().await;
    let client = client_support::client(&mock);
    let request = types::CreateacctRequest {
        password: Some("s3cret".to_owned()),
        ..types::CreateacctRequest::new("username")
    };
    let response = client
        .createacct(&request)
        .await
        .expect("the call succeeds");
    assert_eq!(response.metadata.command, "createacct");
}
