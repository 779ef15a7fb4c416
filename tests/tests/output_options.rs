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

use serde_json::{Value, json};
use server_support::{TOKEN, USER, spec_api, start_scripted, start_service, whm_auth};
use whm_api::client::Client;
use whm_api::output_options::{Filter, FilterType, Sort, SortMethod};
use whm_api::server::{ApiError, RequestContext, WhmServer};
use whm_api::{ApiFunction, ListFunction, OutputOptions, Params, QueryBuilder, types};
use whm_codegen::ir::{Api, Type};
use whm_runtime::server::mock::MockScript;

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

/// The first text field of a function's records, in its spec: the field the
/// scripted records are told apart by.
fn text_field(spec: &whm_codegen::ir::Function) -> Option<String> {
    let (_, Type::Hash(record)) = whm_codegen::ir::record_list(&spec.returns)? else {
        return None;
    };
    record
        .fields
        .iter()
        .find(|f| matches!(f.ty, Type::String(_)))
        .map(|f| f.name.clone())
}

/// The spec of a function, and a request made from its first example's
/// parameters (so every required one is set).
fn spec_request<F: ApiFunction>(api: &Api) -> (&whm_codegen::ir::Function, F) {
    let spec = api
        .functions()
        .find(|f| f.name == F::NAME)
        .unwrap_or_else(|| panic!("{} has no spec", F::NAME));
    let params = spec
        .examples
        .first()
        .map(|e| e.params.clone())
        .unwrap_or_default();
    let request = F::from_params(&Params::from_pairs(params))
        .unwrap_or_else(|e| panic!("{}: its first example makes no request: {e}", F::NAME));
    (spec, request)
}

/// Scripts a function to answer seven records, `n` 1 to 7 (and `r1` to `r7`
/// under the record's first text field, when it has one), and returns that field.
fn script_seven(
    script: &MockScript,
    name: &str,
    list: &str,
    spec: &whm_codegen::ir::Function,
) -> Option<String> {
    let text = text_field(spec);
    let records: Vec<Value> = (1..=7)
        .map(|n| {
            let mut record = json!({"n": n});
            if let Some(text) = &text {
                record[text] = json!(format!("r{n}"));
            }
            record
        })
        .collect();
    script.answer_data(name, json!({ list: records }));
    text
}

/// The server shapes a list function's list: filtered, sorted and cut.
async fn check_shaped<F: ApiFunction>(client: &Client, script: &MockScript, api: &Api) {
    let Some(list) = F::LIST else { return };
    let (spec, request) = spec_request::<F>(api);
    script_seven(script, F::NAME, list, spec);
    // 3..=7 descending, the second page of two: 5 and 4.
    let options = OutputOptions::new()
        .filter(Filter::new("n", FilterType::Gt, "2"))
        .sort(Sort::new("n", SortMethod::Numeric).descending())
        .page_number(2, 2)
        .columns(["n"])
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
        data[list],
        json!([{"n": 5}, {"n": 4}]),
        "{}: {data}",
        F::NAME
    );
    let chunk = &envelope.metadata.extra["chunk"];
    assert_eq!(chunk["records"], 5, "{}: {chunk}", F::NAME);
    assert_eq!(chunk["chunks"], 3, "{}: {chunk}", F::NAME);
}

/// The typed pager walks a list function's records: pages of three, in
/// order, each record once, stopping after the last.
async fn check_pager<F>(client: &Client, script: &MockScript, api: &Api)
where
    F: ListFunction,
    F::Data: Default,
{
    let list = F::LIST.expect("a function with a pager names its list");
    let (spec, request) = spec_request::<F>(api);
    let text = script_seven(script, F::NAME, list, spec);
    let options = OutputOptions::new().sort(Sort::new("n", SortMethod::Numeric).descending());
    // Its futures can be spawned on a multi-threaded runtime.
    fn spawnable<T: Send + 'static>(_: &T) {}
    let (_, another) = spec_request::<F>(api);
    spawnable(&client.pages(another, options.clone(), 3).all());
    let mut pages = client.pages(request, options, 3);
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    while let Some(page) = pages.next_page().await.expect("a page") {
        let expected = (sizes.len() as u64 + 1, 3, 7);
        assert_eq!(
            (page.number, page.pages, page.total),
            expected,
            "{}",
            F::NAME
        );
        sizes.push(page.records.len());
        for record in &page.records {
            let record = serde_json::to_value(record).expect("a record serializes");
            names.extend(text.as_ref().map(|t| record[t].clone()));
        }
    }
    assert_eq!(sizes, [3, 3, 1], "{}", F::NAME);
    if text.is_some() {
        assert_eq!(
            names,
            ["r7", "r6", "r5", "r4", "r3", "r2", "r1"],
            "{}",
            F::NAME
        );
    }
}

/// A boxed check of one function.
type Check<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Picks [`check_pager`] for the request types that have a pager, and nothing
/// for the others, by method resolution: `HasPager` applies to `Probe<F>`
/// only when `F: ListFunction`, otherwise `NoPager` on `&Probe<F>` does
/// (autoref specialisation; the macro below names concrete types).
struct Probe<F>(PhantomData<F>);

trait HasPager {
    fn pager_check<'a>(
        &self,
        client: &'a Client,
        script: &'a MockScript,
        api: &'a Api,
    ) -> Option<Check<'a>>;
}

impl<F> HasPager for Probe<F>
where
    F: ListFunction,
    F::Data: Default,
{
    fn pager_check<'a>(
        &self,
        client: &'a Client,
        script: &'a MockScript,
        api: &'a Api,
    ) -> Option<Check<'a>> {
        Some(Box::pin(check_pager::<F>(client, script, api)))
    }
}

trait NoPager {
    fn pager_check<'a>(&self, _: &'a Client, _: &'a MockScript, _: &'a Api) -> Option<Check<'a>> {
        None
    }
}

impl<F> NoPager for &Probe<F> {}

macro_rules! check_list_functions {
    ($client:expr, $script:expr, $api:expr, $shaped:expr, $paged:expr, $($method:ident => $request:ty),* $(,)?) => {$(
        let name = <$request as ApiFunction>::NAME;
        if <$request as ApiFunction>::LIST.is_some() {
            check_shaped::<$request>(&$client, &$script, &$api).await;
            $shaped.push(name);
        }
        if let Some(check) = (&Probe::<$request>(PhantomData)).pager_check(&$client, &$script, &$api) {
            check.await;
            $paged.push(name);
        }
    )*};
}

#[tokio::test]
async fn every_list_function_is_shaped_and_the_read_only_ones_paged() {
    let script = MockScript::new();
    let base = start_scripted(&script).await;
    let client = client(&base);
    let api = spec_api();
    let mut shaped: Vec<&str> = Vec::new();
    let mut paged: Vec<&str> = Vec::new();
    whm_api::for_each_function!(check_list_functions!(client, script, api, shaped, paged,));
    // The server shapes every function whose data is one list, as WHM does;
    // the pager is for those whose spec keeps `list_output` (not the ones
    // that change something, which say `list_output: false`).
    let lists: Vec<&str> = api
        .functions()
        .filter(|f| whm_codegen::ir::record_list(&f.returns).is_some())
        .map(|f| f.name.as_str())
        .collect();
    let pagers: Vec<&str> = api
        .functions()
        .filter(|f| f.list_field().is_some())
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(shaped, lists);
    assert_eq!(paged, pagers);
    assert!(!paged.is_empty() && paged.len() < shaped.len());
}

/// The records the typed-builder cases run on, in the function's order.
fn people() -> Value {
    json!([
        {"user": "carol", "ip": "192.0.2.10", "limit": "unlimited", "n": "10", "tags": ["b", "x"]},
        {"user": "Alice", "ip": "192.0.2.9", "limit": "500", "n": "9", "tags": ["a"]},
        {"user": "bob", "ip": "192.0.2.100", "limit": "0", "n": "0", "tags": []},
        {"user": "Dave", "ip": "192.0.2.11", "limit": "2000", "n": "abc"}
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
            &["carol", "Alice", "Dave"],
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
            &["bob", "Dave"],
        ),
        (
            "lt_equal",
            filter("n", FilterType::LtEqual, "9"),
            &["Alice", "bob", "Dave"],
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
            &["carol", "bob", "Dave"],
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
            &["Alice", "Dave", "bob", "carol"],
        ),
        (
            "lexicographic_caseless, reversed",
            OutputOptions::new()
                .sort(Sort::new("user", SortMethod::LexicographicCaseless).descending()),
            &["Dave", "carol", "bob", "Alice"],
        ),
        (
            "numeric keeps ties in order",
            sort("n", SortMethod::Numeric),
            &["bob", "Dave", "Alice", "carol"],
        ),
        (
            "numeric_zero_as_max",
            sort("n", SortMethod::NumericZeroAsMax),
            &["Alice", "carol", "bob", "Dave"],
        ),
        (
            "ipv4",
            sort("ip", SortMethod::Ipv4),
            &["Alice", "carol", "Dave", "bob"],
        ),
        (
            "a later rule breaks ties",
            sort("limit", SortMethod::NumericZeroAsMax)
                .sort(Sort::new("user", SortMethod::Lexicographic)),
            &["Alice", "Dave", "bob", "carol"],
        ),
        (
            "first page",
            OutputOptions::new().page(2, 1),
            &["carol", "Alice"],
        ),
        (
            "a page from a record",
            OutputOptions::new().page(2, 4),
            &["Dave"],
        ),
        (
            "a start past the end is the first page",
            OutputOptions::new().page(2, 5),
            &["carol", "Alice"],
        ),
        (
            "a page by number",
            OutputOptions::new().page_number(3, 2),
            &["Dave"],
        ),
        (
            "size 0 is 100",
            OutputOptions::new().page(0, 1),
            &["carol", "Alice", "bob", "Dave"],
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
async fn a_hand_written_services_list_is_shaped_too() {
    let server = start_service(Tokens).await;
    let client = client(&server.base_url);
    let request =
        types::ValidateLoginTokenRequest::new("https://hostname.example.com/", "cPStore", "abc");
    // Sorted descending, the second page of two: tokens 3 and 2.
    let options = OutputOptions::new()
        .filter(Filter::new("access_token", FilterType::Contains, "token"))
        .sort(Sort::new("access_token", SortMethod::Lexicographic).descending())
        .page_number(2, 2)
        .verbose();
    let response = client
        .call_with(&request, &options)
        .await
        .expect("the service answers");
    let tokens: Vec<String> = response
        .data
        .payload
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.access_token.unwrap_or_default())
        .collect();
    assert_eq!(tokens, ["token-3", "token-2"]);
    assert_eq!(response.metadata.extra["chunk"]["chunks"], 3);
}
