//! WHM's generic output options: filter, sort, paginate (chunk) and columns.
//!
//! Every WHM API 1 function whose `data` is one list of records takes four
//! families of extra parameters, `api.filter.*`, `api.sort.*`, `api.chunk.*`
//! and `api.columns.*`, that shape the list before it is sent. This module
//! holds them once for every function:
//!
//! - [`OutputOptions`] is the typed form. Clients build one
//!   ([`OutputOptions::filter`], [`OutputOptions::sort`],
//!   [`OutputOptions::page`], [`OutputOptions::columns`]) and append it to a
//!   call's query ([`OutputOptions::to_query`]); servers read one from a
//!   request ([`OutputOptions::from_params`]).
//! - [`OutputOptions::apply`] shapes a list the way WHM does, and writes what
//!   WHM writes about it into `metadata`.
//!
//! How WHM treats the options is taken from its own server code
//! (`Whostmgr::API::1::Data::{Args,Wrapper,Columns,Filter,Sort,Chunk}`), not
//! only from the guide, because clients depend on the details:
//!
//! - The families run in the order columns, filter, sort, chunk.
//! - WHM never refuses an option: a rule with a bad name, field, type or
//!   empty value is skipped, an unknown sort method sorts as text, and a
//!   missing or non-positive page size is 100. So does this module.
//! - Rules are named by identifiers (`a`, `b`, …; any
//!   `[A-Za-z][A-Za-z0-9_]*` except `enable`, `verbose`, `filter` and
//!   `filtered` in any case) and applied in sorted order of their names; for
//!   sorting, rule `a` decides first and later rules break its ties.
//! - Metadata about filters, sorts and pages is written only when the
//!   family's `verbose` option is set (`api.chunk.verbose=1`); the columns
//!   family always reports which columns it did not know.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::query::{Params, QueryBuilder};

/// The size of a page when a request asks for pages but not for a size: WHM's default.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// The prefixes of the four families' parameter names.
pub const PREFIXES: [&str; 4] = ["api.filter.", "api.sort.", "api.chunk.", "api.columns."];

/// How a filter rule tests a record's field (`api.filter.ID.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilterType {
    /// The field contains the value, ignoring case (`contains`, WHM's default).
    Contains,
    /// The field starts with the value, ignoring case (`begins`).
    Begins,
    /// The field is exactly the value, as text (`eq`); the only test that takes an empty value.
    Eq,
    /// The field is numerically equal to the value (`==`).
    NumEq,
    /// The field is a number less than the value (`lt`). A field that is missing
    /// or not a whole number passes too, as in WHM.
    Lt,
    /// As [`FilterType::Lt`], less than or equal (`lt_equal`).
    LtEqual,
    /// The field is a limit below the value, where `unlimited` and `0` count
    /// as no limit and so never pass (`lt_handle_unlimited`).
    LtHandleUnlimited,
    /// The field is a whole number greater than the value (`gt`).
    Gt,
    /// As [`FilterType::Gt`], greater than or equal (`gt_equal`).
    GtEqual,
    /// The field is a limit above the value, where `unlimited`, `0` and a
    /// missing field count as no limit and so always pass (`gt_handle_unlimited`).
    GtHandleUnlimited,
}

/// Every filter type with its wire name: the one table both directions use.
const FILTER_TYPES: [(FilterType, &str); 10] = [
    (FilterType::Contains, "contains"),
    (FilterType::Begins, "begins"),
    (FilterType::Eq, "eq"),
    (FilterType::NumEq, "=="),
    (FilterType::Lt, "lt"),
    (FilterType::LtEqual, "lt_equal"),
    (FilterType::LtHandleUnlimited, "lt_handle_unlimited"),
    (FilterType::Gt, "gt"),
    (FilterType::GtEqual, "gt_equal"),
    (FilterType::GtHandleUnlimited, "gt_handle_unlimited"),
];

impl FilterType {
    /// The name WHM takes in `api.filter.ID.type`.
    pub fn as_wire(self) -> &'static str {
        FILTER_TYPES
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("contains", |(_, name)| name)
    }

    /// The type a wire name stands for; `None` for a name WHM does not know.
    pub fn from_wire(name: &str) -> Option<Self> {
        FILTER_TYPES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(t, _)| *t)
    }
}

/// How a sort rule orders records (`api.sort.ID.method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SortMethod {
    /// As text, character by character (`lexicographic`, the default).
    Lexicographic,
    /// As text, ignoring case (`lexicographic_caseless`).
    LexicographicCaseless,
    /// As numbers (`numeric`).
    Numeric,
    /// As numbers, with `0` after every other number, for limits where 0 means none
    /// (`numeric_zero_as_max`).
    NumericZeroAsMax,
    /// As IPv4 addresses, by their four numbers (`ipv4`).
    Ipv4,
}

/// Every sort method with its wire name.
const SORT_METHODS: [(SortMethod, &str); 5] = [
    (SortMethod::Lexicographic, "lexicographic"),
    (SortMethod::LexicographicCaseless, "lexicographic_caseless"),
    (SortMethod::Numeric, "numeric"),
    (SortMethod::NumericZeroAsMax, "numeric_zero_as_max"),
    (SortMethod::Ipv4, "ipv4"),
];

impl SortMethod {
    /// The name WHM takes in `api.sort.ID.method`.
    pub fn as_wire(self) -> &'static str {
        SORT_METHODS
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("lexicographic", |(_, name)| name)
    }

    /// The method a wire name stands for; WHM sorts by text for any name it does not know.
    pub fn from_wire(name: &str) -> Self {
        SORT_METHODS
            .iter()
            .find(|(_, n)| *n == name)
            .map_or(SortMethod::Lexicographic, |(m, _)| *m)
    }
}

/// One filter rule: keep the records whose `field` passes `test` against `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The record's field: a name, a dotted path into nested hashes and lists
    /// (`owner.name`, `ips.[0]`), or `*` for any of the record's own values
    /// (then only `contains`, `begins` and `eq` apply).
    pub field: String,
    /// The test.
    pub test: FilterType,
    /// The value tested against (`arg0`).
    pub value: String,
}

impl Filter {
    /// A rule testing `field` with `test` against `value`.
    pub fn new(field: impl Into<String>, test: FilterType, value: impl Into<String>) -> Self {
        Filter {
            field: field.into(),
            test,
            value: value.into(),
        }
    }
}

/// One sort rule: order by `field` with `method`, descending when `reverse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// The record's field, as for [`Filter::field`] (but not `*`).
    pub field: String,
    /// How values compare.
    pub method: SortMethod,
    /// Whether the order is descending.
    pub reverse: bool,
}

impl Sort {
    /// An ascending sort by `field` with `method`.
    pub fn new(field: impl Into<String>, method: SortMethod) -> Self {
        Sort {
            field: field.into(),
            method,
            reverse: false,
        }
    }

    /// The same rule, descending.
    pub fn descending(mut self) -> Self {
        self.reverse = true;
        self
    }
}

/// Which page of the list to send (`api.chunk.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Records per page; `None` or 0 is WHM's default, [`DEFAULT_PAGE_SIZE`].
    pub size: Option<u64>,
    /// Where the page starts.
    pub from: ChunkStart,
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkStart {
    /// At this record, counting from 1 (`api.chunk.start`). A start past the
    /// end of the list gives the first page, as in WHM.
    Record(u64),
    /// At this page, counting from 1 (`api.chunk.select`).
    Page(u64),
}

/// WHM's generic output options for one call.
///
/// ```
/// use whm_runtime::output_options::{Filter, FilterType, OutputOptions, Sort, SortMethod};
///
/// let options = OutputOptions::new()
///     .filter(Filter::new("domain", FilterType::Contains, "example"))
///     .sort(Sort::new("user", SortMethod::Lexicographic))
///     .page(20, 41)
///     .columns(["user", "domain"]);
/// let mut query = whm_runtime::QueryBuilder::new();
/// options.to_query(&mut query);
/// assert!(query.as_str().starts_with("api.version=1&api.columns.enable=1&api.columns.a=user"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// The fields to keep in each record; empty keeps them all.
    pub columns: Vec<String>,
    /// The filter rules, all of which a record must pass.
    pub filters: Vec<Filter>,
    /// The sort rules, the first deciding first.
    pub sorts: Vec<Sort>,
    /// The page to send; `None` sends the whole list.
    pub chunk: Option<Chunk>,
    /// Which families WHM should describe in `metadata`.
    pub verbose: Verbose,
}

/// The families whose `verbose` option is set (`api.filter.verbose=1`): WHM then
/// describes their rules in `metadata.filter`, `metadata.sort` and `metadata.chunk`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verbose {
    /// `metadata.filter`: how many records there were before filtering, and each rule.
    pub filter: bool,
    /// `metadata.sort`: each rule.
    pub sort: bool,
    /// `metadata.chunk`: the page's start and size, the number of records and of pages.
    pub chunk: bool,
}

impl OutputOptions {
    /// No options: the whole list, as the function returns it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter rule.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filters.push(filter);
        self
    }

    /// Adds a sort rule, after the ones already added.
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sorts.push(sort);
        self
    }

    /// Sends `size` records starting at record `start` (counting from 1).
    pub fn page(mut self, size: u64, start: u64) -> Self {
        self.chunk = Some(Chunk {
            size: Some(size),
            from: ChunkStart::Record(start),
        });
        self
    }

    /// Sends page number `page` (counting from 1) of pages of `size` records.
    pub fn page_number(mut self, size: u64, page: u64) -> Self {
        self.chunk = Some(Chunk {
            size: Some(size),
            from: ChunkStart::Page(page),
        });
        self
    }

    /// Keeps only these fields of each record.
    pub fn columns<I, S>(mut self, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.columns.extend(columns.into_iter().map(Into::into));
        self
    }

    /// Asks WHM to describe the filters, sorts and page in `metadata`
    /// (`metadata.filter`, `metadata.sort`, `metadata.chunk`).
    pub fn verbose(mut self) -> Self {
        self.verbose = Verbose {
            filter: true,
            sort: true,
            chunk: true,
        };
        self
    }

    /// Whether any family is switched on.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
            && self.filters.is_empty()
            && self.sorts.is_empty()
            && self.chunk.is_none()
    }

    /// Appends the options to a query, as WHM's guide writes them: each family
    /// that is used gets `enable=1` and its rules, named `a`, `b`, ….
    pub fn to_query(&self, query: &mut QueryBuilder) {
        let verbose = |query: &mut QueryBuilder, family: &str, on: bool| {
            if on {
                query.push(&format!("api.{family}.verbose"), "1");
            }
        };
        if !self.columns.is_empty() {
            query.push("api.columns.enable", "1");
            for (i, column) in self.columns.iter().enumerate() {
                query.push(&format!("api.columns.{}", rule_id(i)), column.as_str());
            }
        }
        if !self.filters.is_empty() {
            query.push("api.filter.enable", "1");
            verbose(query, "filter", self.verbose.filter);
            for (i, filter) in self.filters.iter().enumerate() {
                let id = rule_id(i);
                query.push(&format!("api.filter.{id}.field"), filter.field.as_str());
                query.push(&format!("api.filter.{id}.type"), filter.test.as_wire());
                query.push(&format!("api.filter.{id}.arg0"), filter.value.as_str());
            }
        }
        if !self.sorts.is_empty() {
            query.push("api.sort.enable", "1");
            verbose(query, "sort", self.verbose.sort);
            for (i, sort) in self.sorts.iter().enumerate() {
                let id = rule_id(i);
                query.push(&format!("api.sort.{id}.field"), sort.field.as_str());
                query.push(&format!("api.sort.{id}.method"), sort.method.as_wire());
                query.push(
                    &format!("api.sort.{id}.reverse"),
                    if sort.reverse { "1" } else { "0" },
                );
            }
        }
        if let Some(chunk) = &self.chunk {
            query.push("api.chunk.enable", "1");
            verbose(query, "chunk", self.verbose.chunk);
            if let Some(size) = chunk.size {
                query.push("api.chunk.size", &size.to_string());
            }
            match chunk.from {
                ChunkStart::Record(start) => query.push("api.chunk.start", &start.to_string()),
                ChunkStart::Page(page) => query.push("api.chunk.select", &page.to_string()),
            }
        }
    }

    /// Reads the options of a request as WHM does: never failing, skipping
    /// what WHM skips (see the module's notes), the last of repeated keys winning.
    pub fn from_params(params: &Params) -> Self {
        let tree = ParamTree::read(params);
        let mut options = OutputOptions::default();
        if let Some(columns) = tree.family("columns") {
            // Every value of the family but `enable` names a column, as in WHM.
            options.columns = columns
                .iter()
                .filter(|(key, _)| key.as_str() != "enable")
                .filter_map(|(_, node)| node.text().map(str::to_owned))
                .collect();
        }
        if let Some(filter) = tree.family("filter") {
            options.verbose.filter = filter.flag("verbose");
            options.filters = rules(filter)
                .filter_map(|rule| {
                    let field = rule.get("field")?.text()?;
                    if field != "*" && !is_field_path(field) {
                        return None;
                    }
                    // `type` defaults to `contains` when absent or empty (or "0": WHM writes `||=`).
                    let test = match rule.get("type").and_then(ParamNode::text) {
                        None | Some("") | Some("0") => FilterType::Contains,
                        Some(other) => FilterType::from_wire(other)?,
                    };
                    if field == "*"
                        && !matches!(
                            test,
                            FilterType::Contains | FilterType::Begins | FilterType::Eq
                        )
                    {
                        return None;
                    }
                    let value = filter_value(rule).unwrap_or_default();
                    if value.is_empty() && test != FilterType::Eq {
                        return None;
                    }
                    Some(Filter::new(field, test, value))
                })
                .collect();
        }
        if let Some(sort) = tree.family("sort") {
            options.verbose.sort = sort.flag("verbose");
            options.sorts = rules(sort)
                .filter_map(|rule| {
                    let field = rule.get("field")?.text()?;
                    if !is_field_path(field) {
                        return None;
                    }
                    let method = rule
                        .get("method")
                        .and_then(ParamNode::text)
                        .map_or(SortMethod::Lexicographic, SortMethod::from_wire);
                    Some(Sort {
                        field: field.to_owned(),
                        method,
                        reverse: rule.flag("reverse"),
                    })
                })
                .collect();
        }
        if let Some(chunk) = tree.family("chunk") {
            options.verbose.chunk = chunk.flag("verbose");
            let number = |key: &str| chunk.get(key).and_then(ParamNode::text).map(perl_int);
            // A start, when given, wins over a page number.
            let from = match (number("start"), number("select")) {
                (Some(start), _) => ChunkStart::Record(start.max(0) as u64),
                (None, Some(page)) if page > 0 => ChunkStart::Page(page as u64),
                _ => ChunkStart::Record(1),
            };
            options.chunk = Some(Chunk {
                size: number("size").filter(|s| *s > 0).map(|s| s as u64),
                from,
            });
        }
        options
    }

    /// Shapes `records` as WHM does (columns, filter, sort, then the page) and
    /// adds WHM's keys about it to `metadata`.
    pub fn apply(&self, records: &mut Vec<Value>, metadata: &mut BTreeMap<String, Value>) {
        if !self.columns.is_empty() {
            metadata.insert("columns".into(), keep_columns(&self.columns, records));
        }
        if !self.filters.is_empty() {
            if self.verbose.filter {
                let mut about = Map::new();
                about.insert("filtered".into(), Value::from(records.len()));
                for (i, filter) in self.filters.iter().enumerate() {
                    let mut rule = Map::new();
                    rule.insert("valid".into(), Value::from(1));
                    rule.insert("field".into(), Value::from(filter.field.as_str()));
                    rule.insert("type".into(), Value::from(filter.test.as_wire()));
                    rule.insert("arg0".into(), Value::from(filter.value.as_str()));
                    about.insert(rule_id(i), Value::Object(rule));
                }
                metadata.insert("filter".into(), Value::Object(about));
            }
            records.retain(|record| self.filters.iter().all(|f| passes(f, record)));
        }
        if !self.sorts.is_empty() {
            if self.verbose.sort {
                let about: Map<String, Value> = self
                    .sorts
                    .iter()
                    .enumerate()
                    .map(|(i, sort)| {
                        let mut rule = Map::new();
                        rule.insert("field".into(), Value::from(sort.field.as_str()));
                        rule.insert("method".into(), Value::from(sort.method.as_wire()));
                        rule.insert("reverse".into(), Value::from(u8::from(sort.reverse)));
                        (rule_id(i), Value::Object(rule))
                    })
                    .collect();
                metadata.insert("sort".into(), Value::Object(about));
            }
            // Stable sorts, last rule first: the first rule then decides, and
            // each later one breaks the ties of those before it (what WHM's
            // successive Perl sorts do).
            for sort in self.sorts.iter().rev() {
                records.sort_by(|a, b| compare(sort, a, b));
            }
        }
        if let Some(chunk) = &self.chunk {
            let total = records.len() as u64;
            let size = chunk.size.filter(|s| *s > 0).unwrap_or(DEFAULT_PAGE_SIZE);
            let mut start = match chunk.from {
                ChunkStart::Record(start) if start > 0 => start,
                ChunkStart::Page(page) if page > 0 => size.saturating_mul(page - 1) + 1,
                _ => 1,
            };
            if start > total {
                start = 1;
            }
            let first = usize::try_from(start - 1).unwrap_or(usize::MAX);
            let count = usize::try_from(size).unwrap_or(usize::MAX);
            let page: Vec<Value> = records.drain(..).skip(first).take(count).collect();
            *records = page;
            if self.verbose.chunk {
                let mut about = Map::new();
                about.insert("start".into(), Value::from(start));
                about.insert("size".into(), Value::from(size));
                about.insert("records".into(), Value::from(total));
                about.insert("current".into(), Value::from(start.div_ceil(size)));
                about.insert("chunks".into(), Value::from(total.div_ceil(size)));
                metadata.insert("chunk".into(), Value::Object(about));
            }
        }
    }
}

/// Whether a request's parameters switch on any family of output options.
pub fn requested(params: &Params) -> bool {
    params.pairs().iter().any(|(key, value)| {
        PREFIXES
            .iter()
            .any(|p| key.strip_prefix(p) == Some("enable"))
            && is_true(value)
    })
}

/// The name of the `i`th rule: `a` … `z`, then `za` … `zz`, `zza` …, so
/// that names sort in the order the rules were given, however many there are.
fn rule_id(i: usize) -> String {
    let mut id = "z".repeat(i / 26);
    id.push(char::from(b'a' + (i % 26) as u8));
    id
}

/// Perl's truth: anything but empty and `0`.
fn is_true(value: &str) -> bool {
    !value.is_empty() && value != "0"
}

/// A rule name WHM accepts: `[a-z][a-z0-9_]*`, not one of the family's own keys.
fn is_rule_id(id: &str) -> bool {
    const RESERVED: [&str; 4] = ["enable", "verbose", "filter", "filtered"];
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(id))
}

/// A field path WHM accepts: names of `[A-Za-z0-9_]` joined by `.`, where a
/// step may also be a list index `[N]` (not the first).
fn is_field_path(path: &str) -> bool {
    let name = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let mut steps = path.split('.');
    steps.next().is_some_and(name) && steps.all(|s| name(s) || index_step(s).is_some())
}

/// The index of a `[N]` path step.
fn index_step(step: &str) -> Option<usize> {
    let digits = step.strip_prefix('[')?.strip_suffix(']')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The value at a field path in a record, if every step exists.
fn lookup<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(record, |at, step| match index_step(step) {
            Some(i) => at.as_array()?.get(i),
            None => at.as_object()?.get(step),
        })
}

/// The first of a filter rule's values (`arg0`, `arg1`, … by number; `arg00` is `arg0`).
fn filter_value(rule: &ParamNode) -> Option<String> {
    let mut numbered: Vec<(u64, &str)> = rule
        .iter()
        .filter_map(|(key, node)| {
            let n = key.strip_prefix("arg")?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .then(|| Some((n.parse().ok()?, node.text()?)))
                .flatten()
        })
        .collect();
    numbered.sort_by_key(|(n, _)| *n);
    numbered.first().map(|(_, v)| (*v).to_owned())
}

/// A scalar as Perl would see it: text, or `None` when undefined.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "" }.to_owned()),
        // Hashes and lists are not scalars; callers look inside lists themselves.
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Perl's number of a string: its leading decimal number, else 0.
fn perl_num(text: &str) -> f64 {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_from = end;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if bytes.get(end) == Some(&b'.') {
        end += 1;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    if end == digits_from || &text[digits_from..end] == "." {
        return 0.0;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exp = end + 1;
        if matches!(bytes.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        let exp_digits = exp;
        while bytes.get(exp).is_some_and(u8::is_ascii_digit) {
            exp += 1;
        }
        if exp > exp_digits {
            end = exp;
        }
    }
    text[..end].parse().unwrap_or(0.0)
}

/// Perl's `int` of a parameter: its number, truncated.
fn perl_int(text: &str) -> i64 {
    perl_num(text) as i64
}

fn is_unsigned_integer(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_unlimited(text: &str) -> bool {
    text.eq_ignore_ascii_case("unlimited")
}

/// Whether a record passes a filter rule.
fn passes(filter: &Filter, record: &Value) -> bool {
    let term = filter.value.as_str();
    if filter.field == "*" {
        // Any of the record's own values, or any item of a list among them.
        let Some(fields) = record.as_object() else {
            return false;
        };
        return fields.values().any(|value| match value {
            Value::Array(items) => items
                .iter()
                .any(|item| scalar_text(item).is_some_and(|t| text_test(filter.test, &t, term))),
            Value::Object(_) => false,
            scalar => scalar_text(scalar).is_some_and(|t| text_test(filter.test, &t, term)),
        });
    }
    match lookup(record, &filter.field) {
        Some(Value::Array(items)) => items
            .iter()
            .any(|item| item_test(filter.test, scalar_text(item).as_deref(), term)),
        Some(Value::Object(_)) => false,
        value => field_test(filter.test, value.and_then(scalar_text).as_deref(), term),
    }
}

/// The text tests, which `*` filters also use.
fn text_test(test: FilterType, value: &str, term: &str) -> bool {
    match test {
        FilterType::Contains => value.to_lowercase().contains(&term.to_lowercase()),
        FilterType::Begins => value.to_lowercase().starts_with(&term.to_lowercase()),
        FilterType::Eq => value == term,
        _ => false,
    }
}

/// A test of a field's single value (`None`: the field is missing or null).
fn field_test(test: FilterType, value: Option<&str>, term: &str) -> bool {
    let t = perl_num(term);
    let number = |v: &str| perl_num(v);
    match test {
        FilterType::Contains | FilterType::Begins | FilterType::Eq => {
            text_test(test, value.unwrap_or(""), term)
        }
        FilterType::NumEq => number(value.unwrap_or("")) == t,
        // WHM lets through what is not a whole number here ("not handling
        // unlimited value so far", its code says); `gt` does the opposite.
        FilterType::Lt => value.is_none_or(|v| !is_unsigned_integer(v) || number(v) < t),
        FilterType::LtEqual => value.is_none_or(|v| !is_unsigned_integer(v) || number(v) <= t),
        FilterType::Gt => value.is_some_and(|v| is_unsigned_integer(v) && number(v) > t),
        FilterType::GtEqual => value.is_some_and(|v| is_unsigned_integer(v) && number(v) >= t),
        FilterType::LtHandleUnlimited => {
            value.is_some_and(|v| !is_unlimited(v) && number(v) != 0.0 && number(v) < t)
        }
        FilterType::GtHandleUnlimited => {
            value.is_none_or(|v| is_unlimited(v) || number(v) == 0.0 || number(v) > t)
        }
    }
}

/// A test of one item of a list field: WHM compares items plainly, without
/// the leniency of [`field_test`] for missing or non-numeric values.
fn item_test(test: FilterType, value: Option<&str>, term: &str) -> bool {
    let t = perl_num(term);
    let v = value.unwrap_or("");
    match test {
        FilterType::Contains | FilterType::Begins | FilterType::Eq => text_test(test, v, term),
        FilterType::NumEq => perl_num(v) == t,
        FilterType::Lt => perl_num(v) < t,
        FilterType::LtEqual => perl_num(v) <= t,
        FilterType::Gt => perl_num(v) > t,
        FilterType::GtEqual => perl_num(v) >= t,
        FilterType::LtHandleUnlimited => {
            value.is_some_and(|v| !is_unlimited(v) && perl_num(v) != 0.0 && perl_num(v) < t)
        }
        FilterType::GtHandleUnlimited => {
            value.is_none_or(|v| is_unlimited(v) || perl_num(v) == 0.0 || perl_num(v) > t)
        }
    }
}

/// The order of two records under one sort rule.
fn compare(sort: &Sort, a: &Value, b: &Value) -> Ordering {
    let text = |record: &Value| {
        lookup(record, &sort.field)
            .and_then(scalar_text)
            .unwrap_or_default()
    };
    let (x, y) = (text(a), text(b));
    let order = match sort.method {
        SortMethod::Lexicographic => x.cmp(&y),
        SortMethod::LexicographicCaseless => x.to_lowercase().cmp(&y.to_lowercase()),
        SortMethod::Numeric => perl_num(&x).total_cmp(&perl_num(&y)),
        SortMethod::NumericZeroAsMax => {
            let (m, n) = (perl_num(&x), perl_num(&y));
            match (m == 0.0, n == 0.0) {
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => m.total_cmp(&n),
            }
        }
        SortMethod::Ipv4 => ipv4_octets(&x).cmp(&ipv4_octets(&y)),
    };
    if sort.reverse { order.reverse() } else { order }
}

/// An address's four numbers, as WHM packs them (missing ones are 0, each taken modulo 256).
fn ipv4_octets(text: &str) -> [u8; 4] {
    let mut octets = [0u8; 4];
    for (slot, part) in octets.iter_mut().zip(text.split('.')) {
        *slot = (perl_int(part).rem_euclid(256)) as u8;
    }
    octets
}

/// Keeps the named fields of each record, and says which names no record has.
fn keep_columns(columns: &[String], records: &mut [Value]) -> Value {
    let known = |column: &String| {
        records
            .iter()
            .any(|r| r.as_object().is_some_and(|o| o.contains_key(column)))
    };
    let invalid: Vec<&String> = columns.iter().filter(|c| !known(c)).collect();
    for record in records.iter_mut() {
        if let Some(fields) = record.as_object_mut() {
            fields.retain(|key, _| columns.contains(key));
        }
    }
    let mut about = Map::new();
    if invalid.is_empty() {
        // WHM's word when every column was known.
        about.insert("invalid_msg".into(), Value::from("None"));
    } else {
        // WHM's own sentence here is not published; this one says the same.
        let names: Vec<&str> = invalid.iter().map(|c| c.as_str()).collect();
        about.insert(
            "invalid_msg".into(),
            Value::from(format!(
                "These columns are not fields of the records: {}.",
                names.join(", ")
            )),
        );
        about.insert(
            "invalid".into(),
            Value::Array(names.into_iter().map(Value::from).collect()),
        );
    }
    Value::Object(about)
}

/// The `api.*` parameters as the tree WHM builds from their dotted names.
struct ParamTree(ParamNode);

/// A node of [`ParamTree`]: a value, or named children.
#[derive(Default)]
struct ParamNode {
    text: Option<String>,
    children: BTreeMap<String, ParamNode>,
}

impl ParamTree {
    fn read(params: &Params) -> Self {
        let mut root = ParamNode::default();
        for (key, value) in params.pairs() {
            let Some(path) = key.strip_prefix("api.") else {
                continue;
            };
            let mut node = &mut root;
            for step in path.split('.') {
                node = node.children.entry(step.to_owned()).or_default();
            }
            // Later keys win, as in WHM's hash.
            node.text = Some(value.clone());
        }
        ParamTree(root)
    }

    /// A family that is switched on (`api.FAMILY.enable` true).
    fn family(&self, name: &str) -> Option<&ParamNode> {
        self.0.get(name).filter(|f| f.flag("enable"))
    }
}

impl ParamNode {
    fn get(&self, key: &str) -> Option<&ParamNode> {
        self.children.get(key)
    }

    fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(ParamNode::text).is_some_and(is_true)
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &ParamNode)> {
        self.children.iter()
    }
}

/// A family's rules in the order of their names (the tree keeps names sorted).
fn rules(family: &ParamNode) -> impl Iterator<Item = &ParamNode> {
    family
        .iter()
        .filter(|(id, rule)| is_rule_id(id) && !rule.children.is_empty())
        .map(|(_, rule)| rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn accounts() -> Vec<Value> {
        vec![
            json!({"user": "carol", "domain": "carol.example.org", "disklimit": "unlimited", "ip": "10.0.0.20", "plan": "gold", "tags": ["vip", "eu"]}),
            json!({"user": "alice", "domain": "alice.example.com", "disklimit": "500", "ip": "10.0.0.3", "plan": "gold", "tags": ["us"]}),
            json!({"user": "Bob", "domain": "bob.example.net", "disklimit": "0", "ip": "10.0.0.100", "plan": "silver"}),
            json!({"user": "dave", "domain": "dave.test", "disklimit": "2000", "ip": "9.1.1.1", "plan": "silver", "owner": {"name": "root"}}),
        ]
    }

    fn options(query: &str) -> OutputOptions {
        OutputOptions::from_params(&Params::parse(query).unwrap())
    }

    fn users(query: &str) -> Vec<String> {
        let mut records = accounts();
        options(query).apply(&mut records, &mut BTreeMap::new());
        records
            .iter()
            .map(|r| r["user"].as_str().unwrap_or("?").to_owned())
            .collect()
    }

    fn filtered(field: &str, test: &str, arg: &str) -> Vec<String> {
        users(&format!(
            "api.filter.enable=1&api.filter.a.field={field}&api.filter.a.type={}&api.filter.a.arg0={arg}",
            crate::query::encode_component(test)
        ))
    }

    #[test]
    fn every_filter_type_keeps_what_whm_keeps() {
        assert_eq!(filtered("domain", "contains", "EXAMPLE.C"), ["alice"]);
        assert_eq!(filtered("user", "begins", "b"), ["Bob"]);
        assert_eq!(filtered("user", "eq", "bob"), Vec::<String>::new());
        assert_eq!(filtered("user", "eq", "Bob"), ["Bob"]);
        assert_eq!(filtered("disklimit", "==", "500"), ["alice"]);
        // `lt` lets through what is not a whole number (`unlimited`).
        assert_eq!(
            filtered("disklimit", "lt", "600"),
            ["carol", "alice", "Bob"]
        );
        assert_eq!(
            filtered("disklimit", "lt_equal", "500"),
            ["carol", "alice", "Bob"]
        );
        assert_eq!(filtered("disklimit", "gt", "500"), ["dave"]);
        assert_eq!(filtered("disklimit", "gt_equal", "500"), ["alice", "dave"]);
        // Unlimited and 0 are no limit: never below, always above.
        assert_eq!(
            filtered("disklimit", "lt_handle_unlimited", "1000"),
            ["alice"]
        );
        assert_eq!(
            filtered("disklimit", "gt_handle_unlimited", "1000"),
            ["carol", "Bob", "dave"]
        );
    }

    #[test]
    fn filters_look_into_lists_nested_hashes_and_every_field() {
        assert_eq!(filtered("tags", "eq", "eu"), ["carol"]);
        assert_eq!(filtered("owner.name", "eq", "root"), ["dave"]);
        assert_eq!(filtered("tags.[0]", "eq", "us"), ["alice"]);
        assert_eq!(filtered("*", "contains", "SILVER"), ["Bob", "dave"]);
        assert_eq!(filtered("*", "eq", "vip"), ["carol"]);
        // A missing field holds nothing to contain.
        assert_eq!(filtered("nosuch", "contains", "x"), Vec::<String>::new());
    }

    #[test]
    fn several_filters_must_all_pass() {
        assert_eq!(
            users(
                "api.filter.enable=1&api.filter.a.field=plan&api.filter.a.arg0=gold\
                 &api.filter.b.field=domain&api.filter.b.type=contains&api.filter.b.arg0=.org"
            ),
            ["carol"]
        );
    }

    #[test]
    fn rules_whm_would_skip_are_skipped() {
        let all = ["carol", "alice", "Bob", "dave"];
        // Not switched on, unknown type, empty value, bad field path, reserved rule name.
        assert_eq!(filtered_off(), all);
        assert_eq!(filtered("user", "ends", "e"), all);
        assert_eq!(filtered("user", "contains", ""), all);
        assert_eq!(filtered("user-name", "contains", "a"), all);
        assert_eq!(filtered("*", "gt", "1"), all);
        assert_eq!(
            users("api.filter.enable=1&api.filter.verbose.field=user&api.filter.verbose.arg0=x"),
            all
        );
        // An empty value is fine for `eq`: nobody has an empty user.
        assert_eq!(filtered("user", "eq", ""), Vec::<String>::new());
    }

    fn filtered_off() -> Vec<String> {
        users("api.filter.enable=0&api.filter.a.field=user&api.filter.a.arg0=zzz")
    }

    #[test]
    fn every_sort_method_orders_as_whm_does() {
        let sorted = |method: &str, field: &str, reverse: u8| {
            users(&format!(
                "api.sort.enable=1&api.sort.a.field={field}&api.sort.a.method={method}&api.sort.a.reverse={reverse}"
            ))
        };
        assert_eq!(
            sorted("lexicographic", "user", 0),
            ["Bob", "alice", "carol", "dave"]
        );
        assert_eq!(
            sorted("lexicographic_caseless", "user", 0),
            ["alice", "Bob", "carol", "dave"]
        );
        assert_eq!(
            sorted("alphabet", "user", 1),
            ["dave", "carol", "alice", "Bob"]
        );
        assert_eq!(
            sorted("numeric", "disklimit", 0),
            ["carol", "Bob", "alice", "dave"]
        );
        assert_eq!(
            sorted("numeric_zero_as_max", "disklimit", 0),
            ["alice", "dave", "carol", "Bob"]
        );
        assert_eq!(sorted("ipv4", "ip", 0), ["dave", "alice", "carol", "Bob"]);
        assert_eq!(sorted("ipv4", "ip", 1), ["Bob", "carol", "alice", "dave"]);
    }

    #[test]
    fn the_first_sort_rule_decides_and_later_ones_break_ties() {
        assert_eq!(
            users(
                "api.sort.enable=1&api.sort.a.field=plan&api.sort.b.field=user&api.sort.b.reverse=1"
            ),
            ["carol", "alice", "dave", "Bob"]
        );
    }

    #[test]
    fn pages_count_from_one_and_a_start_past_the_end_gives_the_first() {
        let page = |q: &str| users(&format!("api.chunk.enable=1&{q}"));
        assert_eq!(
            page("api.chunk.size=2&api.chunk.start=1"),
            ["carol", "alice"]
        );
        assert_eq!(page("api.chunk.size=2&api.chunk.start=3"), ["Bob", "dave"]);
        assert_eq!(page("api.chunk.size=3&api.chunk.start=4"), ["dave"]);
        assert_eq!(
            page("api.chunk.size=2&api.chunk.start=5"),
            ["carol", "alice"]
        );
        assert_eq!(page("api.chunk.size=2&api.chunk.select=2"), ["Bob", "dave"]);
        // A start wins over a page number; size 0 is the default (100).
        assert_eq!(
            page("api.chunk.size=1&api.chunk.start=2&api.chunk.select=4"),
            ["alice"]
        );
        assert_eq!(page("api.chunk.size=0").len(), 4);
    }

    #[test]
    fn verbose_options_describe_the_page_the_filters_and_the_sorts() {
        let mut records = accounts();
        let mut metadata = BTreeMap::new();
        options(
            "api.filter.enable=1&api.filter.verbose=1&api.filter.a.field=plan&api.filter.a.arg0=s\
             &api.sort.enable=1&api.sort.a.field=user\
             &api.chunk.enable=1&api.chunk.verbose=1&api.chunk.size=1&api.chunk.start=2",
        )
        .apply(&mut records, &mut metadata);
        assert_eq!(records.len(), 1);
        assert_eq!(
            metadata["chunk"],
            json!({"start": 2, "size": 1, "records": 2, "current": 2, "chunks": 2})
        );
        assert_eq!(metadata["filter"]["filtered"], json!(4));
        assert_eq!(metadata["filter"]["a"]["type"], json!("contains"));
        // The sort family was not asked to be verbose.
        assert!(!metadata.contains_key("sort"));
        let mut quiet = BTreeMap::new();
        options("api.chunk.enable=1&api.chunk.size=1").apply(&mut accounts(), &mut quiet);
        assert!(quiet.is_empty());
    }

    #[test]
    fn columns_keep_the_named_fields_and_name_the_unknown_ones() {
        let mut records = accounts();
        let mut metadata = BTreeMap::new();
        options("api.columns.enable=1&api.columns.a=user&api.columns.b=plan&api.columns.c=nosuch")
            .apply(&mut records, &mut metadata);
        assert_eq!(records[0], json!({"user": "carol", "plan": "gold"}));
        assert_eq!(metadata["columns"]["invalid"], json!(["nosuch"]));
        let mut metadata = BTreeMap::new();
        options("api.columns.enable=1&api.columns.a=user").apply(&mut accounts(), &mut metadata);
        assert_eq!(metadata["columns"], json!({"invalid_msg": "None"}));
    }

    #[test]
    fn typed_options_read_back_as_they_were_built() {
        let built = OutputOptions::new()
            .filter(Filter::new("domain", FilterType::NumEq, "5"))
            .filter(Filter::new("*", FilterType::Begins, "a b&c"))
            .sort(Sort::new("ip", SortMethod::Ipv4).descending())
            .sort(Sort::new("user", SortMethod::LexicographicCaseless))
            .page_number(20, 3)
            .columns(["user", "ip"])
            .verbose();
        let mut query = QueryBuilder::new();
        built.to_query(&mut query);
        let read = OutputOptions::from_params(&Params::parse(query.as_str()).unwrap());
        assert_eq!(read, built);
        assert!(requested(&Params::parse(query.as_str()).unwrap()));
        assert!(!requested(&Params::parse("api.chunk.enable=0").unwrap()));
    }

    #[test]
    fn many_rules_keep_their_order() {
        let ids: Vec<String> = (0..60).map(rule_id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert!(ids.iter().all(|id| is_rule_id(id)));
    }

    #[test]
    fn numbers_read_as_perl_reads_them() {
        assert_eq!(perl_num("10M"), 10.0);
        assert_eq!(perl_num(" -2.5e1x"), -25.0);
        assert_eq!(perl_num("unlimited"), 0.0);
        assert_eq!(perl_num("."), 0.0);
        assert_eq!(perl_num("3e"), 3.0);
        assert_eq!(ipv4_octets("10.0.0.300"), [10, 0, 0, 44]);
    }
}
