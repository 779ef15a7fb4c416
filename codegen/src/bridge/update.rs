//! New facts of a description merged into existing specs
//! (`whm-codegen import openapi --update`).
//!
//! The facts are the ones [`compare`](super::compare) reads ([`FieldFacts`]);
//! each one the description has and the spec lacks, or holds otherwise, is a
//! targeted edit of the spec's text: one line replaced, inserted or removed,
//! or a new field's entry added after its last sibling. Every other byte of
//! the file stays as it was, so prose, comments and key order are kept, and
//! so is every key the description does not know. A function or field whose
//! spec says `differs:` is left alone; a difference no single line can fix
//! (a type, a list of values) is reported for the maintainer instead.

use std::fmt::Write as _;

use super::compare::{nested_facts, normal, shape_difference, version_number};
use super::import::{Selection, Unmapped, field_text, quoted};
use super::openapi::{Description, FieldFacts, Operation, Shape};
use crate::ir::{Api, Field, Function, HttpMethod, Type};

/// One spec the update changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatedSpec {
    /// Relative to spec/: `dns/addzonerecord.yaml`.
    pub path: String,
    /// The spec's new text.
    pub text: String,
    /// What changed, one line each.
    pub changes: Vec<String>,
}

/// The outcome of an update, beside what [`import`](super::import::import) writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateReport {
    /// The specs that change.
    pub updated: Vec<UpdatedSpec>,
    /// Selected specified functions that need no change.
    pub unchanged: Vec<String>,
    /// Differences left to the maintainer: `spec file:line: what`.
    pub not_merged: Vec<String>,
    /// What could not be mapped in new fields.
    pub unmapped: Vec<Unmapped>,
}

impl UpdateReport {
    /// The report as text: each change per file, then what was left alone.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for spec in &self.updated {
            let _ = writeln!(out, "updated spec/{}:", spec.path);
            for change in &spec.changes {
                let _ = writeln!(out, "  {change}");
            }
        }
        if !self.unchanged.is_empty() {
            let _ = writeln!(out, "unchanged: {}", self.unchanged.join(", "));
        }
        for line in &self.not_merged {
            let _ = writeln!(out, "not merged: {line}");
        }
        for u in &self.unmapped {
            let _ = writeln!(out, "{}: {}", u.at, u.what);
        }
        let _ = writeln!(
            out,
            "{} specs updated ({} changes), {} unchanged, {} differences left to edit by hand",
            self.updated.len(),
            self.updated.iter().map(|s| s.changes.len()).sum::<usize>(),
            self.unchanged.len(),
            self.not_merged.len()
        );
        out
    }
}

/// The updates of the selected, already specified functions; `read` gives
/// a spec's current text from its path relative to spec/.
pub fn update(
    api: &Api,
    descriptions: &[Description],
    selection: &Selection,
    read: &dyn Fn(&str) -> std::io::Result<String>,
) -> Result<UpdateReport, String> {
    let mut report = UpdateReport::default();
    for d in descriptions {
        for op in d.operations.iter().filter(|op| selection.wants(op)) {
            let Some(f) = api.functions().find(|f| f.name == op.name) else {
                continue;
            };
            let text = read(&f.source).map_err(|e| format!("spec/{}: {e}", f.source))?;
            let mut editor = Editor {
                file: &d.file,
                spec: format!("spec/{}", f.source),
                lines: text.lines().map(str::to_owned).collect(),
                edits: Vec::new(),
                changes: Vec::new(),
                not_merged: &mut report.not_merged,
                unmapped: &mut report.unmapped,
                flow: false,
            };
            editor.function(f, op);
            let (changes, text) = editor.finish(&text);
            if changes.is_empty() {
                report.unchanged.push(f.name.clone());
            } else {
                report.updated.push(UpdatedSpec {
                    path: f.source.clone(),
                    text,
                    changes,
                });
            }
        }
    }
    Ok(report)
}

/// An edit of the spec's lines (0-based indices into the original text).
enum Edit {
    /// Replace the line (`None`: remove it).
    Replace(usize, Option<String>),
    /// Insert lines after the line (`None`: at the start).
    InsertAfter(Option<usize>, String),
}

struct Editor<'a> {
    file: &'a str,
    spec: String,
    lines: Vec<String>,
    edits: Vec<Edit>,
    changes: Vec<String>,
    not_merged: &'a mut Vec<String>,
    unmapped: &'a mut Vec<Unmapped>,
    /// The field being edited is a flow mapping.
    flow: bool,
}

impl Editor<'_> {
    fn function(&mut self, f: &Function, op: &Operation) {
        if f.differs.is_some() {
            return;
        }
        let since = op.since.as_deref().and_then(version_number);
        if let Some(version) = since
            && f.since.as_deref().and_then(version_number).as_ref() != Some(&version)
        {
            let value = quoted(&format!("cPanel & WHM version {version}"));
            self.top_key("since", &value);
        }
        if op.deprecated && !f.deprecated {
            self.top_key("deprecated", "true");
        }
        if op.method == "post" && f.method != Some(HttpMethod::Post) {
            self.top_key("method", "POST");
        }
        self.fields("parameter", "", &f.params, &op.params, true, "parameters");
        if f.output_raw.is_some() && !op.returns.is_empty() && f.returns.is_empty() {
            self.not_merged.push(format!(
                "{}:1: {}: the description lists returns; the spec answers `output_raw`",
                self.spec, f.name
            ));
        } else {
            self.fields("return", "data.", &f.returns, &op.returns, false, "returns");
        }
    }

    /// Sets a top-level key: its line replaced, or a new line before the
    /// first of the lists (parameters, returns, ...).
    fn top_key(&mut self, key: &str, value: &str) {
        let line = format!("{key}: {value}");
        if let Some(at) = self
            .lines
            .iter()
            .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        {
            self.changes.push(format!(
                "line {}: `{}` is now `{line}`",
                at + 1,
                self.lines[at]
            ));
            self.edits.push(Edit::Replace(at, Some(line)));
            return;
        }
        let lists = [
            "parameters:",
            "returns:",
            "output_raw:",
            "metadata:",
            "examples:",
        ];
        let first_list = self
            .lines
            .iter()
            .position(|l| lists.iter().any(|k| l.starts_with(k)));
        let after = match first_list {
            // Before the blank lines and comments that lead into the list.
            Some(at) => {
                let mut before = at;
                while before > 0 && is_filler(&self.lines[before - 1]) {
                    before -= 1;
                }
                before.checked_sub(1)
            }
            None => self.lines.len().checked_sub(1),
        };
        self.changes.push(format!("added `{line}`"));
        self.edits.push(Edit::InsertAfter(after, line));
    }

    fn fields(
        &mut self,
        role: &str,
        prefix: &str,
        spec: &[Field],
        desc: &[FieldFacts],
        params: bool,
        list_key: &str,
    ) {
        let mut new = Vec::new();
        for d in desc {
            match spec.iter().find(|s| s.name == d.name) {
                // `differs:` covers the field's own facts; its nested
                // fields have their own (as `compare` reads them).
                Some(s) if s.differs.is_none() => self.field(role, prefix, s, d, params),
                Some(s) => self.nested_fields(role, prefix, s, d),
                None => new.push(d),
            }
        }
        if new.is_empty() {
            return;
        }
        // After the last sibling's entry, at its dash's column; or a new list.
        let (after, indent, header) = match spec.last().and_then(|s| self.entry(s.line)) {
            Some((dash, indent)) => (Some(self.block_end(dash, indent + 2)), indent, None),
            None if list_key != "fields" => {
                let end = self.lines.iter().rposition(|l| !is_filler(l)).unwrap_or(0);
                (Some(end), 2, Some(format!("\n{list_key}:")))
            }
            None => {
                for d in &new {
                    self.not_merged.push(format!(
                        "{}:1: {role} `{prefix}{}` is in the description; add it by hand",
                        self.spec, d.name
                    ));
                }
                return;
            }
        };
        let mut text = header.map(|h| format!("{h}\n")).unwrap_or_default();
        for d in new {
            let _ = writeln!(
                text,
                "{}# From the description by `import --update`: rewrite its prose in the project's words.",
                " ".repeat(indent)
            );
            text.push_str(&field_text(self.file, d, indent, params, self.unmapped));
            self.changes
                .push(format!("added {role} `{prefix}{}`", d.name));
        }
        let text = text.trim_end_matches('\n').to_owned();
        self.edits.push(Edit::InsertAfter(after, text));
    }

    fn field(&mut self, role: &str, prefix: &str, s: &Field, d: &FieldFacts, params: bool) {
        let name = format!("{prefix}{}", s.name);
        let Some((dash, indent)) = self.entry(s.line) else {
            return;
        };
        // A flow mapping (`- {name: x, type: string}`) takes no block keys.
        self.flow = self.lines[dash]
            .get(indent + 2..)
            .is_some_and(|rest| rest.trim_start().starts_with('{'));
        let key_indent = indent + 2;
        let end = self.block_end(dash, key_indent);
        let set = |this: &mut Self, key: &str, value: Option<String>| {
            this.set_key(&name, role, dash, end, key_indent, key, value);
        };
        if params && s.required != d.required {
            set(self, "required", d.required.then(|| "true".to_owned()));
        }
        if d.nullable && !s.nullable {
            set(self, "nullable", Some("true".to_owned()));
        }
        if d.deprecated && !s.deprecated {
            set(self, "deprecated", Some("true".to_owned()));
        }
        let scalar = !matches!(d.shape, Shape::Array(_) | Shape::Object(_) | Shape::Map(_));
        if params
            && scalar
            && let Some(default) = d
                .default
                .as_ref()
                .filter(|d| !matches!(d.as_str(), "null" | "~" | ""))
            && s.default.as_deref().map(normal) != Some(normal(default))
        {
            set(self, "default", Some(quoted(default)));
        }
        use crate::ir::Constraint as C;
        let has = |pick: &dyn Fn(&C) -> Option<String>| s.constraints.iter().find_map(pick);
        let numeric = matches!(d.shape, Shape::Integer(_) | Shape::Number | Shape::Limit);
        let text = matches!(d.shape, Shape::String(_));
        let ranges: [(&str, Option<String>, Option<String>, bool); 4] = [
            (
                "minimum",
                d.minimum.map(|n| n.to_string()),
                has(&|c| matches!(c, C::Minimum(_)).then(|| c.clone()).and_then(num)),
                numeric,
            ),
            (
                "maximum",
                d.maximum.map(|n| n.to_string()),
                has(&|c| matches!(c, C::Maximum(_)).then(|| c.clone()).and_then(num)),
                numeric,
            ),
            (
                "min_length",
                d.min_length.map(|n| n.to_string()),
                has(&|c| {
                    matches!(c, C::MinLength(_))
                        .then(|| c.clone())
                        .and_then(num)
                }),
                text,
            ),
            (
                "max_length",
                d.max_length.map(|n| n.to_string()),
                has(&|c| {
                    matches!(c, C::MaxLength(_))
                        .then(|| c.clone())
                        .and_then(num)
                }),
                text,
            ),
        ];
        for (key, described, specified, applies) in ranges {
            if applies && described.is_some() && described != specified {
                set(self, key, described);
            }
        }
        let spec_ty = match &s.ty {
            Type::Array(a) if params && !matches!(d.shape, Shape::Array(_)) => &a.items,
            ty => ty,
        };
        if let Some(what) = shape_difference(spec_ty, &d.shape) {
            self.not_merged
                .push(format!("{}:{}: {role} `{name}`: {what}", self.spec, s.line));
        }
        self.nested_fields(role, prefix, s, d);
    }

    /// The facts of the fields nested in `s`.
    fn nested_fields(&mut self, role: &str, prefix: &str, s: &Field, d: &FieldFacts) {
        if let (Some(spec_fields), Some(desc_fields)) = (nested(&s.ty), nested_facts(&d.shape)) {
            self.fields(
                role,
                &format!("{prefix}{}.", s.name),
                spec_fields,
                desc_fields,
                false,
                "fields",
            );
        }
    }

    /// Sets `key` in the field entry spanning lines `dash..=end`.
    #[allow(clippy::too_many_arguments)]
    fn set_key(
        &mut self,
        name: &str,
        role: &str,
        dash: usize,
        end: usize,
        indent: usize,
        key: &str,
        value: Option<String>,
    ) {
        let pad = " ".repeat(indent);
        let found = (dash..=end).find(|&i| {
            let line = &self.lines[i];
            let body = if i == dash {
                line.get(indent..)
                    .filter(|_| line.get(..indent).is_some_and(|lead| lead.trim() == "-"))
            } else {
                line.strip_prefix(&pad)
                    .filter(|rest| !rest.starts_with(' '))
            };
            body.and_then(|b| b.strip_prefix(key))
                .is_some_and(|r| r.starts_with(':'))
        });
        let what = match (&value, found) {
            (Some(v), _) => format!("{role} `{name}`: `{key}: {v}`"),
            (None, _) => format!("{role} `{name}`: no `{key}`"),
        };
        if self.flow {
            self.not_merged.push(format!(
                "{}:{}: {what} (the entry is a flow mapping; edit it by hand)",
                self.spec,
                dash + 1
            ));
            return;
        }
        match (found, value) {
            (Some(at), _) if at == dash => {
                self.not_merged.push(format!(
                    "{}:{}: {what} (the key shares the entry's first line; edit by hand)",
                    self.spec,
                    at + 1
                ));
            }
            (Some(at), Some(v)) => {
                // A comment after the old value stays.
                let old = &self.lines[at];
                let comment = old
                    .find(" #")
                    .filter(|&c| !old[..c].contains(['"', '\'']))
                    .map(|c| old[old[..c].trim_end().len()..].to_owned())
                    .unwrap_or_default();
                self.changes.push(format!("line {}: {what}", at + 1));
                self.edits
                    .push(Edit::Replace(at, Some(format!("{pad}{key}: {v}{comment}"))));
            }
            (Some(at), None) => {
                self.changes.push(format!("line {}: {what}", at + 1));
                self.edits.push(Edit::Replace(at, None));
            }
            (None, Some(v)) => {
                self.changes.push(format!("line {}: {what}", end + 1));
                self.edits
                    .push(Edit::InsertAfter(Some(end), format!("{pad}{key}: {v}")));
            }
            (None, None) => {}
        }
    }

    /// The entry holding the `name:` of line `line` (1-based): the 0-based
    /// index of its `- ` line and the dash's column.
    fn entry(&self, line: usize) -> Option<(usize, usize)> {
        let at = line.checked_sub(1)?;
        let name_line = self.lines.get(at)?;
        let key_col = name_line.len() - name_line.trim_start_matches([' ', '-']).len();
        let dash_col = key_col.checked_sub(2)?;
        (0..=at).rev().find_map(|i| {
            let l = &self.lines[i];
            // `get`: a column inside a multi-byte character is no dash.
            let is_dash = l.get(..dash_col).is_some_and(|lead| lead.trim().is_empty())
                && l.get(dash_col..).is_some_and(|rest| rest.starts_with("- "));
            is_dash.then_some((i, dash_col))
        })
    }

    /// The last line of content of the entry starting at `dash` whose keys
    /// are at column `indent`: before the next line indented less.
    fn block_end(&self, dash: usize, indent: usize) -> usize {
        let mut end = dash;
        for (i, l) in self.lines.iter().enumerate().skip(dash + 1) {
            if is_filler(l) {
                continue;
            }
            let col = l.len() - l.trim_start().len();
            if col < indent {
                break;
            }
            end = i;
        }
        end
    }

    /// The changes and the new text (the old one's final newline kept).
    fn finish(mut self, old: &str) -> (Vec<String>, String) {
        if self.edits.is_empty() {
            return (self.changes, old.to_owned());
        }
        let mut inserts: Vec<Vec<String>> = vec![Vec::new(); self.lines.len() + 1];
        let mut lines: Vec<Option<String>> = self.lines.drain(..).map(Some).collect();
        for edit in self.edits {
            match edit {
                Edit::Replace(at, text) => lines[at] = text,
                Edit::InsertAfter(after, text) => {
                    inserts[after.map_or(0, |a| a + 1)].push(text);
                }
            }
        }
        let mut out = String::new();
        for (i, line) in lines.into_iter().enumerate() {
            for text in &inserts[i] {
                out.push_str(text);
                out.push('\n');
            }
            if let Some(line) = line {
                out.push_str(&line);
                out.push('\n');
            }
        }
        for text in inserts.last().into_iter().flatten() {
            out.push_str(text);
            out.push('\n');
        }
        (self.changes, out)
    }
}

/// The number of a range constraint.
fn num(c: crate::ir::Constraint) -> Option<String> {
    use crate::ir::Constraint as C;
    match c {
        C::Minimum(n) | C::Maximum(n) => Some(n.to_string()),
        C::MinLength(n) | C::MaxLength(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A blank line or a whole-line comment.
fn is_filler(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// The nested fields written in this spec: a named type's are in its own
/// file under spec/types/, which the update does not edit.
fn nested(ty: &Type) -> Option<&[Field]> {
    match ty {
        Type::Hash(s) if !s.shared => Some(&s.fields),
        Type::Array(a) => nested(&a.items),
        Type::Map(v) => nested(v),
        _ => None,
    }
}
