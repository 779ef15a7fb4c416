//! The generated client against the generated mock server, over a loopback socket.

mod client_support;

use client_support::{PASSWORD, TOKEN, USER, client, spec_api, start_mock};
use serde_json::Value;
use whm_api::ApiFunction;
use whm_api::client::{Client, Error, Format, WhmApi};
use whm_api::types;
use whm_runtime::{Params, QueryBuilder};

/// The documented metadata of an example's JSON output: beside `data`, or inside it as some pages print it.
fn documented_metadata(output: &Value) -> Option<&Value> {
    output
        .get("metadata")
        .or_else(|| output.get("data")?.get("metadata"))
}

/// Calls `$method` with every example of its function and checks the answer
/// against the example's documented output. Pushes the function's name onto `$checked`.
macro_rules! check_examples {
    ($client:expr, $api:expr, $checked:expr, $examples:expr, $($method:ident => $request:ty),* $(,)?) => {$({
        let name = <$request as ApiFunction>::NAME;
        let function = $api
            .functions()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} is listed here but has no spec"));
        for example in &function.examples {
            let title = &example.title;
            $examples += 1;
            let request = <$request>::from_params(&Params::from_pairs(example.params.clone()))
                .unwrap_or_else(|e| panic!("{name}: example {title:?} does not make a request: {e}"));
            let outcome = $client.$method(&request).await;
            let output = example.json_value.as_ref();
            let metadata = output.and_then(documented_metadata);
            let failed = metadata.and_then(|m| m.get("result")).is_some_and(|r| r == 0 || r == "0");
            if failed {
                let reason = metadata.and_then(|m| m.get("reason")).and_then(Value::as_str);
                match outcome {
                    Err(Error::Api { reason: got, .. }) => assert_eq!(Some(got.as_str()), reason, "{name}: {title}"),
                    other => panic!("{name}: example {title:?} documents a failure; got {other:?}"),
                }
                continue;
            }
            let response = outcome.unwrap_or_else(|e| panic!("{name}: example {title:?}: {e}"));
            assert_eq!(response.metadata.command, name, "{name}: {title}");
            assert!(response.metadata.result, "{name}: {title}");
            if let Some(data) = output.and_then(|o| o.get("data")) {
                // The documented data read on its own, without the client's decoder.
                let expected: <$request as ApiFunction>::Data = serde_json::from_value(data.clone())
                    .unwrap_or_else(|e| panic!("{name}: example {title:?}: documented data does not decode: {e}"));
                assert_eq!(response.data, expected, "{name}: example {title:?}");
            }
            let raw = metadata.and_then(|m| m.pointer("/output/raw")).and_then(Value::as_str);
            if raw.is_some() {
                assert_eq!(response.raw_output(), raw, "{name}: example {title:?}");
            }
        }
        $checked.push(name);
    })*};
}

#[tokio::test]
async fn every_spec_function_with_an_example_answers_as_documented() {
    let mock = start_mock().await;
    let client = client(&mock);
    let api = spec_api();
    let mut checked: Vec<&str> = Vec::new();
    let mut examples = 0;
    // Every function of the generated crate, from its specs: no list to keep here.
    whm_api::for_each_function!(check_examples!(client, api, checked, examples,));
    let missing: Vec<&str> = api
        .functions()
        .filter(|f| !f.examples.is_empty() && !checked.contains(&f.name.as_str()))
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "the generated crate lacks these specified functions: {missing:?}"
    );
    assert_eq!(
        examples,
        api.functions().map(|f| f.examples.len()).sum::<usize>(),
        "every example was called"
    );
}

/// The seed's example request, as its page sends it.
fn seed_request() -> types::ValidateLoginTokenRequest {
    types::ValidateLoginTokenRequest {
        url_after_login: "http://hostname.example.com/redirectionlocation.cgi?state".to_owned(),
        provider: "cPStore".to_owned(),
        login_token: "1a676e6f-99fc-11e6-9ab6-e60a769b73bc".to_owned(),
    }
}

#[tokio::test]
async fn the_seed_call_returns_the_documented_tokens() {
    let mock = start_mock().await;
    let response = client(&mock)
        .validate_login_token(&seed_request())
        .await
        .expect("the seed call succeeds");
    let payload = response.data.payload.expect("a payload");
    assert_eq!(payload.len(), 1);
    assert_eq!(
        payload[0].access_token.as_deref(),
        Some("b7a6f029-99fc-11e6-a0bd-87581cb027ac")
    );
    assert_eq!(
        payload[0].refresh_token.as_deref(),
        Some("b7a7107f-99fc-11e6-a0bd-b46329164206")
    );
    // The seed page nests metadata inside data; the client still finds it.
    assert_eq!(response.metadata.reason, "OK");
    assert_eq!(response.metadata.version, 1);
}

#[tokio::test]
async fn call_text_returns_the_documented_bodies_verbatim() {
    let mock = start_mock().await;
    let client = client(&mock);
    let api = spec_api();
    let example = &api
        .functions()
        .find(|f| f.name == "validate_login_token")
        .expect("the seed's spec")
        .examples[0];
    let mut query = QueryBuilder::new();
    seed_request().to_query(&mut query);
    let json = client
        .call_text("validate_login_token", &query, Format::Json)
        .await
        .expect("JSON");
    assert_eq!(Some(json.as_str()), example.json.as_deref());
    let xml = client
        .call_text("validate_login_token", &query, Format::Xml)
        .await
        .expect("XML");
    assert_eq!(Some(xml.as_str()), example.xml.as_deref());
}

#[tokio::test]
async fn basic_auth_and_sessions_are_accepted() {
    let mock = start_mock().await;
    let basic = Client::builder(&mock.base_url)
        .basic_auth(USER, PASSWORD)
        .build()
        .expect("a client");
    basic
        .validate_login_token(&seed_request())
        .await
        .expect("basic auth works");

    let session = Client::builder(&mock.base_url)
        .api_token(USER, TOKEN)
        .session(&mock.session)
        .build()
        .expect("a client");
    session
        .validate_login_token(&seed_request())
        .await
        .expect("a session of the user works");

    let stale = Client::builder(&mock.base_url)
        .api_token(USER, TOKEN)
        .session("cpsess0000000000")
        .build()
        .expect("a client");
    match stale.validate_login_token(&seed_request()).await {
        Err(Error::Status {
            status: 403,
            reason: Some(reason),
            ..
        }) => assert!(reason.contains("cpsess"), "{reason}"),
        other => panic!("an unknown session must be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_token_is_an_http_error_that_does_not_show_the_token() {
    let mock = start_mock().await;
    let wrong = "WR0NGT0KEN0123456789ABCDEFGHIJKL";
    let client = Client::builder(&mock.base_url)
        .api_token(USER, wrong)
        .build()
        .expect("a client");
    let err = client
        .validate_login_token(&seed_request())
        .await
        .expect_err("a wrong token is refused");
    match &err {
        Error::Status { status, reason, .. } => {
            assert_eq!(*status, 403);
            assert!(
                reason
                    .as_deref()
                    .is_some_and(|r| r.contains("Access denied")),
                "{reason:?}"
            );
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    for shown in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(wrong), "the token leaked: {shown}");
    }

    let anonymous = Client::builder(&mock.base_url).build().expect("a client");
    match anonymous.validate_login_token(&seed_request()).await {
        Err(Error::Status { status: 401, .. }) => {}
        other => panic!("a call without credentials must get 401, got {other:?}"),
    }
}

#[tokio::test]
async fn result_zero_is_an_api_error_with_the_whole_metadata() {
    let mock = start_mock().await;
    let client = client(&mock);
    // A required parameter left out: the server answers result 0, naming it.
    let mut query = QueryBuilder::new();
    query.push("provider", "cPStore");
    let err = client
        .call_raw("validate_login_token", &query)
        .await
        .expect_err("result 0 is an error");
    match &err {
        Error::Api {
            function,
            reason,
            metadata,
        } => {
            assert_eq!(function, "validate_login_token");
            assert!(
                reason.contains("url_after_login") || reason.contains("login_token"),
                "{reason}"
            );
            assert_eq!(metadata.command, "validate_login_token");
            assert!(!metadata.result);
            assert_eq!(&metadata.reason, reason);
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains(&err.metadata().expect("metadata").reason),
        "{err}"
    );

    // call_text still fails on result 0, in both formats.
    for format in [Format::Json, Format::Xml] {
        match client
            .call_text("validate_login_token", &query, format)
            .await
        {
            Err(Error::Api { .. }) => {}
            other => panic!("{format:?}: expected an API error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn raw_calls_reach_specified_and_unknown_functions() {
    let mock = start_mock().await;
    let client = client(&mock);
    let api = spec_api();
    let mut query = QueryBuilder::new();
    seed_request().to_query(&mut query);
    let envelope = client
        .call_raw("validate_login_token", &query)
        .await
        .expect("a raw call");
    assert_eq!(envelope.metadata.command, "validate_login_token");
    let data = envelope.data.expect("data");
    assert_eq!(
        data["payload"][0]["access_token"],
        "b7a6f029-99fc-11e6-a0bd-87581cb027ac"
    );
    assert!(
        data.get("metadata").is_none(),
        "metadata is lifted out of data: {data}"
    );

    // A function the mock has no spec for (a made-up name, so that no spec
    // added later can take it): WHM's own answer, result 0.
    let unknown = "no_such_function_for_tests";
    assert!(api.functions().all(|f| f.name != unknown));
    match client.call_raw(unknown, &QueryBuilder::new()).await {
        Err(Error::Api { reason, .. }) => assert!(reason.contains(unknown), "{reason}"),
        other => panic!("expected an API error, got {other:?}"),
    }
}
