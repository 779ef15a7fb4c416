//! Located YAML: parsing spec files into nodes that remember where they came
//! from, and reading mappings against the format's key tables.
//!
//! Scalars stay strings (marked-yaml does no implicit typing), so `on`, `1.0`
//! and `0777` mean what they say; the lowering decides what a value must be.

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::{LoadError, LoaderOptions, Node};

use super::format::{Key, Kind, Object};
use crate::diagnostics::{Diagnostics, FileId, Location};

/// The deepest indentation a spec file may use (about 60 levels of nested fields).
pub const MAX_INDENT: usize = 256;

/// A parsed file and the store its problems go to.
pub struct Ctx<'d> {
    /// Where problems go.
    pub diags: &'d mut Diagnostics,
    /// The file being read.
    pub file: FileId,
    /// Byte offset of each character, when the file is not pure ASCII.
    char_bytes: Option<Vec<usize>>,
    /// The source text.
    text: String,
}

impl<'d> Ctx<'d> {
    /// A context for `file`, which must already be registered in `diags`.
    pub fn new(diags: &'d mut Diagnostics, file: FileId) -> Self {
        let text = diags.source(file).to_owned();
        let char_bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Ctx {
            diags,
            file,
            char_bytes,
            text,
        }
    }

    /// Parses the file; a syntax error is recorded and gives `None`.
    pub fn parse(&mut self) -> Option<Node> {
        // The YAML parser recurses once per level of block nesting, so absurd
        // indentation could exhaust the stack; no spec needs anything near it.
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            if indent > MAX_INDENT {
                let at = Location {
                    file: self.file,
                    bytes: offset..offset + indent,
                };
                self.error(
                    at,
                    format!("indented more than {MAX_INDENT} columns"),
                    "nested too deeply",
                    Some("flatten the structure: describe deep levels with `type: any`".into()),
                );
                return None;
            }
            offset += line.len();
        }
        if !self.check_characters() || !self.check_single_document() {
            return None;
        }
        let options = LoaderOptions::default().error_on_duplicate_keys(true);
        match marked_yaml::parse_yaml_with_options(0, &self.text, options) {
            Ok(node) => {
                // Escapes in double-quoted strings (`"\u202e"`) reach the text
                // only once parsed: every scalar is checked too.
                let mut clean = true;
                self.check_scalars(&node, &mut clean);
                clean.then_some(node)
            }
            Err(err) => {
                self.report_load_error(err);
                None
            }
        }
    }

    /// Refuses characters that no output can carry safely, wherever they are
    /// written: they would break generated Rust (a bare CR in a doc comment),
    /// trip rustc's deny-by-default lint on bidirectional controls, or hide
    /// text from reviewers. Reports at most a few per file. True when clean.
    fn check_characters(&mut self) -> bool {
        let bad: Vec<(usize, char)> = self
            .text
            .char_indices()
            .filter(|&(i, c)| {
                forbidden_char(c) && !(c == '\r' && self.text[i + 1..].starts_with('\n'))
            })
            .take(MAX_CHAR_REPORTS)
            .collect();
        for &(i, c) in &bad {
            let at = Location {
                file: self.file,
                bytes: i..i + c.len_utf8(),
            };
            self.error(
                at,
                format!(
                    "the control character {} is not allowed in a spec",
                    char_name(c)
                ),
                "here",
                Some(char_help(c).into()),
            );
        }
        bad.is_empty()
    }

    /// Refuses a second YAML document (`---` after content), which the parser
    /// would silently ignore, syntax errors and all.
    fn check_single_document(&mut self) -> bool {
        let mut offset = 0;
        let mut content = false;
        let mut marker = None;
        for line in self.text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\r', '\n']);
            let is_marker = ["---", "..."].iter().any(|m| {
                body.strip_prefix(m)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
            });
            if is_marker && (content || body.starts_with("...")) {
                marker = Some(offset..offset + 3);
                break;
            }
            if !is_marker && !body.trim().is_empty() && !body.trim_start().starts_with('#') {
                content = true;
            }
            offset += line.len();
        }
        let Some(bytes) = marker else {
            return true;
        };
        let at = Location {
            file: self.file,
            bytes,
        };
        self.error(
            at,
            "a spec file holds one YAML document",
            "a second document starts here",
            Some("remove the `---` line, or move what follows into a file of its own".into()),
        );
        false
    }

    fn check_scalars(&mut self, node: &Node, clean: &mut bool) {
        match node {
            Node::Scalar(s) => self.check_scalar_text(s, clean),
            Node::Sequence(items) => {
                for item in items.iter() {
                    self.check_scalars(item, clean);
                }
            }
            Node::Mapping(map) => {
                for (key, value) in map.iter() {
                    self.check_scalar_text(key, clean);
                    self.check_scalars(value, clean);
                }
            }
        }
    }

    fn check_scalar_text(&mut self, s: &MarkedScalarNode, clean: &mut bool) {
        if let Some(c) = s.as_str().chars().find(|&c| forbidden_char(c)) {
            *clean = false;
            let at = self.scalar_loc(s);
            self.error(
                at,
                format!(
                    "the control character {} is not allowed in a spec",
                    char_name(c)
                ),
                "written as an escape in this string",
                Some(char_help(c).into()),
            );
        }
    }

    fn report_load_error(&mut self, err: LoadError) {
        match err {
            LoadError::TopLevelMustBeMapping(m) => self.error_at_char(
                m.character(),
                "a spec file must be a mapping of keys to values",
                "expected `key: value` here",
                Some("start the file with `name: FUNCTION`".into()),
            ),
            LoadError::DuplicateKey(inner) => {
                let first = self.scalar_loc(&inner.prev_key);
                let (line, _) = self.line_col(first.bytes.start);
                let at = self.scalar_loc(&inner.key);
                self.error(
                    at,
                    format!("duplicate key `{}`", inner.key.as_str()),
                    format!("already given on line {line}"),
                    Some("remove one of the two".into()),
                );
            }
            LoadError::ScanError(m, scan) => {
                // yaml-rust's message carries its own position; ours is the located one.
                let message = scan.info().to_owned();
                self.error_at_char(
                    m.character(),
                    format!("YAML syntax error: {message}"),
                    "here",
                    Some(
                        "check the indentation and quoting on this line and the one before".into(),
                    ),
                );
            }
            LoadError::UnexpectedAnchor(m) | LoadError::UnexpectedTag(m) => self.error_at_char(
                m.character(),
                "YAML anchors, aliases and tags are not used in spec files",
                "here",
                Some("write the value out in full".into()),
            ),
            LoadError::MappingKeyMustBeScalar(m) => self.error_at_char(
                m.character(),
                "mapping keys must be plain words",
                "here",
                Some("write `key: value`".into()),
            ),
            LoadError::TopLevelMustBeSequence(m) => {
                self.error_at_char(m.character(), "unexpected top-level list", "here", None)
            }
        }
    }

    fn byte_of_char(&self, ch: usize) -> usize {
        match &self.char_bytes {
            None => ch.min(self.text.len()),
            Some(bytes) => bytes.get(ch).copied().unwrap_or(self.text.len()),
        }
    }

    fn line_col(&self, byte: usize) -> (usize, usize) {
        let before = &self.text[..byte.min(self.text.len())];
        (before.matches('\n').count() + 1, 0)
    }

    fn error_at_char(
        &mut self,
        ch: usize,
        message: impl Into<String>,
        label: &str,
        help: Option<String>,
    ) {
        let start = self.byte_of_char(ch);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n);
        let at = Location {
            file: self.file,
            bytes: start..end.max(start),
        };
        self.error(at, message, label, help);
    }

    /// Records a problem in this file.
    pub fn error(
        &mut self,
        at: Location,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        self.diags.error(at, message, label, help);
    }

    /// Where a scalar is: its text, quotes included, on its first line.
    pub fn scalar_loc(&self, s: &MarkedScalarNode) -> Location {
        let start = s
            .span()
            .start()
            .map_or(0, |m| self.byte_of_char(m.character()));
        let rest = &self.text[start.min(self.text.len())..];
        let line = rest.split('\n').next().unwrap_or("");
        let len = if line.starts_with(s.as_str()) && !s.as_str().is_empty() {
            s.as_str().len()
        } else if let Some(quote @ ('"' | '\'')) = line.chars().next() {
            line[1..].find(quote).map_or(line.len(), |i| i + 2)
        } else {
            // Block scalars and folded text: underline the indicator line.
            line.trim_end().len().max(1)
        };
        Location {
            file: self.file,
            bytes: start..start + len.min(rest.len()),
        }
    }

    /// Where a node starts (one character, or the scalar's text).
    pub fn loc(&self, node: &Node) -> Location {
        match node {
            Node::Scalar(s) => self.scalar_loc(s),
            other => {
                let start = other
                    .span()
                    .start()
                    .map_or(0, |m| self.byte_of_char(m.character()));
                let rest = &self.text[start.min(self.text.len())..];
                let line_len = rest.split('\n').next().unwrap_or("").trim_end().len();
                Location {
                    file: self.file,
                    bytes: start..start + line_len.max(1).min(rest.len()),
                }
            }
        }
    }

    /// Where `needle` first occurs at or after `from` (a block string's start), if anywhere.
    pub fn find_after(&self, from: &Location, needle: &str) -> Option<Location> {
        let start = from.bytes.start.min(self.text.len());
        let at = start + self.text[start..].find(needle)?;
        Some(Location {
            file: self.file,
            bytes: at..at + needle.len(),
        })
    }

    /// The 1-based line a location starts on, for "already defined on line N".
    pub fn line_of(&self, at: &Location) -> usize {
        self.line_col(at.bytes.start).0
    }

    /// Reads `node` as a mapping of the given kind, reporting unknown and missing keys.
    pub fn object<'n>(
        &mut self,
        node: &'n Node,
        object: &'static Object,
        named: Option<&str>,
    ) -> Option<Obj<'n>> {
        let Some(map) = node.as_mapping() else {
            let at = self.loc(node);
            self.error(
                at,
                format!("expected a {} (a mapping of keys to values)", object.what),
                "not a mapping",
                Some(format!("write the {} as `key: value` lines", object.what)),
            );
            return None;
        };
        for key in map.keys() {
            if object.key(key.as_str()).is_none() {
                let at = self.scalar_loc(key);
                let help = match nearest(key.as_str(), object.keys.iter().map(|k| k.name)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "a {} takes: {}",
                        object.what,
                        object
                            .keys
                            .iter()
                            .map(|k| format!("`{}`", k.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.error(
                    at,
                    format!("unknown key `{}` in {}", key.as_str(), object.what),
                    "unknown key",
                    Some(help),
                );
            }
        }
        for key in object.keys.iter().filter(|k| k.required) {
            if map.get_node(key.name).is_none() {
                // Point at the mapping's first key: where the reader's eye starts.
                let at = map
                    .keys()
                    .next()
                    .map_or_else(|| self.loc(node), |k| self.scalar_loc(k));
                let whose = named.map(|n| format!(" `{n}`")).unwrap_or_default();
                self.error(
                    at,
                    format!("missing key `{}` in {}{whose}", key.name, object.what),
                    format!("this {} has no `{}`", object.what, key.name),
                    Some(format!("add `{}`", key.example)),
                );
            }
        }
        Some(Obj { map, object })
    }
}

/// A mapping read against its [`Object`] table.
pub struct Obj<'n> {
    /// The mapping.
    pub map: &'n MarkedMappingNode,
    /// Its table.
    pub object: &'static Object,
}

impl<'n> Obj<'n> {
    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        debug_assert!(self.object.key(key).is_some(), "format table lacks `{key}`");
        self.map.get_node(key)
    }

    /// The key node itself (for locating "this key does not apply here").
    pub fn key_node(&self, key: &str) -> Option<&'n MarkedScalarNode> {
        self.map.keys().find(|k| k.as_str() == key)
    }

    /// A scalar value, as text, with its location.
    pub fn scalar(&self, ctx: &mut Ctx, key: &str) -> Option<(String, Location)> {
        let node = self.get(key)?;
        match node.as_scalar() {
            Some(s) => Some((s.as_str().to_owned(), ctx.scalar_loc(s))),
            None => {
                let spec: &Key = self.object.key(key)?;
                let at = ctx.loc(node);
                ctx.error(
                    at,
                    format!("`{key}` must be {}", describe(spec.kind)),
                    "not a single value",
                    Some(format!(
                        "write `{key}: VALUE` on one line, or a block string with `{key}: |`"
                    )),
                );
                None
            }
        }
    }

    /// A whole number, reported when it is not one.
    pub fn integer(&self, ctx: &mut Ctx, key: &str) -> Option<(i64, Location)> {
        let (value, at) = self.scalar(ctx, key)?;
        match value.trim().parse::<i64>() {
            Ok(n) => Some((n, at)),
            Err(_) => {
                ctx.error(
                    at,
                    format!("`{key}` must be a whole number, not `{value}`"),
                    "not a whole number",
                    Some(format!("write `{key}: 10`, say")),
                );
                None
            }
        }
    }

    /// One of the words the key's [`Kind::OneOf`] lists, reported when it is another.
    pub fn word(&self, ctx: &mut Ctx, key: &str) -> Option<(String, Location)> {
        let (value, at) = self.scalar(ctx, key)?;
        let Some(Kind::OneOf(words)) = self.object.key(key).map(|k| k.kind) else {
            return Some((value, at));
        };
        if words.contains(&value.as_str()) {
            return Some((value, at));
        }
        let help = match nearest(&value, words.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("write one of: {}", words.join(", ")),
        };
        ctx.error(
            at,
            format!("`{key}` cannot be `{value}`"),
            format!("not one of {}", words.join(", ")),
            Some(help),
        );
        None
    }

    /// A text value.
    pub fn text(&self, ctx: &mut Ctx, key: &str) -> Option<String> {
        self.scalar(ctx, key).map(|(s, _)| s)
    }

    /// A `true`/`false` value; absent is `false`.
    pub fn flag(&self, ctx: &mut Ctx, key: &str) -> bool {
        let Some((value, at)) = self.scalar(ctx, key) else {
            return false;
        };
        match value.as_str() {
            "true" => true,
            "false" => false,
            other => {
                ctx.error(
                    at,
                    format!("`{key}` must be true or false, not `{other}`"),
                    "not a boolean",
                    Some(format!("write `{key}: true` or `{key}: false`")),
                );
                false
            }
        }
    }

    /// A list of Markdown strings; a single string is taken as a list of one.
    pub fn markdown_list(&self, ctx: &mut Ctx, key: &str) -> Vec<String> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        match node {
            Node::Scalar(s) => vec![s.as_str().to_owned()],
            Node::Sequence(items) => items
                .iter()
                .filter_map(|item| match item.as_scalar() {
                    Some(s) => Some(s.as_str().to_owned()),
                    None => {
                        let at = ctx.loc(item);
                        ctx.error(
                            at,
                            format!("each item of `{key}` must be a string"),
                            "not a string",
                            Some("quote the text: - \"...\"".into()),
                        );
                        None
                    }
                })
                .collect(),
            Node::Mapping(_) => {
                let at = ctx.loc(node);
                ctx.error(
                    at,
                    format!("`{key}` must be a list of strings"),
                    "a mapping",
                    Some(format!("write `{key}:` followed by `- text` lines")),
                );
                Vec::new()
            }
        }
    }

    /// A list of nodes; anything else is reported.
    pub fn list(&self, ctx: &mut Ctx, key: &str) -> &'n [Node] {
        let Some(node) = self.get(key) else {
            return &[];
        };
        match node.as_sequence() {
            Some(seq) => seq.as_slice(),
            None => {
                // An empty value (`parameters:` with nothing after) is an empty list.
                if node
                    .as_scalar()
                    .is_some_and(|s| s.as_str().is_empty() || s.as_str() == "[]")
                {
                    return &[];
                }
                let at = ctx.loc(node);
                ctx.error(
                    at,
                    format!("`{key}` must be a list"),
                    "not a list",
                    Some(format!("write `{key}:` followed by `- ` items")),
                );
                &[]
            }
        }
    }
}

/// Words for a value kind, for messages.
fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Markdown => "text",
        Kind::Bool => "true or false",
        Kind::Integer => "a whole number",
        Kind::Scalar | Kind::TypeName | Kind::OneOf(_) => "a single value",
        Kind::Any => "a value",
        Kind::MarkdownList => "a list of strings",
        Kind::Fields | Kind::ListOf(_) | Kind::EnumValues => "a list",
        Kind::ParamValues | Kind::Object(_) => "a mapping",
    }
}

/// The candidate closest to `word`, when one is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Every candidate is a short name; a word far longer than any is no typo
    // of one, and comparing it would cost time that grows with its length.
    if word.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// How many forbidden characters one file's report names.
const MAX_CHAR_REPORTS: usize = 5;

/// Characters no spec text may hold: C0 controls other than tab and line
/// feed (a carriage return is allowed only before a line feed, checked by the
/// caller), DEL, C1 controls, and the invisible bidirectional and line
/// controls.
fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `U+202E`, or a name readers know (`NUL`, `a bare carriage return`).
fn char_name(c: char) -> String {
    match c {
        '\0' => "NUL (U+0000)".to_owned(),
        '\r' => "carriage return (U+000D) not followed by a line feed".to_owned(),
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE (U+202E)".to_owned(),
        c => format!("U+{:04X}", u32::from(c)),
    }
}

fn char_help(c: char) -> &'static str {
    match c {
        '\r' => "save the file with Unix (LF) or Windows (CRLF) line endings",
        c if c.is_control() => "delete it; write plain text",
        _ => "delete it: bidirectional and line controls are invisible and change how text reads",
    }
}

/// The longest word [`nearest`] looks for a near match of.
const MAX_SUGGESTED_LEN: usize = 128;

/// How deeply an example value may nest before it is refused.
pub const MAX_JSON_DEPTH: usize = 64;

/// A node as JSON, for examples of lists and hashes (scalars that look like
/// numbers become numbers); `None` when it nests deeper than [`MAX_JSON_DEPTH`].
pub fn to_json(node: &Node, depth: usize) -> Option<serde_json::Value> {
    if depth > MAX_JSON_DEPTH {
        return None;
    }
    Some(match node {
        Node::Scalar(s) => scalar_json(s.as_str()),
        Node::Sequence(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|item| to_json(item, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Node::Mapping(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| Some((k.as_str().to_owned(), to_json(v, depth + 1)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

fn scalar_json(s: &str) -> serde_json::Value {
    if let Ok(i) = s.parse::<i64>() {
        return i.into();
    }
    match s {
        "true" => true.into(),
        "false" => false.into(),
        "null" | "~" => serde_json::Value::Null,
        _ => s.into(),
    }
}
