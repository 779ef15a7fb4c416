//! WHM's output options (filter, sort, paginate, columns) end to end: the
//! typed client's builders and pager, the generated router's shaping, over a
//! real loopback socket.
//!
//! - The guide's examples (`spec/guides/02-output-options.md`) are sent to
//!   the mock with the guide's own script, and each answer is compared with
//!   the JSON the guide prints under it.
//! - Every list function of the specs (derived from `for_each_function!`) is
//!   shaped and paged: no list is kept here.
//! - Each filter type, sort method, chunking edge and columns, built with the
//!   client's typed builders, against records chosen here.
//! - A hand-written service's list is shaped by the router too.

mod server_support;

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Value, json};
use server_support::{TOKEN, USER, serve_router, spec_api, start_service, whm_auth};
use whm_api::client::Client;
use whm_api::output_options::{Filter, FilterType, OutputOptions, Sort, SortMethod};
use whm_api::server::{ApiError, InMemoryAuthenticator, RequestContext, WhmServer};
use whm_api::{ApiFunction, ListFunction, Params, QueryBuilder, types};
use whm_codegen::ir::Api;
use whm_runtime::server::mock::MockScript;

/// The mock with `script` as a layer, on a loopback port: its `http://127.0.0.1:PORT`.
async fn start_scripted(script: &MockScript) -> String {
    let auth = Arc::new(InMemoryAuthenticator::new().with_token(USER, TOKEN));
    let router = whm_api::server::mock::mock_router(auth).layer(script.layer());
    format!("http://{}", serve_router(router).await)
}

fn client(base_url: &str) -> Client {
    Client::builder(base_url)
        .api_token(USER, TOKEN)
        .build()
        .expect("a client")
}

/// The fenced code blocks of a Markdown text: (info string, body).
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// Whether every key of `expected` is in `actual` with the same value,
/// looking into objects (so an example can show only the keys it is about).
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|got| contains(got, v))),
        _ => actual == expected,
    }
}

#[tokio::test]
async fn the_guides_examples_are_what_the_server_answers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/guides/02-output-options.md"
    );
    let guide = std::fs::read_to_string(path).expect("the output options guide");
    let blocks = fenced_blocks(&guide);
    let script = blocks
        .iter()
        .find(|(info, _)| info == "yaml")
        .map(|(_, body)| MockScript::from_yaml(body).expect("the guide's script is valid"))
        .expect("the guide has a whm-mock script");
    let base = start_scripted(&script).await;
    let http = server_support::http();

    let mut checked = 0;
    for (i, (info, body)) in blocks.iter().enumerate() {
        let request = body.trim();
        if info != "text" || !request.starts_with("/json-api/") {
            continue;
        }
        let (next_info, shown) = blocks
            .get(i + 1)
            .unwrap_or_else(|| panic!("{request}: no answer follows it"));
        assert_eq!(next_info, "json", "{request}: the answer is a json block");
        let shown: Value = serde_json::from_str(shown)
            .unwrap_or_else(|e| panic!("{request}: the shown answer is not JSON: {e}"));
        let answer = server_support::json_body(
            http.get(format!("{base}{request}"))
                .header("Authorization", whm_auth(USER, TOKEN))
                .send()
                .await
                .expect("the mock answers"),
        )
        .await;
        assert_eq!(answer["metadata"]["result"], 1, "{request}: {answer}");
        assert_eq!(answer["data"], shown["data"], "{request}");
        if let Some(metadata) = shown.get("metadata") {
            assert!(
                contains(&answer["metadata"], metadata),
                "{request}: metadata {} lacks {metadata}",
                answer["metadata"]
            );
        }
        checked += 1;
    }
    // Every family has examples; a guide that lost them fails here.
    assert!(checked >= 8, "only {checked} examples found in {path}");
}

/// Seven records, `n` 1 to 7, under a list function's field.
fn numbered_records(field: &str) -> Value {
    let records: Vec<Value> = (1..=7).map(|n| json!({"n": n})).collect();
    json!({ field: records })
}

/// Calls a list function, scripted to answer [`numbered_records`], with
/// options and through the pager, and checks both were applied.
async fn check_list_function<F>(client: &Client, script: &MockScript, api: &Api)
where
    F: ListFunction,
    F::Data: Default,
{
    let field = F::LIST.expect("a list function names its list");
    let spec = api
        .functions()
        .find(|f| f.name == F::NAME)
        .unwrap_or_else(|| panic!("{} has no spec", F::NAME));
    // A request from the first example's parameters: every required one is set.
    let params = spec
        .examples
        .first()
        .map(|e| e.params.clone())
        .unwrap_or_default();
    let request = F::from_params(&Params::from_pairs(params))
        .unwrap_or_else(|e| panic!("{}: its first example makes no request: {e}", F::NAME));
    script.answer_data(F::NAME, numbered_records(field));

    // Filtered, sorted and cut by the server: 3..=7 descending, second page of two.
    let options = OutputOptions::new()
        .filter(Filter::new("n", FilterType::Gt, "2"))
        .sort(Sort::new("n", SortMethod::Numeric).descending())
        .page_number(2, 2)
        .verbose();
    let mut query = QueryBuilder::new();
    request.to_query(&mut query);
    options.to_query(&mut query);
    let envelope = client
        .call_raw(F::NAME, &query)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", F::NAME));
    let data = envelope.data.unwrap_or_default();
    assert_eq!(
        data[field],
        json!([{"n": 5}, {"n": 4}]),
        "{}: {data}",
        F::NAME
    );
    let chunk = &envelope.metadata.extra["chunk"];
    assert_eq!(chunk["records"], 5, "{}: {chunk}", F::NAME);
    assert_eq!(chunk["chunks"], 3, "{}: {chunk}", F::NAME);

    // The typed pager: pages of three, in order, stopping after the last.
    let mut pages = client.pages(request, OutputOptions::new(), 3);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await.expect("a page") {
        assert_eq!((page.pages, page.total), (3, 7), "{}", F::NAME);
        sizes.push(page.records.len());
    }
    assert_eq!(sizes, [3, 3, 1], "{}", F::NAME);
}

/// A boxed check of one function.
type Check<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Picks [`check_list_function`] for the request types that are lists, and
/// nothing for the others, by method resolution: `IsList` applies to
/// `Probe<F>` only when `F: ListFunction`, otherwise `NotList` on `&Probe<F>`
/// does (autoref specialisation; the macro below names concrete types).
struct Probe<F>(PhantomData<F>);

trait IsList {
    fn list_check<'a>(
        &self,
        client: &'a Client,
        script: &'a MockScript,
        api: &'a Api,
    ) -> Option<Check<'a>>;
}

impl<F> IsList for Probe<F>
where
    F: ListFunction,
    F::Data: Default,
{
    fn list_check<'a>(
        &self,
        client: &'a Client,
        script: &'a MockScript,
        api: &'a Api,
    ) -> Option<Check<'a>> {
        Some(Box::pin(check_list_function::<F>(client, script, api)))
    }
}

trait NotList {
    fn list_check<'a>(&self, _: &'a Client, _: &'a MockScript, _: &'a Api) -> Option<Check<'a>> {
        None
    }
}

impl<F> NotList for &Probe<F> {}

macro_rules! check_list_functions {
    ($client:expr, $script:expr, $api:expr, $checked:expr, $($method:ident => $request:ty),* $(,)?) => {$(
        let name = <$request as ApiFunction>::NAME;
        match (&Probe::<$request>(PhantomData)).list_check(&$client, &$script, &$api) {
            Some(check) => {
                assert!(<$request as ApiFunction>::LIST.is_some(), "{name}: a ListFunction without LIST");
                check.await;
                $checked.push(name);
            }
            None => assert!(<$request as ApiFunction>::LIST.is_none(), "{name}: LIST without ListFunction"),
        }
    )*};
}

#[tokio::test]
async fn every_list_function_is_filtered_sorted_and_paged() {
    let script = MockScript::new();
    let base = start_scripted(&script).await;
    let client = client(&base);
    let api = spec_api();
    let mut checked: Vec<&str> = Vec::new();
    whm_api::for_each_function!(check_list_functions!(client, script, api, checked,));
    // The generated crate marks exactly the functions the specs make lists.
    let lists: Vec<&str> = api
        .functions()
        .filter(|f| f.list_field().is_some())
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(checked, lists);
    assert!(!checked.is_empty());
}

/// The records the typed-builder cases run on, in the function's order.
fn people() -> Value {
    json!([
        {"user": "carol", "ip": "192.0.2.10", "limit": "unlimited", "n": "10", "tags": ["b", "x"]},
        {"user": "Alice", "ip": "192.0.2.9", "limit": "500", "n": "9", "tags": ["a"]},
        {"user": "bob", "ip": "192.0.2.100", "limit": "0", "n": "0", "tags": []},
        {"user": "dave", "ip": "192.0.2.11", "limit": "2000", "n": "abc"}
    ])
}

#[tokio::test]
async fn each_filter_type_sort_method_page_and_column_works_from_client_to_server() {
    let api = spec_api();
    // Any list function will do: the records are scripted.
    let (function, field) = api
        .functions()
        .find_map(|f| Some((f.name.clone(), f.list_field()?.0.name.clone())))
        .expect("a list function");
    let script = MockScript::new();
    script.answer_data(&function, json!({ &field: people() }));
    let base = start_scripted(&script).await;
    let client = client(&base);

    let filter = |field: &str, test, value: &str| {
        OutputOptions::new().filter(Filter::new(field, test, value))
    };
    let sort = |field: &str, method| OutputOptions::new().sort(Sort::new(field, method));
    let cases: Vec<(&str, OutputOptions, &[&str])> = vec![
        (
            "contains ignores case",
            filter("user", FilterType::Contains, "A"),
            &["carol", "Alice", "dave"],
        ),
        ("begins", filter("user", FilterType::Begins, "B"), &["bob"]),
        ("eq is exact", filter("user", FilterType::Eq, "alice"), &[]),
        ("eq", filter("user", FilterType::Eq, "Alice"), &["Alice"]),
        (
            "== is numeric",
            filter("n", FilterType::NumEq, "9.0"),
            &["Alice"],
        ),
        (
            "lt lets non-numbers through",
            filter("n", FilterType::Lt, "5"),
            &["bob", "dave"],
        ),
        (
            "lt_equal",
            filter("n", FilterType::LtEqual, "9"),
            &["Alice", "bob", "dave"],
        ),
        ("gt", filter("n", FilterType::Gt, "5"), &["carol", "Alice"]),
        (
            "gt_equal",
            filter("n", FilterType::GtEqual, "10"),
            &["carol"],
        ),
        (
            "lt_handle_unlimited",
            filter("limit", FilterType::LtHandleUnlimited, "1000"),
            &["Alice"],
        ),
        (
            "gt_handle_unlimited",
            filter("limit", FilterType::GtHandleUnlimited, "1000"),
            &["carol", "bob", "dave"],
        ),
        (
            "a list passes by any item",
            filter("tags", FilterType::Contains, "x"),
            &["carol"],
        ),
        (
            "* is any field",
            filter("*", FilterType::Eq, "192.0.2.100"),
            &["bob"],
        ),
        (
            "rules all apply",
            filter("user", FilterType::Contains, "a").filter(Filter::new("n", FilterType::Gt, "9")),
            &["carol"],
        ),
        (
            "lexicographic",
            sort("user", SortMethod::Lexicographic),
            &["Alice", "bob", "carol", "dave"],
        ),
        (
            "lexicographic_caseless, reversed",
            OutputOptions::new()
                .sort(Sort::new("user", SortMethod::LexicographicCaseless).descending()),
            &["dave", "carol", "bob", "Alice"],
        ),
        (
            "numeric keeps ties in order",
            sort("n", SortMethod::Numeric),
            &["bob", "dave", "Alice", "carol"],
        ),
        (
            "numeric_zero_as_max",
            sort("n", SortMethod::NumericZeroAsMax),
            &["Alice", "carol", "bob", "dave"],
        ),
        (
            "ipv4",
            sort("ip", SortMethod::Ipv4),
            &["Alice", "carol", "dave", "bob"],
        ),
        (
            "a later rule breaks ties",
            sort("limit", SortMethod::NumericZeroAsMax)
                .sort(Sort::new("user", SortMethod::Lexicographic)),
            &["Alice", "dave", "bob", "carol"],
        ),
        (
            "first page",
            OutputOptions::new().page(2, 1),
            &["carol", "Alice"],
        ),
        (
            "a page from a record",
            OutputOptions::new().page(2, 4),
            &["dave"],
        ),
        (
            "a start past the end is the first page",
            OutputOptions::new().page(2, 5),
            &["carol", "Alice"],
        ),
        (
            "a page by number",
            OutputOptions::new().page_number(3, 2),
            &["dave"],
        ),
        (
            "size 0 is 100",
            OutputOptions::new().page(0, 1),
            &["carol", "Alice", "bob", "dave"],
        ),
        (
            "filter, sort and page together",
            filter("n", FilterType::Gt, "-1")
                .sort(Sort::new("user", SortMethod::Lexicographic))
                .page(2, 2),
            &["bob", "carol"],
        ),
    ];
    for (what, options, expected) in cases {
        let mut query = QueryBuilder::new();
        options.to_query(&mut query);
        let envelope = client
            .call_raw(&function, &query)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let data = envelope.data.unwrap_or_default();
        let users: Vec<&str> = data[&field]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: no list in {data}"))
            .iter()
            .map(|r| r["user"].as_str().unwrap_or("?"))
            .collect();
        assert_eq!(users, expected, "{what}: {}", query.as_str());
    }

    // The page's description, asked for with verbose.
    let mut query = QueryBuilder::new();
    OutputOptions::new()
        .page(2, 4)
        .verbose()
        .to_query(&mut query);
    let envelope = client.call_raw(&function, &query).await.expect("a page");
    assert_eq!(
        envelope.metadata.extra["chunk"],
        json!({"start": 4, "size": 2, "records": 4, "current": 2, "chunks": 2})
    );

    // Columns: only the named fields, and the unknown ones reported.
    let mut query = QueryBuilder::new();
    OutputOptions::new()
        .columns(["user", "ip", "quota"])
        .to_query(&mut query);
    let envelope = client.call_raw(&function, &query).await.expect("columns");
    let records = envelope.data.unwrap_or_default()[&field].clone();
    assert_eq!(records[1], json!({"user": "Alice", "ip": "192.0.2.9"}));
    assert_eq!(
        envelope.metadata.extra["columns"]["invalid"],
        json!(["quota"])
    );
}

/// A service of one's own: the router shapes what it returns.
struct Tokens;

impl WhmServer for Tokens {
    async fn validate_login_token(
        &self,
        _context: &RequestContext,
        _request: types::ValidateLoginTokenRequest,
    ) -> Result<types::ValidateLoginTokenData, ApiError> {
        let payload = (1..=5)
            .map(|n| types::authentication::validate_login_token::Payload {
                access_token: Some(format!("token-{n}")),
                refresh_token: None,
            })
            .collect();
        Ok(types::ValidateLoginTokenData {
            payload: Some(payload),
        })
    }
}

#[tokio::test]
async fn a_hand_written_services_list_is_shaped_and_paged_too() {
    let server = start_service(Tokens).await;
    let client = client(&server.base_url);
    let request =
        types::ValidateLoginTokenRequest::new("https://hostname.example.com/", "cPStore", "abc");
    let options = OutputOptions::new()
        .filter(Filter::new("access_token", FilterType::Contains, "token"))
        .sort(Sort::new("access_token", SortMethod::Lexicographic).descending());
    let mut pages = client.pages(request, options, 2);
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await.expect("a page") {
        seen.push(
            page.records
                .into_iter()
                .map(|r| r.access_token.unwrap_or_default())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        seen,
        [
            vec!["token-5", "token-4"],
            vec!["token-3", "token-2"],
            vec!["token-1"]
        ]
    );
}
