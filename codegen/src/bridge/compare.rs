//! Drift between `spec/` and a published description: one line per fact that
//! differs, pointing at the spec's line and the description's.
//!
//! Types are compared in the spec format's terms: a spec `boolean` matches
//! an integer whose values are 0 and 1, `yes_no` a string enum of `y` and
//! `n`, `limit` a `oneOf` of an integer and `unlimited`, `timestamp` an
//! integer (with or without `format: unix_timestamp`). A spec that is more
//! precise than the description (a `domain` where it says `string`) is no
//! drift; a description more precise than the spec is.

use std::collections::BTreeSet;

use super::openapi::{Description, FieldFacts, Operation, Shape};
use crate::ir::{Api, Field, Function, HttpMethod, Type};

/// One fact that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The function.
    pub function: String,
    /// Where in spec/: `spec/dns/addzonerecord.yaml:12`.
    pub spec_at: String,
    /// Where in the description: `cpanel-dns-api-openapi.yml:1234`.
    pub description_at: String,
    /// What differs, in words: ``parameter `ttl`: minimum: spec 1, description 0``.
    pub what: String,
    /// Why, when the spec says it differs on purpose (`differs:`).
    pub deliberate: Option<String>,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Differences in functions both sides have, in spec order.
    pub differences: Vec<Difference>,
    /// WHM API 1 operations of the description that no spec has: `(name, file:line)`.
    pub only_in_description: Vec<(String, String)>,
    /// Specified functions the given description files do not have.
    pub only_in_specs: Vec<String>,
    /// How many functions were compared.
    pub compared: usize,
}

impl Report {
    /// Differences the specs do not explain: drift.
    pub fn drift(&self) -> impl Iterator<Item = &Difference> {
        self.differences.iter().filter(|d| d.deliberate.is_none())
    }

    /// The report as text: drift, then deliberate differences, then one-sided functions, then counts.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in self.drift() {
            out.push_str(&format!(
                "{}: {}: {} ({})\n",
                d.spec_at, d.function, d.what, d.description_at
            ));
        }
        let deliberate: Vec<&Difference> = self
            .differences
            .iter()
            .filter(|d| d.deliberate.is_some())
            .collect();
        if !deliberate.is_empty() {
            out.push_str("\nDifferences the specs make on purpose:\n");
            for d in &deliberate {
                out.push_str(&format!(
                    "{}: {}: {} — {}\n",
                    d.spec_at,
                    d.function,
                    d.what,
                    d.deliberate.as_deref().unwrap_or_default().trim()
                ));
            }
        }
        if !self.only_in_description.is_empty() {
            out.push_str("\nIn the description, not specified:\n");
            for (name, at) in &self.only_in_description {
                out.push_str(&format!("{at}: {name}\n"));
            }
        }
        if !self.only_in_specs.is_empty() {
            out.push_str(&format!(
                "\nSpecified, not in these description files: {}\n",
                self.only_in_specs.join(", ")
            ));
        }
        out.push_str(&format!(
            "\n{} functions compared: {} differences ({} drift, {} on purpose); {} only in the description, {} only in the specs\n",
            self.compared,
            self.differences.len(),
            self.drift().count(),
            deliberate.len(),
            self.only_in_description.len(),
            self.only_in_specs.len()
        ));
        out
    }
}

/// Compares every specified function with the operations of `descriptions`.
pub fn compare(api: &Api, descriptions: &[Description]) -> Report {
    let mut report = Report::default();
    let specified: BTreeSet<&str> = api.functions().map(|f| f.name.as_str()).collect();
    let mut described = BTreeSet::new();
    for d in descriptions {
        for op in &d.operations {
            described.insert(op.name.as_str());
            if !specified.contains(op.name.as_str()) {
                report
                    .only_in_description
                    .push((op.name.clone(), format!("{}:{}", d.file, op.line)));
            }
        }
    }
    for f in api.functions() {
        let found = descriptions.iter().find_map(|d| {
            d.operations
                .iter()
                .find(|op| op.name == f.name)
                .map(|op| (d, op))
        });
        match found {
            None => report.only_in_specs.push(f.name.clone()),
            Some((d, op)) => {
                report.compared += 1;
                compare_function(f, &d.file, op, &mut report.differences);
            }
        }
    }
    report
}

/// Differences of one function, pushed onto `out`.
fn compare_function(f: &Function, file: &str, op: &Operation, out: &mut Vec<Difference>) {
    let spec = format!("spec/{}", f.source);
    let mut push = |line: usize, desc_line: usize, what: String, deliberate: Option<&String>| {
        out.push(Difference {
            function: f.name.clone(),
            spec_at: format!("{spec}:{}", line.max(1)),
            description_at: format!("{file}:{desc_line}"),
            what,
            deliberate: deliberate.or(f.differs.as_ref()).cloned(),
        });
    };
    let spec_post = f.method == Some(HttpMethod::Post);
    if spec_post != (op.method == "post") {
        push(
            1,
            op.line,
            format!(
                "method: spec {}, description {}",
                if spec_post { "POST" } else { "GET" },
                op.method.to_uppercase()
            ),
            None,
        );
    }
    let spec_since = f.since.as_deref().and_then(version_number);
    let op_since = op.since.as_deref().and_then(version_number);
    if spec_since != op_since {
        push(
            1,
            op.line,
            format!(
                "since: spec {}, description {}",
                spec_since.as_deref().unwrap_or("none"),
                op_since.as_deref().unwrap_or("none")
            ),
            None,
        );
    }
    if f.deprecated != op.deprecated {
        push(
            1,
            op.line,
            format!(
                "deprecated: spec {}, description {}",
                f.deprecated, op.deprecated
            ),
            None,
        );
    }
    let mut facts = Vec::new();
    compare_fields("parameter", "", &f.params, &op.params, true, &mut facts);
    compare_fields(
        "return",
        "data.",
        &f.returns,
        &op.returns,
        false,
        &mut facts,
    );
    for (line, desc_line, what, deliberate) in facts {
        // A field the description lacks points at the operation.
        let desc_line = if desc_line == 0 { op.line } else { desc_line };
        push(line, desc_line, what, deliberate.as_ref());
    }
}

type Fact = (usize, usize, String, Option<String>);

fn compare_fields(
    role: &str,
    prefix: &str,
    spec: &[Field],
    desc: &[FieldFacts],
    params: bool,
    out: &mut Vec<Fact>,
) {
    for d in desc {
        let Some(s) = spec.iter().find(|s| s.name == d.name) else {
            out.push((
                spec.first().map_or(1, |s| s.line),
                d.line,
                format!(
                    "{role} `{prefix}{}` is in the description, not in the spec",
                    d.name
                ),
                None,
            ));
            continue;
        };
        let name = format!("{prefix}{}", s.name);
        let mut differ = |what: String| {
            out.push((
                s.line,
                d.line,
                format!("{role} `{name}`: {what}"),
                s.differs.clone(),
            ))
        };
        if params && s.required != d.required {
            differ(format!(
                "required: spec {}, description {}",
                s.required, d.required
            ));
        }
        if d.nullable && !s.nullable {
            differ("nullable in the description, not in the spec".to_owned());
        }
        // A default of `null` (or of the empty string) says there is none.
        if params
            && let Some(default) = d
                .default
                .as_ref()
                .filter(|d| !matches!(d.as_str(), "null" | "~" | ""))
            && s.default.as_deref().map(normal) != Some(normal(default))
        {
            differ(format!(
                "default: spec {}, description {default}",
                s.default.as_deref().unwrap_or("none")
            ));
        }
        use crate::ir::Constraint as C;
        let spec_value = |pick: &dyn Fn(&C) -> Option<String>| s.constraints.iter().find_map(pick);
        let checks: [(&str, Option<String>, Option<String>); 5] = [
            (
                "minimum",
                d.minimum.map(|n| n.to_string()),
                spec_value(&|c| match c {
                    C::Minimum(n) => Some(n.to_string()),
                    _ => None,
                }),
            ),
            (
                "maximum",
                d.maximum.map(|n| n.to_string()),
                spec_value(&|c| match c {
                    C::Maximum(n) => Some(n.to_string()),
                    _ => None,
                }),
            ),
            (
                "min_length",
                d.min_length.map(|n| n.to_string()),
                spec_value(&|c| match c {
                    C::MinLength(n) => Some(n.to_string()),
                    _ => None,
                }),
            ),
            (
                "max_length",
                d.max_length.map(|n| n.to_string()),
                spec_value(&|c| match c {
                    C::MaxLength(n) => Some(n.to_string()),
                    _ => None,
                }),
            ),
            (
                "pattern",
                d.pattern.clone(),
                spec_value(&|c| match c {
                    C::Pattern(p) => Some(p.clone()),
                    _ => None,
                }),
            ),
        ];
        for (label, described, specified) in checks {
            if described.is_some() && described != specified {
                differ(format!(
                    "{label}: spec {}, description {}",
                    specified.as_deref().unwrap_or("none"),
                    described.as_deref().unwrap_or("none")
                ));
            }
        }
        // A parameter that takes several values is sent as repeated or
        // numbered keys (`user=a&user=b`, `user-1=a`): the description writes
        // such a parameter as the one scalar each key holds, and says in
        // prose that it repeats. Compare the items with that scalar.
        let spec_ty = match &s.ty {
            Type::Array(a) if params && !matches!(d.shape, Shape::Array(_)) => &a.items,
            ty => ty,
        };
        if let Some(what) = shape_difference(spec_ty, &d.shape) {
            differ(what);
        }
        // Nested returns: the fields of hashes, of lists of hashes, of maps of hashes.
        if let (Some(spec_fields), Some(desc_fields)) = (nested(&s.ty), nested_facts(&d.shape)) {
            compare_fields(
                role,
                &format!("{name}."),
                spec_fields,
                desc_fields,
                false,
                out,
            );
        }
    }
    for s in spec {
        if s.pattern_prefix.is_none() && !desc.iter().any(|d| d.name == s.name) && !desc.is_empty()
        {
            out.push((
                s.line,
                0,
                format!(
                    "{role} `{prefix}{}` is in the spec, not in the description",
                    s.name
                ),
                s.differs.clone(),
            ));
        }
    }
}

fn nested(ty: &Type) -> Option<&[Field]> {
    match ty {
        Type::Hash(s) => Some(&s.fields),
        Type::Array(a) => nested(&a.items),
        Type::Map(v) => nested(v),
        _ => None,
    }
}

/// The fields a described value nests: its own, or its items' or values'.
pub(super) fn nested_facts(shape: &Shape) -> Option<&[FieldFacts]> {
    match shape {
        Shape::Object(fields) => Some(fields),
        Shape::Array(items) | Shape::Map(items) => nested_facts(items),
        _ => None,
    }
}

/// `None` when the spec's type says what the description's does (or more); else the difference.
pub(super) fn shape_difference(spec: &Type, desc: &Shape) -> Option<String> {
    let ok = match (spec, desc) {
        (Type::Any, _) | (_, Shape::Any) => true,
        (Type::String(f), Shape::String(g)) => match (f, g.as_deref().and_then(typed_format)) {
            (_, None) => true,
            (Some(f), Some(g)) => {
                f.spec_name() == g
                    // A DNS name or a host name is a domain name, said more precisely.
                    || (g == "domain" && matches!(f.spec_name(), "dns_name" | "fqdn"))
            }
            (None, Some(_)) => false,
        },
        // A closed set or a y/n flag where the description says any string: more precise.
        (Type::Enum(e), Shape::String(None)) => !e.numeric,
        (Type::YesNo, Shape::String(None)) => true,
        (Type::Integer, Shape::Integer(f)) => f.as_deref() != Some("unix_timestamp"),
        (Type::Timestamp, Shape::Integer(_)) => true,
        (Type::Float, Shape::Number | Shape::Integer(_)) => true,
        (Type::Boolean, Shape::Boolean) => true,
        (Type::YesNo, Shape::Enum(v)) => same_set(v, &["y", "n"]),
        (Type::Limit, Shape::Limit) => true,
        (Type::StringOrInteger, Shape::StringOrInteger) => true,
        (Type::Enum(e), Shape::Enum(v)) => {
            let spec: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
            if !same_set(v, &spec) {
                return Some(format!(
                    "values: spec {}, description {}",
                    spec.join("|"),
                    v.join("|")
                ));
            }
            true
        }
        (Type::Boolean, Shape::Enum(v)) => v.iter().all(|w| w == "0" || w == "1"),
        (Type::Enum(e), Shape::Boolean) => {
            let spec: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
            same_set(&["0".to_owned(), "1".to_owned()], &spec)
        }
        (Type::Array(a), Shape::Array(items)) => return shape_difference(&a.items, items),
        (Type::Hash(_), Shape::Object(_)) => true,
        (Type::Map(v), Shape::Map(values)) => return shape_difference(v, values),
        (Type::Map(_), Shape::Object(fields)) => fields.is_empty(),
        _ => false,
    };
    (!ok).then(|| {
        format!(
            "type: spec {}, description {}",
            spec_word(spec),
            desc.word()
        )
    })
}

/// The spec type name of an OpenAPI `format`, for the formats the spec format types.
fn typed_format(format: &str) -> Option<&'static str> {
    let name = match format {
        "uri" | "url" => "url",
        "hostname" => "fqdn",
        "ipv4" | "ipv6" | "email" | "domain" | "username" | "uuid" | "path" => {
            return whm_runtime::Format::from_spec_name(format).map(|f| f.spec_name());
        }
        _ => return None,
    };
    Some(name)
}

fn same_set(a: &[String], b: &[&str]) -> bool {
    let a: BTreeSet<&str> = a.iter().map(String::as_str).collect();
    let b: BTreeSet<&str> = b.iter().copied().collect();
    a == b
}

/// `1` and `true` say the same of a boolean default.
pub(super) fn normal(value: &str) -> &str {
    match value {
        "true" => "1",
        "false" => "0",
        other => other,
    }
}

/// The version number in `cPanel & WHM version 11.40`, `'11.40'`, `98` or `cPanel 56`.
pub(super) fn version_number(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('.').to_owned())
}

fn spec_word(ty: &Type) -> String {
    crate::front::type_word(ty)
        .trim_start_matches("a ")
        .trim_start_matches("an ")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_are_read_from_any_spelling() {
        assert_eq!(
            version_number("cPanel & WHM version 11.40").as_deref(),
            Some("11.40")
        );
        assert_eq!(version_number("98").as_deref(), Some("98"));
        assert_eq!(version_number("cPanel 56").as_deref(), Some("56"));
        assert_eq!(version_number("unknown"), None);
    }
}
