//! A deterministic synthetic corpus of WHM-shaped functions: `spec/` files
//! for whm-codegen, and the same functions as an OpenAPI 3 document for
//! other generators (progenitor).
//!
//! Function `i` of a corpus of `n` has 3 to 8 parameters of mixed types (a
//! required username, integers with defaults, `1`/`0` flags, a string enum,
//! email, domain, IPv4 and URL values) and returns `data` with a count and a
//! list of records (id, name, owner, enabled, created, a nested quota hash),
//! and one example whose JSON matches. The same `n` always gives the same
//! bytes.

use std::fmt::Write as _;

/// One file of a corpus: a path relative to the corpus root and its text.
pub struct CorpusFile {
    /// `spec/categories.yaml`, `spec/synthetic-03/synth_fn_0042.yaml`, ...
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// How many functions share a category.
const PER_CATEGORY: usize = 50;

/// The function names of a corpus of `n`.
pub fn function_name(i: usize) -> String {
    format!("synth_fn_{i:04}")
}

fn category(i: usize) -> String {
    format!("synthetic-{:02}", i / PER_CATEGORY)
}

/// A parameter: name, type word, whether required, extra YAML keys, example
/// as YAML, and how OpenAPI types it.
struct Param {
    name: String,
    kind: &'static str,
    required: bool,
    extra: &'static str,
    example: String,
    openapi: &'static str,
}

/// The parameters of function `i`: the first is always a required username.
fn params(i: usize) -> Vec<Param> {
    let count = 3 + i % 6;
    let mut out = vec![Param {
        name: "user".into(),
        kind: "username",
        required: true,
        extra: "",
        example: "username".into(),
        openapi: r#"{"type": "string"}"#,
    }];
    for k in 1..count {
        let p = match (i + k) % 7 {
            0 => Param {
                name: format!("limit_{k}"),
                kind: "integer",
                required: false,
                extra: "    default: 10\n",
                example: "25".into(),
                openapi: r#"{"type": "integer", "format": "int64"}"#,
            },
            1 => Param {
                name: format!("enabled-{k}"),
                kind: "boolean",
                required: false,
                extra: "    enum:\n      - { value: 1, description: Turn it on. }\n      - { value: 0, description: Turn it off. }\n",
                example: "1".into(),
                openapi: r#"{"type": "integer", "enum": [0, 1]}"#,
            },
            2 => Param {
                name: format!("mode_{k}"),
                kind: "string",
                required: false,
                extra: "    enum:\n      - { value: fast, description: The quick way. }\n      - { value: safe, description: The careful way. }\n      - { value: auto, description: Let the server choose. }\n",
                example: "safe".into(),
                openapi: r#"{"type": "string", "enum": ["fast", "safe", "auto"]}"#,
            },
            3 => Param {
                name: format!("contact_{k}"),
                kind: "email",
                required: k == 1,
                extra: "",
                example: "user@example.com".into(),
                openapi: r#"{"type": "string", "format": "email"}"#,
            },
            4 => Param {
                name: format!("domain_{k}"),
                kind: "domain",
                required: false,
                extra: "",
                example: "example.com".into(),
                openapi: r#"{"type": "string"}"#,
            },
            5 => Param {
                name: format!("ip_{k}"),
                kind: "ipv4",
                required: false,
                extra: "",
                example: "192.0.2.1".into(),
                openapi: r#"{"type": "string", "format": "ipv4"}"#,
            },
            _ => Param {
                name: format!("callback_{k}"),
                kind: "url",
                required: false,
                extra: "",
                example: "https://example.com/hook".into(),
                openapi: r#"{"type": "string", "format": "uri"}"#,
            },
        };
        out.push(p);
    }
    out
}

fn spec(i: usize) -> String {
    let name = function_name(i);
    let mut s = String::new();
    let _ = write!(
        s,
        "# A synthetic function of the generation benchmark.\nname: {name}\ncategory: {}\nsummary: Lists the records of synthetic function {i}.\ndescription: |\n  This function returns the records that match its {} parameters.\n\n  It exists to measure the compiler; WHM has no such function.\nsince: cPanel & WHM version 11\n\nparameters:\n",
        category(i),
        params(i).len()
    );
    for p in params(i) {
        let _ = write!(
            s,
            "  - name: {}\n    type: {}\n    required: {}\n    description: The {} of the query.\n{}    example: {}\n",
            p.name, p.kind, p.required, p.name, p.extra, p.example
        );
    }
    s.push_str(concat!(
        "\nreturns:\n",
        "  - name: total\n    type: integer\n    description: How many records match.\n    example: 1\n",
        "  - name: records\n    type: array\n    items: hash\n    description: The matching records.\n    fields:\n",
        "      - name: id\n        type: integer\n        description: The record's id.\n        example: 7\n",
        "      - name: name\n        type: string\n        description: The record's name.\n        example: first\n",
        "      - name: owner\n        type: username\n        description: Who owns the record.\n        example: root\n",
        "      - name: enabled\n        type: boolean\n        description: Whether the record is enabled.\n        example: 1\n",
        "      - name: created\n        type: timestamp\n        description: When the record was made.\n        example: 1416306874\n",
        "      - name: quota\n        type: hash\n        description: The record's quota.\n        fields:\n",
        "          - name: used\n            type: integer\n            description: Megabytes used.\n            example: 12\n",
        "          - name: limit\n            type: limit\n            description: Megabytes allowed.\n            example: unlimited\n",
    ));
    let _ = write!(
        s,
        "\nexamples:\n  - title: List the records\n    params:\n      user: username\n{}    json: |\n      {{\"data\": {{\"total\": 1, \"records\": [{{\"id\": 7, \"name\": \"first\", \"owner\": \"root\", \"enabled\": 1, \"created\": 1416306874, \"quota\": {{\"used\": 12, \"limit\": \"unlimited\"}}}}]}}, \"metadata\": {{\"command\": \"{name}\", \"version\": 1, \"reason\": \"OK\", \"result\": 1}}}}\n",
        params(i)
            .iter()
            .filter(|p| p.required && p.name != "user")
            .map(|p| format!("      {}: {}\n", p.name, p.example))
            .collect::<String>()
    );
    s
}

/// The spec tree of `n` functions: `spec/categories.yaml`, `spec/catalog.yaml`
/// and one file per function.
pub fn spec_tree(n: usize) -> Vec<CorpusFile> {
    let categories = n.div_ceil(PER_CATEGORY).max(1);
    let mut cats = String::from("categories:\n");
    let mut catalog = String::from("categories:\n");
    for c in 0..categories {
        let _ = write!(
            cats,
            "  - id: synthetic-{c:02}\n    title: Synthetic {c:02}\n    order: {}\n    description: Synthetic functions {} to {}.\n",
            (c + 1) * 10,
            c * PER_CATEGORY,
            ((c + 1) * PER_CATEGORY).min(n).saturating_sub(1)
        );
        let _ = writeln!(catalog, "  - title: Synthetic {c:02}\n    functions:");
        for i in (c * PER_CATEGORY)..((c + 1) * PER_CATEGORY).min(n) {
            let _ = writeln!(catalog, "      - {}", function_name(i));
        }
    }
    let mut out = vec![
        CorpusFile {
            path: "spec/categories.yaml".into(),
            text: cats,
        },
        CorpusFile {
            path: "spec/catalog.yaml".into(),
            text: catalog,
        },
    ];
    for i in 0..n {
        out.push(CorpusFile {
            path: format!("spec/{}/{}.yaml", category(i), function_name(i)),
            text: spec(i),
        });
    }
    out
}

/// The same `n` functions as one OpenAPI 3.0 document: `GET /json-api/NAME`
/// with the parameters in the query and WHM's envelope as the answer.
pub fn openapi(n: usize) -> String {
    let record = r#"{"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}, "name": {"type": "string"}, "owner": {"type": "string"}, "enabled": {"type": "integer"}, "created": {"type": "integer", "format": "int64"}, "quota": {"type": "object", "properties": {"used": {"type": "integer", "format": "int64"}, "limit": {"type": "string"}}}}}"#;
    let metadata = r#"{"type": "object", "properties": {"command": {"type": "string"}, "version": {"type": "integer"}, "reason": {"type": "string"}, "result": {"type": "integer"}}}"#;
    let mut paths = Vec::new();
    for i in 0..n {
        let name = function_name(i);
        let params: Vec<String> = params(i)
            .iter()
            .map(|p| {
                format!(
                    r#"{{"name": "{}", "in": "query", "required": {}, "description": "The {} of the query.", "schema": {}}}"#,
                    p.name, p.required, p.name, p.openapi
                )
            })
            .collect();
        paths.push(format!(
            r#""/json-api/{name}": {{"get": {{"operationId": "{name}", "summary": "Lists the records of synthetic function {i}.", "parameters": [{}], "responses": {{"200": {{"description": "WHM's envelope.", "content": {{"application/json": {{"schema": {{"type": "object", "properties": {{"data": {{"type": "object", "properties": {{"total": {{"type": "integer", "format": "int64"}}, "records": {{"type": "array", "items": {record}}}}}}}, "metadata": {metadata}}}}}}}}}}}}}}}}}"#,
            params.join(", ")
        ));
    }
    format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Synthetic WHM API 1\", \"version\": \"1.0.0\"}}, \"paths\": {{{}}}}}\n",
        paths.join(",\n")
    )
}
