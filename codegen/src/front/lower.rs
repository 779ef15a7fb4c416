//! Lowering one spec file into an [`ir::Function`], checking as it goes.
//!
//! Every check records a located diagnostic and carries on with what it
//! could read, so one run reports every mistake in a file.

use std::collections::HashMap;

use marked_yaml::Node;
use whm_runtime::Format;

use super::format::{
    ENUM_VALUE, EXAMPLE, FIELD, FUNCTION, LIST_STYLES, ORIGIN, OUTPUT_RAW, REQUIRED_IF, SEE_ALSO,
    TYPE_NAMES,
};
use super::names::{FunctionTypes, NestedType, TypeNames, valid_type_name};
use super::yaml::{Ctx, Obj, nearest, to_json};
use crate::diagnostics::Location;
use crate::ident;
use crate::ir::{
    Array, Constraint, Deprecation, EnumType, EnumVariant, Example, ExampleValue, Field, Function,
    FunctionNames, HttpMethod, ListStyle, NamedType, Origin, RawOutput, SeeAlso, Struct, Type,
};

/// What the lowering of a function needs to know about the rest of the corpus.
pub struct Corpus<'a> {
    /// Category ids, to check `category:`.
    pub categories: &'a [String],
    /// Type names claimed so far, shared by every file so they stay unique.
    pub type_names: &'a mut TypeNames,
    /// Every function name a `see_also` may point to: specified or catalogued.
    pub known_functions: &'a std::collections::BTreeSet<String>,
    /// The named types of `spec/types/`, by name: a field's `type: Account` is one of them.
    pub named_types: &'a std::collections::BTreeMap<String, Type>,
}

/// Lowers a named type, `spec/types/NAME.yaml`: a field whose `name` is the
/// type's Rust name (`Account`) and whose type is a hash or a closed set.
/// Its Rust type is named exactly so, once, and marked shared.
pub fn lower_named_type(
    ctx: &mut Ctx,
    root: &Node,
    stem: &str,
    corpus: &mut Corpus,
) -> Option<NamedType> {
    let obj = ctx.object(root, &FIELD, None)?;
    let (name, at) = obj.scalar(ctx, "name")?;
    let upper_camel = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !upper_camel || name != stem {
        ctx.error(
            at.clone(),
            format!("a named type is called `{name}`"),
            "not the file's name in UpperCamelCase",
            Some(format!(
                "name it like a Rust type, `{0}`, in spec/types/{0}.yaml",
                ident::upper_camel_case(stem).unwrap_or_else(|| "Account".to_owned())
            )),
        );
        return None;
    }
    let mut lowerer = FieldLowerer::new(corpus, None);
    let rust_name = ident::snake_case(&name)?;
    let field = lowerer.field(ctx, &obj, name.clone(), rust_name, Role::Return, "", "type")?;
    let mut ty = field.ty;
    // Lowering the field claimed the type's own name (the file's name), and
    // named its nested types after it (`ZoneRecordType`). Had something taken
    // the name first, the claim was numbered: refuse that rather than publish
    // `ZoneRecord2`.
    let got = match &mut ty {
        Type::Hash(s) => {
            s.shared = true;
            Some(s.rust_name.clone())
        }
        Type::Enum(e) => {
            e.shared = true;
            Some(e.rust_name.clone())
        }
        _ => None,
    };
    if let Some(got) = got.filter(|got| *got != name) {
        ctx.error(
            at,
            format!("the named type `{name}` collides with another Rust type of that name"),
            "name taken",
            Some(format!(
                "rename spec/types/{name}.yaml and its `name:` (as it is, it would become `{got}`)"
            )),
        );
        return None;
    }
    match &ty {
        Type::Hash(_) | Type::Enum(_) => {}
        _ => {
            ctx.error(
                at,
                format!("the named type `{name}` is neither a hash nor a closed set"),
                "not a hash or an enum",
                Some("write `type: hash` with `fields:`, or `type: string` with `enum:`; other types need no name".into()),
            );
            return None;
        }
    }
    Some(NamedType {
        name,
        description: field.description,
        ty,
    })
}

/// The longest function name: every output file is named after it.
pub const MAX_NAME_LEN: usize = 100;

/// Whether a field list holds parameters or returned fields: some keys apply to one only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Param,
    Return,
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Role::Param => "parameter",
            Role::Return => "return",
        }
    }
}

/// Lowers the function in `root`, read from `folder/stem.yaml`.
pub fn lower_function(
    ctx: &mut Ctx,
    root: &Node,
    folder: &str,
    stem: &str,
    source: &str,
    corpus: &mut Corpus,
) -> Option<Function> {
    let obj = ctx.object(root, &FUNCTION, None)?;

    let (name, name_at) = obj
        .scalar(ctx, "name")
        .unwrap_or_else(|| (stem.to_owned(), ctx.loc(root)));
    if name != stem && obj.get("name").is_some() {
        ctx.error(
            name_at.clone(),
            format!("function name `{name}` differs from its file name `{stem}.yaml`"),
            "this name",
            Some(format!(
                "write `name: {stem}`, or rename the file to `{name}.yaml`"
            )),
        );
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        ctx.error(
            name_at.clone(),
            format!("function name `{name}` is not a WHM function name"),
            "letters, digits, `_`, `.` and `-` only",
            Some(
                "a function name is one URL path segment of ASCII letters, digits, `_`, `.` and `-`, as in /json-api/listaccts"
                    .into(),
            ),
        );
    }

    // The name is a file name in generated/ and docs/: keep it well inside the limit.
    if name.len() > MAX_NAME_LEN {
        ctx.error(
            name_at.clone(),
            format!("a function name of {} bytes is too long", name.len()),
            format!("at most {MAX_NAME_LEN}"),
            Some("WHM's function names are short words; check the spelling".into()),
        );
    }

    let category = match obj.scalar(ctx, "category") {
        Some((category, at)) => {
            if !corpus.categories.contains(&category) {
                let help = match nearest(&category, corpus.categories.iter().map(String::as_str)) {
                    Some(near) => format!(
                        "did you mean `{near}`? Categories are listed in spec/categories.yaml"
                    ),
                    None => format!(
                        "use one of the ids in spec/categories.yaml ({}), or add `{category}` there",
                        corpus.categories.join(", ")
                    ),
                };
                ctx.error(
                    at,
                    format!("unknown category `{category}`"),
                    "not in spec/categories.yaml",
                    Some(help),
                );
            } else if category != folder {
                ctx.error(
                    at,
                    format!("function in folder `{folder}` says `category: {category}`"),
                    "differs from the folder",
                    Some(format!(
                        "move the file to spec/{category}/, or write `category: {folder}`"
                    )),
                );
            }
            category
        }
        None => folder.to_owned(),
    };

    let camel = ident::upper_camel_case(&name).unwrap_or_else(|| "Function".to_owned());
    let method = ident::snake_case(&name).unwrap_or_else(|| "function".to_owned());
    let request = corpus
        .type_names
        .claim_exact(ctx, &format!("{camel}Request"), &name, &name_at);
    let data = corpus
        .type_names
        .claim_exact(ctx, &format!("{camel}Data"), &name, &name_at);
    let rust = FunctionNames {
        method,
        request: request.clone(),
        data,
        variant: camel.clone(),
    };

    let mut lowerer = FieldLowerer::new(corpus, Some(FunctionTypes::default()));
    lowerer.root("Request", "parameters");
    let params = lowerer.fields(ctx, &obj, "parameters", Role::Param, &request, "param");
    // `required_if` names a sibling parameter: checked once all of them are known.
    for (param, at) in std::mem::take(&mut lowerer.required_if) {
        if !params.iter().any(|p| p.name == param) {
            let help = match nearest(&param, params.iter().map(|p| p.name.as_str())) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "name another parameter of this function".to_owned(),
            };
            ctx.error(
                at,
                format!("`required_if` names `{param}`, which is not a parameter"),
                "unknown parameter",
                Some(help),
            );
        }
    }
    lowerer.root("Data", "returns");
    let returns = lowerer.fields(ctx, &obj, "returns", Role::Return, &camel, "return");
    lowerer.root("Metadata", "metadata");
    let metadata = lowerer.fields(
        ctx,
        &obj,
        "metadata",
        Role::Return,
        &format!("{camel}Metadata"),
        "metadata",
    );
    let nested = lowerer.nested.take().unwrap_or_default();

    let output_raw = obj.get("output_raw").and_then(|node| {
        let raw = ctx.object(node, &OUTPUT_RAW, None)?;
        Some(RawOutput {
            description: raw.text(ctx, "description").unwrap_or_default(),
            example: raw.text(ctx, "example"),
        })
    });

    let examples = obj
        .list(ctx, "examples")
        .iter()
        .filter_map(|node| lower_example(ctx, node, &params, &returns))
        .collect();

    let see_also = obj
        .list(ctx, "see_also")
        .iter()
        .filter_map(|node| {
            let entry = ctx.object(node, &SEE_ALSO, None)?;
            let (name, at) = entry.scalar(ctx, "name")?;
            if !corpus.known_functions.contains(&name) {
                let help = match nearest(&name, corpus.known_functions.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name a specified function or one in spec/catalog.yaml".to_owned(),
                };
                ctx.error(
                    at,
                    format!("`see_also` names `{name}`, which is no known WHM API 1 function"),
                    "unknown function",
                    Some(help),
                );
            }
            Some(SeeAlso {
                name,
                summary: entry.text(ctx, "summary").unwrap_or_default(),
            })
        })
        .collect();

    let secrets_in_url = obj.flag(ctx, "secrets_in_url");
    if secrets_in_url
        && !params.iter().any(|p| p.sensitive)
        && let Some(k) = obj.key_node("secrets_in_url")
    {
        let at = ctx.scalar_loc(k);
        ctx.error(
            at,
            "`secrets_in_url` applies only to functions with a sensitive parameter".to_owned(),
            "no parameter is `sensitive: true`",
            Some("remove it".into()),
        );
    }
    let method = obj.word(ctx, "method").map(|(m, _)| {
        if m == "POST" {
            HttpMethod::Post
        } else {
            HttpMethod::Get
        }
    });
    let deprecated = obj.flag(ctx, "deprecated");
    let deprecation = lower_deprecation(ctx, &obj, deprecated);
    if let Some(other) = &deprecation.replaced_by
        && !corpus.known_functions.contains(other)
        && let Some(k) = obj.key_node("replaced_by")
    {
        let at = ctx.scalar_loc(k);
        ctx.error(
            at,
            format!("`replaced_by` names `{other}`, which is no known WHM API 1 function"),
            "unknown function",
            Some("name a specified function or one in spec/catalog.yaml".into()),
        );
    }
    let origin = obj.get("source").and_then(|node| {
        let o = ctx.object(node, &ORIGIN, None)?;
        Some(Origin {
            document: o.text(ctx, "document").unwrap_or_default(),
            version: o.text(ctx, "version"),
            operation: o.text(ctx, "operation"),
        })
    });
    let success_reason = obj
        .scalar(ctx, "success_reason")
        .and_then(|(reason, at)| {
            if reason.trim().is_empty() {
                ctx.error(
                    at,
                    "`success_reason` is empty".to_owned(),
                    "no reason",
                    Some("write the reason WHM sends, or remove the key for `OK`".into()),
                );
                None
            } else {
                Some(reason)
            }
        })
        .filter(|r| r != "OK");
    let differs = obj.text(ctx, "differs");
    let list_output_key = obj
        .scalar(ctx, "list_output")
        .map(|(_, at)| (obj.flag(ctx, "list_output"), at));
    let mut function = Function {
        differs,
        method,
        success_reason,
        deprecated,
        deprecation,
        origin,
        secrets_in_url,
        summary: obj.text(ctx, "summary").unwrap_or_default(),
        description: obj.text(ctx, "description").unwrap_or_default(),
        since: obj.text(ctx, "since"),
        notes: obj.markdown_list(ctx, "notes"),
        list_output: false,
        name,
        category,
        rust,
        params,
        returns,
        metadata,
        output_raw,
        examples,
        see_also,
        source: source.to_owned(),
    };
    nested.resolve(ctx, &mut function);
    function.list_output = list_output(ctx, list_output_key, &function.returns);
    unique_anchors(&mut function);
    Some(function)
}

/// Whether a function offers WHM's output options to its callers (docs,
/// `whmapi1`, the client's pager). WHM's API layer applies them to any function
/// whose `data` is one list of records, so that shape says yes without a key;
/// `list_output: false` opts out (the server still shapes the list, see
/// `ir::record_list`), and `list_output: true` on any other shape is a mistake:
/// there is no list for the options to shape.
fn list_output(ctx: &mut Ctx, key: Option<(bool, Location)>, returns: &[Field]) -> bool {
    let shaped = crate::ir::record_list(returns).is_some();
    match key {
        None => shaped,
        Some((true, at)) if !shaped => {
            ctx.error(
                at,
                "`list_output: true` needs a function that returns one list of records".to_owned(),
                "no list to filter, sort or page",
                Some(
                    "make `returns` one field of `type: array` with `items: hash`, or remove the key"
                        .into(),
                ),
            );
            false
        }
        Some((wanted, _)) => wanted,
    }
}

/// A named type's fields carry anchors made for its own file; where a field
/// uses the type they go under that field's anchor instead.
fn reanchor(ty: &mut Type, anchor: &str) {
    match ty {
        Type::Hash(s) => {
            for f in &mut s.fields {
                f.anchor = format!("{anchor}-{}", anchor_part(&f.name));
                let inner = f.anchor.clone();
                reanchor(&mut f.ty, &inner);
            }
        }
        Type::Array(a) => reanchor(&mut a.items, anchor),
        Type::Map(v) => reanchor(v, anchor),
        _ => {}
    }
}

/// Makes every field's anchor unique on its page: nested anchors join wire
/// names with `-`, which names may contain too (`a-b` and `a` > `b`).
fn unique_anchors(function: &mut Function) {
    fn visit(fields: &mut [Field], seen: &mut std::collections::HashSet<String>) {
        for field in fields {
            let base = field.anchor.clone();
            let mut n = 2;
            while !seen.insert(field.anchor.clone()) {
                field.anchor = format!("{base}-{n}");
                n += 1;
            }
            visit_type(&mut field.ty, seen);
        }
    }
    fn visit_type(ty: &mut Type, seen: &mut std::collections::HashSet<String>) {
        match ty {
            Type::Hash(s) => visit(&mut s.fields, seen),
            Type::Array(a) => visit_type(&mut a.items, seen),
            Type::Map(v) => visit_type(v, seen),
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    visit(&mut function.params, &mut seen);
    visit(&mut function.returns, &mut seen);
    visit(&mut function.metadata, &mut seen);
}

/// Lowers field lists, claiming unique names for the types they create.
struct FieldLowerer<'c, 'a> {
    corpus: &'c mut Corpus<'a>,
    /// How many hashes enclose the fields being lowered.
    depth: usize,
    /// Parameters named by `required_if`, with where, to check against the siblings.
    required_if: Vec<(String, Location)>,
    /// A function's nested types, named once the function is lowered; `None`
    /// for a named type, whose nested types get flat names at once.
    nested: Option<FunctionTypes>,
    /// The path to the field being lowered: `UpperCamelCase` segments from
    /// the role down, and the same as the spec writes it.
    path: Vec<String>,
    wire_path: Vec<String>,
    /// The current field's `type_name:`, until the type it names takes it.
    type_name: Option<(String, Location)>,
    /// Where the current field's `name:` is.
    name_at: Option<Location>,
}

impl<'c, 'a> FieldLowerer<'c, 'a> {
    fn new(corpus: &'c mut Corpus<'a>, nested: Option<FunctionTypes>) -> Self {
        FieldLowerer {
            corpus,
            depth: 0,
            required_if: Vec::new(),
            nested,
            path: Vec::new(),
            wire_path: Vec::new(),
            type_name: None,
            name_at: None,
        }
    }

    /// Starts the fields of one role: `Request` / `parameters`, ...
    fn root(&mut self, segment: &str, key: &str) {
        self.path = vec![segment.to_owned()];
        self.wire_path = vec![key.to_owned()];
    }

    /// The name of a hash or closed set the current field creates: in a
    /// function, a placeholder that [`FunctionTypes::resolve`] replaces; in a
    /// named type, its flat name (`member_type`) at once.
    fn nested_name(&mut self, ctx: &mut Ctx, member_type: &str) -> String {
        let chosen = self.type_name.take();
        match &mut self.nested {
            Some(nested) => {
                let at = chosen
                    .as_ref()
                    .map(|(_, at)| at.clone())
                    .or_else(|| self.name_at.clone())
                    .unwrap_or(Location {
                        file: 0,
                        bytes: 0..0,
                    });
                nested.add(NestedType {
                    path: self.path.clone(),
                    wire_path: self.wire_path.join("."),
                    chosen: chosen.map(|(name, _)| name),
                    at,
                })
            }
            None => {
                if let Some((_, at)) = chosen {
                    ctx.error(
                        at,
                        "`type_name` applies only to the fields of a function".to_owned(),
                        "in a named type",
                        Some("remove it: a named type's nested types are named after their path (`ContactAddress`)".into()),
                    );
                }
                self.corpus.type_names.claim(member_type)
            }
        }
    }

    /// The field's `type_name:`, checked to be a usable Rust type name.
    fn read_type_name(&mut self, ctx: &mut Ctx, obj: &Obj) -> Option<(String, Location)> {
        let (name, at) = obj.scalar(ctx, "type_name")?;
        if valid_type_name(&name) {
            return Some((name, at));
        }
        let suggestion = ident::upper_camel_case(&name)
            .map(|n| n.trim_start_matches("r#").to_owned())
            .filter(|n| valid_type_name(n))
            .unwrap_or_else(|| "AccountEntry".to_owned());
        ctx.error(
            at,
            format!("`type_name: {name}` is not a Rust type name the generated code can use"),
            "not an UpperCamelCase name of ASCII letters and digits, or a name of Rust's prelude",
            Some(format!(
                "write it like a Rust type, `type_name: {suggestion}`"
            )),
        );
        None
    }
}

/// `deprecated_since` and `replaced_by` of a function or field; both need `deprecated: true`.
fn lower_deprecation(ctx: &mut Ctx, obj: &Obj, deprecated: bool) -> Deprecation {
    let deprecation = Deprecation {
        since: obj.text(ctx, "deprecated_since"),
        replaced_by: obj.text(ctx, "replaced_by"),
    };
    if !deprecated {
        for key in ["deprecated_since", "replaced_by"] {
            if let Some(k) = obj.key_node(key) {
                let at = ctx.scalar_loc(k);
                ctx.error(
                    at,
                    format!("`{key}` applies only to what is deprecated"),
                    "not deprecated",
                    Some("add `deprecated: true`, or remove it".into()),
                );
            }
        }
    }
    deprecation
}

/// How deeply hashes may nest: deep enough for any real response, shallow
/// enough that no spec can exhaust the stack of the compiler or of rustc.
pub const MAX_DEPTH: usize = 32;

impl FieldLowerer<'_, '_> {
    /// The fields under `key`, with names unique on the wire and in Rust.
    fn fields(
        &mut self,
        ctx: &mut Ctx,
        obj: &Obj,
        key: &str,
        role: Role,
        owner: &str,
        anchor: &str,
    ) -> Vec<Field> {
        let nodes = obj.list(ctx, key);
        self.field_list(ctx, nodes, role, owner, anchor)
    }

    fn field_list(
        &mut self,
        ctx: &mut Ctx,
        nodes: &[Node],
        role: Role,
        owner: &str,
        anchor: &str,
    ) -> Vec<Field> {
        let mut wire_seen: HashMap<String, Location> = HashMap::new();
        let mut rust_seen: HashMap<String, (String, Location)> = HashMap::new();
        let mut out = Vec::new();
        for node in nodes {
            let Some(obj) = ctx.object(node, &FIELD, None) else {
                continue;
            };
            let Some((name, name_at)) = obj.scalar(ctx, "name") else {
                continue;
            };
            if let Some(first) = wire_seen.get(&name) {
                let line = ctx.line_of(first);
                ctx.error(
                    name_at,
                    format!("duplicate {} `{name}`", role.word()),
                    format!("`{name}` is already defined on line {line}"),
                    Some("remove one of them, or give this one its own name".into()),
                );
                continue;
            }
            wire_seen.insert(name.clone(), name_at.clone());
            // `MXCHECK-*`: one parameter per key that starts with `MXCHECK-`.
            let pattern_prefix = match name.find('*') {
                None => None,
                Some(star) if role == Role::Param && star + 1 == name.len() && star > 0 => {
                    Some(name[..star].to_owned())
                }
                Some(_) => {
                    ctx.error(
                        name_at.clone(),
                        format!("`{name}` is not a name WHM sends"),
                        "`*` only at the end of a parameter's name",
                        Some(if role == Role::Param {
                            "a parameter whose name is a pattern ends in one `*` after a fixed part, as in `MXCHECK-*`".into()
                        } else {
                            "a returned hash whose keys are data is `type: map`".into()
                        }),
                    );
                    continue;
                }
            };
            let rust_source = pattern_prefix.as_deref().unwrap_or(&name);
            let Some(rust_name) = ident::snake_case(rust_source) else {
                ctx.error(
                    name_at,
                    format!("`{name}` has no ASCII letter or digit to make a Rust name from"),
                    "no usable characters",
                    Some("WHM names are ASCII; check the spelling".into()),
                );
                continue;
            };
            if let Some((other, first)) = rust_seen.get(&rust_name) {
                let line = ctx.line_of(first);
                ctx.error(
                    name_at,
                    format!("`{name}` and `{other}` (line {line}) both become the Rust name `{rust_name}`"),
                    "same Rust identifier",
                    Some(format!(
                        "Rust names are made by lowercasing and replacing punctuation with `_`; a {} cannot have two names that differ only so. Check whether WHM really has both",
                        role.word()
                    )),
                );
                continue;
            }
            rust_seen.insert(rust_name.clone(), (name.clone(), name_at.clone()));
            let line = ctx.line_of(&name_at);
            if let Some(mut field) = self.field(ctx, &obj, name, rust_name, role, owner, anchor) {
                field.line = line;
                if pattern_prefix.is_some() {
                    self.check_pattern_param(ctx, &obj, &field);
                }
                field.pattern_prefix = pattern_prefix;
                out.push(field);
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        ctx: &mut Ctx,
        obj: &Obj,
        name: String,
        rust_name: String,
        role: Role,
        owner: &str,
        anchor: &str,
    ) -> Option<Field> {
        let anchor = format!("{anchor}-{}", anchor_part(&name));
        let segment = ident::upper_camel_case(&name)
            .unwrap_or_default()
            .trim_start_matches("r#")
            .to_owned();
        let member_type = format!("{owner}{segment}");
        self.type_name = self.read_type_name(ctx, obj);
        self.name_at = obj.scalar(ctx, "name").map(|(_, at)| at);
        self.path.push(segment);
        self.wire_path.push(name.clone());
        // A field whose type is wrong is kept as `any`, so the problem is not
        // reported again by every example that sends it.
        let mut typed = false;
        let ty = match obj.scalar(ctx, "type") {
            Some((type_name, type_at)) => self.ty(
                ctx,
                obj,
                &type_name,
                &type_at,
                role,
                &member_type,
                &anchor,
                true,
            ),
            None => None,
        }
        .inspect(|_| typed = true)
        .unwrap_or(Type::Any);
        self.path.pop();
        self.wire_path.pop();
        // A `type_name` no hash or closed set took names nothing (when the
        // type itself is wrong, that is reported already).
        if let Some((_, at)) = self.type_name.take()
            && typed
        {
            ctx.error(
                at,
                "`type_name` applies only to a hash or a closed set".to_owned(),
                "this field's type has no name of its own",
                Some("remove it; only `type: hash` or `enum:` (or an array or map of them) make a Rust type to name".into()),
            );
        }

        // Keys that only mean something for some types or roles.
        let arrayish = matches!(ty, Type::Array(_));
        let element = match &ty {
            Type::Array(a) => a.items.as_ref(),
            other => other,
        };
        let numeric = matches!(
            element,
            Type::Integer | Type::Float | Type::Timestamp | Type::Limit | Type::StringOrInteger
        ) || matches!(element, Type::Enum(e) if e.numeric);
        let textual = matches!(element, Type::String(_) | Type::StringOrInteger | Type::Any);
        let numbered = matches!(&ty, Type::Array(a) if a.style == ListStyle::Numbered);
        let required_param = role == Role::Param && obj.flag(ctx, "required");
        let applies = [
            (
                "minimum",
                numeric,
                "numbers",
                "remove it, or use `min_length` for text",
            ),
            (
                "maximum",
                numeric,
                "numbers",
                "remove it, or use `max_length` for text",
            ),
            (
                "unit",
                numeric,
                "numbers",
                "say the unit in the description",
            ),
            (
                "min_length",
                textual,
                "strings",
                "remove it, or use `minimum` for numbers",
            ),
            (
                "max_length",
                textual,
                "strings",
                "remove it, or use `maximum` for numbers",
            ),
            ("pattern", textual, "strings", "remove it"),
            (
                "first_index",
                numbered && role == Role::Param,
                "numbered array parameters",
                "remove it",
            ),
            (
                "required_if",
                role == Role::Param && !required_param,
                "optional parameters",
                "remove `required: true`, or remove `required_if`",
            ),
            ("items", arrayish, "arrays", "write `type: array`"),
            (
                "values",
                matches!(ty, Type::Map(_)),
                "maps",
                "write `type: map`",
            ),
            (
                "list_style",
                arrayish && role == Role::Param,
                "array parameters",
                "remove it",
            ),
            (
                "required",
                role == Role::Param,
                "parameters",
                "remove it: returned fields may always be absent",
            ),
            (
                "default",
                role == Role::Param,
                "parameters",
                "describe the default in the description",
            ),
        ];
        for (key, ok, what, help) in applies {
            if !ok && let Some(k) = obj.key_node(key) {
                let at = ctx.scalar_loc(k);
                ctx.error(
                    at,
                    format!("`{key}` applies only to {what}"),
                    "does not apply here",
                    Some(help.into()),
                );
            }
        }

        let nullable = obj.flag(ctx, "nullable");
        let constraints = self.constraints(ctx, obj, role);
        let mut possible_values = obj.markdown_list(ctx, "possible_values");
        if matches!(ty, Type::Boolean) {
            possible_values.splice(0..0, self.boolean_meanings(ctx, obj));
        }
        let default = obj.scalar(ctx, "default").map(|(value, at)| {
            // An empty default means "none" for strings of any format.
            let empty_string = value.is_empty() && matches!(ty, Type::String(_));
            if let Err(expected) = check_scalar(&ty, &value, nullable)
                .and_then(|()| check_constraints(&constraints, &value))
                .or_else(|e| if empty_string { Ok(()) } else { Err(e) })
            {
                ctx.error(
                    at,
                    format!("default `{value}` of `{name}` is not {expected}"),
                    "does not fit the type",
                    Some(format!("write a default that is {expected}")),
                );
            }
            value
        });
        let example = obj.get("example").map(|node| match node.as_scalar() {
            Some(s) => {
                if let Err(expected) = check_scalar(&ty, s.as_str(), nullable)
                    .and_then(|()| check_constraints(&constraints, s.as_str()))
                {
                    let at = ctx.scalar_loc(s);
                    ctx.error(
                        at,
                        format!("example `{}` of `{name}` is not {expected}", s.as_str()),
                        "does not fit the type",
                        Some(format!("write an example that is {expected}")),
                    );
                }
                ExampleValue::Text(s.as_str().to_owned())
            }
            None => ExampleValue::Json(to_json(node, 0).unwrap_or_else(|| {
                let at = ctx.loc(node);
                ctx.error(
                    at,
                    format!(
                        "example of `{name}` is nested more than {} levels deep",
                        super::yaml::MAX_JSON_DEPTH
                    ),
                    "too deep",
                    Some("shorten the example".into()),
                );
                serde_json::Value::Null
            })),
        });
        let deprecated = obj.flag(ctx, "deprecated");
        let deprecation = lower_deprecation(ctx, obj, deprecated);
        let unit = if numeric {
            obj.word(ctx, "unit").map(|(u, _)| u)
        } else {
            None
        };
        Some(Field {
            required: required_param,
            description: obj.text(ctx, "description").unwrap_or_default(),
            deprecated,
            deprecation,
            constraints,
            unit,
            differs: obj.text(ctx, "differs"),
            line: 0,
            pattern_prefix: None,
            nullable,
            sensitive: obj.flag(ctx, "sensitive"),
            possible_values,
            default,
            example,
            name,
            rust_name,
            ty,
            anchor,
        })
    }

    /// The type named `type_name`; `top` is false for `items:`/`values:` (which read `fields` of the same mapping).
    #[allow(clippy::too_many_arguments)]
    fn ty(
        &mut self,
        ctx: &mut Ctx,
        obj: &Obj,
        type_name: &str,
        at: &Location,
        role: Role,
        member_type: &str,
        anchor: &str,
        top: bool,
    ) -> Option<Type> {
        // A query string carries text: a parameter cannot be a hash of named keys.
        if role == Role::Param && matches!(type_name, "hash" | "map") {
            ctx.error(
                at.clone(),
                format!("a parameter cannot be a `{type_name}`"),
                "query strings carry single values",
                Some("use `type: array` for repeated values, or `type: string` and describe the format".into()),
            );
            return None;
        }
        if let Some(format) = Format::from_spec_name(type_name) {
            return Some(Type::String(Some(format))).filter(|_| self.no_enum(ctx, obj, type_name));
        }
        let ty = match type_name {
            "string" => Type::String(None),
            "yes_no" => {
                return Some(Type::YesNo).filter(|_| self.no_enum(ctx, obj, type_name));
            }
            "string_or_integer" => {
                return Some(Type::StringOrInteger).filter(|_| self.no_enum(ctx, obj, type_name));
            }
            "integer" => Type::Integer,
            "float" => Type::Float,
            "boolean" => Type::Boolean,
            "timestamp" => Type::Timestamp,
            "limit" => Type::Limit,
            "any" => Type::Any,
            "hash" => {
                let fields_node = obj.get("fields");
                if fields_node.is_none() {
                    ctx.error(
                        at.clone(),
                        format!("a `{type_name}` needs `fields:`"),
                        "no fields",
                        Some("list the hash's keys under `fields:`, or write `type: map` for a hash whose keys are data, or `type: any`".into()),
                    );
                    return None;
                }
                if self.depth >= MAX_DEPTH {
                    ctx.error(
                        at.clone(),
                        format!("hashes nested more than {MAX_DEPTH} levels deep"),
                        "too deep",
                        Some("describe the deeper levels with `type: any`".into()),
                    );
                    return None;
                }
                let nodes = obj.list(ctx, "fields");
                let rust_name = self.nested_name(ctx, member_type);
                self.depth += 1;
                let fields = self.field_list(ctx, nodes, Role::Return, &rust_name, anchor);
                self.depth -= 1;
                return Some(Type::Hash(Struct {
                    rust_name,
                    fields,
                    shared: false,
                }));
            }
            "array" if top => {
                let Some((items, items_at)) = obj.scalar(ctx, "items") else {
                    ctx.error(
                        at.clone(),
                        "an `array` needs `items:`",
                        "no element type",
                        Some("add `items: string` (or the element type)".into()),
                    );
                    return None;
                };
                if items == "array" || items == "map" {
                    ctx.error(
                        items_at,
                        format!("`items: {items}` cannot say what its own elements are"),
                        "nested collection",
                        Some("use `items: hash` with `fields:`, or `items: any`".into()),
                    );
                    return None;
                }
                let item = self.ty(
                    ctx,
                    obj,
                    &items,
                    &items_at,
                    role,
                    member_type,
                    anchor,
                    false,
                )?;
                let style = match obj.scalar(ctx, "list_style") {
                    Some((s, _)) if s == "repeated" => ListStyle::Repeated,
                    Some((s, _)) if s == "comma" => ListStyle::Comma,
                    Some((s, at)) if s != "numbered" => {
                        ctx.error(
                            at,
                            format!("unknown list style `{s}`"),
                            "not a list style",
                            Some(format!("write one of: {}", LIST_STYLES.join(", "))),
                        );
                        ListStyle::Numbered
                    }
                    _ => ListStyle::Numbered,
                };
                let first_index = match obj.integer(ctx, "first_index") {
                    None => 1,
                    Some((n @ (0 | 1), _)) => n as u32,
                    Some((n, at)) => {
                        ctx.error(
                            at,
                            format!("`first_index: {n}`: WHM numbers lists from 0 or from 1"),
                            "not 0 or 1",
                            Some("write `first_index: 0` or leave it out for 1".into()),
                        );
                        1
                    }
                };
                return Some(Type::Array(Array {
                    items: Box::new(item),
                    style,
                    first_index,
                }));
            }
            "map" if top => {
                let Some((values, values_at)) = obj.scalar(ctx, "values") else {
                    ctx.error(
                        at.clone(),
                        "a `map` needs `values:`",
                        "no value type",
                        Some("add `values: string` (or the type of the values)".into()),
                    );
                    return None;
                };
                if values == "array" || values == "map" {
                    ctx.error(
                        values_at,
                        format!("`values: {values}` cannot say what its own elements are"),
                        "nested collection",
                        Some("use `values: hash` with `fields:`, or `values: any`".into()),
                    );
                    return None;
                }
                let value = self.ty(
                    ctx,
                    obj,
                    &values,
                    &values_at,
                    role,
                    member_type,
                    anchor,
                    false,
                )?;
                return Some(Type::Map(Box::new(value)));
            }
            other if self.corpus.named_types.contains_key(other) => {
                for key in ["fields", "enum"] {
                    if let Some(k) = obj.key_node(key) {
                        let at = ctx.scalar_loc(k);
                        ctx.error(
                            at,
                            format!("`{key}` of the named type `{other}` is given in spec/types/{other}.yaml"),
                            "does not apply to a named type",
                            Some("remove it here".into()),
                        );
                    }
                }
                let mut ty = self.corpus.named_types[other].clone();
                reanchor(&mut ty, anchor);
                return Some(ty);
            }
            other => {
                let names = TYPE_NAMES
                    .iter()
                    .copied()
                    .chain(self.corpus.named_types.keys().map(String::as_str));
                let help = match nearest(other, names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("write one of: {}", TYPE_NAMES.join(", ")),
                };
                ctx.error(
                    at.clone(),
                    format!("unknown type `{other}`"),
                    "not a type",
                    Some(help),
                );
                return None;
            }
        };
        // A closed value set turns a string or integer into an enum.
        if top && (matches!(ty, Type::String(None) | Type::Integer)) && obj.get("enum").is_some() {
            let numeric = ty == Type::Integer;
            return self.enum_type(ctx, obj, numeric, member_type).or(Some(ty));
        }
        if obj.get("enum").is_some()
            && !matches!(ty, Type::Boolean | Type::String(None) | Type::Integer)
            && top
        {
            self.no_enum(ctx, obj, type_name);
        }
        Some(ty)
    }

    /// The field's `minimum`, `maximum`, `min_length`, `max_length`, `pattern`
    /// and `required_if`, checked against each other.
    fn constraints(&mut self, ctx: &mut Ctx, obj: &Obj, role: Role) -> Vec<Constraint> {
        let mut out = Vec::new();
        let minimum = obj.integer(ctx, "minimum");
        let maximum = obj.integer(ctx, "maximum");
        if let (Some((lo, _)), Some((hi, at))) = (&minimum, &maximum)
            && lo > hi
        {
            ctx.error(
                at.clone(),
                format!("`maximum: {hi}` is below `minimum: {lo}`"),
                "empty range",
                Some("swap them, or check the source".into()),
            );
        }
        out.extend(minimum.map(|(n, _)| Constraint::Minimum(n)));
        out.extend(maximum.map(|(n, _)| Constraint::Maximum(n)));
        let mut length = |key: &str| match obj.integer(ctx, key) {
            Some((n, at)) if n < 0 => {
                ctx.error(
                    at,
                    format!("`{key}: {n}` is negative"),
                    "not a length",
                    Some("a length counts characters: 0 or more".into()),
                );
                None
            }
            other => other.map(|(n, at)| (n as u64, at)),
        };
        let min_length = length("min_length");
        let max_length = length("max_length");
        if let (Some((lo, _)), Some((hi, at))) = (&min_length, &max_length)
            && lo > hi
        {
            ctx.error(
                at.clone(),
                format!("`max_length: {hi}` is below `min_length: {lo}`"),
                "empty range",
                Some("swap them, or check the source".into()),
            );
        }
        out.extend(min_length.map(|(n, _)| Constraint::MinLength(n)));
        out.extend(max_length.map(|(n, _)| Constraint::MaxLength(n)));
        if let Some((pattern, at)) = obj.scalar(ctx, "pattern") {
            match whm_runtime::check::pattern_error(&pattern) {
                Some(why) => ctx.error(
                    at,
                    "`pattern` is not a regular expression the server can use".to_owned(),
                    "does not compile",
                    Some(format!(
                        "{}; the pattern must match the whole value, without `^` and `$`",
                        why.lines().last().unwrap_or_default().trim()
                    )),
                ),
                None => out.push(Constraint::Pattern(pattern)),
            }
        }
        if role == Role::Param
            && let Some(node) = obj.get("required_if")
            && let Some(cond) = ctx.object(node, &REQUIRED_IF, None)
            && let Some((param, at)) = cond.scalar(ctx, "param")
        {
            // One value, or a list of them: `value: A` or `value: [A, AAAA]`.
            let values: Vec<String> = match cond.get("value") {
                Some(Node::Sequence(items)) => items
                    .iter()
                    .filter_map(|item| match item.as_scalar() {
                        Some(s) => Some(s.as_str().to_owned()),
                        None => {
                            let at = ctx.loc(item);
                            ctx.error(
                                at,
                                "each value of `required_if` is a single value".to_owned(),
                                "not a scalar",
                                Some("write `value: [A, AAAA]`".into()),
                            );
                            None
                        }
                    })
                    .collect(),
                _ => cond
                    .scalar(ctx, "value")
                    .map(|(v, _)| v)
                    .into_iter()
                    .collect(),
            };
            if !values.is_empty() {
                self.required_if.push((param.clone(), at));
                out.push(Constraint::RequiredIf { param, values });
            }
        }
        out
    }

    /// A parameter named `PREFIX*` is a map from the rest of each name to a single value.
    fn check_pattern_param(&mut self, ctx: &mut Ctx, obj: &Obj, field: &Field) {
        let problem = if matches!(field.ty, Type::Array(_)) {
            Some("cannot be an `array`: each name carries one value")
        } else if field.required {
            Some("cannot be `required`: WHM takes any number of them, none included")
        } else {
            None
        };
        if let Some(problem) = problem
            && let Some(k) = obj.key_node(if field.required { "required" } else { "type" })
        {
            let at = ctx.scalar_loc(k);
            ctx.error(
                at,
                format!(
                    "`{}`, a parameter named by a pattern, {problem}",
                    field.name
                ),
                "does not apply to a pattern",
                Some("describe the rule in the description".into()),
            );
        }
    }

    /// Reports `enum:` on a type that cannot have one; true when there is none.
    fn no_enum(&mut self, ctx: &mut Ctx, obj: &Obj, type_name: &str) -> bool {
        match obj.key_node("enum") {
            None => true,
            Some(k) => {
                let at = ctx.scalar_loc(k);
                ctx.error(at, format!("`enum` does not apply to `{type_name}`"), "no closed set here", Some("use `type: string` or `type: integer` for a closed set, or describe values under `possible_values:`".into()));
                false
            }
        }
    }

    fn enum_values(&mut self, ctx: &mut Ctx, obj: &Obj) -> Vec<(String, String, Location)> {
        let mut out: Vec<(String, String, Location)> = Vec::new();
        for node in obj.list(ctx, "enum") {
            let (value, description, at) = match node {
                Node::Scalar(s) => (s.as_str().to_owned(), String::new(), ctx.scalar_loc(s)),
                other => {
                    let Some(v) = ctx.object(other, &ENUM_VALUE, None) else {
                        continue;
                    };
                    let Some((value, at)) = v.scalar(ctx, "value") else {
                        continue;
                    };
                    (value, v.text(ctx, "description").unwrap_or_default(), at)
                }
            };
            if let Some((_, _, first)) = out.iter().find(|(v, _, _)| *v == value) {
                let line = ctx.line_of(first);
                ctx.error(
                    at,
                    format!("duplicate enum value `{value}`"),
                    format!("already listed on line {line}"),
                    Some("remove one of them".into()),
                );
                continue;
            }
            out.push((value, description, at));
        }
        out
    }

    fn enum_type(
        &mut self,
        ctx: &mut Ctx,
        obj: &Obj,
        numeric: bool,
        member_type: &str,
    ) -> Option<Type> {
        let values = self.enum_values(ctx, obj);
        if values.is_empty() {
            return None;
        }
        let mut variants: Vec<EnumVariant> = Vec::new();
        for (i, (wire, description, at)) in values.into_iter().enumerate() {
            if numeric && wire.parse::<i64>().is_err() {
                ctx.error(
                    at,
                    format!("enum value `{wire}` is not an integer"),
                    "not an integer",
                    Some("write `type: string` for a set of words, or an integer here".into()),
                );
                continue;
            }
            let base = match wire.strip_prefix('-') {
                Some(positive) => format!("minus {positive}"),
                None => wire.clone(),
            };
            let mut rust_name = match ident::upper_camel_case(&base) {
                Some(n) if n.starts_with('N') && base.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!("V{}", &n[1..])
                }
                Some(n) => n.trim_start_matches("r#").trim_end_matches('_').to_owned(),
                None => format!("Value{}", i + 1),
            };
            // `Unknown` is the catch-all variant; distinct values that fold to one name get numbered.
            while rust_name == "Unknown"
                || rust_name == "Self"
                || variants.iter().any(|v| v.rust_name == rust_name)
            {
                rust_name = format!("{rust_name}{}", i + 1);
            }
            variants.push(EnumVariant {
                wire,
                rust_name,
                description,
            });
        }
        let rust_name = self.nested_name(ctx, member_type);
        Some(Type::Enum(EnumType {
            rust_name,
            numeric,
            variants,
            shared: false,
        }))
    }

    /// A boolean's `enum:` documents what 1 and 0 mean, as possible-values lines.
    fn boolean_meanings(&mut self, ctx: &mut Ctx, obj: &Obj) -> Vec<String> {
        if obj.get("enum").is_none() {
            return Vec::new();
        }
        let values = self.enum_values(ctx, obj);
        let mut lines = Vec::new();
        for (value, description, at) in values {
            let value = match value.as_str() {
                "1" | "true" => "1",
                "0" | "false" => "0",
                other => {
                    ctx.error(
                        at,
                        format!("a boolean's values are 1 and 0, not `{other}`"),
                        "not 1 or 0",
                        Some(
                            "write `type: string` or `type: integer` with `enum:` for other values"
                                .into(),
                        ),
                    );
                    continue;
                }
            };
            lines.push(if description.is_empty() {
                format!("`{value}`")
            } else {
                format!("`{value}` — {description}")
            });
        }
        lines
    }
}

/// Whether `value` (as written in YAML) fits `ty`; `Err` says what it should be.
pub fn check_scalar(ty: &Type, value: &str, nullable: bool) -> Result<(), String> {
    if nullable && (value == "null" || value == "~") {
        return Ok(());
    }
    let ok = match ty {
        Type::String(None) | Type::Any => true,
        Type::String(Some(f)) => f.accepts(value),
        Type::Integer | Type::Timestamp => value.parse::<i64>().is_ok(),
        Type::Float => value.parse::<f64>().is_ok_and(f64::is_finite),
        Type::Boolean => matches!(value, "1" | "0"),
        Type::YesNo => matches!(value, "y" | "n"),
        Type::StringOrInteger => true,
        Type::Limit => value == "unlimited" || value.parse::<u64>().is_ok(),
        Type::Enum(e) => e.variants.iter().any(|v| v.wire == value),
        // A list parameter's example may be one element.
        Type::Array(a) => return check_scalar(&a.items, value, nullable),
        Type::Hash(_) | Type::Map(_) => false,
    };
    if ok { Ok(()) } else { Err(expected(ty)) }
}

/// What a type accepts, in words.
pub fn expected(ty: &Type) -> String {
    match ty {
        Type::String(None) => "a string".into(),
        Type::String(Some(f)) => f.expected().into(),
        Type::Integer => "an integer".into(),
        Type::Timestamp => "a Unix timestamp (an integer)".into(),
        Type::Float => "a number".into(),
        Type::Boolean => "1 or 0".into(),
        Type::YesNo => "`y` or `n`".into(),
        Type::StringOrInteger => "a whole number or a string".into(),
        Type::Limit => "a non-negative integer or `unlimited`".into(),
        Type::Enum(e) => format!(
            "one of {}",
            e.variants
                .iter()
                .map(|v| format!("`{}`", v.wire))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Type::Array(a) => format!("a list of {}", expected(&a.items)),
        Type::Hash(_) => "a hash".into(),
        Type::Map(_) => "a map".into(),
        Type::Any => "any value".into(),
    }
}

/// The spec's word for a type, for labels.
pub fn type_word(ty: &Type) -> &'static str {
    match ty {
        Type::String(None) => "a string",
        Type::String(Some(f)) => f.spec_name(),
        Type::Integer => "an integer",
        Type::Float => "a float",
        Type::Boolean => "a boolean",
        Type::YesNo => "a y/n flag",
        Type::StringOrInteger => "a number or text",
        Type::Timestamp => "a timestamp",
        Type::Limit => "a limit",
        Type::Enum(_) => "a closed set",
        Type::Array(_) => "an array",
        Type::Hash(_) => "a hash",
        Type::Map(_) => "a map",
        Type::Any => "any value",
    }
}

/// Whether `value` (a default or example) meets the constraints; `Err` says what it should be.
fn check_constraints(constraints: &[Constraint], value: &str) -> Result<(), String> {
    for c in constraints {
        let number = value.trim().parse::<i64>().ok();
        let length = value.chars().count() as u64;
        let ok = match c {
            Constraint::Minimum(n) => number.is_none_or(|v| v >= *n),
            Constraint::Maximum(n) => number.is_none_or(|v| v <= *n),
            Constraint::MinLength(n) => length >= *n,
            Constraint::MaxLength(n) => length <= *n,
            Constraint::Pattern(p) => whm_runtime::check::matches_uncached(p, value),
            Constraint::RequiredIf { .. } => true,
        };
        if !ok {
            let rule = c.describe();
            return Err(format!(
                "within the field's constraints ({})",
                rule.trim_end_matches('.').to_lowercase()
            ));
        }
    }
    Ok(())
}

/// A piece of an HTML id: the wire name with anything outside `[A-Za-z0-9_.-]` replaced.
fn anchor_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Lowers one example, checking its parameters against the function's.
fn lower_example(
    ctx: &mut Ctx,
    node: &Node,
    params: &[Field],
    returns: &[Field],
) -> Option<Example> {
    let obj = ctx.object(node, &EXAMPLE, None)?;
    let title = obj.text(ctx, "title").unwrap_or_default();
    let mut values = Vec::new();
    if let Some(params_node) = obj.get("params") {
        match params_node.as_mapping() {
            Some(map) => {
                for (key, value) in map.iter() {
                    let at = ctx.scalar_loc(key);
                    let Some(value) = value.as_scalar() else {
                        let vat = ctx.loc(value);
                        ctx.error(vat, format!("example value of `{}` must be a single value", key.as_str()), "not a scalar", Some("write the value as it is sent, e.g. `acl: a` or the numbered keys `acl-1: a`".into()));
                        continue;
                    };
                    let wire = key.as_str();
                    // Numbered repeats (`acl-1`) belong to the list parameter `acl`.
                    let param = params.iter().find(|p| p.name == wire).or_else(|| {
                        let (base, n) = wire.rsplit_once('-')?;
                        n.parse::<u32>().ok()?;
                        params
                            .iter()
                            .find(|p| p.name == base && matches!(p.ty, Type::Array(_)))
                    });
                    // `MXCHECK-example.com` belongs to the pattern parameter `MXCHECK-*`.
                    let param = param.or_else(|| {
                        params.iter().find(|p| {
                            p.pattern_prefix.as_deref().is_some_and(|prefix| {
                                wire.len() > prefix.len() && wire.starts_with(prefix)
                            })
                        })
                    });
                    match param {
                        None => {
                            let help = match nearest(wire, params.iter().map(|p| p.name.as_str())) {
                                Some(near) => format!("did you mean `{near}`?"),
                                None if params.is_empty() => {
                                    "this function takes no parameters".to_owned()
                                }
                                None => format!(
                                    "the parameters are: {}",
                                    params
                                        .iter()
                                        .map(|p| format!("`{}`", p.name))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            };
                            ctx.error(
                                at,
                                format!("example sends `{wire}`, which is not a parameter"),
                                "unknown parameter",
                                Some(help),
                            );
                        }
                        Some(p) => {
                            // A comma-joined list's value is checked piece by piece.
                            let comma =
                                matches!(&p.ty, Type::Array(a) if a.style == ListStyle::Comma);
                            let fits = if comma {
                                value.as_str().split(',').try_for_each(|piece| {
                                    check_scalar(&p.ty, piece.trim(), p.nullable).and_then(|()| {
                                        check_constraints(&p.constraints, piece.trim())
                                    })
                                })
                            } else {
                                check_scalar(&p.ty, value.as_str(), p.nullable).and_then(|()| {
                                    check_constraints(&p.constraints, value.as_str())
                                })
                            };
                            if let Err(expected) = fits {
                                let vat = ctx.scalar_loc(value);
                                ctx.error(
                                    vat,
                                    format!(
                                        "example value `{}` of `{wire}` is not {expected}",
                                        value.as_str()
                                    ),
                                    format!("`{wire}` is {}", type_word(&p.ty)),
                                    Some(format!("write a value that is {expected}")),
                                );
                            }
                        }
                    }
                    values.push((wire.to_owned(), value.as_str().to_owned()));
                }
                for p in params.iter().filter(|p| p.required) {
                    let sent = values.iter().any(|(k, _)| {
                        *k == p.name || k.strip_prefix(&p.name).is_some_and(|r| r.starts_with('-'))
                    });
                    if !sent {
                        let at = ctx.loc(params_node);
                        ctx.error(
                            at,
                            format!(
                                "example `{title}` does not send the required parameter `{}`",
                                p.name
                            ),
                            "required parameter missing",
                            Some(format!("add `{}: ...` to the example's params", p.name)),
                        );
                    }
                }
            }
            None if params_node
                .as_scalar()
                .is_some_and(|s| s.as_str().is_empty()) => {}
            None => {
                let at = ctx.loc(params_node);
                ctx.error(
                    at,
                    "`params` must be a mapping of parameter names to values",
                    "not a mapping",
                    Some("write `params:` followed by `name: value` lines".into()),
                );
            }
        }
    } else if let Some(p) = params.iter().find(|p| p.required) {
        let at = ctx.loc(node);
        ctx.error(
            at,
            format!(
                "example `{title}` does not send the required parameter `{}`",
                p.name
            ),
            "no params",
            Some(format!("add `params:` with `{}: ...`", p.name)),
        );
    }

    let json = obj.scalar(ctx, "json");
    let json_value = json.as_ref().and_then(|(text, at)| {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => Some(v),
            Err(err) => {
                ctx.error(
                    at.clone(),
                    format!("the example's JSON output is not valid JSON: {err}"),
                    "invalid JSON",
                    Some(format!(
                        "fix line {} column {} of the JSON block",
                        err.line(),
                        err.column()
                    )),
                );
                None
            }
        }
    });
    if let (Some((_, at)), Some(value)) = (&json, &json_value) {
        check_json_output(ctx, at, value, returns);
    }
    Some(Example {
        title,
        description: obj.text(ctx, "description").unwrap_or_default(),
        params: values,
        json: json.map(|(text, _)| text),
        json_value,
        xml: obj.text(ctx, "xml"),
        notes: obj.markdown_list(ctx, "notes"),
    })
}

/// Checks an example's JSON output against the spec's returns: every key of
/// `data` must be a documented field, and every scalar must fit its type.
/// Problems are located at the key inside the JSON block.
fn check_json_output(
    ctx: &mut Ctx,
    block: &Location,
    output: &serde_json::Value,
    returns: &[Field],
) {
    let Some(data) = output.get("data") else {
        return;
    };
    // The documented tolerance: `metadata` nested in `data`, when not beside it.
    let nested_metadata = output.get("metadata").is_none();
    let mut problems = Vec::new();
    check_object(data, returns, "data", nested_metadata, &mut problems);
    for (path, key, message, help) in problems {
        let at = ctx
            .find_after(block, &format!("\"{key}\""))
            .unwrap_or_else(|| block.clone());
        ctx.error(
            at,
            format!("example JSON output: `{path}` {message}"),
            "in the example's output",
            help,
        );
    }
}

type OutputProblem = (String, String, String, Option<String>);

fn check_object(
    value: &serde_json::Value,
    fields: &[Field],
    path: &str,
    skip_metadata: bool,
    out: &mut Vec<OutputProblem>,
) {
    let Some(object) = value.as_object() else {
        if !value.is_null() {
            out.push((
                path.to_owned(),
                String::new(),
                "should be a hash".into(),
                None,
            ));
        }
        return;
    };
    for (key, value) in object {
        if skip_metadata && key == "metadata" {
            continue;
        }
        let here = format!("{path}.{key}");
        match fields.iter().find(|f| f.name == *key) {
            None => {
                let help = nearest(key, fields.iter().map(|f| f.name.as_str())).map(|near| {
                    format!("did you mean `{near}`? Otherwise document `{key}` in the returns")
                });
                out.push((
                    here,
                    key.clone(),
                    "is not in the spec's returns".into(),
                    help,
                ));
            }
            Some(field) => check_value(value, &field.ty, field.nullable, &here, key, out),
        }
    }
}

fn check_value(
    value: &serde_json::Value,
    ty: &Type,
    nullable: bool,
    path: &str,
    key: &str,
    out: &mut Vec<OutputProblem>,
) {
    use serde_json::Value;
    match (ty, value) {
        // WHM omits and nulls fields freely; a null is never a spec mistake.
        (_, Value::Null) | (Type::Any, _) => {}
        (Type::Hash(s), v) => check_object(v, &s.fields, path, false, out),
        (Type::Array(a), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_value(item, &a.items, nullable, &format!("{path}[{i}]"), key, out);
            }
        }
        (Type::Map(v), Value::Object(entries)) => {
            for (k, item) in entries {
                check_value(item, v, nullable, &format!("{path}.{k}"), key, out);
            }
        }
        (Type::Array(_) | Type::Map(_), _) => {
            out.push((
                path.to_owned(),
                key.to_owned(),
                format!("should be {}", type_word(ty)),
                None,
            ));
        }
        (_, Value::Array(_) | Value::Object(_)) => {
            out.push((
                path.to_owned(),
                key.to_owned(),
                format!("should be {}", expected(ty)),
                None,
            ));
        }
        (_, scalar) => {
            let text = match scalar {
                Value::Bool(true) => "1".to_owned(),
                Value::Bool(false) => "0".to_owned(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // Strings accept numbers: WHM sends some documented strings as numbers.
            let fits =
                matches!(ty, Type::String(None)) || check_scalar(ty, &text, nullable).is_ok();
            if !fits {
                out.push((
                    path.to_owned(),
                    key.to_owned(),
                    format!("is {scalar}, which is not {}", expected(ty)),
                    Some(format!(
                        "write a value that is {}, or fix the field's type",
                        expected(ty)
                    )),
                ));
            }
        }
    }
}
