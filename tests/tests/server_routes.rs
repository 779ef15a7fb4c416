//! The generated server over real loopback sockets with a real HTTP client:
//! the seed page's URLs and outputs, both paths and methods, authentication,
//! typed requests into a hand-written service, envelopes in JSON and XML.

mod server_support;

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::*;
use whm_api::server::{ApiError, AuthScheme, Reply, RequestContext, WhmServer};
use whm_api::types;

/// The seed example's documented outputs, as the spec holds them.
fn seed_example() -> (String, String) {
    let api = spec_api();
    let function = api
        .functions()
        .find(|f| f.name == "validate_login_token")
        .expect("the seed function");
    let example = function.examples.first().expect("the seed example");
    (
        example.json.clone().expect("documented JSON"),
        example.xml.clone().expect("documented XML"),
    )
}

#[tokio::test]
async fn seed_urls_return_the_seed_outputs_exactly() {
    let mock = start_mock().await;
    let http = http();
    let (json, xml) = seed_example();

    let url = format!("{}/{}{SEED_JSON_PATH}", mock.base_url, mock.session);
    let answer = http
        .get(&url)
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body = answer.text().await.unwrap();
    assert_eq!(body, json);
    // The seed page's own values, as the page prints them.
    let value: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        value["data"]["payload"][0]["access_token"],
        "b7a6f029-99fc-11e6-a0bd-87581cb027ac"
    );
    assert_eq!(value["data"]["metadata"]["command"], "validate_login_token");

    let url = format!("{}/{}{SEED_XML_PATH}", mock.base_url, mock.session);
    let answer = http
        .get(&url)
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml")
    );
    let body = answer.text().await.unwrap();
    assert_eq!(body, xml);
    assert!(body.contains("<refresh_token>b7a7107f-99fc-11e6-a0bd-b46329164206</refresh_token>"));
}

#[tokio::test]
async fn seed_request_is_served_at_every_path_and_method_and_auth_form() {
    let mock = start_mock().await;
    let http = http();
    let (json, _) = seed_example();
    let (path, query) = SEED_JSON_PATH.split_once('?').unwrap();

    // Without the cpsess segment, with basic auth, and as a POST form body.
    let plain = http
        .get(format!("{}{SEED_JSON_PATH}", mock.base_url))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.text().await.unwrap(), json);
    let basic = http
        .get(format!("{}{SEED_JSON_PATH}", mock.base_url))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.text().await.unwrap(), json);
    let post = http
        .post(format!("{}/{}{path}", mock.base_url, mock.session))
        .header("Authorization", whm_auth(USER, TOKEN))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(query.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::OK);
    assert_eq!(post.text().await.unwrap(), json);

    // Parameters split between query and body, and an unknown one (ignored, as WHM does).
    let (first, rest) = query.split_once("&provider").unwrap();
    let split = http
        .post(format!("{}{path}?{first}&color=blue", mock.base_url))
        .header("Authorization", whm_auth(USER, TOKEN))
        .header(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(format!("provider{rest}"))
        .send()
        .await
        .unwrap();
    assert_eq!(split.text().await.unwrap(), json);
}

#[tokio::test]
async fn the_mock_assembles_answers_from_field_examples_when_no_example_matches() {
    let mock = start_mock().await;
    let http = http();
    let url = format!(
        "{}/json-api/validate_login_token?api.version=1&provider=Other&login_token=x&url_after_login=https%3A%2F%2Fa.example%2Fb%3Fc",
        mock.base_url
    );
    let answer: Value = json_body(
        http.get(&url)
            .header("Authorization", whm_auth(USER, TOKEN))
            .send()
            .await
            .unwrap(),
    )
    .await;
    // WHM's envelope (metadata beside data), built from the returned fields' examples.
    assert_eq!(
        answer,
        json!({
            "data": {"payload": [{
                "access_token": "b7a6f029-99fc-11e6-a0bd-87581cb027ac",
                "refresh_token": "b7a7107f-99fc-11e6-a0bd-b46329164206"
            }]},
            "metadata": {"command": "validate_login_token", "version": 1, "reason": "OK", "result": 1}
        })
    );
    // The same in XML: the same tree under <result>.
    let xml = http
        .get(url.replace("/json-api/", "/xml-api/"))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        xml,
        "<result><data><payload><access_token>b7a6f029-99fc-11e6-a0bd-87581cb027ac</access_token>\
         <refresh_token>b7a7107f-99fc-11e6-a0bd-b46329164206</refresh_token></payload></data>\
         <metadata><command>validate_login_token</command><version>1</version><reason>OK</reason>\
         <result>1</result></metadata></result>"
    );
}

#[tokio::test]
async fn credentials_are_checked_before_anything_else() {
    let mock = start_mock().await;
    let http = http();
    let url = format!("{}{SEED_JSON_PATH}", mock.base_url);

    let none = http.get(&url).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers()["www-authenticate"], "Basic realm=\"WHM\"");
    assert_refused(
        &json_body(none).await,
        "validate_login_token",
        &["Access denied", "no credentials"],
    );

    for (header, status, words) in [
        (
            whm_auth(USER, "WRONG"),
            StatusCode::FORBIDDEN,
            &["not valid"][..],
        ),
        (
            whm_auth(USER, &TOKEN[..31]),
            StatusCode::FORBIDDEN,
            &["not valid"],
        ),
        (
            whm_auth("nobody", TOKEN),
            StatusCode::FORBIDDEN,
            &["not valid"],
        ),
        (
            whm_auth(OTHER_USER, TOKEN),
            StatusCode::FORBIDDEN,
            &["not valid"],
        ),
        (
            format!("whm {USER}{TOKEN}"),
            StatusCode::UNAUTHORIZED,
            &["whm USER:APITOKEN"],
        ),
        (
            format!("Bearer {TOKEN}"),
            StatusCode::UNAUTHORIZED,
            &["not supported"],
        ),
        (
            "Basic not-base64!".to_owned(),
            StatusCode::UNAUTHORIZED,
            &["base64"],
        ),
    ] {
        let answer = http
            .get(&url)
            .header("Authorization", &header)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status, "{header}");
        assert_refused(&json_body(answer).await, "validate_login_token", words);
    }
    let wrong_password = http
        .get(&url)
        .basic_auth(USER, Some("guess"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_password.status(), StatusCode::FORBIDDEN);

    // A refused XML call is answered in XML.
    let xml = http
        .get(url.replace("/json-api/", "/xml-api/"))
        .send()
        .await
        .unwrap();
    assert_eq!(xml.status(), StatusCode::UNAUTHORIZED);
    let body = xml.text().await.unwrap();
    assert!(
        body.starts_with("<result><metadata><command>validate_login_token</command>"),
        "{body}"
    );
    assert!(body.contains("<result>0</result>"), "{body}");
}

#[tokio::test]
async fn a_cpsess_segment_must_be_a_session_of_the_caller() {
    let mock = start_mock().await;
    let http = http();
    let get = |session: String, user: &'static str, token: &'static str| {
        let request = http
            .get(format!("{}/{session}{SEED_JSON_PATH}", mock.base_url))
            .header("Authorization", whm_auth(user, token));
        async move { request.send().await.unwrap() }
    };
    assert_eq!(
        get(mock.session.clone(), USER, TOKEN).await.status(),
        StatusCode::OK
    );
    // Someone else's session, and one that does not exist.
    let other = get(mock.other_session.clone(), USER, TOKEN).await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    assert_refused(
        &json_body(other).await,
        "validate_login_token",
        &["security token"],
    );
    assert_eq!(
        get("cpsess0000000000".to_owned(), USER, TOKEN)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(mock.other_session.clone(), OTHER_USER, OTHER_TOKEN)
            .await
            .status(),
        StatusCode::OK
    );
    // A first segment that is no security token at all is no API path.
    let odd = get("cpsessABC".to_owned(), USER, TOKEN).await;
    assert_eq!(odd.status(), StatusCode::NOT_FOUND);
}

/// A hand-written service: records what it was handed and answers from it.
#[derive(Default)]
struct Recorder {
    /// Who called and with which security token, per successful call.
    seen: Arc<Mutex<Vec<String>>>,
}

impl WhmServer for Recorder {
    async fn validate_login_token(
        &self,
        context: &RequestContext,
        request: types::ValidateLoginTokenRequest,
    ) -> Result<types::ValidateLoginTokenData, ApiError> {
        if request.provider == "refuse" {
            return Err(ApiError::new("The provider refused the token."));
        }
        assert_eq!(context.caller.scheme, AuthScheme::ApiToken);
        self.seen.lock().unwrap().push(format!(
            "{} {:?}",
            context.caller.user, context.security_token
        ));
        Ok(types::ValidateLoginTokenData {
            payload: Some(vec![types::authentication::validate_login_token::Payload {
                access_token: Some(format!(
                    "{}-for-{}",
                    request.login_token, context.caller.user
                )),
                refresh_token: Some(request.url_after_login),
            }]),
        })
    }

    async fn api_token_create(
        &self,
        context: &RequestContext,
        request: types::ApiTokenCreateRequest,
    ) -> Result<types::ApiTokenCreateData, ApiError> {
        let _ = context;
        Ok(types::ApiTokenCreateData {
            acls: Some(request.acl),
            expires_at: request.expires_at,
            name: Some(request.token_name),
            ..Default::default()
        })
    }

    async fn suspendacct(
        &self,
        _context: &RequestContext,
        request: types::SuspendacctRequest,
    ) -> Result<Reply<whm_api::NoData>, ApiError> {
        if request.user == "quiet" {
            return Ok(Reply::empty());
        }
        let ftp = if request.disallowun == Some(true) {
            "kept"
        } else {
            "default"
        };
        Ok(Reply::empty().with_raw_output(format!("Suspended {} ({ftp}).", request.user)))
    }
}

#[tokio::test]
async fn a_hand_written_service_gets_typed_requests_and_who_called() {
    let recorder = Recorder::default();
    let seen = Arc::clone(&recorder.seen);
    let server = start_service(recorder).await;
    let http = http();
    let call = |path: String| {
        let request = http
            .get(format!("{}{path}", server.base_url))
            .header("Authorization", whm_auth(USER, TOKEN));
        async move { json_body(request.send().await.unwrap()).await }
    };

    let answer = call(format!("/{}{SEED_JSON_PATH}", server.session)).await;
    assert_eq!(
        answer["metadata"],
        json!({"command": "validate_login_token", "version": 1, "reason": "OK", "result": 1})
    );
    assert_eq!(
        answer["data"]["payload"][0]["access_token"],
        "1a676e6f-99fc-11e6-9ab6-e60a769b73bc-for-root"
    );
    assert_eq!(
        answer["data"]["payload"][0]["refresh_token"],
        "http://hostname.example.com/redirectionlocation.cgi?state"
    );

    // An API error from the service: result 0 with its reason, HTTP 200 as WHM does.
    let refused = call(
        "/json-api/validate_login_token?api.version=1&provider=refuse&login_token=x&url_after_login=http://a/b".into(),
    )
    .await;
    assert_refused(
        &refused,
        "validate_login_token",
        &["The provider refused the token."],
    );

    // Numbered lists (acl-1, acl-2, in number order) and integers.
    let created = call("/json-api/api_token_create?api.version=1&token_name=ci&acl-2=list-accts&acl-1=all&expires_at=1700000000".into()).await;
    assert_eq!(created["data"]["acls"], json!(["all", "list-accts"]));
    assert_eq!(created["data"]["expires_at"], 1_700_000_000);
    assert_eq!(created["data"]["name"], "ci");
    let bad_int =
        call("/json-api/api_token_create?api.version=1&token_name=ci&expires_at=soon".into()).await;
    assert_refused(
        &bad_int,
        "api_token_create",
        &["expires_at", "an integer", "soon"],
    );

    // Booleans travel as 1/0; metadata.output.raw for a function that reports text.
    let suspended = call("/json-api/suspendacct?api.version=1&user=bob&disallowun=1".into()).await;
    assert_eq!(
        suspended["metadata"]["output"]["raw"],
        "Suspended bob (kept)."
    );
    assert_eq!(suspended["metadata"]["result"], 1);
    assert!(suspended.get("data").is_none(), "{suspended}");
    // The spec says suspendacct reports in metadata.output.raw: the key is there even when empty.
    let quiet = call("/json-api/suspendacct?api.version=1&user=quiet".into()).await;
    assert_eq!(quiet["metadata"]["output"], json!({"raw": ""}), "{quiet}");
    let bad_bool = call("/json-api/suspendacct?api.version=1&user=bob&disallowun=yes".into()).await;
    assert_refused(&bad_bool, "suspendacct", &["disallowun", "1 or 0", "yes"]);

    // A function the service does not implement answers as WHM does for one it does not offer.
    let not_offered = call("/json-api/listaccts?api.version=1".into()).await;
    assert_refused(
        &not_offered,
        "listaccts",
        &["Unknown app (“listaccts”) requested for this version (1) of the API."],
    );
    let unknown = call("/json-api/no_such_function?api.version=1".into()).await;
    assert_refused(
        &unknown,
        "no_such_function",
        &["Unknown app (“no_such_function”)"],
    );

    // The handler learned who called and through which session, and ran once per accepted call.
    assert_eq!(
        *seen.lock().unwrap(),
        vec![format!("root Some({:?})", server.session)]
    );
}

/// A service that counts the calls that reach it.
#[derive(Default)]
struct Counter {
    calls: Arc<std::sync::atomic::AtomicUsize>,
}

impl WhmServer for Counter {
    async fn validate_login_token(
        &self,
        _context: &RequestContext,
        _request: types::ValidateLoginTokenRequest,
    ) -> Result<types::ValidateLoginTokenData, ApiError> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(types::ValidateLoginTokenData::default())
    }
}

#[tokio::test]
async fn refused_requests_never_reach_the_handler() {
    let counter = Counter::default();
    let calls = Arc::clone(&counter.calls);
    let server = start_service(counter).await;
    let http = http();
    let url = format!("{}{SEED_JSON_PATH}", server.base_url);
    let session_url = format!(
        "{}/{}{SEED_JSON_PATH}",
        server.base_url, server.other_session
    );
    let refused = [
        http.get(&url),
        http.get(&url)
            .header("Authorization", whm_auth(USER, "WRONG")),
        http.post(&url).basic_auth(USER, Some("WRONG")),
        http.get(&session_url)
            .header("Authorization", whm_auth(USER, TOKEN)),
        http.get(url.replace("api.version=1", "api.version=2"))
            .header("Authorization", whm_auth(USER, TOKEN)),
        http.get(url.replace("provider=", "provider=a&provider="))
            .header("Authorization", whm_auth(USER, TOKEN)),
        http.put(&url)
            .header("Authorization", whm_auth(USER, TOKEN)),
    ];
    for request in refused {
        let answer = json_body(request.send().await.unwrap()).await;
        assert_eq!(answer["metadata"]["result"], 0, "{answer}");
    }
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 0);
    let accepted = http
        .get(&url)
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body(accepted).await["metadata"]["result"], 1);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// A service that implements one function and names it in `offers`.
struct OnlySeed;

impl WhmServer for OnlySeed {
    fn offers(&self, function: &str) -> bool {
        function == "validate_login_token"
    }

    async fn validate_login_token(
        &self,
        _context: &RequestContext,
        _request: types::ValidateLoginTokenRequest,
    ) -> Result<types::ValidateLoginTokenData, ApiError> {
        Ok(types::ValidateLoginTokenData::default())
    }
}

#[tokio::test]
async fn functions_not_offered_answer_unknown_app_before_their_parameters_are_read() {
    let server = start_service(OnlySeed).await;
    let http = http();
    let call = |target: &str| {
        let request = http
            .get(format!("{}{target}", server.base_url))
            .header("Authorization", whm_auth(USER, TOKEN));
        async move { json_body(request.send().await.unwrap()).await }
    };

    // suspendacct requires `user` and reads `disallowun` as 1 or 0: not offered,
    // it answers as an unknown name does, whatever its parameters.
    for target in [
        "/json-api/suspendacct?api.version=1",
        "/json-api/suspendacct?api.version=1&user=bob&disallowun=yes",
        "/json-api/suspendacct?api.version=1&user=bob",
    ] {
        assert_refused(
            &call(target).await,
            "suspendacct",
            &["Unknown app (“suspendacct”) requested for this version (1) of the API."],
        );
    }
    // As for an unknown name, api.version is checked first.
    assert_refused(
        &call("/json-api/suspendacct?user=bob").await,
        "suspendacct",
        &["api.version=1", "required"],
    );
    // The offered function reads its parameters, and answers a well-formed call.
    assert_refused(
        &call("/json-api/validate_login_token?api.version=1").await,
        "validate_login_token",
        &["parameter is required"],
    );
    let ok = call(SEED_JSON_PATH).await;
    assert_eq!(ok["metadata"]["result"], 1, "{ok}");
}
