//! The format's keys that say more than a type, end to end, for every spec
//! that uses them: the typed client against the generated mock on a loopback
//! socket, a recording server for what goes on the wire, and `whmapi1` as a
//! process. Each test enumerates the functions from `spec/`, and fails if no
//! spec uses its key, so that it cannot pass by testing nothing.

mod client_support;

use client_support::{Seen, client, format_response, raw_server_with, spec_api, start_mock};
use whm_api::ApiFunction;
use whm_api::client::Error;
use whm_codegen::ir::{Constraint, Field, Function, HttpMethod};
use whm_runtime::{Params, QueryBuilder};

/// A value of `field` that breaks `constraint` and nothing else, when there is one.
fn violating(field: &Field, constraint: &Constraint) -> Option<String> {
    let ok_type = |value: &str| whm_codegen::front::check_scalar(&field.ty, value, false).is_ok();
    let candidate = match constraint {
        Constraint::Minimum(n) => n.checked_sub(1)?.to_string(),
        Constraint::Maximum(n) => n.checked_add(1)?.to_string(),
        Constraint::MaxLength(n) => "a".repeat(usize::try_from(*n).ok()? + 1),
        Constraint::MinLength(n) if *n > 0 => "a".repeat(usize::try_from(*n).ok()? - 1),
        Constraint::Pattern(_) => "not allowed !".to_owned(),
        _ => return None,
    };
    let others_hold = field
        .constraints
        .iter()
        .filter(|c| *c != constraint)
        .all(|c| match c {
            Constraint::MaxLength(n) => candidate.chars().count() as u64 <= *n,
            Constraint::MinLength(n) => candidate.chars().count() as u64 >= *n,
            Constraint::Minimum(n) => candidate.parse::<i64>().map_or(true, |v| v >= *n),
            Constraint::Maximum(n) => candidate.parse::<i64>().map_or(true, |v| v <= *n),
            _ => true,
        });
    let breaks = match constraint {
        Constraint::Pattern(p) => !whm_runtime::check::matches_uncached(p, &candidate),
        _ => true,
    };
    (ok_type(&candidate) && others_hold && breaks).then_some(candidate)
}

/// The words of `constraint` in the server's reason: “at least 1”, “at most 50 characters long”.
fn bound_words(constraint: &Constraint) -> String {
    match constraint {
        Constraint::Minimum(n) => format!("at least {n}"),
        Constraint::Maximum(n) => format!("at most {n}"),
        Constraint::MinLength(n) => format!("at least {n} character"),
        Constraint::MaxLength(n) => format!("at most {n} character"),
        Constraint::Pattern(p) => p.clone(),
        Constraint::RequiredIf { param, .. } => format!("“{param}” is"),
    }
}

/// The first example's parameters with `name` set to `value` (added when absent).
fn example_params_with(f: &Function, name: &str, value: &str) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = f
        .examples
        .first()
        .map(|e| e.params.clone())
        .unwrap_or_default();
    params.retain(|(k, _)| k != name);
    params.push((name.to_owned(), value.to_owned()));
    params
}

#[tokio::test]
async fn every_documented_bound_is_refused_by_the_server_naming_it() {
    let mock = start_mock().await;
    let client = client(&mock);
    let api = spec_api();
    let mut checked = 0;
    for f in api.functions().filter(|f| !f.examples.is_empty()) {
        for p in f.params.iter().filter(|p| p.pattern_prefix.is_none()) {
            for c in &p.constraints {
                let Some(bad) = violating(p, c) else { continue };
                let mut query = QueryBuilder::new();
                for (k, v) in example_params_with(f, &p.name, &bad) {
                    query.push(&k, &v);
                }
                match client.call_raw(&f.name, &query).await {
                    Err(Error::Api { reason, .. }) => {
                        assert!(
                            reason.contains(&format!("“{}”", p.name))
                                && reason.contains(&bound_words(c)),
                            "{}: {} = {bad:?}: the reason must name the parameter and the bound: {reason}",
                            f.name,
                            p.name
                        );
                    }
                    other => panic!(
                        "{}: {} = {bad:?} was not refused: {other:?}",
                        f.name, p.name
                    ),
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked > 0,
        "no spec documents a bound; this test checks nothing"
    );
}

#[test]
fn whmapi1_refuses_a_value_out_of_bounds_before_sending() {
    let api = spec_api();
    let home = tempfile::tempdir().expect("a home folder");
    let whmapi1 = whm_tests::binary("whmapi1");
    let mut checked = 0;
    for f in api.functions().filter(|f| !f.examples.is_empty()) {
        for p in f.params.iter().filter(|p| p.pattern_prefix.is_none()) {
            let Some((c, bad)) = p
                .constraints
                .iter()
                .find_map(|c| Some((c, violating(p, c)?)))
            else {
                continue;
            };
            let words: Vec<String> = example_params_with(f, &p.name, &bad)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let output = std::process::Command::new(&whmapi1)
                .env("HOME", home.path())
                .env("WHM_API_TOKEN", "T0KEN")
                .args([
                    "--host",
                    "https://whm.example.com:2087",
                    "--dry-run",
                    &f.name,
                ])
                .args(&words)
                .output()
                .expect("whmapi1 runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{}: {words:?}: {stderr}",
                f.name
            );
            assert!(
                output.stdout.is_empty(),
                "nothing is printed as sent: {words:?}"
            );
            assert!(
                stderr.contains(&p.name) && stderr.contains(&bound_words(c)),
                "{}: {stderr}",
                f.name
            );
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "no spec documents a bound; this test checks nothing"
    );
}

/// Calls `$callback` for every function whose spec says `$wanted`, with its request type.
macro_rules! typed_functions {
    ($($method:ident => $request:ty),* $(,)?) => {
        /// `(name, POST?, documented success reason, a request from the first example)` per function.
        fn typed_requests() -> Vec<(&'static str, bool, &'static str, Option<Box<dyn Fn() -> TypedCall + Send + Sync>>)> {
            vec![$((
                <$request as ApiFunction>::NAME,
                <$request as ApiFunction>::POST,
                <$request as ApiFunction>::SUCCESS_REASON,
                Some(Box::new(|| -> TypedCall {
                    Box::new(|client: whm_api::client::Client, params: Vec<(String, String)>| {
                        Box::pin(async move {
                            let request = <$request>::from_params(&Params::from_pairs(params))
                                .map_err(|e| e.to_string())?;
                            let mut query = QueryBuilder::new();
                            request.to_query(&mut query);
                            let response = whm_api::client::WhmApi::$method(&client, &request)
                                .await
                                .map_err(|e| e.to_string())?;
                            Ok((query.to_query_string(), response.metadata.reason))
                        })
                    })
                }) as Box<dyn Fn() -> TypedCall + Send + Sync>),
            )),*]
        }
    };
}

/// A typed call: the request made from decoded parameters, its query, and the answer's reason.
type TypedCall = Box<
    dyn FnOnce(
            whm_api::client::Client,
            Vec<(String, String)>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<(String, String), String>> + Send>,
        > + Send,
>;

whm_api::for_each_function!(typed_functions!());

#[tokio::test]
async fn documented_post_functions_are_sent_as_a_post_with_a_form_body() {
    let api = spec_api();
    let (url, mut seen) = raw_server_with(|request: &Seen| {
        let command = request
            .target()
            .split('?')
            .next()
            .and_then(|path| path.rsplit('/').next())
            .unwrap_or_default()
            .to_owned();
        let body = format!(
            r#"{{"metadata": {{"command": "{command}", "version": 1, "reason": "OK", "result": 1}}}}"#
        );
        format_response(200, "application/json", &body)
    })
    .await;
    let client = whm_api::client::Client::builder(&url)
        .api_token("root", "T0KEN")
        .build()
        .expect("a client");
    let mut checked = 0;
    for (name, post, _, call) in typed_requests() {
        let f = api.functions().find(|f| f.name == name).expect("a spec");
        assert_eq!(
            post,
            f.post(),
            "{name}: the generated type and the spec disagree on POST"
        );
        if f.method != Some(HttpMethod::Post) {
            continue;
        }
        let Some(example) = f.examples.first() else {
            continue;
        };
        let call = call.expect("a typed call")();
        // The recording server's answer may not decode as the function's data; the wire is what counts.
        let _ = call(client.clone(), example.params.clone()).await;
        let request = seen.recv().await.expect("the server saw the request");
        assert!(
            request.head.starts_with("POST "),
            "{name}: {}",
            request.head
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded"),
            "{name}"
        );
        let query = {
            let mut q = QueryBuilder::new();
            for (k, v) in &example.params {
                q.push(k, v);
            }
            q.to_query_string()
        };
        let mut sent: Vec<&str> = request.body.split('&').collect();
        let mut expected: Vec<&str> = query.split('&').collect();
        sent.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sent, expected, "{name}: the body is the example's query");
        assert!(
            !request.target().contains('&'),
            "{name}: parameters stay out of the URL"
        );
        checked += 1;
    }
    assert!(
        checked > 0,
        "no spec says `method: POST`; this test checks nothing"
    );
}

#[tokio::test]
async fn a_documented_success_reason_is_answered_by_the_mock_and_decoded() {
    let api = spec_api();
    let mock = start_mock().await;
    let mut checked = 0;
    for (name, _, reason, call) in typed_requests() {
        let f = api.functions().find(|f| f.name == name).expect("a spec");
        if f.success_reason.is_none() {
            continue;
        }
        assert_eq!(reason, f.success_reason(), "{name}");
        let Some(example) = f.examples.first() else {
            continue;
        };
        let call = call.expect("a typed call")();
        let (_, answered) = call(client(&mock), example.params.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let documented = example
            .json_value
            .as_ref()
            .and_then(|j| j.pointer("/metadata/reason"))
            .and_then(|r| r.as_str())
            .unwrap_or(reason);
        assert_eq!(answered, documented, "{name}");
        checked += 1;
    }
    assert!(
        checked > 0,
        "no spec says `success_reason`; this test checks nothing"
    );
}

#[tokio::test]
async fn parameters_named_by_a_pattern_round_trip_through_client_server_and_cli() {
    let api = spec_api();
    let mock = start_mock().await;
    let home = tempfile::tempdir().expect("a home folder");
    let whmapi1 = whm_tests::binary("whmapi1");
    let mut checked = 0;
    for (name, _, _, call) in typed_requests() {
        let f = api.functions().find(|f| f.name == name).expect("a spec");
        let Some(prefix) = f.params.iter().find_map(|p| p.pattern_prefix.clone()) else {
            continue;
        };
        let Some(example) = f
            .examples
            .iter()
            .find(|e| e.params.iter().any(|(k, _)| k.starts_with(&prefix)))
        else {
            panic!("{name}: no example sends a {prefix}* parameter");
        };
        let patterned: Vec<&(String, String)> = example
            .params
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .collect();
        // Client: the typed request sends each key as written; server: the mock reads it back.
        let call = call.expect("a typed call")();
        let (query, _) = call(client(&mock), example.params.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for (key, value) in &patterned {
            let mut pair = QueryBuilder::new();
            pair.push(key, value);
            let pair = pair.to_query_string();
            let pair = pair.trim_start_matches("api.version=1&");
            assert!(query.contains(pair), "{name}: {pair} is not in {query}");
        }
        // CLI: the words are accepted and sent as they are.
        let words: Vec<String> = example
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let output = std::process::Command::new(&whmapi1)
            .env("HOME", home.path())
            .env("WHM_API_TOKEN", "T0KEN")
            .args(["--host", "https://whm.example.com:2087", "--dry-run", name])
            .args(&words)
            .output()
            .expect("whmapi1 runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        for (key, _) in &patterned {
            assert!(
                stdout.contains(key.as_str()),
                "{name}: {key} not sent: {stdout}"
            );
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no spec has a parameter named by a pattern; this test checks nothing"
    );
}
