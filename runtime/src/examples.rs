//! The checks that make every spec example a test of every output.
//!
//! An example in a spec is a promise: the request it shows is what the
//! client sends, the server accepts and the command line builds, and the
//! outputs it shows are what the types decode. The generated crate's
//! `example_tests` module holds, for each example, an [`Example`] and one
//! test per check, each a single call into this module:
//!
//! | check | what it proves |
//! | --- | --- |
//! | [`check_request`] | the parameters build the typed request (`from_params`), which encodes to the example's query and decodes back to an equal request |
//! | [`check_json`] | the JSON output decodes into the typed `Data` (with `metadata` beside `data`, or inside it as some of WHM's pages print it) and encodes back to equal JSON |
//! | [`check_xml`] | the XML output likewise, read with [`crate::xml::from_xml_str`], and decodes to the same typed value as the JSON output |
//! | `check_cli` (feature `cli`) | the example's `whmapi1` command line parses through the command line's own machinery to the same request |
//! | `check_mock` (feature `server`) | the mock server answers the example's request with the example's output |
//!
//! "Equal" is WHM's idea of equal: the key order of hashes does not matter,
//! and WHM's loose scalars equal their canonical forms (`"1"` and `1`,
//! `true` and `1`; `null` and a missing key). A difference is reported with
//! the function, the example's title, the output concerned and the JSON path
//! of the field (`data.payload[0].access_token`).
//!
//! Every check returns a [`Failure`] rather than panicking; the generated
//! tests panic with its message.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::envelope::Metadata;
use crate::function::ApiFunction;
use crate::query::Params;

/// One example of a spec, as the generated tests hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The example's title, for messages.
    pub title: &'static str,
    /// The parameters the example sends, unencoded, in the example's order.
    pub params: &'static [(&'static str, &'static str)],
    /// The query string the request must encode to: `api.version=1` and the
    /// parameters in spec order, percent-encoded as the docs print them.
    pub query: &'static str,
    /// The example's `whmapi1` command line, as the docs print it (shell-quoted).
    pub command_line: &'static str,
    /// The documented JSON output, exactly as the spec holds it.
    pub json: Option<&'static str>,
    /// The documented XML output, exactly as the spec holds it.
    pub xml: Option<&'static str>,
}

impl Example {
    /// The example's parameters as decoded request parameters.
    pub fn params(&self) -> Params {
        Params::from_pairs(
            self.params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }
}

/// Why an example failed a check; its `Display` names the function, the
/// example, the output checked and what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The function's wire name.
    pub function: &'static str,
    /// The example's title.
    pub title: &'static str,
    /// What was checked (`request`, `JSON output`, `XML output`, `command line`, `mock answer`).
    pub check: &'static str,
    /// What went wrong, naming the field's JSON path where there is one.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, example “{}”, {}: {}",
            self.function, self.title, self.check, self.message
        )
    }
}

impl std::error::Error for Failure {}

/// A failure of `F`'s example `example` in `check`.
fn failure<F: ApiFunction>(example: &Example, check: &'static str, message: String) -> Failure {
    Failure {
        function: F::NAME,
        title: example.title,
        check,
        message,
    }
}

/// The example's typed request, or why its parameters do not build one.
fn build_request<F: ApiFunction>(example: &Example) -> Result<F, String> {
    F::from_params(&example.params())
        .map_err(|e| format!("the example's parameters do not build the request: {e}"))
}

/// Checks that the example's parameters build `F` with `from_params`, that
/// the request encodes to [`Example::query`] (every parameter of the
/// example sent, in spec order, with WHM's encodings) and that the query
/// decodes back to an equal request.
pub fn check_request<F>(example: &Example) -> Result<(), Failure>
where
    F: ApiFunction + PartialEq + fmt::Debug,
{
    let fail = |message: String| failure::<F>(example, "request", message);
    let request = build_request::<F>(example).map_err(fail)?;
    let query = request.query_string();
    let sent = Params::parse(&query).map_err(|e| {
        fail(format!(
            "the request encodes to a malformed query ({e}): {query}"
        ))
    })?;
    for (key, _) in example.params {
        if !sent.contains(key) {
            return Err(fail(format!(
                "the example sends “{key}”, which the request does not carry: it is not one of the \
                 function's parameters (the request encodes to {query})"
            )));
        }
    }
    if query != example.query {
        return Err(fail(format!(
            "the request encodes to\n  {query}\nbut the example's query is\n  {}",
            example.query
        )));
    }
    let decoded = F::from_params(&sent)
        .map_err(|e| fail(format!("the encoded query {query} does not decode: {e}")))?;
    if decoded != request {
        return Err(fail(format!(
            "the encoded query {query} decodes to\n  {decoded:?}\nnot to the request it came from\n  {request:?}"
        )));
    }
    Ok(())
}

/// Which documented output a tree came from: it decides where `data` and
/// `metadata` may sit and what "equal" forgives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Json,
    Xml,
}

impl Source {
    fn check(self) -> &'static str {
        match self {
            Source::Json => "JSON output",
            Source::Xml => "XML output",
        }
    }
}

/// The `data` and `metadata` of a documented output.
struct Documented {
    data: Option<Value>,
    metadata: Option<Value>,
}

impl Documented {
    /// Splits a documented output into `data` and `metadata`, tolerant of
    /// where each sits as the client is: `metadata` beside `data`, or nested
    /// inside `data` (as the seed page prints its JSON); for XML also `data`
    /// nested inside `metadata` (as the seed page prints its XML). A nested
    /// key is never part of the value it sits in.
    fn split(tree: Value, source: Source) -> Result<Documented, String> {
        let Value::Object(mut top) = tree else {
            return Err(format!(
                "the output is {}, not a hash with “data” and “metadata”",
                describe(&tree)
            ));
        };
        let mut data = top.remove("data");
        let mut metadata = top.remove("metadata");
        let nested_metadata = match &mut data {
            Some(Value::Object(hash)) => hash.remove("metadata"),
            _ => None,
        };
        let nested_data = match (&mut metadata, source) {
            (Some(Value::Object(hash)), Source::Xml) => hash.remove("data"),
            _ => None,
        };
        if metadata.is_none() {
            metadata = nested_metadata;
        }
        if data.is_none() {
            data = nested_data;
        }
        if let Some(key) = top.keys().next() {
            return Err(format!(
                "{key} is in the documented output, beside “data” and “metadata”, where WHM's envelope has nothing"
            ));
        }
        Ok(Documented {
            data: data.filter(|d| !d.is_null()),
            metadata,
        })
    }

    /// Whether the documented `metadata.result` says the call failed.
    #[cfg(feature = "server")]
    fn is_failure(&self) -> bool {
        match self.metadata.as_ref().and_then(|m| m.get("result")) {
            Some(Value::Number(n)) => n.as_f64() == Some(0.0),
            Some(Value::String(s)) => s.trim() == "0",
            Some(Value::Bool(b)) => !b,
            _ => false,
        }
    }

    /// The documented envelope with `metadata` beside `data`, as a server writes it.
    #[cfg(feature = "server")]
    fn envelope(&self) -> Value {
        let mut top = serde_json::Map::new();
        if let Some(data) = &self.data {
            top.insert("data".into(), data.clone());
        }
        if let Some(metadata) = &self.metadata {
            top.insert("metadata".into(), metadata.clone());
        }
        Value::Object(top)
    }
}

/// Reads a documented output of `example` into its parts.
fn documented(example: &Example, source: Source) -> Option<Result<Documented, String>> {
    let text = match source {
        Source::Json => example.json?,
        Source::Xml => example.xml?,
    };
    let tree = match source {
        Source::Json => serde_json::from_str::<Value>(text)
            .map_err(|e| format!("the documented output is not JSON: {e}")),
        Source::Xml => crate::xml::from_xml_str(text)
            .map_err(|e| format!("the documented output is not WHM's XML: {e}")),
    };
    Some(tree.and_then(|tree| Documented::split(tree, source)))
}

/// Checks the documented metadata: present, readable as WHM's metadata, of
/// this function, and written back equal.
fn check_metadata<F: ApiFunction>(documented: &Documented, source: Source) -> Result<(), String> {
    let Some(metadata) = &documented.metadata else {
        return Err(
            "the documented output has no “metadata” (with command, version, reason and result)"
                .into(),
        );
    };
    let read = serde_json::from_value::<Metadata>(metadata.clone())
        .map_err(|e| format!("metadata does not read as WHM's metadata: {e}"))?;
    if read.command != F::NAME {
        return Err(format!(
            "metadata.command is “{}”, not the function's name “{}”",
            read.command,
            F::NAME
        ));
    }
    let written = to_json(&read)?;
    match compare(metadata, &written, source, Source::Json) {
        None => Ok(()),
        Some(difference) => Err(difference.describe("metadata", &Wording::ROUND_TRIP)),
    }
}

/// Decodes a documented `data` into `T`, naming the field at fault when it does not decode.
fn decode_data<T: DeserializeOwned>(data: &Value) -> Result<T, String> {
    serde_json::from_value::<T>(data.clone()).map_err(|error| {
        let path = locate_error::<T>(data);
        let at = path_text("data", &path);
        match lookup(data, &path) {
            Some(value) if !path.is_empty() => format!(
                "{at} does not decode into the spec's type: the documented value is {}: {error}",
                short(value)
            ),
            _ => format!("{at} does not decode into the spec's type: {error}"),
        }
    })
}

/// Decodes a documented output's `data` (when it has one) into `F::Data` and
/// checks that it encodes back to equal JSON.
fn decode_and_compare<F: ApiFunction>(
    documented: &Documented,
    source: Source,
) -> Result<Option<F::Data>, String> {
    let Some(data) = &documented.data else {
        return Ok(None);
    };
    let typed = decode_data::<F::Data>(data)?;
    let written = to_json(&typed)?;
    match compare(data, &written, source, Source::Json) {
        None => Ok(Some(typed)),
        Some(difference) => Err(difference.describe("data", &Wording::ROUND_TRIP)),
    }
}

/// Checks the example's JSON output: it reads as WHM's envelope of this
/// function, its `data` decodes into `F::Data` and encodes back to equal
/// JSON. A documented failure (`result` 0) need not carry data.
pub fn check_json<F: ApiFunction>(example: &Example) -> Result<(), Failure> {
    let fail = |message: String| failure::<F>(example, Source::Json.check(), message);
    let Some(documented) = documented(example, Source::Json) else {
        return Ok(());
    };
    let documented = documented.map_err(fail)?;
    check_metadata::<F>(&documented, Source::Json).map_err(fail)?;
    decode_and_compare::<F>(&documented, Source::Json).map_err(fail)?;
    Ok(())
}

/// Checks the example's XML output as [`check_json`] checks the JSON one,
/// and, when the example has both, that the two decode to the same typed data.
pub fn check_xml<F: ApiFunction>(example: &Example) -> Result<(), Failure> {
    let fail = |message: String| failure::<F>(example, Source::Xml.check(), message);
    let Some(documented) = documented(example, Source::Xml) else {
        return Ok(());
    };
    let documented = documented.map_err(fail)?;
    check_metadata::<F>(&documented, Source::Xml).map_err(fail)?;
    let from_xml = decode_and_compare::<F>(&documented, Source::Xml).map_err(fail)?;
    // The JSON output's own test reports its problems; here it is only the reference.
    let from_json = documented_json_data::<F>(example);
    if let (Some(from_json), Some(from_xml)) = (from_json, &from_xml) {
        let (json, xml) = (
            to_json(&from_json).map_err(fail)?,
            to_json(from_xml).map_err(fail)?,
        );
        if let Some(difference) = compare(&json, &xml, Source::Json, Source::Xml) {
            return Err(fail(difference.describe("data", &Wording::JSON_AND_XML)));
        }
    }
    Ok(())
}

/// The typed data of the example's JSON output, when it has some that decodes.
fn documented_json_data<F: ApiFunction>(example: &Example) -> Option<F::Data> {
    let documented = documented(example, Source::Json)?.ok()?;
    serde_json::from_value(documented.data?).ok()
}

/// Checks that the example's `whmapi1` command line, split as a POSIX shell
/// splits it, parses through the command line's own machinery (clap
/// arguments, `key=value` words, the checks against the spec) to the
/// example's parameters, in order, and to the same typed request.
#[cfg(feature = "cli")]
pub fn check_cli<F>(example: &Example, function: crate::cli::Function) -> Result<(), Failure>
where
    F: ApiFunction + PartialEq + fmt::Debug,
{
    use crate::cli::{app, args};

    let fail = |message: String| failure::<F>(example, "command line", message);
    let words = shell_words(example.command_line).map_err(|why| {
        fail(format!(
            "the command line {} does not split into words: {why}",
            example.command_line
        ))
    })?;
    let mut command = app::command(std::slice::from_ref(&function));
    let matches = command.try_get_matches_from_mut(&words).map_err(|e| {
        fail(format!(
            "whmapi1 refuses {}:\n{}",
            example.command_line,
            e.render()
        ))
    })?;
    let Some((name, sub)) = matches.subcommand() else {
        return Err(fail(format!("{} names no function", example.command_line)));
    };
    if name != F::NAME {
        return Err(fail(format!(
            "{} calls “{name}”, not “{}”",
            example.command_line,
            F::NAME
        )));
    }
    let pairs = args::collect(&function, sub)
        .and_then(|pairs| args::check(&function, &pairs).map(|()| pairs))
        .map_err(|e| fail(format!("whmapi1 refuses {}: {e}", example.command_line)))?;
    let expected: Vec<(String, String)> = example.params().pairs().to_vec();
    if pairs != expected {
        return Err(fail(format!(
            "whmapi1 reads {} as the parameters\n  {pairs:?}\nnot the example's\n  {expected:?}",
            example.command_line
        )));
    }
    let from_cli = F::from_params(&Params::from_pairs(pairs)).map_err(|e| {
        fail(format!(
            "the command line's parameters do not build the request: {e}"
        ))
    })?;
    let request = build_request::<F>(example).map_err(fail)?;
    if from_cli != request {
        return Err(fail(format!(
            "{} builds\n  {from_cli:?}\nnot the example's request\n  {request:?}",
            example.command_line
        )));
    }
    Ok(())
}

/// What a generated server method answers: the function's data, nothing, or a
/// [`Reply`](crate::server::Reply); all become a `Reply` for the check.
#[cfg(feature = "server")]
pub trait MockOutput<D> {
    /// The answer as a reply.
    fn into_reply(self) -> crate::server::Reply<D>;
}

#[cfg(feature = "server")]
impl<D> MockOutput<D> for D {
    fn into_reply(self) -> crate::server::Reply<D> {
        crate::server::Reply::data(self)
    }
}

#[cfg(feature = "server")]
impl<D> MockOutput<D> for crate::server::Reply<D> {
    fn into_reply(self) -> crate::server::Reply<D> {
        self
    }
}

#[cfg(feature = "server")]
impl MockOutput<crate::NoData> for () {
    fn into_reply(self) -> crate::server::Reply<crate::NoData> {
        crate::server::Reply::empty()
    }
}

/// Checks that the mock server answers the example's request as the example
/// documents: `answer` is the mock's method for `F` (called in process, with
/// a context as from `root` with an API token). Its answer, in WHM's
/// envelope as the router writes it, must equal the documented output (the
/// JSON one, else the XML one); a documented failure must be refused with
/// the documented reason. Without a documented output the call must succeed.
#[cfg(feature = "server")]
pub fn check_mock<F, M, T>(example: &Example, answer: M) -> Result<(), Failure>
where
    F: ApiFunction,
    M: AsyncFnOnce(&crate::server::RequestContext, F) -> Result<T, crate::server::ApiError>,
    T: MockOutput<F::Data>,
{
    use crate::server::{AuthScheme, Caller, OutputFormat, RequestContext};

    let fail = |message: String| failure::<F>(example, "mock answer", message);
    let request = build_request::<F>(example).map_err(fail)?;
    let (documented, source) = match documented(example, Source::Json) {
        Some(documented) => (Some(documented), Source::Json),
        None => (documented(example, Source::Xml), Source::Xml),
    };
    let documented = documented.transpose().map_err(fail)?;
    let context = RequestContext {
        caller: Caller {
            user: "root".to_owned(),
            scheme: AuthScheme::ApiToken,
        },
        security_token: None,
        format: OutputFormat::Json,
        function: F::NAME,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| fail(format!("cannot start an async runtime: {e}")))?;
    let outcome = runtime.block_on(answer(&context, request));
    let documented_reason = documented.as_ref().filter(|d| d.is_failure()).map(|d| {
        d.metadata
            .as_ref()
            .and_then(|m| m.get("reason"))
            .map(scalar_text)
            .unwrap_or_default()
    });
    let reply = match (outcome, documented_reason) {
        (Err(error), Some(reason)) if error.reason() == reason => return Ok(()),
        (Err(error), Some(reason)) => {
            return Err(fail(format!(
                "the mock refuses the request with “{}”, the example with “{reason}”",
                error.reason()
            )));
        }
        (Err(error), None) => {
            return Err(fail(format!(
                "the mock refuses the example's request: {}",
                error.reason()
            )));
        }
        (Ok(_), Some(reason)) => {
            return Err(fail(format!(
                "the mock answers with success; the example documents a failure: “{reason}”"
            )));
        }
        (Ok(output), None) => output.into_reply(),
    };
    let Some(documented) = documented else {
        return Ok(());
    };
    // The envelope as the router writes it (`whm_runtime::server`).
    let mut metadata = Metadata::ok(F::NAME);
    metadata.reason = reply.reason.unwrap_or_else(|| F::SUCCESS_REASON.to_owned());
    match reply.raw_output {
        Some(raw) => metadata = metadata.with_raw_output(raw),
        None if F::OUTPUT_RAW => metadata = metadata.with_raw_output(""),
        None => {}
    }
    metadata.extra.extend(reply.metadata);
    let mut top = serde_json::Map::new();
    if let Some(data) = &reply.data {
        top.insert("data".into(), to_json(data).map_err(fail)?);
    }
    top.insert("metadata".into(), to_json(&metadata).map_err(fail)?);
    match compare(
        &documented.envelope(),
        &Value::Object(top),
        source,
        Source::Json,
    ) {
        None => Ok(()),
        Some(difference) => Err(fail(difference.describe("", &Wording::MOCK))),
    }
}

/// A value as JSON, or why it cannot be written.
fn to_json<T: Serialize>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("the typed value does not encode as JSON: {e}"))
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `data.payload[0].access_token`; keys that are not plain names are quoted: `data.domains["example.com"]`.
fn path_text(root: &str, path: &[Step]) -> String {
    let mut out = root.to_owned();
    for step in path {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(k)
                if !k.is_empty()
                    && !k.starts_with(|c: char| c.is_ascii_digit())
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
            {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Key(k) => out.push_str(&format!("[{}]", Value::String(k.clone()))),
        }
    }
    if out.is_empty() {
        "the output".to_owned()
    } else {
        out
    }
}

fn lookup<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()),
        Step::Index(i) => v.get(*i),
    })
}

/// A copy of `value` without the member at `path` (a key of a hash or an element of an array).
fn without(value: &Value, path: &[Step]) -> Value {
    let mut copy = value.clone();
    if let Some((last, parent)) = path.split_last() {
        let parent = parent.iter().try_fold(&mut copy, |v, step| match step {
            Step::Key(k) => v.get_mut(k.as_str()),
            Step::Index(i) => v.get_mut(*i),
        });
        match (parent, last) {
            (Some(Value::Object(hash)), Step::Key(k)) => {
                hash.shift_remove(k);
            }
            (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                items.remove(*i);
            }
            _ => {}
        }
    }
    copy
}

/// Where in `value` a decoding error into `T` lies: the deepest member whose
/// removal lets `value` decode (serde's errors from a `Value` carry no path).
fn locate_error<T: DeserializeOwned>(value: &Value) -> Vec<Step> {
    let decodes = |v: Value| serde_json::from_value::<T>(v).is_ok();
    let mut path = Vec::new();
    'deeper: loop {
        let children: Vec<Step> = match lookup(value, &path) {
            Some(Value::Object(hash)) => hash.keys().map(|k| Step::Key(k.clone())).collect(),
            Some(Value::Array(items)) => (0..items.len()).map(Step::Index).collect(),
            _ => return path,
        };
        for child in children {
            path.push(child);
            if decodes(without(value, &path)) {
                continue 'deeper;
            }
            path.pop();
        }
        return path;
    }
}

/// How a difference is put into words, by which two trees are compared.
struct Wording {
    /// A member only in the first tree.
    only_first: &'static str,
    /// A member only in the second tree.
    only_second: &'static str,
    /// Names of the two trees, for values that differ.
    first: &'static str,
    second: &'static str,
}

impl Wording {
    /// The documented output against its typed value written back.
    const ROUND_TRIP: Wording = Wording {
        only_first: "is in the documented output but not in the spec's returns",
        only_second: "is not in the documented output but the typed value writes it",
        first: "documented",
        second: "written back from the typed value",
    };
    /// The typed data from the JSON output against the typed data from the XML output.
    const JSON_AND_XML: Wording = Wording {
        only_first: "is in the JSON output but not in the XML output",
        only_second: "is in the XML output but not in the JSON output",
        first: "in the JSON output",
        second: "in the XML output",
    };
    /// The documented output against the mock's answer.
    #[cfg(feature = "server")]
    const MOCK: Wording = Wording {
        only_first: "is in the documented output but not in the mock's answer",
        only_second: "is in the mock's answer but not in the documented output",
        first: "documented",
        second: "in the mock's answer",
    };
}

/// The first difference between two trees.
#[derive(Debug, Clone, PartialEq)]
enum Difference {
    OnlyFirst(Vec<Step>),
    OnlySecond(Vec<Step>, Value),
    Differs(Vec<Step>, Value, Value),
}

impl Difference {
    fn describe(&self, root: &str, wording: &Wording) -> String {
        match self {
            Difference::OnlyFirst(path) => {
                format!("{} {}", path_text(root, path), wording.only_first)
            }
            Difference::OnlySecond(path, value) => format!(
                "{} {} ({})",
                path_text(root, path),
                wording.only_second,
                short(value)
            ),
            Difference::Differs(path, first, second) => format!(
                "{} is {} {} but {} {}",
                path_text(root, path),
                short(first),
                wording.first,
                short(second),
                wording.second
            ),
        }
    }
}

/// The first difference between `first` and `second` (from the sources
/// named), with WHM's looseness: hashes compare without regard to key
/// order, scalars by [`loose_eq`], `null` equals a missing key, and a single
/// value equals a one-element array holding it. When either tree came from
/// XML, an empty value (`null`, `""`, `{}`, `[]`) also equals a missing key,
/// since XML writes them all as an empty element or not at all.
fn compare(first: &Value, second: &Value, a: Source, b: Source) -> Option<Difference> {
    let xml = a == Source::Xml || b == Source::Xml;
    let mut path = Vec::new();
    compare_at(&mut path, first, second, xml)
}

fn is_absent(value: &Value, xml: bool) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => xml && s.is_empty(),
        Value::Array(items) => xml && items.is_empty(),
        Value::Object(hash) => xml && hash.is_empty(),
        _ => false,
    }
}

fn compare_at(
    path: &mut Vec<Step>,
    first: &Value,
    second: &Value,
    xml: bool,
) -> Option<Difference> {
    match (first, second) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                path.push(Step::Key(key.clone()));
                let found = match b.get(key) {
                    Some(other) => compare_at(path, value, other, xml),
                    None if is_absent(value, xml) => None,
                    None => Some(Difference::OnlyFirst(path.clone())),
                };
                if found.is_some() {
                    return found;
                }
                path.pop();
            }
            for (key, value) in b {
                if !a.contains_key(key) && !is_absent(value, xml) {
                    path.push(Step::Key(key.clone()));
                    return Some(Difference::OnlySecond(path.clone(), value.clone()));
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(Step::Index(i));
                if let Some(found) = compare_at(path, x, y, xml) {
                    return Some(found);
                }
                path.pop();
            }
            if a.len() > b.len() {
                path.push(Step::Index(b.len()));
                return Some(Difference::OnlyFirst(path.clone()));
            }
            if b.len() > a.len() {
                path.push(Step::Index(a.len()));
                return Some(Difference::OnlySecond(path.clone(), b[a.len()].clone()));
            }
            None
        }
        // A single value where a list of one is expected (XML, and some WHM versions).
        (Value::Array(a), single) if a.len() == 1 && !single.is_array() => {
            compare_at(path, &a[0], single, xml)
        }
        (single, Value::Array(b)) if b.len() == 1 && !single.is_array() => {
            compare_at(path, single, &b[0], xml)
        }
        (a, b) if is_absent(a, xml) && is_absent(b, xml) => None,
        (a, b) if !a.is_object() && !a.is_array() && !b.is_object() && !b.is_array() => {
            (!loose_eq(a, b)).then(|| Difference::Differs(path.clone(), a.clone(), b.clone()))
        }
        (a, b) => Some(Difference::Differs(path.clone(), a.clone(), b.clone())),
    }
}

/// Whether two scalars are equal as WHM means them: strings compare as
/// written; otherwise numbers, booleans (`1`/`0`) and numeric strings compare
/// as numbers.
fn loose_eq(a: &Value, b: &Value) -> bool {
    if let (Value::String(x), Value::String(y)) = (a, b) {
        return x == y;
    }
    match (as_number(a), as_number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A scalar as text (a string without quotes).
#[cfg(feature = "server")]
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What a value is, in words, for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a hash",
    }
}

/// A value as JSON, cut short when long.
fn short(value: &Value) -> String {
    const MAX: usize = 120;
    let text = value.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Splits a command line into words as a POSIX shell does for plain words,
/// single quotes, double quotes and backslashes (no expansions).
pub fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '\'' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => current.push(c),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => current.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                current.push('\\');
                                current.push(c);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(c) => current.push(c),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err("the line ends with a backslash".into()),
            },
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{ParamError, QueryBuilder};
    use serde::Deserialize;
    use serde_json::json;

    /// A hash of two tokens, as `validate_login_token` returns them.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Token {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire")]
        access_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire")]
        refresh_token: Option<String>,
    }
    crate::impl_wire_serde!(Token);

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Data {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire")]
        payload: Option<Vec<Token>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire")]
        count: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire")]
        enabled: Option<bool>,
    }
    crate::impl_wire_serde!(Data);

    #[derive(Debug, Clone, PartialEq)]
    struct Validate {
        provider: String,
        login_token: String,
    }

    impl ApiFunction for Validate {
        const NAME: &'static str = "validate_login_token";
        const OUTPUT_RAW: bool = false;
        type Data = Data;
        fn to_query(&self, query: &mut QueryBuilder) {
            query.push("provider", &self.provider);
            query.push("login_token", &self.login_token);
        }
        fn from_params(params: &Params) -> Result<Self, ParamError> {
            Ok(Validate {
                provider: params.required("provider")?,
                login_token: params.required("login_token")?,
            })
        }
    }

    const SEED_JSON: &str = r#"{"data": {"payload": [{"access_token": "a", "refresh_token": "r"}],
        "metadata": {"command": "validate_login_token", "version": 1, "reason": "OK", "result": 1}}}"#;
    const SEED_XML: &str = "<result><metadata><version>1</version><reason>OK</reason><result>1</result>\
        <data><payload><access_token>a</access_token><refresh_token>r</refresh_token></payload></data>\
        <command>validate_login_token</command></metadata></result>";

    fn example(json: Option<&'static str>, xml: Option<&'static str>) -> Example {
        Example {
            title: "Validate",
            params: &[("provider", "cPStore"), ("login_token", "1a 2")],
            query: "api.version=1&provider=cPStore&login_token=1a%202",
            command_line: "whmapi1 --output=jsonpretty validate_login_token provider=cPStore 'login_token=1a 2'",
            json,
            xml,
        }
    }

    #[test]
    fn the_seed_example_passes_every_check() {
        let ex = example(Some(SEED_JSON), Some(SEED_XML));
        check_request::<Validate>(&ex).unwrap();
        check_json::<Validate>(&ex).unwrap();
        check_xml::<Validate>(&ex).unwrap();
    }

    #[test]
    fn a_field_the_spec_does_not_return_is_named_with_its_path() {
        let json = SEED_JSON.replace("\"access_token\"", "\"acces_token\"");
        let ex = example(Some(Box::leak(json.into_boxed_str())), Some(SEED_XML));
        let err = check_json::<Validate>(&ex).unwrap_err();
        assert_eq!(
            err.to_string(),
            "validate_login_token, example “Validate”, JSON output: data.payload[0].acces_token \
             is in the documented output but not in the spec's returns"
        );
        let err = check_xml::<Validate>(&ex).unwrap_err();
        assert_eq!(
            err.message,
            "data.payload[0].access_token is in the XML output but not in the JSON output (\"a\")"
        );
    }

    #[test]
    fn loose_scalars_are_equal_and_wrong_values_are_named() {
        let ok = r#"{"data": {"count": "5", "enabled": true}, "metadata": {"command": "validate_login_token", "version": "1", "reason": "OK", "result": "1"}}"#;
        check_json::<Validate>(&example(Some(ok), None)).unwrap();
        let bad = r#"{"data": {"count": "many"}, "metadata": {"command": "validate_login_token", "version": 1, "reason": "OK", "result": 1}}"#;
        let err = check_json::<Validate>(&example(Some(bad), None)).unwrap_err();
        assert!(
            err.message.starts_with(
                "data.count does not decode into the spec's type: the documented value is \"many\""
            ),
            "{err}"
        );
        let other = r#"{"data": {}, "metadata": {"command": "listaccts", "version": 1, "reason": "OK", "result": 1}}"#;
        let err = check_json::<Validate>(&example(Some(other), None)).unwrap_err();
        assert!(
            err.message.contains("metadata.command is “listaccts”"),
            "{err}"
        );
        let none = r#"{"data": {}}"#;
        let err = check_json::<Validate>(&example(Some(none), None)).unwrap_err();
        assert!(err.message.contains("no “metadata”"), "{err}");
    }

    #[test]
    fn xml_and_json_must_decode_to_the_same_data() {
        let xml = SEED_XML.replace("<access_token>a<", "<access_token>b<");
        let ex = example(Some(SEED_JSON), Some(Box::leak(xml.into_boxed_str())));
        let err = check_xml::<Validate>(&ex).unwrap_err();
        assert_eq!(
            err.message,
            "data.payload[0].access_token is \"a\" in the JSON output but \"b\" in the XML output"
        );
    }

    #[test]
    fn the_request_must_encode_to_the_examples_query() {
        let mut ex = example(None, None);
        ex.query = "api.version=1&login_token=1a%202&provider=cPStore";
        let err = check_request::<Validate>(&ex).unwrap_err();
        assert!(err.message.starts_with("the request encodes to"), "{err}");
        ex.params = &[("provider", "cPStore"), ("login_token", "x"), ("typo", "1")];
        let err = check_request::<Validate>(&ex).unwrap_err();
        assert!(err.message.contains("the example sends “typo”"), "{err}");
        ex.params = &[("provider", "cPStore")];
        let err = check_request::<Validate>(&ex).unwrap_err();
        assert!(
            err.message.contains("“login_token” parameter is required"),
            "{err}"
        );
    }

    #[test]
    fn comparison_forgives_only_what_whm_and_xml_blur() {
        let cmp = |a: Value, b: Value, s: Source| compare(&a, &b, s, Source::Json);
        assert_eq!(
            cmp(json!({"a": 1, "b": null}), json!({"a": true}), Source::Json),
            None
        );
        assert_eq!(
            cmp(json!({"a": "x"}), json!({"a": ["x"]}), Source::Json),
            None
        );
        assert_eq!(cmp(json!({"a": ""}), json!({}), Source::Xml), None);
        assert_eq!(
            cmp(json!({"a": ""}), json!({}), Source::Json),
            Some(Difference::OnlyFirst(vec![Step::Key("a".into())]))
        );
        assert_eq!(
            cmp(json!({"a": [1, 2]}), json!({"a": [1]}), Source::Json),
            Some(Difference::OnlyFirst(vec![
                Step::Key("a".into()),
                Step::Index(1)
            ]))
        );
        assert_eq!(
            cmp(json!("nan"), json!("nan"), Source::Json),
            None,
            "equal strings are equal whatever they spell"
        );
        assert!(cmp(json!({"a": "1.5"}), json!({"a": 1}), Source::Json).is_some());
    }

    #[test]
    fn paths_quote_keys_that_are_not_names() {
        let path = [
            Step::Key("domains".into()),
            Step::Key("example.com".into()),
            Step::Index(0),
            Step::Key("2fa".into()),
        ];
        assert_eq!(
            path_text("data", &path),
            "data.domains[\"example.com\"][0][\"2fa\"]"
        );
        assert_eq!(path_text("", &[Step::Key("data".into())]), "data");
    }

    #[test]
    fn splits_command_lines_as_a_shell_does() {
        assert_eq!(
            shell_words(r#"whmapi1 'a=b c' d=e\ f "g=\"h\"" 'it'\''s'"#).unwrap(),
            ["whmapi1", "a=b c", "d=e f", "g=\"h\"", "it's"]
        );
        assert!(shell_words("whmapi1 'open").is_err());
    }
}
