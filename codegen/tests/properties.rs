//! Property test: random valid spec trees go through the front end and every
//! emitter, and the output keeps the promises that need no rustc.
//!
//! The generator writes YAML spec trees into a temporary folder: one to four
//! functions in one to three categories, with names drawn from Rust keywords,
//! the compiler's own type words, WHM-style names with hyphens, dots, capitals
//! and leading digits; parameters and returns of every type name, nested
//! hashes, lists and maps of hashes, string and integer enums and documented
//! booleans, `y`/`n` flags, numbers-or-text and every string format; list
//! parameters sent numbered, repeated or comma-joined; checks beyond the type
//! on parameters of fitting types (`minimum`/`maximum` on numbers,
//! `min_length`/`max_length` and `pattern` on text, of single values and of
//! list elements, with bounds a few steps either side of the example, which
//! meets them, and `required_if` naming another parameter of the function,
//! with one value or a list); POST functions and success reasons other than
//! `OK` (which the example's envelope then answers); and descriptions with
//! Markdown, raw HTML and non-ASCII text. For each tree it checks that:
//!
//! - `load_api` accepts it (the generator makes only valid specs, so a
//!   refusal is a compiler bug) and keeps every function and field;
//! - every emitted `.rs` file parses with `syn`;
//! - loading and emitting twice gives the same files, byte for byte;
//! - every parameter is a field of its request struct, every returned field a
//!   field of its data struct (nested hashes: of their own struct), under its
//!   Rust name;
//! - every parameter, returned and metadata field (nested ones too) has a row
//!   on its function's docs page, showing its wire name HTML-escaped, with an
//!   `id` of its own on that page;
//! - every parameter keeps its constraints in the IR, and its request type's
//!   `ApiFunction::CHECKS` (read back from the emitted tokens) lists each
//!   one, in spec order, as `Check::joined` for a comma-joined list and
//!   `Check::new` otherwise, with the same bound, pattern or condition;
//! - each parameter's docs row shows each bound under "Possible values" (the
//!   number, the pattern in `<code>`, the other parameter and its values);
//! - the command line declares exactly the function's parameters, by wire
//!   name, in spec order.
//!
//! It runs 64 cases from a fixed seed, so CI is reproducible; set
//! `PROPTEST_CASES` and `PROPTEST_RNG_SEED` to explore further.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::panic::PanicHookInfo;
use std::path::Path;
use std::sync::Arc;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use quote::ToTokens;

use whm_codegen::emit::docs::page_stem;
use whm_codegen::emit::{OutputFile, emit_all};
use whm_codegen::front::load_api;
use whm_codegen::ident::{snake_case, unraw, upper_camel_case};
use whm_codegen::ir::{Api, Constraint, Field, Function, Type};
use whm_codegen::write::render;

// ---------------------------------------------------------------------------
// The model of a spec tree, and its YAML.

/// The type names that take no other key.
const SCALARS: &[&str] = &[
    "string",
    "url",
    "email",
    "ipv4",
    "domain",
    "username",
    "integer",
    "float",
    "boolean",
    "timestamp",
    "limit",
    "any",
    "yes_no",
    "string_or_integer",
    "dns_name",
    "fqdn",
    "path",
    "cidr",
    "ipv6",
    "ip",
    "uuid",
];

/// A field's type, as a spec writes it.
#[derive(Debug, Clone)]
enum Ty {
    /// One of [`SCALARS`].
    Scalar(&'static str),
    /// `type: string` with `enum:` (values distinct).
    StringEnum(Vec<String>),
    /// `type: integer` with `enum:` (values distinct).
    IntegerEnum(Vec<i64>),
    /// `type: boolean` with `enum:` documenting 1 and 0.
    DocumentedBoolean,
    /// `type: array`; `items` is a scalar or a hash.
    Array { items: Box<Ty>, style: Style },
    /// `type: hash` with `fields:`.
    Hash(Vec<FieldSpec>),
    /// `type: map`; `values` is a scalar or a hash.
    Map(Box<Ty>),
}

/// How an array parameter travels (`list_style:`); returned arrays are `Numbered`, which writes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Numbered,
    Repeated,
    Comma,
}

/// A field as a spec writes it.
#[derive(Debug, Clone)]
struct FieldSpec {
    name: String,
    ty: Ty,
    description: String,
    required: bool,
    nullable: bool,
    deprecated: bool,
    with_example: bool,
    with_default: bool,
    possible_values: Vec<String>,
    /// Whether enum values are written as `{value, description}` mappings.
    described_values: bool,
    /// `minimum`, `maximum`, `min_length`, `max_length`, `pattern` and
    /// `required_if` (parameters only).
    constraints: Constraints,
}

/// The checks beyond the type a parameter's spec writes, each fitting its
/// type and its example (which is also its default).
#[derive(Debug, Clone, Default)]
struct Constraints {
    minimum: Option<i64>,
    maximum: Option<i64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<&'static str>,
    /// Another parameter of the function (its wire name) and the values that
    /// make this one required: written `value: A` for one, `value: [A, B]` for more.
    required_if: Option<(String, Vec<&'static str>)>,
}

impl Constraints {
    /// The constraints in the order the spec writes them (and the IR keeps them).
    fn expected(&self) -> Vec<Constraint> {
        let mut out = Vec::new();
        out.extend(self.minimum.map(Constraint::Minimum));
        out.extend(self.maximum.map(Constraint::Maximum));
        out.extend(self.min_length.map(Constraint::MinLength));
        out.extend(self.max_length.map(Constraint::MaxLength));
        out.extend(self.pattern.map(|p| Constraint::Pattern(p.to_owned())));
        out.extend(
            self.required_if
                .iter()
                .map(|(param, values)| Constraint::RequiredIf {
                    param: param.clone(),
                    values: values.iter().map(|v| (*v).to_owned()).collect(),
                }),
        );
        out
    }
}

/// A function as a spec writes it.
#[derive(Debug, Clone)]
struct FunctionSpec {
    name: String,
    /// Index into the tree's categories.
    category: usize,
    summary: String,
    description: String,
    since: Option<String>,
    notes: Vec<String>,
    list_output: bool,
    params: Vec<FieldSpec>,
    returns: Vec<FieldSpec>,
    metadata: Vec<FieldSpec>,
    output_raw: Option<String>,
    with_example: bool,
    /// `method: POST`.
    post: bool,
    /// `success_reason:`, which the example's envelope then answers.
    success_reason: Option<String>,
}

/// A spec tree: categories (id, title, description) and functions.
#[derive(Debug, Clone)]
struct Tree {
    categories: Vec<(&'static str, &'static str, String)>,
    functions: Vec<FunctionSpec>,
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// An example value that fits `ty`, as a spec writes it (already quoted).
fn example_value(ty: &Ty) -> Option<String> {
    Some(match ty {
        Ty::Scalar(name) => match *name {
            "string" | "any" => quoted("text — Ü <b>&"),
            "url" => quoted("https://example.com/a?b=c&d=e"),
            "email" => quoted("user@example.com"),
            "ipv4" => quoted("192.0.2.1"),
            "domain" => quoted("example.com"),
            "username" => quoted("user1"),
            "integer" | "timestamp" => "1700000000".to_owned(),
            "float" => "0.5".to_owned(),
            "boolean" => "1".to_owned(),
            "limit" => quoted("unlimited"),
            "yes_no" => quoted("y"),
            "string_or_integer" => quoted("1000M"),
            "dns_name" => quoted("www.example.com."),
            "fqdn" => quoted("host.example.com"),
            "path" => quoted("/home/user1/public_html"),
            "cidr" => quoted("192.0.2.0/24"),
            "ipv6" => quoted("2001:db8::1"),
            "ip" => quoted("2001:db8::2"),
            "uuid" => quoted("9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c"),
            _ => return None,
        },
        Ty::StringEnum(values) => quoted(values.first()?),
        Ty::IntegerEnum(values) => values.first()?.to_string(),
        Ty::DocumentedBoolean => "0".to_owned(),
        Ty::Array { items, .. } => example_value(items)?,
        Ty::Hash(_) | Ty::Map(_) => return None,
    })
}

fn write_fields(out: &mut String, indent: usize, key: &str, fields: &[FieldSpec]) {
    if fields.is_empty() {
        return;
    }
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{key}:");
    for field in fields {
        write_field(out, indent + 2, field);
    }
}

fn write_field(out: &mut String, indent: usize, f: &FieldSpec) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}- name: {}", quoted(&f.name));
    let pad = " ".repeat(indent + 2);
    let line = |out: &mut String, text: String| {
        let _ = writeln!(out, "{pad}{text}");
    };
    line(out, format!("description: {}", quoted(&f.description)));
    write_type(out, indent + 2, &f.ty, f.described_values);
    if f.required {
        line(out, "required: true".into());
    }
    if f.nullable {
        line(out, "nullable: true".into());
    }
    if f.deprecated {
        line(out, "deprecated: true".into());
    }
    if f.with_example
        && let Some(example) = example_value(&f.ty)
    {
        line(out, format!("example: {example}"));
    }
    if f.with_default
        && !f.required
        && !matches!(f.ty, Ty::Array { .. })
        && let Some(default) = example_value(&f.ty)
    {
        line(out, format!("default: {default}"));
    }
    if !f.possible_values.is_empty() {
        line(out, "possible_values:".into());
        for value in &f.possible_values {
            line(out, format!("  - {}", quoted(value)));
        }
    }
    let c = &f.constraints;
    if let Some(n) = c.minimum {
        line(out, format!("minimum: {n}"));
    }
    if let Some(n) = c.maximum {
        line(out, format!("maximum: {n}"));
    }
    if let Some(n) = c.min_length {
        line(out, format!("min_length: {n}"));
    }
    if let Some(n) = c.max_length {
        line(out, format!("max_length: {n}"));
    }
    if let Some(pattern) = c.pattern {
        line(out, format!("pattern: {}", quoted(pattern)));
    }
    if let Some((param, values)) = &c.required_if {
        let value = match values.as_slice() {
            [one] => quoted(one),
            more => format!(
                "[{}]",
                more.iter()
                    .map(|v| quoted(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        line(out, "required_if:".into());
        line(out, format!("  param: {}", quoted(param)));
        line(out, format!("  value: {value}"));
    }
}

/// `type:` and the keys that go with it (`items`, `values`, `fields`, `enum`, `list_style`).
fn write_type(out: &mut String, indent: usize, ty: &Ty, described: bool) {
    let pad = " ".repeat(indent);
    let enum_values = |out: &mut String, values: Vec<String>| {
        let _ = writeln!(out, "{pad}enum:");
        for (i, value) in values.iter().enumerate() {
            if described {
                let _ = writeln!(
                    out,
                    "{pad}  - value: {value}\n{pad}    description: {}",
                    quoted(&format!("Value {i}: <i>{value}</i> — ✓"))
                );
            } else {
                let _ = writeln!(out, "{pad}  - {value}");
            }
        }
    };
    match ty {
        Ty::Scalar(name) => {
            let _ = writeln!(out, "{pad}type: {name}");
        }
        Ty::StringEnum(values) => {
            let _ = writeln!(out, "{pad}type: string");
            enum_values(out, values.iter().map(|v| quoted(v)).collect());
        }
        Ty::IntegerEnum(values) => {
            let _ = writeln!(out, "{pad}type: integer");
            enum_values(out, values.iter().map(i64::to_string).collect());
        }
        Ty::DocumentedBoolean => {
            let _ = writeln!(out, "{pad}type: boolean");
            enum_values(out, vec!["1".into(), "0".into()]);
        }
        Ty::Array { items, style } => {
            let _ = writeln!(out, "{pad}type: array");
            let list_style = match style {
                Style::Numbered => None,
                Style::Repeated => Some("repeated"),
                Style::Comma => Some("comma"),
            };
            if let Some(list_style) = list_style {
                let _ = writeln!(out, "{pad}list_style: {list_style}");
            }
            write_element(out, indent, "items", items);
        }
        Ty::Map(values) => {
            let _ = writeln!(out, "{pad}type: map");
            write_element(out, indent, "values", values);
        }
        Ty::Hash(fields) => {
            let _ = writeln!(out, "{pad}type: hash");
            write_fields(out, indent, "fields", fields);
        }
    }
}

/// `items:` or `values:`, with `fields:` beside it for a hash.
fn write_element(out: &mut String, indent: usize, key: &str, element: &Ty) {
    let pad = " ".repeat(indent);
    match element {
        Ty::Scalar(name) => {
            let _ = writeln!(out, "{pad}{key}: {name}");
        }
        Ty::Hash(fields) => {
            let _ = writeln!(out, "{pad}{key}: hash");
            write_fields(out, indent, "fields", fields);
        }
        other => unreachable!("the generator makes no {other:?} element"),
    }
}

fn function_yaml(f: &FunctionSpec, category: &str) -> String {
    let mut out = String::from("# yaml-language-server: $schema=../schema.json\n");
    let _ = writeln!(out, "name: {}", quoted(&f.name));
    let _ = writeln!(out, "category: {}", quoted(category));
    let _ = writeln!(out, "summary: {}", quoted(&f.summary));
    let _ = writeln!(out, "description: {}", quoted(&f.description));
    if let Some(since) = &f.since {
        let _ = writeln!(out, "since: {}", quoted(since));
    }
    if !f.notes.is_empty() {
        out.push_str("notes:\n");
        for note in &f.notes {
            let _ = writeln!(out, "  - {}", quoted(note));
        }
    }
    // `list_output: true` is valid only on one list of hashes, which is a
    // list function without the key; on other shapes the key can say `false`.
    let one_list = matches!(f.returns.as_slice(),
        [r] if matches!(&r.ty, Ty::Array { items, .. } if matches!(**items, Ty::Hash(_))));
    if f.list_output {
        out.push_str(if one_list {
            "list_output: true\n"
        } else {
            "list_output: false\n"
        });
    }
    if f.post {
        out.push_str("method: POST\n");
    }
    if let Some(reason) = &f.success_reason {
        let _ = writeln!(out, "success_reason: {}", quoted(reason));
    }
    write_fields(&mut out, 0, "parameters", &f.params);
    write_fields(&mut out, 0, "returns", &f.returns);
    write_fields(&mut out, 0, "metadata", &f.metadata);
    if let Some(raw) = &f.output_raw {
        let _ = writeln!(
            out,
            "output_raw:\n  description: {}\n  example: {}",
            quoted(raw),
            quoted("Done — ✓ <ok> & finished")
        );
    }
    // One example sending every required parameter (with a value that fits) and
    // every optional one that has an example, with a JSON envelope.
    if f.with_example {
        out.push_str("examples:\n  - title: \"An example — “quoted” <b>\"\n");
        let sent: Vec<(&FieldSpec, String)> = f
            .params
            .iter()
            .filter(|p| p.required || p.with_example)
            .filter_map(|p| Some((p, example_value(&p.ty)?)))
            .collect();
        if !sent.is_empty() {
            out.push_str("    params:\n");
            for (p, value) in sent {
                let _ = writeln!(out, "      {}: {value}", quoted(&p.name));
            }
        }
        let json = format!(
            "{{\"metadata\": {{\"command\": {}, \"version\": 1, \"reason\": {}, \"result\": 1}}}}",
            quoted(&f.name),
            quoted(f.success_reason.as_deref().unwrap_or("OK"))
        );
        let _ = writeln!(out, "    json: {}", quoted(&json));
    }
    out
}

impl Tree {
    /// Writes the tree as `categories.yaml` and `CATEGORY/FUNCTION.yaml` files under `dir`.
    fn write(&self, dir: &Path) {
        let mut categories = String::from("categories:\n");
        for (i, (id, title, description)) in self.categories.iter().enumerate() {
            let _ = writeln!(
                categories,
                "  - id: {id}\n    title: {}\n    order: {}\n    description: {}",
                quoted(title),
                i * 10,
                quoted(description)
            );
            fs::create_dir_all(dir.join(id)).expect("mkdir");
        }
        fs::write(dir.join("categories.yaml"), categories).expect("write categories.yaml");
        for f in &self.functions {
            let category = self.categories[f.category].0;
            let path = dir.join(category).join(format!("{}.yaml", f.name));
            fs::write(path, function_yaml(f, category)).expect("write a spec");
        }
    }
}

// ---------------------------------------------------------------------------
// Strategies.

/// Words that are awkward as Rust names: keywords, the compiler's own type
/// words, std names, the enum catch-all.
const AWKWARD_WORDS: &[&str] = &[
    "type",
    "match",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "gen",
    "try",
    "fn",
    "mod",
    "r",
    "data",
    "request",
    "result",
    "option",
    "string",
    "unknown",
    "Unknown",
    "metadata",
    "new",
    "query",
    "params",
    "user",
    "2fa",
    "0",
    "x",
    "HTTPServer",
    "maxLength",
    "api",
];

/// A word of a name: an awkward one or a plain ASCII one.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => proptest::sample::select(AWKWARD_WORDS).prop_map(str::to_owned),
        1 => "[a-z][a-z0-9]{0,7}",
        1 => "[A-Z][a-z]{0,5}",
    ]
}

/// A WHM-style name: words joined by `_`, `-` or `.`.
fn wire_name() -> impl Strategy<Value = String> {
    (
        word(),
        proptest::collection::vec(
            (proptest::sample::select(&["_", "-", ".", ""][..]), word()),
            0..3,
        ),
    )
        .prop_map(|(first, rest)| {
            let mut name = first;
            for (sep, w) in rest {
                name.push_str(sep);
                name.push_str(&w);
            }
            name
        })
}

/// A field name: mostly WHM-style, sometimes with non-ASCII or characters HTML must escape.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => wire_name(),
        1 => (wire_name(), proptest::sample::select(&["Ünï", "日本", "&amp", "<b>", "'q\"", "€"][..]))
            .prop_map(|(name, tail)| format!("{name}{tail}")),
    ]
}

/// Markdown text: words, non-ASCII, raw HTML, Markdown syntax, quotes, line breaks.
fn text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "Plain words.",
        "Grüße, 日本語, Ελληνικά, emoji 🦀.",
        "<script>alert(\"x\")</script>",
        "a & b &amp; c",
        "`code` and ``double `tick` code``",
        "*emphasis* and **strong**",
        "a | pipe | in a table",
        "[a link](https://example.com/?a=1&b=2)",
        "\"double\" and 'single' quotes",
        "one line\nand the next",
        "<b>bold?</b> <img src=x onerror=alert(1)>",
        "{{ braces }} {% raw %}",
        "# not a heading",
        "- a\n- list",
        "back\\slash \\n",
        "*/ /* --> <!--",
    ];
    proptest::collection::vec(proptest::sample::select(PIECES), 1..4).prop_map(|p| p.join(" "))
}

/// Distinct string enum values, some of them not identifiers.
fn string_enum() -> impl Strategy<Value = Vec<String>> {
    const VALUES: &[&str] = &[
        "exact",
        "regex",
        "a b",
        "-1",
        "1",
        "Ünïcode",
        "self",
        "Self",
        "Unknown",
        "unknown",
        "yes",
        "Yes",
        "YES",
        "",
        "…",
        "type",
        "<x>",
        "a&b",
    ];
    proptest::collection::vec(proptest::sample::select(VALUES), 1..5).prop_map(|values| {
        let mut seen = HashSet::new();
        values
            .into_iter()
            .filter(|v| seen.insert(*v))
            .map(str::to_owned)
            .collect()
    })
}

/// Distinct integer enum values.
fn integer_enum() -> impl Strategy<Value = Vec<i64>> {
    proptest::collection::vec(-3i64..5, 1..5).prop_map(|values| {
        let mut seen = HashSet::new();
        values.into_iter().filter(|v| seen.insert(*v)).collect()
    })
}

/// A type that needs nothing nested: a scalar, an enum or a documented boolean.
fn leaf_type() -> impl Strategy<Value = Ty> {
    prop_oneof![
        6 => proptest::sample::select(SCALARS).prop_map(Ty::Scalar),
        1 => string_enum().prop_map(Ty::StringEnum),
        1 => integer_enum().prop_map(Ty::IntegerEnum),
        1 => Just(Ty::DocumentedBoolean),
    ]
}

/// Random choices for a parameter's constraints: which keys, how far the
/// bounds are from the example, which pattern.
#[derive(Debug, Clone)]
struct ConstraintSeed {
    keys: [bool; 6],
    below: u8,
    above: u8,
    pattern: proptest::sample::Index,
}

fn constraint_seed() -> impl Strategy<Value = ConstraintSeed> {
    (
        any::<[bool; 6]>(),
        0u8..4,
        0u8..4,
        any::<proptest::sample::Index>(),
    )
        .prop_map(|(keys, below, above, pattern)| ConstraintSeed {
            keys,
            below,
            above,
            pattern,
        })
}

/// Patterns the example of a textual scalar matches. None has a character
/// HTML escapes, so the docs show each as it is written.
fn patterns_for(scalar: &str) -> &'static [&'static str] {
    match scalar {
        "url" => &["https?://.+", "[a-z]+://[^ ]+"],
        "email" => &["[^@ ]+@[^@ ]+", ".+@example\\.com"],
        "ipv4" | "cidr" => &["[0-9./]+", "192\\.0\\.2\\..+"],
        "domain" | "fqdn" | "dns_name" => &["[a-z0-9.-]+", "[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.?"],
        "username" => &["[a-z][a-z0-9]{0,15}"],
        "path" => &["/.*", "(?:/[A-Za-z0-9_.-]+)+"],
        "ipv6" | "ip" => &["[0-9a-f:]+", "2001:db8::[0-9a-f]+"],
        "uuid" => &["[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"],
        "string_or_integer" => &["[0-9]+[KMG]?", "\\d+M|unlimited"],
        _ => &[".+", "\\S(?:.*\\S)?", "[^\\t]{3,64}"],
    }
}

/// Constraints that fit a parameter's type (ranges on numbers, lengths and
/// patterns on text, of single values and of list elements) and that its
/// example (also its default) meets: bounds a few steps either side of it.
fn fitting_constraints(ty: &Ty, seed: &ConstraintSeed) -> Constraints {
    let element = match ty {
        Ty::Array { items, .. } => items.as_ref(),
        other => other,
    };
    let numeric = matches!(
        element,
        Ty::Scalar("integer" | "float" | "timestamp" | "limit" | "string_or_integer")
            | Ty::IntegerEnum(_)
    );
    let textual = matches!(
        element,
        Ty::Scalar(name)
            if !matches!(*name, "integer" | "float" | "boolean" | "timestamp" | "limit" | "yes_no")
    );
    // The example as sent: unquoted text, or a number as written.
    let example = example_value(element)
        .map(|q| serde_json::from_str::<String>(&q).unwrap_or(q))
        .unwrap_or_default();
    // A value that is no whole number (`0.5`, `unlimited`, `1000M`) is the type's to judge.
    let number = example.parse::<i64>().unwrap_or(0);
    let length = example.chars().count() as u64;
    let (below, above) = (seed.below, seed.above);
    let k = seed.keys;
    let on = |i: usize| k[0] && k[i];
    Constraints {
        minimum: (numeric && on(1)).then(|| number - i64::from(below)),
        maximum: (numeric && on(2)).then(|| number + i64::from(above)),
        min_length: (textual && on(3)).then(|| length.saturating_sub(u64::from(below))),
        max_length: (textual && on(4)).then(|| length + u64::from(above)),
        pattern: match element {
            Ty::Scalar(name) if textual && on(5) => Some(*seed.pattern.get(patterns_for(name))),
            _ => None,
        },
        required_if: None,
    }
}

/// The keys every field has besides its name and type.
fn field_with(
    name: impl Strategy<Value = String>,
    ty: impl Strategy<Value = Ty>,
    param: bool,
) -> impl Strategy<Value = FieldSpec> {
    (
        name,
        ty,
        text(),
        any::<[bool; 6]>(),
        proptest::collection::vec(text(), 0..2),
        constraint_seed(),
    )
        .prop_map(
            move |(name, ty, description, flags, possible_values, seed)| FieldSpec {
                constraints: if param {
                    fitting_constraints(&ty, &seed)
                } else {
                    Constraints::default()
                },
                name,
                ty,
                description,
                required: param && flags[0],
                nullable: flags[1],
                deprecated: flags[2] && flags[3],
                with_example: flags[3],
                with_default: param && flags[4],
                possible_values,
                described_values: flags[5],
            },
        )
}

/// Keeps the first of fields whose wire names or Rust names are equal: the
/// front end rightly refuses two fields that become one Rust identifier.
fn distinct_fields(fields: Vec<FieldSpec>) -> Vec<FieldSpec> {
    let mut wire = HashSet::new();
    let mut rust = HashSet::new();
    fields
        .into_iter()
        .filter(|f| match snake_case(&f.name) {
            Some(r) => wire.insert(f.name.clone()) && rust.insert(r),
            None => false,
        })
        .collect()
}

/// A returned field's type: anything, nested up to three levels.
fn return_type() -> impl Strategy<Value = Ty> {
    leaf_type().prop_recursive(3, 24, 4, |inner| {
        let fields = proptest::collection::vec(field_with(field_name(), inner, false), 1..4)
            .prop_map(distinct_fields)
            .boxed();
        let element = prop_oneof![
            3 => proptest::sample::select(SCALARS).prop_map(Ty::Scalar),
            1 => fields.clone().prop_map(Ty::Hash),
        ]
        .boxed();
        prop_oneof![
            element.clone().prop_map(|items| Ty::Array {
                items: Box::new(items),
                style: Style::Numbered,
            }),
            fields.prop_map(Ty::Hash),
            element.prop_map(|values| Ty::Map(Box::new(values))),
        ]
    })
}

/// A parameter's type: a leaf, or a list of scalars sent any of the three ways.
fn param_type() -> impl Strategy<Value = Ty> {
    let style = proptest::sample::select(&[Style::Numbered, Style::Repeated, Style::Comma][..]);
    prop_oneof![
        4 => leaf_type(),
        1 => (proptest::sample::select(SCALARS), style).prop_map(|(items, style)| Ty::Array {
            items: Box::new(Ty::Scalar(items)),
            style,
        }),
    ]
}

fn fields(
    ty: impl Strategy<Value = Ty> + 'static,
    param: bool,
    max: usize,
) -> impl Strategy<Value = Vec<FieldSpec>> {
    proptest::collection::vec(field_with(field_name(), ty, param), 0..max).prop_map(distinct_fields)
}

/// The categories a tree may use: (id, title). Ids are distinct as modules.
const CATEGORIES: &[(&str, &str)] = &[
    ("accounts", "Accounts"),
    ("type", "Type & <Kind> — “Ünïcode”"),
    ("7-numbers", "7 Numbers"),
    ("odd-names", "Odd 'Names' | pipes"),
];

/// Values of `required_if`: none is the example of any type, so a function's
/// example never makes a parameter it leaves out required.
const TRIGGERS: &[&str] = &["addon", "sub", "on-demand", "Z9"];

/// Whether the docs show a name in `<code>` as it is written (no character HTML escapes).
fn plain_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Makes optional parameters required when another parameter (one with a plain
/// name, so that the docs' sentence can be predicted) has one of some values.
fn add_required_ifs(
    params: &mut [FieldSpec],
    conditions: Vec<(
        proptest::sample::Index,
        proptest::sample::Index,
        Vec<&'static str>,
    )>,
) {
    for (this, other, values) in conditions {
        let optional: Vec<usize> = (0..params.len())
            .filter(|&i| !params[i].required && params[i].constraints.required_if.is_none())
            .collect();
        if optional.is_empty() {
            return;
        }
        let p = optional[this.index(optional.len())];
        let others: Vec<usize> = (0..params.len())
            .filter(|&i| i != p && plain_name(&params[i].name))
            .collect();
        if others.is_empty() {
            continue;
        }
        let q = others[other.index(others.len())];
        params[p].constraints.required_if = Some((params[q].name.clone(), values));
    }
}

fn function(categories: usize) -> impl Strategy<Value = FunctionSpec> {
    (
        (wire_name(), 0..categories, text(), text()),
        (
            proptest::option::of(text()),
            proptest::collection::vec(text(), 0..2),
            any::<bool>(),
        ),
        (
            fields(param_type(), true, 5),
            fields(return_type(), false, 4),
            fields(leaf_type(), false, 2),
        ),
        (
            proptest::option::of(text()),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(text()),
        ),
        proptest::collection::vec(
            (
                any::<proptest::sample::Index>(),
                any::<proptest::sample::Index>(),
                proptest::sample::subsequence(TRIGGERS, 1..=2),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(
                (name, category, summary, description),
                (since, notes, list_output),
                (mut params, returns, metadata),
                (output_raw, with_example, post, success_reason),
                conditions,
            )| {
                add_required_ifs(&mut params, conditions);
                FunctionSpec {
                    name,
                    category,
                    summary,
                    description,
                    since,
                    notes,
                    list_output,
                    params,
                    returns,
                    metadata,
                    output_raw,
                    with_example,
                    post,
                    success_reason,
                }
            },
        )
}

/// Keeps the first of functions whose names, Rust type names or Rust method
/// names are equal: the front end rightly refuses those.
fn distinct_functions(functions: Vec<FunctionSpec>) -> Vec<FunctionSpec> {
    let mut names = HashSet::new();
    let mut types = HashSet::new();
    let mut methods = HashSet::new();
    functions
        .into_iter()
        .filter(|f| {
            let (Some(camel), Some(method)) = (upper_camel_case(&f.name), snake_case(&f.name))
            else {
                return false;
            };
            names.insert(f.name.to_ascii_lowercase())
                && types.insert(camel)
                && methods.insert(method)
        })
        .collect()
}

fn tree() -> impl Strategy<Value = Tree> {
    (1..=CATEGORIES.len())
        .prop_flat_map(|n| {
            (
                proptest::sample::subsequence(CATEGORIES, n),
                proptest::collection::vec(text(), n),
                proptest::collection::vec(function(n), 1..5),
            )
        })
        .prop_map(|(categories, descriptions, functions)| Tree {
            categories: categories
                .into_iter()
                .zip(descriptions)
                .map(|((id, title), description)| (id, title, description))
                .collect(),
            functions: distinct_functions(functions),
        })
}

// ---------------------------------------------------------------------------
// The properties.

/// `&`, `<`, `>`, `"` and `'` escaped as the docs' templates (askama) escape them.
fn html_escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn file<'a>(files: &'a [OutputFile], path: &str) -> Result<&'a str, TestCaseError> {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .ok_or_else(|| TestCaseError::fail(format!("no {path} was emitted")))?;
    std::str::from_utf8(&f.contents)
        .map_err(|_| TestCaseError::fail(format!("{path} is not UTF-8")))
}

/// The named fields of every struct in a Rust file, by struct name, nested modules included.
fn struct_fields(items: &[syn::Item], out: &mut BTreeMap<String, Vec<String>>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let names = s
                    .fields
                    .iter()
                    .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                    .collect();
                out.insert(s.ident.to_string(), names);
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    struct_fields(items, out);
                }
            }
            _ => {}
        }
    }
}

/// Every struct a field's type generates, with its fields.
fn hashes_in<'a>(ty: &'a Type, out: &mut Vec<(&'a str, &'a [Field])>) {
    match ty {
        Type::Hash(s) => {
            out.push((s.rust_name.as_str(), s.fields.as_slice()));
            for f in &s.fields {
                hashes_in(&f.ty, out);
            }
        }
        Type::Array(a) => hashes_in(&a.items, out),
        Type::Map(values) => hashes_in(values, out),
        _ => {}
    }
}

/// Every field of a list, nested fields included, depth first.
fn all_fields<'a>(fields: &'a [Field], out: &mut Vec<&'a Field>) {
    for f in fields {
        out.push(f);
        let mut nested = Vec::new();
        hashes_in(&f.ty, &mut nested);
        if let Some((_, inner)) = nested.first() {
            all_fields(inner, out);
        }
    }
}

/// The first argument of every `param(..)` and `list_param(..)` call, in order.
fn cli_params(tokens: TokenStream, out: &mut Vec<String>) {
    let mut previous: Option<String> = None;
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                let called = previous.take();
                if group.delimiter() == Delimiter::Parenthesis
                    && matches!(called.as_deref(), Some("param" | "list_param"))
                    && let Some(TokenTree::Literal(lit)) = group.stream().into_iter().next()
                    && let syn::Lit::Str(s) = syn::Lit::new(lit)
                {
                    out.push(s.value());
                }
                cli_params(group.stream(), out);
            }
            TokenTree::Ident(ident) => previous = Some(ident.to_string()),
            _ => previous = None,
        }
    }
}

/// The body of `fn NAME` in a Rust file's top-level items (`NAME` raw, as `r#fn`, for a keyword).
fn function_body(file: &syn::File, name: &str) -> Option<TokenStream> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Fn(f) if f.sig.ident == name => Some(f.block.to_token_stream()),
        _ => None,
    })
}

/// The `impl ApiFunction for REQUEST` in a Rust file's items, nested modules included.
fn api_function_impl<'a>(items: &'a [syn::Item], request: &str) -> Option<&'a syn::ItemImpl> {
    items.iter().find_map(|item| match item {
        syn::Item::Impl(i)
            if i.trait_.as_ref().is_some_and(|(_, path, _)| {
                path.segments
                    .last()
                    .is_some_and(|s| s.ident == "ApiFunction")
            }) && matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident(request)) =>
        {
            Some(i)
        }
        syn::Item::Mod(m) => m
            .content
            .as_ref()
            .and_then(|(_, items)| api_function_impl(items, request)),
        _ => None,
    })
}

/// A check as the generated `CHECKS` constant lists it: parameter, joined, rule.
type GeneratedCheck = (String, bool, Constraint);

fn last_ident(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn lit_str(expr: &syn::Expr) -> Result<String, String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.value()),
        other => Err(format!("not a string literal: {}", other.to_token_stream())),
    }
}

fn lit_int(expr: &syn::Expr) -> Result<i128, String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) => n.base10_parse().map_err(|e| e.to_string()),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => lit_int(expr).map(|n| -n),
        other => Err(format!(
            "not an integer literal: {}",
            other.to_token_stream()
        )),
    }
}

/// The elements of `&[a, b, ...]`.
fn array_elements(expr: &syn::Expr) -> Result<Vec<&syn::Expr>, String> {
    match expr {
        syn::Expr::Reference(r) => match &*r.expr {
            syn::Expr::Array(a) => Ok(a.elems.iter().collect()),
            other => Err(format!("not an array: {}", other.to_token_stream())),
        },
        other => Err(format!("not `&[...]`: {}", other.to_token_stream())),
    }
}

/// Reads one `Check::new(PARAM, Rule::...)` or `Check::joined(...)` back into the IR's terms.
fn generated_check(expr: &syn::Expr) -> Result<GeneratedCheck, String> {
    let text = || expr.to_token_stream().to_string();
    let syn::Expr::Call(call) = expr else {
        return Err(format!("not a call: {}", text()));
    };
    let joined = match last_ident(&call.func).as_deref() {
        Some("new") => false,
        Some("joined") => true,
        _ => return Err(format!("not `Check::new` or `Check::joined`: {}", text())),
    };
    let args: Vec<&syn::Expr> = call.args.iter().collect();
    let [param, rule] = args.as_slice() else {
        return Err(format!("not two arguments: {}", text()));
    };
    let rule = match rule {
        syn::Expr::Call(rule) => {
            let arg = rule.args.first().ok_or_else(text)?;
            let whole = |n: i128| i64::try_from(n).map_err(|e| e.to_string());
            let length = |n: i128| u64::try_from(n).map_err(|e| e.to_string());
            match last_ident(&rule.func).as_deref() {
                Some("Minimum") => Constraint::Minimum(whole(lit_int(arg)?)?),
                Some("Maximum") => Constraint::Maximum(whole(lit_int(arg)?)?),
                Some("MinLength") => Constraint::MinLength(length(lit_int(arg)?)?),
                Some("MaxLength") => Constraint::MaxLength(length(lit_int(arg)?)?),
                Some("Pattern") => Constraint::Pattern(lit_str(arg)?),
                _ => return Err(format!("an unknown rule: {}", text())),
            }
        }
        syn::Expr::Struct(rule)
            if rule
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "RequiredIf") =>
        {
            let field = |name: &str| {
                rule.fields
                    .iter()
                    .find(|f| matches!(&f.member, syn::Member::Named(i) if i == name))
                    .map(|f| &f.expr)
                    .ok_or_else(|| format!("no `{name}` in {}", text()))
            };
            Constraint::RequiredIf {
                param: lit_str(field("param")?)?,
                values: array_elements(field("values")?)?
                    .into_iter()
                    .map(lit_str)
                    .collect::<Result<_, _>>()?,
            }
        }
        _ => return Err(format!("an unknown rule: {}", text())),
    };
    Ok((lit_str(param)?, joined, rule))
}

/// What the generated `REQUEST::CHECKS` lists (nothing when there is no such constant).
fn generated_checks(impl_: &syn::ItemImpl) -> Result<Vec<GeneratedCheck>, String> {
    let value = impl_.items.iter().find_map(|item| match item {
        syn::ImplItem::Const(c) if c.ident == "CHECKS" => Some(&c.expr),
        _ => None,
    });
    match value {
        None => Ok(Vec::new()),
        Some(expr) => array_elements(expr)?
            .into_iter()
            .map(generated_check)
            .collect(),
    }
}

/// A constraint's line in the docs' "Possible values", as HTML.
fn docs_line(c: &Constraint) -> String {
    let characters = |n: u64| if n == 1 { "character" } else { "characters" };
    match c {
        Constraint::Minimum(n) => format!("At least {n}."),
        Constraint::Maximum(n) => format!("At most {n}."),
        Constraint::MinLength(n) => format!("At least {n} {}.", characters(*n)),
        Constraint::MaxLength(n) => format!("At most {n} {}.", characters(*n)),
        Constraint::Pattern(p) => format!("Matches the pattern <code>{p}</code>."),
        Constraint::RequiredIf { param, values } => format!(
            "Required when <code>{param}</code> is {}.",
            values
                .iter()
                .map(|v| format!("<code>{v}</code>"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

fn check_function(
    files: &[OutputFile],
    api: &Api,
    f: &Function,
    spec: &FunctionSpec,
) -> Result<(), TestCaseError> {
    let wire = |fields: &[Field]| fields.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    let spec_names =
        |fields: &[FieldSpec]| fields.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    prop_assert_eq!(
        wire(&f.params),
        spec_names(&spec.params),
        "parameters of {}",
        f.name
    );
    prop_assert_eq!(
        wire(&f.returns),
        spec_names(&spec.returns),
        "returns of {}",
        f.name
    );
    prop_assert_eq!(
        wire(&f.metadata),
        spec_names(&spec.metadata),
        "metadata of {}",
        f.name
    );
    // The method and the success reason reach the IR, and the generated
    // `ApiFunction` impl says them to the client and the servers.
    prop_assert_eq!(
        f.method == Some(whm_codegen::ir::HttpMethod::Post),
        spec.post,
        "method of {}",
        f.name
    );
    prop_assert_eq!(
        &f.success_reason,
        &spec.success_reason,
        "success reason of {}",
        f.name
    );
    if let Some(reason) = &spec.success_reason {
        let types: String = files
            .iter()
            .filter(|file| file.path.starts_with("generated/src/types/"))
            .map(|file| String::from_utf8_lossy(&file.contents).into_owned())
            .collect();
        // The string literal as the emitter writes it (escapes and all).
        let literal = quote::quote!(#reason).to_string();
        prop_assert!(
            types.contains(&literal),
            "the success reason {} of {} is not in the generated types",
            literal,
            f.name
        );
    }

    let category = api
        .categories
        .iter()
        .find(|c| c.id == f.category)
        .ok_or_else(|| TestCaseError::fail(format!("no category {}", f.category)))?;
    let module = unraw(&category.module);

    // Types: each field under its Rust name, in the struct that holds it.
    let types_path = format!("generated/src/types/{module}.rs");
    let types = syn::parse_file(file(files, &types_path)?)
        .map_err(|e| TestCaseError::fail(format!("{types_path}: {e}")))?;
    let mut structs = BTreeMap::new();
    struct_fields(&types.items, &mut structs);
    let mut expected: Vec<(&str, &[Field])> = vec![(f.rust.request.as_str(), f.params.as_slice())];
    if !f.returns.is_empty() {
        expected.push((f.rust.data.as_str(), f.returns.as_slice()));
    }
    for field in f.params.iter().chain(&f.returns).chain(&f.metadata) {
        hashes_in(&field.ty, &mut expected);
    }
    for (name, fields) in expected {
        let Some(have) = structs.get(name) else {
            return Err(TestCaseError::fail(format!(
                "{types_path} has no struct {name}"
            )));
        };
        for field in fields {
            prop_assert!(
                have.contains(&field.rust_name),
                "{}: struct {} has no field {} for `{}` (it has {:?})",
                types_path,
                name,
                field.rust_name,
                field.name,
                have
            );
        }
    }

    // Checks: the request's `CHECKS` lists every parameter's constraints, in
    // spec order, each read back from the emitted tokens.
    let expected_checks: Vec<GeneratedCheck> = spec
        .params
        .iter()
        .flat_map(|p| {
            p.constraints
                .expected()
                .into_iter()
                // A comma-joined list is checked piece by piece.
                .map(|c| {
                    let joined = matches!(
                        p.ty,
                        Ty::Array {
                            style: Style::Comma,
                            ..
                        }
                    );
                    (p.name.clone(), joined, c)
                })
        })
        .collect();
    for (p, sp) in f.params.iter().zip(&spec.params) {
        prop_assert_eq!(
            &p.constraints,
            &sp.constraints.expected(),
            "constraints of `{}` of {}",
            p.name,
            f.name
        );
    }
    let impl_ = api_function_impl(&types.items, &f.rust.request).ok_or_else(|| {
        TestCaseError::fail(format!(
            "{types_path} has no `impl ApiFunction for {}`",
            f.rust.request
        ))
    })?;
    let checks = generated_checks(impl_)
        .map_err(|e| TestCaseError::fail(format!("{types_path}: CHECKS of {}: {e}", f.name)))?;
    prop_assert_eq!(
        checks,
        expected_checks,
        "{}: CHECKS of {}",
        types_path,
        f.rust.request
    );

    // Docs: a row per field, nested ones too, with the wire name escaped and an id of its own.
    let page_path = format!("docs/functions/{}.html", page_stem(&f.name));
    let page = file(files, &page_path)?;
    let mut rows = Vec::new();
    all_fields(&f.params, &mut rows);
    all_fields(&f.returns, &mut rows);
    all_fields(&f.metadata, &mut rows);
    for field in rows {
        let name = format!("<code>{}</code>", html_escape(&field.name));
        prop_assert!(page.contains(&name), "{}: no {}", page_path, name);
        let id = format!(" id=\"{}\"", html_escape(&field.anchor));
        prop_assert_eq!(
            page.matches(&id).count(),
            1,
            "{}: the row of `{}` needs an id of its own:{}",
            page_path,
            field.name,
            id
        );
    }

    // Docs: each parameter's row shows each of its bounds under "Possible values".
    for (p, sp) in f.params.iter().zip(&spec.params) {
        let id = format!(" id=\"{}\"", html_escape(&p.anchor));
        let start = page.find(&id).unwrap_or(page.len());
        let row = &page[start..];
        let row = &row[..row.find("</tr>").unwrap_or(row.len())];
        for c in sp.constraints.expected() {
            let line = format!("<li>{}</li>", docs_line(&c));
            prop_assert!(
                row.contains(&line),
                "{}: the row of `{}` does not show {}:\n{}",
                page_path,
                p.name,
                line,
                row
            );
        }
    }

    // CLI: exactly the parameters, by wire name, in spec order.
    let cli_path = format!("generated/src/cli/{module}.rs");
    let cli = syn::parse_file(file(files, &cli_path)?)
        .map_err(|e| TestCaseError::fail(format!("{cli_path}: {e}")))?;
    let body = function_body(&cli, &f.rust.method)
        .ok_or_else(|| TestCaseError::fail(format!("{cli_path} has no fn {}", f.rust.method)))?;
    let mut declared = Vec::new();
    cli_params(body, &mut declared);
    prop_assert_eq!(
        declared,
        wire(&f.params),
        "{}: arguments of {}",
        cli_path,
        f.name
    );
    Ok(())
}

fn check_tree(tree: &Tree) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    tree.write(dir.path());
    let load = || {
        load_api(dir.path()).map_err(|d| {
            let specs: String = tree
                .functions
                .iter()
                .map(|f| {
                    let category = tree.categories[f.category].0;
                    format!(
                        "--- {category}/{}.yaml\n{}",
                        f.name,
                        function_yaml(f, category)
                    )
                })
                .collect();
            TestCaseError::fail(format!(
                "a valid spec tree was refused:\n{}\n{specs}",
                d.render(false)
            ))
        })
    };
    let api = load()?;
    prop_assert_eq!(api.functions().count(), tree.functions.len());

    let files = emit_all(&api);
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let text = String::from_utf8(render(f))
            .map_err(|_| TestCaseError::fail(format!("{} is not UTF-8", f.path)))?;
        if let Err(e) = syn::parse_file(&text) {
            return Err(TestCaseError::fail(format!(
                "{} does not parse: {e}",
                f.path
            )));
        }
    }

    let again = emit_all(&load()?);
    prop_assert!(
        files == again,
        "emitting the same specs twice gave different files"
    );

    for spec in &tree.functions {
        let f = api
            .functions()
            .find(|f| f.name == spec.name)
            .ok_or_else(|| TestCaseError::fail(format!("function {} was lost", spec.name)))?;
        check_function(&files, &api, f, spec)?;
    }
    Ok(())
}

#[test]
fn random_valid_specs_compile_to_consistent_output() {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_0007);
    }
    let mut runner = TestRunner::new(config);
    // Proptest reports the failing case's panic message itself; the default
    // hook would also print it, with a backtrace, for every step of shrinking.
    // Only this thread's panics are silenced: other tests run beside it.
    let previous: Arc<dyn Fn(&PanicHookInfo<'_>) + Send + Sync> = std::panic::take_hook().into();
    let quiet = std::thread::current().id();
    let hook = Arc::clone(&previous);
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != quiet {
            hook(info)
        }
    }));
    let result = runner.run(&tree(), |tree| check_tree(&tree));
    std::panic::set_hook(Box::new(move |info| previous(info)));
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------
// Cases the generator found (or could find), kept as plain tests so that each
// failure is named.

/// A field with the given name and type and the keys every field needs.
fn plain_field(name: &str, ty: Ty) -> FieldSpec {
    FieldSpec {
        name: name.to_owned(),
        ty,
        description: "A field.".to_owned(),
        required: false,
        nullable: false,
        deprecated: false,
        with_example: false,
        with_default: false,
        possible_values: Vec::new(),
        described_values: false,
        constraints: Constraints::default(),
    }
}

/// A function with the given name, parameters and returns, in the tree's first category.
fn plain_function(name: &str, params: Vec<FieldSpec>, returns: Vec<FieldSpec>) -> FunctionSpec {
    FunctionSpec {
        name: name.to_owned(),
        category: 0,
        summary: "A function.".to_owned(),
        description: "A function.".to_owned(),
        since: None,
        notes: Vec::new(),
        list_output: false,
        params,
        returns,
        metadata: Vec::new(),
        output_raw: None,
        with_example: false,
        post: false,
        success_reason: None,
    }
}

fn plain_tree(functions: Vec<FunctionSpec>) -> Tree {
    Tree {
        categories: vec![("accounts", "Accounts", "Accounts.".to_owned())],
        functions,
    }
}

fn assert_consistent(tree: &Tree) {
    if let Err(e) = check_tree(tree) {
        panic!("{e}");
    }
}

/// Found by the property test: the example test of a function whose name
/// starts with a digit (`2fa`) was named `2fa_example_1`, which is no Rust
/// identifier, and the types emitter panicked.
#[test]
fn a_function_named_with_a_leading_digit_may_have_examples() {
    let mut function = plain_function("2fa", Vec::new(), Vec::new());
    function.with_example = true;
    assert_consistent(&plain_tree(vec![function]));
}

/// A nested struct of `alpha` (its return `beta_data`, a hash) is named
/// `AlphaBetaData`, the name the later function `alpha_beta` needs for its
/// data type; the front end refuses `alpha_beta` as if two functions clashed
/// ("functions `alpha_beta` and `` both become the Rust type `AlphaBetaData`").
#[test]
fn a_nested_type_never_takes_the_name_of_a_function_type() {
    let hash = Ty::Hash(vec![plain_field("x", Ty::Scalar("string"))]);
    assert_consistent(&plain_tree(vec![
        plain_function("alpha", Vec::new(), vec![plain_field("beta_data", hash)]),
        plain_function("alpha_beta", Vec::new(), Vec::new()),
    ]));
}

/// The returns `a-b` and `a` (a hash with the field `b`) both get the row id
/// `return-a-b` on the docs page, so the permalink of one leads to the other.
#[test]
fn every_docs_row_has_an_id_of_its_own() {
    let hash = Ty::Hash(vec![plain_field("b", Ty::Scalar("string"))]);
    assert_consistent(&plain_tree(vec![plain_function(
        "list",
        Vec::new(),
        vec![
            plain_field("a-b", Ty::Scalar("string")),
            plain_field("a", hash),
        ],
    )]));
}
