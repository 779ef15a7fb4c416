//! Sessions as WHM has them, and privileges: `create_user_session` answered
//! by the mock starts a real session whose login URL (on the mock itself) sets
//! WHM's `whostmgrsession` cookie, with which `/cpsess##########/json-api/…`
//! calls are the session's user; a users file's `may_call` limits what a user
//! may call. Real loopback sockets, a real HTTP client, the binary as a process.

mod server_support;

use std::sync::Arc;

use serde_json::Value;
use server_support::*;
use whm_api::server::InMemoryAuthenticator;
use whm_runtime::server::mock::MockSessions;

/// The library mock with sessions, on a loopback port: its `http://127.0.0.1:PORT`.
async fn start_mock_with_sessions() -> String {
    start_mock_with(InMemoryAuthenticator::new()).await
}

/// The library mock with sessions of `auth` (and the test accounts), on a loopback port.
async fn start_mock_with(auth: InMemoryAuthenticator) -> String {
    let auth = Arc::new(
        auth.with_token(USER, TOKEN)
            .with_token(OTHER_USER, OTHER_TOKEN),
    );
    let router = whm_api::server::mock::mock_router(Arc::clone(&auth))
        .layer(MockSessions::new(auth, "http").layer());
    format!("http://{}", serve_router(router).await)
}

/// The `name=value` of the `Set-Cookie` header of `answer`, and its attributes.
fn set_cookie(answer: &reqwest::Response) -> Option<(String, String, String)> {
    let header = answer.headers().get("set-cookie")?.to_str().ok()?;
    let (pair, attributes) = header.split_once(';').unwrap_or((header, ""));
    let (name, value) = pair.split_once('=')?;
    Some((name.to_owned(), value.to_owned(), attributes.to_owned()))
}

/// Calls `create_user_session` as `user`/`token` at `base` and returns its `data`.
async fn create_session(
    http: &reqwest::Client,
    base: &str,
    (user, token): (&str, &str),
    query: &str,
) -> Value {
    let answer = http
        .get(format!(
            "{base}/json-api/create_user_session?api.version=1&{query}"
        ))
        .header("Authorization", whm_auth(user, token))
        .send()
        .await
        .expect("create_user_session answers");
    assert_eq!(answer.status(), 200);
    let envelope = json_body(answer).await;
    assert_eq!(envelope["metadata"]["result"], 1, "{envelope}");
    assert_eq!(
        envelope["metadata"]["reason"], "Created session",
        "{envelope}"
    );
    assert_eq!(envelope["metadata"]["command"], "create_user_session");
    envelope["data"].clone()
}

/// Checks the shape of a session's data and returns its token (without the slash) and URL.
fn read_session(data: &Value, base: &str, user: &str, service: &str) -> (String, String) {
    let token = data["cp_security_token"]
        .as_str()
        .expect("a cp_security_token");
    let token = token.strip_prefix('/').expect("a token that starts with /");
    assert!(
        token.len() == 16
            && token.starts_with("cpsess")
            && token[6..].bytes().all(|b| b.is_ascii_digit()),
        "{token}"
    );
    let session = data["session"].as_str().expect("a session");
    assert!(
        session.starts_with(&format!("{user}:")) && session.len() == user.len() + 65,
        "{session}"
    );
    assert_eq!(data["service"], service);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expires = data["expires"].as_u64().expect("expires in Unix time");
    assert!(expires > now && expires <= now + 15 * 60 + 5, "{expires}");
    let url = data["url"].as_str().expect("a url").to_owned();
    assert_eq!(url, format!("{base}/{token}/login/?session={session}"));
    (token.to_owned(), url)
}

#[tokio::test]
async fn a_session_from_create_user_session_logs_in_and_calls_with_its_cookie() {
    let base = start_mock_with_sessions().await;
    let http = http();
    let data = create_session(&http, &base, (USER, TOKEN), "user=root&service=whostmgrd").await;
    let (token, url) = read_session(&data, &base, USER, "whostmgrd");

    // Opening the login URL sets WHM's session cookie; no credentials needed.
    let opened = http.get(&url).send().await.expect("the login URL answers");
    assert_eq!(opened.status(), 200);
    let (name, value, attributes) = set_cookie(&opened).expect("a Set-Cookie header");
    assert_eq!(name, "whostmgrsession");
    assert!(attributes.contains("HttpOnly"), "{attributes}");
    assert!(value.to_ascii_lowercase().starts_with("root%3a"), "{value}");
    let cookie = format!("{name}={value}");

    // With only the cookie, a call under the session's token is served as root's.
    let call = |path: String, cookie: Option<String>| {
        let mut request = http.get(format!("{base}{path}"));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send()
    };
    let served = call(
        format!("/{token}/json-api/version?api.version=1"),
        Some(cookie.clone()),
    )
    .await
    .unwrap();
    assert_eq!(served.status(), 200);
    let envelope = json_body(served).await;
    assert_eq!(envelope["metadata"]["result"], 1, "{envelope}");
    assert_eq!(envelope["metadata"]["command"], "version");
    let xml = call(
        format!("/{token}/xml-api/version?api.version=1"),
        Some(cookie.clone()),
    )
    .await
    .unwrap();
    assert_eq!(xml.status(), 200);
    assert!(xml.text().await.unwrap().contains("<result>1</result>"));

    // The cookie without the token, under another token, or the token without the cookie: refused.
    let no_token = call(
        "/json-api/version?api.version=1".into(),
        Some(cookie.clone()),
    )
    .await
    .unwrap();
    assert_eq!(no_token.status(), 403);
    let other = create_session(&http, &base, (USER, TOKEN), "user=root&service=whostmgrd").await;
    let (other_token, _) = read_session(&other, &base, USER, "whostmgrd");
    let wrong_token = call(
        format!("/{other_token}/json-api/version?api.version=1"),
        Some(cookie.clone()),
    )
    .await
    .unwrap();
    assert_eq!(wrong_token.status(), 403);
    assert_refused(&json_body(wrong_token).await, "version", &["cpsess"]);
    let no_cookie = call(format!("/{token}/json-api/version?api.version=1"), None)
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 401);
    let forged = call(
        format!("/{token}/json-api/version?api.version=1"),
        Some(format!("whostmgrsession=root%3a{}", "A".repeat(64))),
    )
    .await
    .unwrap();
    assert_eq!(forged.status(), 403);

    // The session's token also works with root's own credentials, as any session's does.
    let with_token = http
        .get(format!("{base}/{token}/json-api/version?api.version=1"))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status(), 200);

    // A login URL with a wrong session sets no cookie.
    let bad = http
        .get(format!("{base}/{token}/login/?session=root:nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 403);
    assert!(set_cookie(&bad).is_none());
}

#[tokio::test]
async fn a_session_unused_for_its_idle_timeout_has_ended() {
    let idle = std::time::Duration::from_millis(500);
    let base = start_mock_with(InMemoryAuthenticator::new().with_session_idle_timeout(idle)).await;
    let http = http();
    let data = create_session(&http, &base, (USER, TOKEN), "user=root&service=whostmgrd").await;
    let (token, url) = read_session(&data, &base, USER, "whostmgrd");
    let (name, value, _) = set_cookie(&http.get(&url).send().await.unwrap()).expect("a cookie");
    let call = || {
        http.get(format!("{base}/{token}/json-api/version?api.version=1"))
            .header("Cookie", format!("{name}={value}"))
            .send()
    };
    // Used more often than the timeout, it stays open past it.
    for _ in 0..3 {
        tokio::time::sleep(idle / 2).await;
        assert_eq!(call().await.unwrap().status(), 200);
    }
    tokio::time::sleep(idle * 2).await;
    let ended = call().await.unwrap();
    assert_eq!(ended.status(), 403);
    assert_refused(&json_body(ended).await, "version", &["cpsess"]);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn sessions_are_their_users_and_cpanel_sessions_do_not_call_whm() {
    let base = start_mock_with_sessions().await;
    let http = http();
    // root starts a session for the reseller: the cookie's calls are the reseller's.
    let data = create_session(
        &http,
        &base,
        (USER, TOKEN),
        "user=reseller&service=whostmgrd&locale=fr&app=list_accounts",
    )
    .await;
    let url = data["url"].as_str().unwrap();
    assert!(url.ends_with("&app=list_accounts&locale=fr"), "{url}");
    let token = data["cp_security_token"].as_str().unwrap().to_owned();
    let opened = http.get(url).send().await.unwrap();
    let (name, value, _) = set_cookie(&opened).expect("a cookie");
    let served = http
        .get(format!("{base}{token}/json-api/version?api.version=1"))
        .header("Cookie", format!("{name}={value}"))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    // The session's token belongs to the reseller: root's credentials cannot use it.
    let as_root = http
        .get(format!("{base}{token}/json-api/version?api.version=1"))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(as_root.status(), 403);

    // A cPanel session logs in with cPanel's cookie, which WHM API 1 does not take.
    let cpanel = create_session(&http, &base, (USER, TOKEN), "user=bob&service=cpaneld").await;
    let (cp_token, cp_url) = read_session(&cpanel, &base, "bob", "cpaneld");
    let opened = http.get(&cp_url).send().await.unwrap();
    let (name, value, _) = set_cookie(&opened).expect("a cookie");
    assert_eq!(name, "cpsession");
    for cookie in [
        format!("cpsession={value}"),
        format!("whostmgrsession={value}"),
    ] {
        let refused = http
            .get(format!("{base}/{cp_token}/json-api/version?api.version=1"))
            .header("Cookie", cookie)
            .send()
            .await
            .unwrap();
        assert!(
            matches!(refused.status().as_u16(), 401 | 403),
            "{}",
            refused.status()
        );
    }

    // preferred_domain names the URL's host; the port stays the mock's.
    let port = base.rsplit(':').next().unwrap();
    let named = create_session(
        &http,
        &base,
        (USER, TOKEN),
        "user=root&service=whostmgrd&preferred_domain=localhost",
    )
    .await;
    assert!(
        named["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("http://localhost:{port}/cpsess")),
        "{named}"
    );

    // A call without the required user is refused naming it, and starts nothing.
    let missing = http
        .get(format!(
            "{base}/json-api/create_user_session?api.version=1&service=whostmgrd"
        ))
        .header("Authorization", whm_auth(USER, TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 200);
    assert_refused(&json_body(missing).await, "create_user_session", &["user"]);
}

#[tokio::test]
async fn the_binary_answers_sessions_on_its_https_port_and_enforces_privileges() {
    let scratch = ScratchDir::new("sessions");
    let users = scratch.write(
        "users.yaml",
        "users:\n  root:\n    tokens: [ROOTTOKEN]\n  reseller:\n    password: resellerpw\n    tokens: [RESELLERTOKEN]\n    may_call: [create_user_session, listaccts, version]\n  nobody:\n    tokens: [NOBODYTOKEN]\n    may_call: []\n",
    );
    let log = scratch.0.join("requests.jsonl");
    let mock = spawn_mock_bin(&[
        "--https",
        "127.0.0.1:0",
        "--http",
        "127.0.0.1:0",
        "--users",
        &users,
        "--log",
        &log.to_string_lossy(),
    ]);
    let https = mock.url("https://");
    let plain = mock.url("http://");
    let pem = std::fs::read(mock.certificate.as_ref().expect("a certificate")).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = trusting(&pem);

    // Over HTTPS the login URL is the HTTPS port's; over plain HTTP, the plain port's.
    let data = create_session(
        &tls,
        &https,
        ("root", "ROOTTOKEN"),
        "user=root&service=whostmgrd",
    )
    .await;
    let (token, url) = read_session(&data, &https, "root", "whostmgrd");
    let opened = tls.get(&url).send().await.unwrap();
    assert_eq!(opened.status(), 200);
    let (name, value, _) = set_cookie(&opened).expect("a cookie");
    let served = tls
        .get(format!(
            "{https}/{token}/json-api/createacct?api.version=1&username=newuser"
        ))
        .header("Cookie", format!("{name}={value}"))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    let envelope = json_body(served).await;
    assert_eq!(envelope["metadata"]["result"], 1, "{envelope}");
    // The request log names the session's user for the cookie's call, and never the session.
    let logged = std::fs::read_to_string(&log).expect("the request log");
    let session = data["session"].as_str().unwrap();
    let secret = session.split_once(':').unwrap().1;
    assert!(!logged.contains(secret), "{logged}");
    let line: Value = logged
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|l| {
            l["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/json-api/createacct"))
        })
        .expect("a log line for the cookie's call");
    assert_eq!(line["user"], "root", "{line}");
    let http = http();
    let data = create_session(
        &http,
        &plain,
        ("root", "ROOTTOKEN"),
        "user=root&service=whostmgrd",
    )
    .await;
    read_session(&data, &plain, "root", "whostmgrd");

    // The reseller may call what its may_call lists, by token, password or session.
    let ok = http
        .get(format!("{plain}/json-api/listaccts?api.version=1"))
        .basic_auth("reseller", Some("resellerpw"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(json_body(ok).await["metadata"]["result"], 1);
    let denied = http
        .get(format!(
            "{plain}/json-api/createacct?api.version=1&username=newuser"
        ))
        .header("Authorization", whm_auth("reseller", "RESELLERTOKEN"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 200);
    assert_refused(
        &json_body(denied).await,
        "createacct",
        &["Permission denied", "reseller", "createacct"],
    );
    let data = create_session(
        &http,
        &plain,
        ("reseller", "RESELLERTOKEN"),
        "user=reseller&service=whostmgrd",
    )
    .await;
    let (token, url) = read_session(&data, &plain, "reseller", "whostmgrd");
    let (name, value, _) = set_cookie(&http.get(&url).send().await.unwrap()).expect("a cookie");
    let by_session = http
        .get(format!(
            "{plain}/{token}/json-api/createacct?api.version=1&username=x"
        ))
        .header("Cookie", format!("{name}={value}"))
        .send()
        .await
        .unwrap();
    assert_refused(
        &json_body(by_session).await,
        "createacct",
        &["Permission denied"],
    );
    // The privilege check comes before the parameters: a bad call is still “Permission denied”.
    let bad = http
        .get(format!("{plain}/json-api/createacct?api.version=1"))
        .header("Authorization", whm_auth("reseller", "RESELLERTOKEN"))
        .send()
        .await
        .unwrap();
    assert_refused(&json_body(bad).await, "createacct", &["Permission denied"]);

    // An empty may_call allows nothing; a user without one (root) may call everything.
    let nothing = http
        .get(format!("{plain}/json-api/version?api.version=1"))
        .header("Authorization", whm_auth("nobody", "NOBODYTOKEN"))
        .send()
        .await
        .unwrap();
    assert_refused(
        &json_body(nothing).await,
        "version",
        &["Permission denied", "nobody"],
    );
    let root = http
        .get(format!(
            "{plain}/json-api/createacct?api.version=1&username=newuser"
        ))
        .header("Authorization", whm_auth("root", "ROOTTOKEN"))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body(root).await["metadata"]["result"], 1);
}
