//! An OpenAPI description of every spec (`whm-codegen export openapi`), for
//! other tools: generators for other languages, API consoles, linters.
//!
//! A pure function of the IR, deterministic: paths in the docs' order, keys
//! in a fixed order. Each function is `/json-api/NAME`, with `api.version=1`,
//! WHM's envelope around its `data`, both of WHM's authentication schemes,
//! the spec's examples and code samples (the `whmapi1` line and the URL).
//! What OpenAPI cannot say is kept in `x-whm-*` extensions: numbered list
//! keys, parameters named by a pattern, the checks of `required_if`.

use serde_json::{Map, Value, json};

use crate::ir::{Api, Constraint, Field, Function, HttpMethod, ListStyle, Type};

/// The OpenAPI versions the export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenApiVersion {
    /// 3.0.3: `nullable: true`, `oneOf` for mixed types.
    V3_0,
    /// 3.1.0: `type: [T, 'null']`, JSON Schema 2020-12.
    V3_1,
}

impl OpenApiVersion {
    fn header(self) -> &'static str {
        match self {
            OpenApiVersion::V3_0 => "3.0.3",
            OpenApiVersion::V3_1 => "3.1.0",
        }
    }
}

/// The description as JSON (YAML readers read it too).
pub fn export(api: &Api, version: OpenApiVersion) -> Value {
    let mut paths = Map::new();
    for category in &api.categories {
        for f in &category.functions {
            paths.insert(
                format!("/json-api/{}", f.name),
                json!({ method_key(f): operation(f, &category.title, version) }),
            );
        }
    }
    let tags: Vec<Value> = api
        .categories
        .iter()
        .map(|c| json!({"name": c.title, "description": c.description}))
        .collect();
    json!({
        "openapi": version.header(),
        "info": {
            "title": "WHM API 1",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "WHM API 1 as described by the YAML specs of whm-spec, exported by `whm-codegen export openapi`.",
        },
        "servers": [{
            "url": "https://{host}:{port}",
            "description": "A server running WHM (HTTPS on 2087, plain HTTP on 2086).",
            "variables": {
                "host": {"default": "whm.example.com", "description": "The server's host name."},
                "port": {"default": "2087", "enum": ["2087", "2086"], "description": "The WHM port."},
            },
        }],
        "security": [{"WhmApiToken": []}, {"BasicAuth": []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "securitySchemes": {
                "WhmApiToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`whm USER:TOKEN`, with a WHM API token.",
                },
                "BasicAuth": {"type": "http", "scheme": "basic"},
            },
        },
    })
}

/// The method WHM documents (`method:`); a function the client posts only to
/// keep secrets out of URLs stays a GET here, marked `x-whm-client-method`.
fn method_key(f: &Function) -> &'static str {
    if documented_post(f) { "post" } else { "get" }
}

fn documented_post(f: &Function) -> bool {
    f.method == Some(HttpMethod::Post)
}

fn operation(f: &Function, tag: &str, version: OpenApiVersion) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(f.name));
    op.insert("summary".into(), json!(f.summary));
    op.insert("description".into(), json!(f.description));
    op.insert("tags".into(), json!([tag]));
    op.insert("x-cpanel-api-version".into(), json!("WHM API 1"));
    if let Some(since) = &f.since {
        op.insert("x-cpanel-available-version".into(), json!(since));
    }
    if f.deprecated {
        op.insert("deprecated".into(), json!(true));
    }
    let mut parameters = vec![json!({
        "name": "api.version",
        "in": "query",
        "required": true,
        "description": "Selects WHM API 1; without it WHM runs the old API 0.",
        "schema": {"type": "integer", "enum": [1]},
    })];
    if f.post() && !documented_post(f) {
        op.insert("x-whm-client-method".into(), json!("POST"));
    }
    let fields: Vec<&Field> = f
        .params
        .iter()
        .filter(|p| p.pattern_prefix.is_none())
        .collect();
    if documented_post(f) {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for p in &fields {
            properties.insert(p.name.clone(), field_schema(p, version));
            if p.required {
                required.push(json!(p.name));
            }
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": schema}}}),
        );
    } else {
        for p in &fields {
            parameters.push(parameter(p, version));
        }
    }
    op.insert("parameters".into(), Value::Array(parameters));
    let patterns: Vec<Value> = f
        .params
        .iter()
        .filter(|p| p.pattern_prefix.is_some())
        .map(|p| json!({"name": p.name, "description": p.description, "schema": type_schema(&p.ty, version)}))
        .collect();
    if !patterns.is_empty() {
        op.insert("x-whm-pattern-parameters".into(), Value::Array(patterns));
    }
    op.insert("responses".into(), responses(f, version));
    op.insert("x-codeSamples".into(), code_samples(f));
    Value::Object(op)
}

fn parameter(p: &Field, version: OpenApiVersion) -> Value {
    let mut out = json!({
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": p.description,
        "schema": field_schema(p, version),
    });
    if let Type::Array(a) = &p.ty {
        match a.style {
            ListStyle::Comma => {
                out["style"] = json!("form");
                out["explode"] = json!(false);
            }
            ListStyle::Repeated => {
                out["style"] = json!("form");
                out["explode"] = json!(true);
            }
            ListStyle::Numbered => {
                out["x-whm-list-style"] = json!("numbered");
                out["x-whm-first-index"] = json!(a.first_index);
            }
        }
    }
    if p.deprecated {
        out["deprecated"] = json!(true);
    }
    out
}

/// A field's schema: its type, nullability, checks, default and example.
fn field_schema(f: &Field, version: OpenApiVersion) -> Value {
    let mut schema = type_schema(&f.ty, version);
    let Value::Object(map) = &mut schema else {
        return schema;
    };
    if !f.description.is_empty() {
        map.insert("description".into(), json!(f.description));
    }
    let target = match map.get_mut("items") {
        Some(Value::Object(items)) if matches!(f.ty, Type::Array(_)) => items,
        _ => map,
    };
    for c in &f.constraints {
        match c {
            Constraint::Minimum(n) => drop(target.insert("minimum".into(), json!(n))),
            Constraint::Maximum(n) => drop(target.insert("maximum".into(), json!(n))),
            Constraint::MinLength(n) => drop(target.insert("minLength".into(), json!(n))),
            Constraint::MaxLength(n) => drop(target.insert("maxLength".into(), json!(n))),
            Constraint::Pattern(p) => {
                drop(target.insert("pattern".into(), json!(format!("^(?:{p})$"))))
            }
            Constraint::RequiredIf { param, values } => drop(target.insert(
                "x-whm-required-if".into(),
                json!({"param": param, "values": values}),
            )),
        }
    }
    // An empty default of a formatted string means "none": no value of the format.
    if let Some(default) = &f.default
        && !(default.is_empty() && matches!(f.ty, Type::String(Some(_))))
    {
        map.insert("default".into(), scalar_json(&f.ty, default));
    }
    if let Some(example) = &f.example {
        let value = match example {
            crate::ir::ExampleValue::Text(t) => scalar_json(&f.ty, t),
            crate::ir::ExampleValue::Json(v) => v.clone(),
        };
        map.insert("example".into(), value);
    }
    if f.deprecated {
        map.insert("deprecated".into(), json!(true));
    }
    if f.nullable {
        make_nullable(&mut schema, version);
    }
    schema
}

fn make_nullable(schema: &mut Value, version: OpenApiVersion) {
    let Value::Object(map) = schema else { return };
    match (version, map.get("type").cloned()) {
        (OpenApiVersion::V3_0, _) => drop(map.insert("nullable".into(), json!(true))),
        (OpenApiVersion::V3_1, Some(Value::String(t))) => {
            map.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.push(Value::Null);
            }
        }
        (OpenApiVersion::V3_1, Some(Value::Array(mut types))) => {
            types.push(json!("null"));
            map.insert("type".into(), Value::Array(types));
        }
        (OpenApiVersion::V3_1, _) => {
            if let Some(Value::Array(alts)) = map.get_mut("oneOf") {
                alts.push(json!({"type": "null"}));
            }
        }
    }
}

/// The schema of a type (without a field's own facts).
fn type_schema(ty: &Type, version: OpenApiVersion) -> Value {
    match ty {
        Type::String(None) => json!({"type": "string"}),
        Type::String(Some(f)) => json!({"type": "string", "format": f.spec_name()}),
        Type::Integer => json!({"type": "integer"}),
        Type::Float => json!({"type": "number"}),
        Type::Boolean => json!({"type": "integer", "enum": [0, 1]}),
        Type::YesNo => json!({"type": "string", "enum": ["y", "n"]}),
        Type::Timestamp => json!({"type": "integer", "format": "unix_timestamp"}),
        Type::Limit => json!({"oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "enum": ["unlimited"]},
        ]}),
        Type::StringOrInteger => match version {
            OpenApiVersion::V3_1 => json!({"type": ["string", "integer"]}),
            OpenApiVersion::V3_0 => json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        },
        Type::Enum(e) => {
            let values: Vec<Value> = e
                .variants
                .iter()
                .map(|v| {
                    if e.numeric {
                        v.wire.parse::<i64>().map_or(json!(v.wire), |n| json!(n))
                    } else {
                        json!(v.wire)
                    }
                })
                .collect();
            let meanings: Vec<String> = e
                .variants
                .iter()
                .filter(|v| !v.description.is_empty())
                .map(|v| format!("* `{}` — {}", v.wire, v.description.trim()))
                .collect();
            let mut schema =
                json!({"type": if e.numeric { "integer" } else { "string" }, "enum": values});
            if !meanings.is_empty() {
                schema["x-whm-enum-descriptions"] = json!(meanings.join("\n"));
            }
            schema
        }
        Type::Array(a) => json!({"type": "array", "items": type_schema(&a.items, version)}),
        Type::Hash(s) => {
            let properties: Map<String, Value> = s
                .fields
                .iter()
                .map(|f| (f.name.clone(), field_schema(f, version)))
                .collect();
            json!({"type": "object", "properties": properties})
        }
        Type::Map(v) => json!({"type": "object", "additionalProperties": type_schema(v, version)}),
        Type::Any => json!({}),
    }
}

/// A spec scalar as the JSON value WHM would send.
fn scalar_json(ty: &Type, text: &str) -> Value {
    let numeric = matches!(
        ty,
        Type::Integer
            | Type::Timestamp
            | Type::Boolean
            | Type::Float
            | Type::Limit
            | Type::StringOrInteger
    ) || matches!(ty, Type::Enum(e) if e.numeric);
    if text == "null" {
        return Value::Null;
    }
    if numeric && let Ok(n) = text.parse::<i64>() {
        return json!(n);
    }
    if matches!(ty, Type::Float)
        && let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(n);
    }
    json!(text)
}

/// The 200 answer: WHM's envelope around the function's data, with its examples.
fn responses(f: &Function, version: OpenApiVersion) -> Value {
    let mut metadata_props = json!({
        "command": {"type": "string", "enum": [f.name]},
        "version": {"type": "integer", "enum": [1]},
        "reason": {"type": "string", "description": format!("`{}` on success; on failure, why.", f.success_reason())},
        "result": {"type": "integer", "enum": [0, 1], "description": "`1` on success, `0` on failure."},
    });
    if let Some(raw) = &f.output_raw {
        metadata_props["output"] = json!({"type": "object", "properties": {"raw": {"type": "string", "description": raw.description}}});
    }
    for m in &f.metadata {
        metadata_props[m.name.as_str()] = field_schema(m, version);
    }
    let mut envelope = json!({
        "type": "object",
        "properties": {"metadata": {"type": "object", "properties": metadata_props, "required": ["command", "version", "reason", "result"]}},
        "required": ["metadata"],
    });
    if !f.returns.is_empty() {
        let properties: Map<String, Value> = f
            .returns
            .iter()
            .map(|r| (r.name.clone(), field_schema(r, version)))
            .collect();
        envelope["properties"]["data"] = json!({"type": "object", "properties": properties});
    }
    let mut content = json!({"schema": envelope});
    let examples: Map<String, Value> = f
        .examples
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            e.json_value.as_ref().map(|v| {
                (
                    format!("example_{}", i + 1),
                    json!({"summary": e.title, "value": v}),
                )
            })
        })
        .collect();
    if !examples.is_empty() {
        content["examples"] = Value::Object(examples);
    }
    json!({"200": {
        "description": "WHM's envelope: `data` and `metadata`; `metadata.result` 0 with a reason when the call failed.",
        "content": {"application/json": content},
    }})
}

/// The first example as a `whmapi1` line and as a URL, as cPanel's description gives them.
fn code_samples(f: &Function) -> Value {
    let params: Vec<(String, String)> = f
        .examples
        .first()
        .map(|e| e.params.clone())
        .unwrap_or_default();
    let mut cli = format!("whmapi1 --output=jsonpretty {}", f.name);
    let mut query = whm_runtime::QueryBuilder::new();
    for (k, v) in &params {
        cli.push_str(&format!(" {k}='{}'", v.replace('\'', "'\\''")));
        query.push(k, v);
    }
    json!([
        {"label": "CLI", "lang": "Shell", "source": cli},
        {"label": "URL", "lang": "HTTP", "source": format!(
            "https://hostname.example.com:2087/cpsess##########/json-api/{}?{}",
            f.name,
            query.as_str()
        )},
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullability_is_written_as_each_version_writes_it() {
        let mut v30 = json!({"type": "string"});
        make_nullable(&mut v30, OpenApiVersion::V3_0);
        assert_eq!(v30, json!({"type": "string", "nullable": true}));
        let mut v31 = json!({"type": "string"});
        make_nullable(&mut v31, OpenApiVersion::V3_1);
        assert_eq!(v31, json!({"type": ["string", "null"]}));
        let mut limit = type_schema(&Type::Limit, OpenApiVersion::V3_1);
        make_nullable(&mut limit, OpenApiVersion::V3_1);
        assert_eq!(limit["oneOf"].as_array().map(Vec::len), Some(3));
    }
}
