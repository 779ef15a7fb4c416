//! Specs from cPanel's OpenAPI description (`whm-codegen import openapi`):
//! one spec per selected WHM API 1 operation, in the category the catalogue
//! files it under, carrying every fact the description holds.
//!
//! The description's prose is copied as written, under a comment that asks
//! the maintainer to rewrite it: the project's specs say things in their own
//! words. Whatever the format cannot say is listed in the report with its
//! file and line, and what the import wrote instead.

use std::fmt::Write as _;

use super::openapi::{Description, FieldFacts, Operation, Shape, value_meanings};
use crate::ir::Api;

/// What to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Functions by name.
    pub functions: Vec<String>,
    /// Every function of these tags.
    pub tags: Vec<String>,
    /// Every WHM API 1 operation of the files.
    pub all: bool,
}

impl Selection {
    pub(super) fn wants(&self, op: &Operation) -> bool {
        self.all
            || self.functions.contains(&op.name)
            || op.tags.iter().any(|t| self.tags.contains(t))
    }
}

/// One spec the import would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpec {
    /// Relative to spec/: `dns/addzonerecord.yaml`.
    pub path: String,
    /// The spec's text.
    pub text: String,
}

/// Something of the description the format could not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// `file:line` in the description.
    pub at: String,
    /// What it was, and what the import wrote instead.
    pub what: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The specs to write.
    pub specs: Vec<NewSpec>,
    /// Selected functions already specified (kept as they are).
    pub existing: Vec<String>,
    /// Selected functions the catalogue files under no category of categories.yaml.
    pub uncategorised: Vec<String>,
    /// What could not be mapped.
    pub unmapped: Vec<Unmapped>,
}

impl ImportReport {
    /// The report as text: what was skipped and what could not be mapped.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for name in &self.existing {
            let _ = writeln!(
                out,
                "kept: {name} is already specified (edit its spec, or remove it to import again)"
            );
        }
        for name in &self.uncategorised {
            let _ = writeln!(
                out,
                "skipped: {name}: spec/catalog.yaml files it under no category of spec/categories.yaml; add the category or the name"
            );
        }
        for u in &self.unmapped {
            let _ = writeln!(out, "{}: {}", u.at, u.what);
        }
        let _ = writeln!(
            out,
            "{} specs written, {} kept, {} skipped, {} constructs not mapped",
            self.specs.len(),
            self.existing.len(),
            self.uncategorised.len(),
            self.unmapped.len()
        );
        out
    }
}

/// The specs for the selected operations of `descriptions`.
pub fn import(api: &Api, descriptions: &[Description], selection: &Selection) -> ImportReport {
    let mut report = ImportReport::default();
    for d in descriptions {
        for op in d.operations.iter().filter(|op| selection.wants(op)) {
            if api.functions().any(|f| f.name == op.name) {
                report.existing.push(op.name.clone());
                continue;
            }
            let Some(category) = category_of(api, &op.name) else {
                report.uncategorised.push(op.name.clone());
                continue;
            };
            let mut writer = SpecWriter {
                file: &d.file,
                unmapped: &mut report.unmapped,
                out: String::new(),
            };
            writer.function(op, &category, &d.file);
            report.specs.push(NewSpec {
                path: format!("{category}/{}.yaml", op.name),
                text: writer.out,
            });
        }
    }
    report
}

/// The id of the category whose title is the catalogue's category of `name`.
pub(super) fn category_of(api: &Api, name: &str) -> Option<String> {
    let title = api
        .catalog
        .iter()
        .find(|c| c.functions.iter().any(|e| e.name == name))
        .map(|c| c.title.as_str())?;
    api.categories
        .iter()
        .find(|c| c.title == title)
        .map(|c| c.id.clone())
}

/// The spec text of one field, as `import` writes it, at `indent` (the
/// column of its `- `); what it could not map goes to `unmapped`.
pub(super) fn field_text(
    file: &str,
    f: &FieldFacts,
    indent: usize,
    param: bool,
    unmapped: &mut Vec<Unmapped>,
) -> String {
    let mut writer = SpecWriter {
        file,
        unmapped,
        out: String::new(),
    };
    writer.field(f, indent, param);
    writer.out
}

struct SpecWriter<'a> {
    file: &'a str,
    unmapped: &'a mut Vec<Unmapped>,
    out: String,
}

impl SpecWriter<'_> {
    fn function(&mut self, op: &Operation, category: &str, file: &str) {
        let out = &mut self.out;
        let short_file = file.rsplit('/').next().unwrap_or(file);
        let _ = writeln!(out, "# yaml-language-server: $schema=../schema.json\n#");
        let _ = writeln!(
            out,
            "# Imported from cPanel's OpenAPI description of WHM API 1, {short_file}, {}, by\n\
             # `whm-codegen import openapi`. The summary and descriptions below are the\n\
             # description's own words: rewrite them in the project's before committing.",
            op_path(op)
        );
        let _ = writeln!(out, "name: {}", op.name);
        let _ = writeln!(out, "category: {category}");
        let summary = if op.summary.is_empty() {
            op.name.as_str()
        } else {
            op.summary.as_str()
        };
        let _ = writeln!(
            out,
            "summary: {}",
            quoted(summary.trim().trim_end_matches('.'))
        );
        block(
            out,
            0,
            "description",
            if op.description.is_empty() {
                summary
            } else {
                &op.description
            },
        );
        if let Some(since) = &op.since {
            let version = since.trim_start_matches(|c: char| !c.is_ascii_digit());
            let _ = writeln!(
                out,
                "since: {}",
                quoted(&format!("cPanel & WHM version {version}"))
            );
        }
        if op.method == "post" {
            let _ = writeln!(out, "method: POST");
        }
        if op.deprecated {
            let _ = writeln!(out, "deprecated: true");
        }
        let _ = writeln!(
            out,
            "source:\n  document: {}\n  version: \"11.137\"\n  operation: {}",
            quoted(short_file),
            quoted(&op_path(op))
        );
        if !op.params.is_empty() {
            self.out.push_str("\nparameters:\n");
            for p in &op.params {
                self.field(p, 2, true);
            }
        }
        if !op.returns.is_empty() {
            self.out.push_str("\nreturns:\n");
            for r in &op.returns {
                self.field(r, 2, false);
            }
        }
        self.example(op);
    }

    fn field(&mut self, f: &FieldFacts, indent: usize, param: bool) {
        let pad = " ".repeat(indent);
        let _ = writeln!(self.out, "{pad}- name: {}", quoted(&f.name));
        let pad = " ".repeat(indent + 2);
        self.shape(&f.shape, f, &pad, param);
        block(
            &mut self.out,
            indent + 2,
            "description",
            if f.description.trim().is_empty() {
                &f.name
            } else {
                &f.description
            },
        );
        if param && f.required {
            let _ = writeln!(self.out, "{pad}required: true");
        }
        if f.nullable {
            let _ = writeln!(self.out, "{pad}nullable: true");
        }
        if f.deprecated {
            let _ = writeln!(self.out, "{pad}deprecated: true");
        }
        let scalar = !matches!(f.shape, Shape::Array(_) | Shape::Object(_) | Shape::Map(_));
        if param
            && scalar
            && let Some(default) = f.default.as_deref().filter(|d| *d != "null")
        {
            let _ = writeln!(self.out, "{pad}default: {}", quoted(default));
        }
        for (key, value) in [
            ("minimum", f.minimum.map(|n| n.to_string())),
            ("maximum", f.maximum.map(|n| n.to_string())),
            ("min_length", f.min_length.map(|n| n.to_string())),
            ("max_length", f.max_length.map(|n| n.to_string())),
        ] {
            let applies = match key {
                "minimum" | "maximum" => {
                    matches!(f.shape, Shape::Integer(_) | Shape::Number | Shape::Limit)
                }
                _ => matches!(f.shape, Shape::String(_)),
            };
            if let Some(value) = value.filter(|_| applies) {
                let _ = writeln!(self.out, "{pad}{key}: {value}");
            }
        }
        if let Some(pattern) = f
            .pattern
            .as_deref()
            .filter(|_| matches!(f.shape, Shape::String(_)))
        {
            let _ = writeln!(self.out, "{pad}pattern: {}", quoted(pattern));
        }
        // An example that is a whole query (`a=1&a-1=2`) is a call, not a value.
        let fits = match f.shape {
            Shape::Boolean => f.example.as_deref().is_some_and(|e| e == "0" || e == "1"),
            Shape::Any | Shape::Other(_) => false,
            _ => true,
        };
        if scalar
            && fits
            && let Some(example) = f.example.as_ref().filter(|e| !e.contains(['&', '=']))
        {
            let _ = writeln!(self.out, "{pad}example: {}", quoted(example));
        }
    }

    /// `type:` and what goes with it (`items`, `fields`, `enum`, `values`).
    fn shape(&mut self, shape: &Shape, f: &FieldFacts, pad: &str, param: bool) {
        let at = format!("{}:{}", self.file, f.line);
        match shape {
            Shape::String(format) => {
                let mut typed = format.as_deref().and_then(spec_format);
                if let (Some(format), None) = (format, typed) {
                    self.unmapped.push(Unmapped {
                        at: at.clone(),
                        what: format!(
                            "`{}`: format `{format}` has no spec type; written as `string`",
                            f.name
                        ),
                    });
                }
                // The description's own example must pass the format's check
                // (the spec's example tests send it); when it does not, the
                // format says more than WHM means (a `path` that is relative
                // to the home directory), so the field stays text.
                let refused = typed
                    .and_then(whm_runtime::Format::from_spec_name)
                    .zip(f.example.as_deref())
                    .filter(|(format, example)| !format.accepts(example));
                if let Some((format, example)) = refused {
                    self.unmapped.push(Unmapped {
                        at,
                        what: format!(
                            "`{}`: the example `{example}` is not {}; written as `string`",
                            f.name,
                            format.expected()
                        ),
                    });
                    typed = None;
                }
                let _ = writeln!(self.out, "{pad}type: {}", typed.unwrap_or("string"));
            }
            Shape::Integer(Some(f)) if f == "unix_timestamp" => {
                let _ = writeln!(self.out, "{pad}type: timestamp");
            }
            Shape::Integer(_) => {
                let _ = writeln!(self.out, "{pad}type: integer");
            }
            Shape::Number => {
                let _ = writeln!(self.out, "{pad}type: float");
            }
            Shape::Boolean => {
                let _ = writeln!(self.out, "{pad}type: boolean");
                let meanings: Vec<(String, String)> = value_meanings(&f.description)
                    .into_iter()
                    .filter(|(v, _)| v == "1" || v == "0")
                    .collect();
                if meanings.len() == 2 {
                    self.enum_values(pad, &meanings);
                }
            }
            Shape::Enum(values) if same(values, &["y", "n"]) => {
                let _ = writeln!(self.out, "{pad}type: yes_no");
            }
            Shape::Enum(values) => {
                let numeric = values.iter().all(|v| v.parse::<i64>().is_ok());
                let _ = writeln!(
                    self.out,
                    "{pad}type: {}",
                    if numeric { "integer" } else { "string" }
                );
                let meanings = value_meanings(&f.description);
                let listed: Vec<(String, String)> = values
                    .iter()
                    .map(|v| {
                        let meaning = meanings
                            .iter()
                            .find(|(m, _)| m == v)
                            .map(|(_, d)| d.clone())
                            .unwrap_or_default();
                        (v.clone(), meaning)
                    })
                    .collect();
                self.enum_values(pad, &listed);
            }
            Shape::Limit => {
                let _ = writeln!(self.out, "{pad}type: limit");
            }
            Shape::StringOrInteger => {
                let _ = writeln!(self.out, "{pad}type: string_or_integer");
            }
            Shape::Array(items) => {
                let _ = writeln!(self.out, "{pad}type: array");
                if param && f.comma_joined {
                    let _ = writeln!(self.out, "{pad}list_style: comma");
                } else if param && f.repeated {
                    let _ = writeln!(self.out, "{pad}list_style: repeated");
                }
                match items.as_ref() {
                    Shape::Object(fields) if !fields.is_empty() && !param => {
                        let _ = writeln!(self.out, "{pad}items: hash");
                        self.fields(fields, pad);
                    }
                    Shape::Array(_) | Shape::Map(_) | Shape::Object(_) | Shape::Other(_) => {
                        self.unmapped.push(Unmapped {
                            at,
                            what: format!(
                                "`{}`: a list of {} ; written as `items: any`",
                                f.name,
                                items.word()
                            ),
                        });
                        let _ = writeln!(self.out, "{pad}items: any");
                    }
                    scalar => {
                        let _ = writeln!(self.out, "{pad}items: {}", scalar_type(scalar));
                    }
                }
            }
            Shape::Object(fields) if !fields.is_empty() && !param => {
                let _ = writeln!(self.out, "{pad}type: hash");
                self.fields(fields, pad);
            }
            Shape::Map(values) if !param => {
                let _ = writeln!(self.out, "{pad}type: map");
                match values.as_ref() {
                    Shape::Object(fields) if !fields.is_empty() => {
                        let _ = writeln!(self.out, "{pad}values: hash");
                        self.fields(fields, pad);
                    }
                    Shape::Array(_) | Shape::Map(_) | Shape::Object(_) | Shape::Other(_) => {
                        let _ = writeln!(self.out, "{pad}values: any");
                    }
                    scalar => {
                        let _ = writeln!(self.out, "{pad}values: {}", scalar_type(scalar));
                    }
                }
            }
            Shape::Any => {
                let _ = writeln!(
                    self.out,
                    "{pad}type: {}",
                    if param { "string" } else { "any" }
                );
            }
            other => {
                self.unmapped.push(Unmapped {
                    at,
                    what: format!(
                        "`{}`: {} has no spec type; written as `{}`",
                        f.name,
                        other.word(),
                        if param { "string" } else { "any" }
                    ),
                });
                let _ = writeln!(
                    self.out,
                    "{pad}type: {}",
                    if param { "string" } else { "any" }
                );
            }
        }
    }

    fn fields(&mut self, fields: &[FieldFacts], pad: &str) {
        let _ = writeln!(self.out, "{pad}fields:");
        for f in fields {
            self.field(f, pad.len() + 2, false);
        }
    }

    fn enum_values(&mut self, pad: &str, values: &[(String, String)]) {
        let _ = writeln!(self.out, "{pad}enum:");
        for (value, meaning) in values {
            let _ = writeln!(self.out, "{pad}  - value: {}", quoted(value));
            if !meaning.is_empty() {
                let _ = writeln!(self.out, "{pad}    description: {}", quoted(meaning));
            }
        }
    }

    /// One example: the URL sample's query (else the CLI sample's words).
    fn example(&mut self, op: &Operation) {
        let url = op
            .samples
            .iter()
            .find(|(label, _)| label == "URL")
            .map(|(_, s)| s.as_str());
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(query) = url.and_then(|u| u.split_once('?')).map(|(_, q)| q) {
            let pairs = whm_runtime::Params::parse(query.trim()).map(|p| p.pairs().to_vec());
            for (k, v) in pairs.unwrap_or_default() {
                // A key given twice in the sample is kept once: a mapping has one of each.
                if k != "api.version" && !params.iter().any(|(seen, _)| *seen == k) {
                    params.push((k, v));
                }
            }
        }
        // Required parameters the sample leaves out, from their own examples.
        for p in op.params.iter().filter(|p| p.required) {
            let sent = params.iter().any(|(k, _)| {
                *k == p.name || k.strip_prefix(&p.name).is_some_and(|r| r.starts_with('-'))
            });
            if !sent && let Some(example) = p.example.as_ref().filter(|e| !e.contains(['&', '='])) {
                params.push((p.name.clone(), example.clone()));
            }
        }
        let _ = writeln!(
            self.out,
            "\nexamples:\n  - title: {}",
            quoted(&format!("Call {}", op.name))
        );
        if !params.is_empty() {
            let _ = writeln!(self.out, "    params:");
            for (k, v) in params {
                let _ = writeln!(self.out, "      {}: {}", quoted(&k), quoted(&v));
            }
        }
    }
}

fn op_path(op: &Operation) -> String {
    format!("/{}", op.name)
}

/// A spec type name for a scalar shape.
fn scalar_type(shape: &Shape) -> &'static str {
    match shape {
        Shape::String(Some(f)) => spec_format(f).unwrap_or("string"),
        Shape::String(None) => "string",
        Shape::Integer(Some(f)) if f == "unix_timestamp" => "timestamp",
        Shape::Integer(_) => "integer",
        Shape::Number => "float",
        Shape::Boolean => "boolean",
        Shape::Limit => "limit",
        Shape::StringOrInteger => "string_or_integer",
        Shape::Enum(v) if v.iter().all(|v| v.parse::<i64>().is_ok()) => "integer",
        _ => "string",
    }
}

/// The spec type of an OpenAPI string `format`, when the format has one.
fn spec_format(format: &str) -> Option<&'static str> {
    match format {
        "uri" | "url" => Some("url"),
        "hostname" => Some("fqdn"),
        other => whm_runtime::Format::from_spec_name(other).map(|f| f.spec_name()),
    }
}

fn same(values: &[String], wanted: &[&str]) -> bool {
    let mut a: Vec<&str> = values.iter().map(String::as_str).collect();
    let mut b = wanted.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// A YAML scalar: plain when that is safe, else double-quoted (JSON's escapes are YAML's).
pub(super) fn quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _./@-+()".contains(c))
        && !text.starts_with([' ', '-', '.', '@'])
        && !text.ends_with(' ')
        && !matches!(
            text,
            "true" | "false" | "null" | "yes" | "no" | "y" | "n" | "on" | "off" | "~"
        )
        && text.parse::<f64>().is_err();
    // Whole numbers stay plain: the front end reads every scalar as its text.
    let number = !text.is_empty()
        && text
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit())
        && !text.trim_start_matches('-').is_empty();
    if plain || number {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// `key: |` and the text, indented.
fn block(out: &mut String, indent: usize, key: &str, text: &str) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{key}: |");
    for line in text.trim_end().lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}  {}", line.trim_end());
        }
    }
}
