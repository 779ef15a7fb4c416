//! Located diagnostics: every problem the front end finds, rendered like rustc.
//!
//! The front end never stops at the first problem. It pushes each one into a
//! [`Diagnostics`] store (the shape of dropshot's error store) and carries on
//! with what it could read, so a maintainer sees every mistake in one run.
//! Rendering goes through `codespan-reporting`: `file:line:column`, the
//! offending line with the span underlined, and a `help:` line saying what to
//! write instead.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

/// Identifies a source file held by a [`Diagnostics`] store.
pub type FileId = usize;

/// One problem, located in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as it is displayed (`spec/accounts/listaccts.yaml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, one sentence without a trailing period (`unknown key `tpye``).
    pub message: String,
    /// A short note shown under the underlined text.
    pub label: String,
    /// What to write instead, when the front end can tell.
    pub help: Option<String>,
    file_id: FileId,
    bytes: Range<usize>,
}

impl Diagnostic {
    /// `file:line:column: message`, the one-line form.
    pub fn short(&self) -> String {
        format!(
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The bytes the problem concerns (may be empty: a point).
    pub bytes: Range<usize>,
}

/// The sources the front end read and the problems found in them.
#[derive(Debug, Default)]
pub struct Diagnostics {
    files: SimpleFiles<String, String>,
    names: Vec<String>,
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a source file so problems can point into it.
    pub fn add_file(&mut self, name: impl Into<String>, source: impl Into<String>) -> FileId {
        let name = name.into();
        self.names.push(name.clone());
        self.files.add(name, source.into())
    }

    /// The text of a registered file.
    pub fn source(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// The display name of a registered file.
    pub fn file_name(&self, file: FileId) -> &str {
        self.names
            .get(file)
            .map(String::as_str)
            .unwrap_or("<unknown>")
    }

    /// Records a problem.
    pub fn error(
        &mut self,
        at: Location,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let source = self.source(at.file);
        let start = at.bytes.start.min(source.len());
        let end = at.bytes.end.clamp(start, source.len());
        let (line, column) = line_column(source, start);
        self.list.push(Diagnostic {
            file: self.file_name(at.file).to_owned(),
            line,
            column,
            message: message.into(),
            label: label.into(),
            help,
            file_id: at.file,
            bytes: start..end,
        });
    }

    /// Whether any problem was recorded.
    pub fn has_errors(&self) -> bool {
        !self.list.is_empty()
    }

    /// The problems, in the order found.
    pub fn list(&self) -> &[Diagnostic] {
        &self.list
    }

    /// Every problem rendered like rustc, followed by a count.
    pub fn render(&self, color: bool) -> String {
        let mut buffer = if color {
            term::termcolor::Buffer::ansi()
        } else {
            term::termcolor::Buffer::no_color()
        };
        let config = Config::default();
        let styles = term::Styles::default();
        for d in &self.list {
            let mut report = Report::error().with_message(&d.message).with_labels(vec![
                Label::primary(d.file_id, d.bytes.clone()).with_message(&d.label),
            ]);
            if let Some(help) = &d.help {
                report = report.with_notes(vec![format!("help: {help}")]);
            }
            // Writing into an in-memory buffer cannot fail for I/O reasons; a
            // failure would mean a bad span, which `error` already clamps.
            let mut writer = term::StylesWriter::new(&mut buffer, &styles);
            let _ = term::emit_to_write_style(&mut writer, &config, &self.files, &report);
        }
        let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
        let n = self.list.len();
        if n > 0 {
            out.push_str(&format!(
                "error: {n} problem{} in the specs; nothing was written\n",
                if n == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// 1-based line and character column of a byte offset.
fn line_column(source: &str, byte: usize) -> (usize, usize) {
    let before = &source[..floor_char_boundary(source, byte)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc_with_help() {
        let mut d = Diagnostics::new();
        let f = d.add_file("spec/a/x.yaml", "name: x\ntpye: string\n");
        d.error(
            Location {
                file: f,
                bytes: 8..12,
            },
            "unknown key `tpye`",
            "not a key",
            Some("did you mean `type`?".into()),
        );
        let out = d.render(false);
        assert!(out.contains("error: unknown key `tpye`"), "{out}");
        assert!(out.contains("spec/a/x.yaml:2:1"), "{out}");
        assert!(out.contains("tpye: string"), "{out}");
        assert!(out.contains("help: did you mean `type`?"), "{out}");
        assert_eq!(d.list()[0].short(), "spec/a/x.yaml:2:1: unknown key `tpye`");
    }
}
