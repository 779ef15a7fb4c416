//! The JSON Schema of the spec format (`spec/schema.json`), for YAML editors.
//!
//! Built from the same key tables the validator reads ([`crate::front::format`]),
//! so the schema and the compiler cannot disagree about which keys exist.

use serde_json::{Map, Value, json};

use super::{FileKind, OutputFile};
use crate::front::format::{self, Kind, Object};
use crate::write::HEADER_TEXT;

/// `spec/schema.json`.
pub fn emit() -> OutputFile {
    let objects = format::OBJECTS;
    let defs: Map<String, Value> = objects
        .iter()
        .map(|o| (o.def.to_owned(), object_schema(o)))
        .collect();
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": HEADER_TEXT,
        "title": "WHM API 1 function spec",
        "description": "One WHM API 1 function, compiled by whm-codegen into Rust types, server, client, CLI and docs. See spec/README.md.",
        "$ref": "#/$defs/function",
        "$defs": defs,
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    OutputFile::text("spec/schema.json", FileKind::Json, text)
}

fn object_schema(object: &Object) -> Value {
    let properties: Map<String, Value> = object
        .keys
        .iter()
        .map(|k| {
            let mut schema = kind_schema(k.kind);
            if let Value::Object(map) = &mut schema {
                map.insert("description".into(), k.doc.into());
            }
            (k.name.to_owned(), schema)
        })
        .collect();
    let required: Vec<&str> = object
        .keys
        .iter()
        .filter(|k| k.required)
        .map(|k| k.name)
        .collect();
    json!({
        "type": "object",
        "description": format!("A {}.", object.what),
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn kind_schema(kind: Kind) -> Value {
    let scalar = json!(["string", "number", "integer", "boolean"]);
    match kind {
        Kind::Text | Kind::Markdown => json!({ "type": "string" }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Integer => json!({ "type": "integer" }),
        Kind::Scalar => json!({ "type": scalar }),
        Kind::Any => json!({}),
        Kind::MarkdownList => json!({ "type": "array", "items": { "type": "string" } }),
        // A built-in type, or a named type of spec/types/ (UpperCamelCase).
        Kind::TypeName => json!({ "anyOf": [
            { "enum": format::TYPE_NAMES },
            { "type": "string", "pattern": "^[A-Z][A-Za-z0-9]*$" },
        ] }),
        Kind::OneOf(words) => json!({ "enum": words }),
        Kind::Fields => json!({ "type": "array", "items": { "$ref": "#/$defs/field" } }),
        Kind::EnumValues => json!({
            "type": "array",
            "items": { "anyOf": [{ "type": scalar }, { "$ref": "#/$defs/enum_value" }] }
        }),
        Kind::ParamValues => {
            json!({ "type": "object", "additionalProperties": { "type": scalar } })
        }
        Kind::Object(o) => json!({ "$ref": format!("#/$defs/{}", o.def) }),
        Kind::ListOf(o) => {
            json!({ "type": "array", "items": { "$ref": format!("#/$defs/{}", o.def) } })
        }
    }
}
