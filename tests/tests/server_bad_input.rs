//! Malformed requests, sent byte for byte over a raw loopback connection: each
//! gets WHM's envelope with `result` 0 or a plain 4xx, with a reason a person
//! can act on; none gets a 500 or kills the server.

mod server_support;

use server_support::*;
use whm_api::server::Limits;

/// What an answer must look like.
enum Expect {
    /// WHM's JSON envelope with `result` 0 for `command`, its reason holding each word.
    Envelope(&'static str, &'static [&'static str]),
    /// The XML envelope, well-formed, holding each fragment.
    Xml(&'static [&'static str]),
    /// A plain-text answer holding each word.
    Plain(&'static [&'static str]),
    /// No particular body (answers the HTTP layer gives before the server sees the request).
    Any,
}

struct Case {
    what: &'static str,
    head: Vec<u8>,
    body: Vec<u8>,
    status: u16,
    expect: Expect,
}

const SEED: &str =
    "provider=cPStore&login_token=1a676e6f&url_after_login=http%3A%2F%2Fh.example%2Fr%3Fs";
const FN: &str = "validate_login_token";

fn get(target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}").into_bytes()
}

fn post(target: &str, content_type: &str) -> Vec<u8> {
    format!("POST {target} HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}\r\nContent-Type: {content_type}").into_bytes()
}

fn case(what: &'static str, head: Vec<u8>, status: u16, expect: Expect) -> Case {
    Case {
        what,
        head,
        body: Vec::new(),
        status,
        expect,
    }
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let api = |query: &str| get(&format!("/json-api/{FN}?{query}"));
    let form = "application/x-www-form-urlencoded";
    let long_query = format!("api.version=1&{SEED}&pad={}", "x".repeat(17 * 1024));
    let many_params = format!("api.version=1&{SEED}{}", "&p=1".repeat(1000));
    let mut cases = vec![
        // Percent-encoding and UTF-8.
        case("%zz in a value", api(&format!("api.version=1&{SEED}&provider2=%zz")), 200, Envelope(FN, &["provider2", "hexadecimal"])),
        case("a truncated % at the end", api(&format!("api.version=1&{SEED}&x=%4")), 200, Envelope(FN, &["“x”", "hexadecimal"])),
        case("a lone % in a key", api(&format!("api.version=1&{SEED}&a%=1")), 200, Envelope(FN, &["a%", "malformed"])),
        case("%zz in a key", api(&format!("api.version=1&{SEED}&%zz=1")), 200, Envelope(FN, &["%zz", "malformed"])),
        case("%FF: not UTF-8", api(&format!("api.version=1&{SEED}&note=%FF")), 200, Envelope(FN, &["note", "UTF-8"])),
        case("an overlong UTF-8 sequence", api(&format!("api.version=1&{SEED}&note=%C0%AF")), 200, Envelope(FN, &["note", "UTF-8"])),
        case("a broken UTF-8 sequence", api(&format!("api.version=1&{SEED}&note=%C3%28")), 200, Envelope(FN, &["note", "UTF-8"])),
        // Duplicates, versions, missing and ill-typed parameters.
        case("a repeated parameter", api(&format!("api.version=1&{SEED}&provider=Other")), 200, Envelope(FN, &["provider", "more than once"])),
        case("a repeated api.version", api(&format!("api.version=1&api.version=1&{SEED}")), 200, Envelope(FN, &["api.version", "more than once"])),
        case("no api.version", api(SEED), 200, Envelope(FN, &["api.version=1", "required"])),
        case("api.version=0", api(&format!("api.version=0&{SEED}")), 200, Envelope(FN, &["must be 1", "“0”"])),
        case("api.version=2", api(&format!("api.version=2&{SEED}")), 200, Envelope(FN, &["must be 1", "“2”"])),
        case("an empty api.version", api(&format!("api.version=&{SEED}")), 200, Envelope(FN, &["must be 1"])),
        case("only ampersands", api("&&&"), 200, Envelope(FN, &["api.version"])),
        case("a missing required parameter", api("api.version=1&provider=cPStore&url_after_login=http%3A%2F%2Fa%2Fb"), 200, Envelope(FN, &["login_token", "required"])),
        case("no parameters but the version", api("api.version=1"), 200, Envelope(FN, &["parameter is required"])),
        case("a URL parameter that is no URL", api("api.version=1&provider=p&login_token=t&url_after_login=nowhere"), 200, Envelope(FN, &["url_after_login", "nowhere"])),
        case("a word for an integer", get("/json-api/api_token_create?api.version=1&token_name=t&expires_at=tomorrow"), 200, Envelope("api_token_create", &["expires_at", "an integer", "tomorrow"])),
        case("an integer too large", get("/json-api/api_token_create?api.version=1&token_name=t&expires_at=99999999999999999999"), 200, Envelope("api_token_create", &["expires_at", "an integer"])),
        case("2 for a boolean", get("/json-api/suspendacct?api.version=1&user=bob&disallowun=2"), 200, Envelope("suspendacct", &["disallowun", "1 or 0", "“2”"])),
        case("a bad numbered list item", get("/json-api/api_token_create?api.version=1&token_name=t&acl-1=all&acl-2=%G1"), 200, Envelope("api_token_create", &["acl-2", "hexadecimal"])),
        // Functions and paths.
        case("an unknown function", get("/json-api/no_such_function?api.version=1"), 200, Envelope("no_such_function", &["Unknown app (“no_such_function”)", "version (1)"])),
        case("an unknown function in XML, with markup in its name", get("/xml-api/%3Cb%3E&amp?api.version=1"), 200, Xml(&["<command>%3Cb%3E&amp;amp</command>", "<result>0</result>", "Unknown app"])),
        case("no function name", get("/json-api/?api.version=1"), 404, Plain(&["/json-api/FUNCTION"])),
        case("a path below a function", get(&format!("/json-api/{FN}/more?api.version=1")), 404, Plain(&["/json-api/FUNCTION"])),
        case("a first segment that is no cpsess token", get(&format!("/cpsessABC/json-api/{FN}?api.version=1")), 404, Plain(&["cpsess"])),
        case("no API path at all", get("/index.html"), 404, Plain(&["Not found"])),
        case("a trailing slash", get(&format!("/json-api/{FN}/?api.version=1&{SEED}")), 404, Plain(&["/json-api/FUNCTION"])),
        // Methods.
        case("PUT", format!("PUT /json-api/{FN}?api.version=1&{SEED} HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}").into_bytes(), 405, Envelope(FN, &["PUT", "GET or POST"])),
        case("DELETE", format!("DELETE /json-api/{FN}?api.version=1 HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}").into_bytes(), 405, Envelope(FN, &["DELETE", "GET or POST"])),
        case("PATCH in XML", format!("PATCH /xml-api/{FN}?api.version=1 HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}").into_bytes(), 405, Xml(&["PATCH", "GET or POST", "<result>0</result>"])),
        // Sizes.
        case("a query over 16 KiB", api(&long_query), 414, Envelope(FN, &["16384 bytes"])),
        case("more than 1,000 parameters", api(&many_params), 413, Envelope(FN, &["at most 1000"])),
        case("more than 1,000 parameters, counted before any is decoded", api(&format!("x=%zz&{many_params}")), 413, Envelope(FN, &["1005 parameters", "at most 1000"])),
        case("a declared body over 1 MiB", [post(&format!("/json-api/{FN}"), form), b"\r\nContent-Length: 2000000".to_vec()].concat(), 413, Envelope(FN, &["1048576 bytes"])),
        // Credentials (checked before the rest).
        case("two Authorization headers", format!("GET /json-api/{FN}?api.version=1 HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}\r\nAuthorization: whm {USER}:{TOKEN}").into_bytes(), 401, Envelope(FN, &["more than one Authorization header"])),
        case("a non-ASCII Authorization header", [format!("GET /json-api/{FN}?api.version=1 HTTP/1.1\r\nAuthorization: whm {USER}:").into_bytes(), vec![0xC3, 0xA9]].concat(), 401, Envelope(FN, &["Authorization"])),
        case("basic credentials that are not UTF-8", format!("GET /json-api/{FN}?api.version=1 HTTP/1.1\r\nAuthorization: Basic /w==").into_bytes(), 401, Envelope(FN, &["UTF-8"])),
        case("a garbage request line", b"GARBAGE".to_vec(), 400, Any),
        case("a raw non-ASCII byte in the path", [b"GET /json-api/".to_vec(), vec![0xFF], b"?api.version=1 HTTP/1.1".to_vec()].concat(), 400, Any),
    ];
    // Bodies.
    let mut body_case = |what, content_type: &str, body: &[u8], status, expect| {
        let mut c = case(
            what,
            post(&format!("/json-api/{FN}?api.version=1"), content_type),
            status,
            expect,
        );
        c.body = body.to_vec();
        cases.push(c);
    };
    body_case(
        "a JSON body",
        "application/json",
        br#"{"provider":"cPStore"}"#,
        415,
        Envelope(
            FN,
            &["application/x-www-form-urlencoded", "application/json"],
        ),
    );
    body_case(
        "a body of raw bytes that are not UTF-8",
        form,
        b"provider=\xff\xfe",
        200,
        Envelope(FN, &["body", "UTF-8"]),
    );
    body_case(
        "%zz in a body",
        form,
        b"provider=%zz&login_token=t",
        200,
        Envelope(FN, &["provider", "hexadecimal"]),
    );
    body_case(
        "a body repeating a query parameter",
        form,
        b"api.version=1",
        200,
        Envelope(FN, &["api.version", "more than once"]),
    );
    cases
}

fn check(case: &Case, answer: &RawResponse) {
    let what = case.what;
    assert_eq!(answer.status, case.status, "{what}: {}", answer.text());
    assert!(answer.status < 500, "{what}");
    match &case.expect {
        Expect::Envelope(command, words) => {
            assert!(
                answer
                    .header("content-type")
                    .is_some_and(|t| t.starts_with("application/json")),
                "{what}"
            );
            assert_refused(&answer.json(), command, words);
        }
        Expect::Xml(fragments) => {
            let text = answer.text();
            assert!(
                answer
                    .header("content-type")
                    .is_some_and(|t| t.starts_with("text/xml")),
                "{what}"
            );
            assert!(
                text.starts_with("<result>") && text.ends_with("</result>"),
                "{what}: {text}"
            );
            for fragment in *fragments {
                assert!(text.contains(fragment), "{what}: {text} lacks {fragment}");
            }
        }
        Expect::Plain(words) => {
            let text = answer.text();
            for word in *words {
                assert!(text.contains(word), "{what}: {text} lacks {word}");
            }
        }
        Expect::Any => {}
    }
    if case.status == 405 {
        assert_eq!(answer.header("allow"), Some("GET, POST"), "{what}");
    }
}

#[tokio::test]
async fn malformed_requests_get_clear_refusals_and_the_server_keeps_serving() {
    let mock = start_mock().await;
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for case in &cases {
        let answer = raw(&mock.address, &case.head, &case.body).await;
        check(case, &answer);
    }
    // The same requests again, all at once, to show none of them disturbs another.
    let all = cases.iter().map(|c| {
        let (address, head, body) = (mock.address.clone(), c.head.clone(), c.body.clone());
        async move { raw(&address, &head, &body).await }
    });
    let answers = join_all(all).await;
    for (case, answer) in cases.iter().zip(&answers) {
        check(case, answer);
    }
    // Still serving: the seed request gets its documented answer.
    let answer = raw(
        &mock.address,
        &get(&format!("/{}{SEED_JSON_PATH}", mock.session)),
        b"",
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json()["data"]["payload"][0]["access_token"],
        "b7a6f029-99fc-11e6-a0bd-87581cb027ac"
    );
}

/// Runs futures concurrently on the current task (no extra dependency for `join_all`).
async fn join_all<F: std::future::Future<Output = RawResponse> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<RawResponse> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("a request task"));
    }
    out
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_refused() {
    // A small limit, so the whole streamed body is read before the answer.
    let auth =
        std::sync::Arc::new(whm_api::server::InMemoryAuthenticator::new().with_token(USER, TOKEN));
    let limits = Limits {
        max_body_bytes: 64,
        ..Limits::default()
    };
    let router = whm_api::server::mock::mock_api_router(auth)
        .limits(limits)
        .into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let head = format!(
        "POST /json-api/{FN}?api.version=1 HTTP/1.1\r\nAuthorization: whm {USER}:{TOKEN}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked"
    );
    let chunk = format!("provider={}", "p".repeat(91));
    let body = format!("{:x}\r\n{chunk}\r\n0\r\n\r\n", chunk.len());
    let answer = raw(&address, head.as_bytes(), body.as_bytes()).await;
    assert_eq!(answer.status, 413, "{}", answer.text());
    assert_refused(&answer.json(), FN, &["64 bytes"]);
    // Within the limit, the same route answers.
    let head = format!(
        "POST /json-api/{FN}?api.version=1&url_after_login=http%3A%2F%2Fa%2Fb HTTP/1.1\r\n\
         Authorization: whm {USER}:{TOKEN}\r\nContent-Type: application/x-www-form-urlencoded"
    );
    let answer = raw(&address, head.as_bytes(), b"provider=cPStore&login_token=t").await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["metadata"]["result"], 1);
}
