//! Reading cPanel's OpenAPI description of WHM API 1 into the facts a spec
//! carries: each WHM API 1 operation's parameters and returns, typed as the
//! spec format types them, with the line each came from.
//!
//! The description is read with marked-yaml, so every fact keeps its line
//! in the source file. What it cannot map to the format (an unknown format,
//! a `oneOf` of whole objects) is kept as [`Shape::Other`] with its words,
//! never dropped, so a report can say so.

use std::path::Path;

use marked_yaml::Node;
use marked_yaml::types::MarkedMappingNode;

/// One file of the description, reduced to its WHM API 1 operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// The file as given on the command line.
    pub file: String,
    /// The `openapi:` header (`3.0.0`, `3.1.0`, `3.2.0`).
    pub version: String,
    /// The operations whose `x-cpanel-api-version` is `WHM API 1`, in file order.
    pub operations: Vec<Operation>,
}

/// One WHM API 1 function as the description tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The function's name: the path's last segment.
    pub name: String,
    /// `get` or `post`.
    pub method: String,
    /// `x-cpanel-available-version`, as written (`'11.40'`, `98`, `cPanel 56`).
    pub since: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The query parameters (and a POST body's properties).
    pub params: Vec<FieldFacts>,
    /// The properties of `data` in the 200 response.
    pub returns: Vec<FieldFacts>,
    /// The line of the operation's path in the file.
    pub line: usize,
    /// `summary`, as written.
    pub summary: String,
    /// `description`, as written (Markdown).
    pub description: String,
    /// `x-codeSamples`: `(label, source)` pairs (the CLI line, the URL).
    pub samples: Vec<(String, String)>,
    /// `tags`.
    pub tags: Vec<String>,
}

/// What the description says of one parameter or returned field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldFacts {
    /// The name on the wire.
    pub name: String,
    /// Its shape.
    pub shape: Shape,
    /// Parameters: `required: true`.
    pub required: bool,
    /// `null` is allowed (`nullable: true`, `type: [T, 'null']`, a `oneOf` with null).
    pub nullable: bool,
    /// `default`, as text.
    pub default: Option<String>,
    /// `minimum`, `maximum`, `minLength`, `maxLength`.
    pub minimum: Option<i64>,
    /// See `minimum`.
    pub maximum: Option<i64>,
    /// See `minimum`.
    pub min_length: Option<u64>,
    /// See `minimum`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The line of the field in the file.
    pub line: usize,
    /// `description` (of the parameter, else of its schema), as written.
    pub description: String,
    /// `example` (or the first of `examples`), as text for scalars.
    pub example: Option<String>,
    /// A list parameter sent as one comma-joined value (`style: form, explode: false`).
    pub comma_joined: bool,
    /// A list parameter sent as the key repeated (`explode: true` said outright).
    pub repeated: bool,
}

/// A value's shape, in the spec format's terms where it has them.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A string, with its `format` when it has one.
    String(Option<String>),
    /// A whole number (`format: unix_timestamp` kept).
    Integer(Option<String>),
    /// A number with a fraction.
    Number,
    /// A boolean, or an integer whose values are exactly 0 and 1.
    Boolean,
    /// A closed set of values (strings or integers), in order.
    Enum(Vec<String>),
    /// A whole number or the word `unlimited`.
    Limit,
    /// A whole number or any text (`string|integer`).
    StringOrInteger,
    /// A list of one shape.
    Array(Box<Shape>),
    /// A hash with named properties.
    Object(Vec<FieldFacts>),
    /// A hash whose keys are data, all values of one shape.
    Map(Box<Shape>),
    /// Anything (no type given).
    Any,
    /// Something the format has no word for, described.
    Other(String),
}

/// Reads one description file.
pub fn read(path: &Path) -> Result<Description, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&path.display().to_string(), &text)
}

/// Reads a description from its text; `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Description, String> {
    let root = marked_yaml::parse_yaml(0, text).map_err(|e| format!("{file}: {e}"))?;
    let map = root
        .as_mapping()
        .ok_or_else(|| format!("{file}: not an OpenAPI description (no top-level mapping)"))?;
    let version = scalar(map, "openapi")
        .ok_or_else(|| format!("{file}: no `openapi:` header; is it an OpenAPI description?"))?;
    let reader = Reader {
        root: map,
        depth: 0,
    };
    let mut operations = Vec::new();
    if let Some(paths) = map.get_mapping("paths") {
        for (path, item) in paths.iter() {
            let Some(item) = item.as_mapping() else {
                continue;
            };
            let name = path
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            for method in ["get", "post"] {
                let Some(op) = item.get_mapping(method) else {
                    continue;
                };
                if scalar(op, "x-cpanel-api-version").as_deref() != Some("WHM API 1") {
                    continue;
                }
                operations.push(reader.operation(&name, method, op, line_of(path.span())));
            }
        }
    }
    Ok(Description {
        file: file.to_owned(),
        version,
        operations,
    })
}

fn scalar(map: &MarkedMappingNode, key: &str) -> Option<String> {
    map.get_scalar(key).map(|s| s.as_str().to_owned())
}

fn flag(map: &MarkedMappingNode, key: &str) -> bool {
    scalar(map, key).as_deref() == Some("true")
}

fn line_of(span: &marked_yaml::Span) -> usize {
    span.start().map_or(0, |m| m.line())
}

/// Walks the description, resolving `$ref`s against its `components`.
struct Reader<'a> {
    root: &'a MarkedMappingNode,
    depth: usize,
}

/// How deep `$ref`s and nesting are followed: past it a shape is [`Shape::Other`].
const MAX_DEPTH: usize = 48;

impl Reader<'_> {
    fn operation(
        &self,
        name: &str,
        method: &str,
        op: &MarkedMappingNode,
        line: usize,
    ) -> Operation {
        let mut params = Vec::new();
        if let Some(list) = op.get_sequence("parameters") {
            for p in list.iter() {
                let Some(p) = p.as_mapping().map(|m| self.deref(m)) else {
                    continue;
                };
                // `api.version=1` selects the API itself; no spec lists it.
                let Some(pname) = scalar(p, "name").filter(|n| n != "api.version") else {
                    continue;
                };
                let schema = p.get_mapping("schema").map(|s| self.deref(s));
                let mut facts = match schema {
                    Some(schema) => self.facts(&pname, schema, line_of(p.span())),
                    None => FieldFacts::any(&pname, line_of(p.span())),
                };
                facts.required = flag(p, "required");
                facts.deprecated |= flag(p, "deprecated");
                let explode = scalar(p, "explode");
                let list = matches!(facts.shape, Shape::Array(_));
                facts.comma_joined = list && explode.as_deref() == Some("false");
                facts.repeated = list && explode.as_deref() == Some("true");
                if let Some(d) = scalar(p, "description") {
                    facts.description = d;
                }
                if facts.example.is_none() {
                    facts.example = example_of(p);
                }
                params.push(facts);
            }
        }
        // A POST body's form properties are parameters too.
        if let Some(schema) = op
            .get_mapping("requestBody")
            .and_then(|b| b.get_mapping("content"))
            .and_then(|c| c.iter().next().and_then(|(_, v)| v.as_mapping()))
            .and_then(|m| m.get_mapping("schema"))
            .map(|s| self.deref(s))
        {
            let required = required_names(schema);
            if let Shape::Object(fields) = self.facts("body", schema, 0).shape {
                for mut f in fields {
                    f.required = required.contains(&f.name);
                    params.push(f);
                }
            }
        }
        let returns = op
            .get_mapping("responses")
            .and_then(|r| r.get_mapping("200"))
            .and_then(|r| r.get_mapping("content"))
            .and_then(|c| c.get_mapping("application/json"))
            .and_then(|c| c.get_mapping("schema"))
            .map(|s| self.deref(s))
            .and_then(|s| self.data_fields(s))
            .unwrap_or_default();
        let samples = op
            .get_sequence("x-codeSamples")
            .map(|list| {
                list.iter()
                    .filter_map(Node::as_mapping)
                    .filter_map(|m| Some((scalar(m, "label")?, scalar(m, "source")?)))
                    .collect()
            })
            .unwrap_or_default();
        Operation {
            name: name.to_owned(),
            method: method.to_owned(),
            since: scalar(op, "x-cpanel-available-version"),
            deprecated: flag(op, "deprecated"),
            params,
            returns,
            line,
            summary: scalar(op, "summary").unwrap_or_default(),
            description: scalar(op, "description").unwrap_or_default(),
            samples,
            tags: op
                .get_sequence("tags")
                .map(|list| {
                    list.iter()
                        .filter_map(|n| n.as_scalar().map(|s| s.as_str().to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The fields of `data` in a response schema; an `anyOf` of envelopes gives the first with data.
    fn data_fields(&self, schema: &MarkedMappingNode) -> Option<Vec<FieldFacts>> {
        if let Some(data) = schema
            .get_mapping("properties")
            .and_then(|p| p.get_mapping("data"))
            .map(|d| self.deref(d))
        {
            return match self.facts("data", data, 0).shape {
                Shape::Object(fields) => Some(fields),
                _ => Some(Vec::new()),
            };
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(list) = schema.get_sequence(key) {
                for alt in list.iter().filter_map(Node::as_mapping) {
                    if let Some(found) = self.data_fields(self.deref(alt)) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    /// `#/components/schemas/X` resolved (a chain of them too); anything else as it is.
    fn deref<'n>(&'n self, mut map: &'n MarkedMappingNode) -> &'n MarkedMappingNode {
        for _ in 0..MAX_DEPTH {
            let Some(target) = map.get_scalar("$ref") else {
                return map;
            };
            let mut node = Some(self.root);
            for part in target.as_str().trim_start_matches("#/").split('/') {
                node = node.and_then(|n| n.get_mapping(part));
            }
            match node {
                Some(found) => map = found,
                None => return map,
            }
        }
        map
    }

    fn facts(&self, name: &str, schema: &MarkedMappingNode, line: usize) -> FieldFacts {
        let schema = self.deref(schema);
        let line = if line == 0 {
            line_of(schema.span())
        } else {
            line
        };
        let number = |key: &str| scalar(schema, key).and_then(|v| v.parse::<f64>().ok());
        let (shape, nullable) = if self.depth >= MAX_DEPTH {
            (Shape::Other("nested too deeply".into()), false)
        } else {
            let deeper = Reader {
                root: self.root,
                depth: self.depth + 1,
            };
            deeper.shape(schema)
        };
        FieldFacts {
            name: name.to_owned(),
            shape,
            required: false,
            nullable: nullable || flag(schema, "nullable"),
            default: scalar(schema, "default"),
            minimum: number("minimum").map(|v| v as i64),
            maximum: number("maximum").map(|v| v as i64),
            min_length: number("minLength").map(|v| v as u64),
            max_length: number("maxLength").map(|v| v as u64),
            pattern: scalar(schema, "pattern").map(|p| unanchored(&p)),
            deprecated: flag(schema, "deprecated"),
            line,
            description: scalar(schema, "description").unwrap_or_default(),
            example: example_of(schema),
            comma_joined: false,
            repeated: false,
        }
    }

    /// The shape of a schema, and whether it allows `null`.
    fn shape(&self, schema: &MarkedMappingNode) -> (Shape, bool) {
        let types: Vec<String> = match schema.get_node("type") {
            Some(Node::Scalar(s)) => vec![s.as_str().to_owned()],
            Some(Node::Sequence(list)) => list
                .iter()
                .filter_map(|n| n.as_scalar().map(|s| s.as_str().to_owned()))
                .collect(),
            _ => Vec::new(),
        };
        let mut nullable = types.iter().any(|t| t == "null");
        let types: Vec<&str> = types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        let mut enum_values: Option<Vec<String>> = schema.get_sequence("enum").map(|list| {
            list.iter()
                .filter_map(|n| n.as_scalar().map(|s| s.as_str().to_owned()))
                .collect()
        });
        // `null` among the values (OpenAPI 3.1's nullable enums) says nullable, not a value.
        if let Some(values) = &mut enum_values
            && values.iter().any(|v| v == "null" || v == "~")
        {
            values.retain(|v| v != "null" && v != "~");
            nullable = true;
        }
        let format = scalar(schema, "format");
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = schema.get_sequence(key) {
                let alts: Vec<(Shape, bool)> = list
                    .iter()
                    .filter_map(Node::as_mapping)
                    .map(|m| self.facts("", m, 0))
                    .map(|f| (f.shape, f.nullable))
                    .collect();
                nullable |= alts.iter().any(|(_, n)| *n);
                return (
                    combine(alts.into_iter().map(|(s, _)| s).collect()),
                    nullable,
                );
            }
        }
        if let Some(list) = schema.get_sequence("allOf") {
            let mut fields = Vec::new();
            for alt in list.iter().filter_map(Node::as_mapping) {
                if let Shape::Object(more) = self.facts("", alt, 0).shape {
                    merge_fields(&mut fields, more);
                }
            }
            return (Shape::Object(fields), nullable);
        }
        let additional = match schema.get_node("additionalProperties") {
            Some(Node::Mapping(values)) => Some(values),
            _ => None,
        };
        let shape = match types.as_slice() {
            ["integer", "string"] | ["string", "integer"] => Shape::StringOrInteger,
            ["integer"] | ["number"] | ["boolean"]
                if enum_values.as_ref().is_some_and(|v| is_zero_one(v)) =>
            {
                Shape::Boolean
            }
            ["boolean"] => Shape::Boolean,
            [_] if enum_values.as_ref().is_some_and(|v| !v.is_empty()) => {
                Shape::Enum(enum_values.unwrap_or_default())
            }
            ["string"] => Shape::String(format),
            ["integer"] => Shape::Integer(format),
            ["number"] => Shape::Number,
            ["array"] => {
                let items = schema
                    .get_mapping("items")
                    .map_or(Shape::Any, |i| self.facts("", i, 0).shape);
                Shape::Array(Box::new(items))
            }
            ["object"] | [] if schema.get_mapping("properties").is_some() => {
                let mut fields = Vec::new();
                if let Some(props) = schema.get_mapping("properties") {
                    for (key, value) in props.iter() {
                        if let Some(value) = value.as_mapping() {
                            fields.push(self.facts(key.as_str(), value, line_of(key.span())));
                        }
                    }
                }
                Shape::Object(fields)
            }
            // A hash whose keys are data, said with or without `type: object`.
            ["object"] | [] if additional.is_some() => {
                let values = additional.map_or(Shape::Any, |v| self.facts("", v, 0).shape);
                Shape::Map(Box::new(values))
            }
            ["object"] => Shape::Object(Vec::new()),
            [] => Shape::Any,
            other => Shape::Other(format!("type {}", other.join("|"))),
        };
        (shape, nullable)
    }
}

/// `allOf`: the fields of one more part added to those of the parts before.
/// A field that several parts name is one field: the parts of an `allOf` all
/// hold, so a later part adds to what an earlier one said of it (its own
/// fields, a description or example the first lacked) rather than repeating it.
fn merge_fields(fields: &mut Vec<FieldFacts>, more: Vec<FieldFacts>) {
    for field in more {
        let Some(known) = fields.iter_mut().find(|f| f.name == field.name) else {
            fields.push(field);
            continue;
        };
        match (&mut known.shape, field.shape) {
            (Shape::Object(mine), Shape::Object(theirs)) => merge_fields(mine, theirs),
            (mine @ Shape::Any, theirs) => *mine = theirs,
            _ => {}
        }
        known.required |= field.required;
        known.nullable &= field.nullable;
        if known.description.is_empty() {
            known.description = field.description;
        }
        if known.example.is_none() {
            known.example = field.example;
        }
        if known.default.is_none() {
            known.default = field.default;
        }
    }
}

/// A `oneOf`/`anyOf` of scalars, in the format's terms: an integer or `unlimited`
/// is a limit, an integer or a string is either, one alternative is itself.
fn combine(mut alts: Vec<Shape>) -> Shape {
    alts.retain(|s| *s != Shape::Any);
    let integer = alts.iter().any(|s| matches!(s, Shape::Integer(_)));
    let unlimited = alts
        .iter()
        .any(|s| matches!(s, Shape::Enum(v) if v.iter().all(|w| w == "unlimited")));
    let string = alts.iter().any(|s| matches!(s, Shape::String(_)));
    // A string, or one of some words: the words are known values of an open string.
    let open_string = alts.iter().find_map(|s| match s {
        Shape::String(f) => Some(f.clone()),
        _ => None,
    });
    let only_text = alts.iter().all(|s| {
        matches!(s, Shape::String(_))
            || matches!(s, Shape::Enum(v) if v.iter().all(|w| w.parse::<f64>().is_err()))
    });
    // An IPv4 or an IPv6 address is an IP address.
    let formats: Vec<Option<&str>> = alts
        .iter()
        .map(|s| match s {
            Shape::String(f) => f.as_deref(),
            _ => Some("not a string"),
        })
        .collect();
    if formats.len() == 2 && formats.contains(&Some("ipv4")) && formats.contains(&Some("ipv6")) {
        return Shape::String(Some("ip".to_owned()));
    }
    match alts.len() {
        0 => Shape::Any,
        1 => alts.remove(0),
        _ if integer && unlimited => Shape::Limit,
        _ if integer && string => Shape::StringOrInteger,
        // Text, or a number from a closed set (`0` when not installed): a number or text.
        _ if string
            && alts.iter().any(
                |s| matches!(s, Shape::Enum(v) if v.iter().all(|w| w.parse::<i64>().is_ok())),
            ) =>
        {
            Shape::StringOrInteger
        }
        _ if only_text && open_string.is_some() => Shape::String(open_string.flatten()),
        _ => Shape::Other(format!(
            "one of {}",
            alts.iter().map(Shape::word).collect::<Vec<_>>().join(" | ")
        )),
    }
}

/// A pattern as a spec writes it: matching the whole value, without `^`, `$`
/// or the `^(?:...)$` wrapper the export adds.
fn unanchored(pattern: &str) -> String {
    let bare = pattern.strip_prefix('^').unwrap_or(pattern);
    let bare = bare.strip_suffix('$').unwrap_or(bare);
    let inner = bare
        .strip_prefix("(?:")
        .or_else(|| bare.strip_prefix('('))
        .and_then(|b| b.strip_suffix(')'));
    match inner {
        // Only when the group is the whole pattern: `(a)|(b)` keeps its parentheses.
        Some(inner) if !inner.contains(['(', ')']) => inner.to_owned(),
        _ => bare.to_owned(),
    }
}

fn is_zero_one(values: &[String]) -> bool {
    let mut sorted: Vec<&str> = values.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted == ["0", "1"]
}

fn required_names(schema: &MarkedMappingNode) -> Vec<String> {
    schema
        .get_sequence("required")
        .map(|list| {
            list.iter()
                .filter_map(|n| n.as_scalar().map(|s| s.as_str().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

impl Shape {
    /// The shape in a few words, for reports: `string (ipv4)`, `array of integer`.
    pub fn word(&self) -> String {
        match self {
            Shape::String(Some(f)) => format!("string ({f})"),
            Shape::String(None) => "string".into(),
            Shape::Integer(Some(f)) => format!("integer ({f})"),
            Shape::Integer(None) => "integer".into(),
            Shape::Number => "number".into(),
            Shape::Boolean => "boolean".into(),
            Shape::Enum(v) => format!("enum {}", v.join("|")),
            Shape::Limit => "integer or unlimited".into(),
            Shape::StringOrInteger => "string|integer".into(),
            Shape::Array(items) => format!("array of {}", items.word()),
            Shape::Object(_) => "object".into(),
            Shape::Map(values) => format!("map of {}", values.word()),
            Shape::Any => "any".into(),
            Shape::Other(what) => what.clone(),
        }
    }
}

impl FieldFacts {
    fn any(name: &str, line: usize) -> Self {
        FieldFacts {
            name: name.to_owned(),
            shape: Shape::Any,
            required: false,
            nullable: false,
            default: None,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            pattern: None,
            deprecated: false,
            line,
            description: String::new(),
            example: None,
            comma_joined: false,
            repeated: false,
        }
    }
}

/// A scalar `example`, or the first value of `examples` (named or listed).
fn example_of(map: &MarkedMappingNode) -> Option<String> {
    if let Some(s) = map.get_scalar("example") {
        return Some(s.as_str().to_owned());
    }
    match map.get_node("examples")? {
        Node::Mapping(named) => named.iter().find_map(|(_, v)| {
            v.as_mapping()
                .and_then(|m| m.get_scalar("value"))
                .map(|s| s.as_str().to_owned())
        }),
        Node::Sequence(list) => list
            .iter()
            .find_map(|n| n.as_scalar().map(|s| s.as_str().to_owned())),
        Node::Scalar(_) => None,
    }
}

/// The meanings that a description gives its values as bullets,
/// "* `1` — Enabled." or "* `y` - Yes.", in order.
pub fn value_meanings(description: &str) -> Vec<(String, String)> {
    description
        .lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix(['*', '-'])?.trim_start();
            let rest = rest.strip_prefix('`')?;
            let (value, after) = rest.split_once('`')?;
            let meaning = after
                .trim_start()
                .trim_start_matches(['—', '–', '-', ':'])
                .trim();
            Some((value.to_owned(), meaning.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_all_of_names_each_field_once() {
        let text = r#"openapi: 3.0.0
paths:
  /f:
    get:
      x-cpanel-api-version: WHM API 1
      responses:
        '200':
          content:
            application/json:
              schema:
                properties:
                  data:
                    allOf:
                      - properties:
                          offer: {type: object, properties: {id: {type: string}}}
                      - properties:
                          offer: {type: object, properties: {url: {type: string}}, description: An offer.}
                          more: {type: integer}
"#;
        let d = parse("f.yml", text).expect("parses");
        let returns = &d.operations[0].returns;
        let names: Vec<&str> = returns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["offer", "more"]);
        let Shape::Object(offer) = &returns[0].shape else {
            panic!("{:?}", returns[0].shape)
        };
        let names: Vec<&str> = offer.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["id", "url"]);
        assert_eq!(returns[0].description, "An offer.");
    }
}
