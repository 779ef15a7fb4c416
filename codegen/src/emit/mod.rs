//! Emitters: each a pure function from the [`Api`] to the files of one output.
//!
//! | module | output |
//! | --- | --- |
//! | [`types`] | request and response types, per category (`generated/src/types/`) |
//! | [`server`] | the server trait and router (`generated/src/server/`) |
//! | [`client`] | the typed client (`generated/src/client/`) |
//! | [`cli`] | clap arguments and the `whmapi1` command line (`generated/src/cli/`) |
//! | [`example_tests`] | every spec example as tests of every output (`generated/src/example_tests/`) |
//! | [`crate_files`] | the generated crate's `Cargo.toml` and `lib.rs` |
//! | [`docs`] | the HTML documentation site (`docs/`) |
//! | [`schema`] | the JSON Schema of the spec format (`spec/schema.json`) |
//!
//! Emitters never touch the file system; [`crate::write`] does.

use crate::ir::Api;

pub mod cli;
pub mod client;
pub mod crate_files;
pub mod docs;
pub mod example_tests;
pub mod rust;
pub mod schema;
pub mod server;
pub mod tidy;
pub mod types;

/// The kind of a file, which decides how its do-not-edit header is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Rust source: a `//` header.
    Rust,
    /// TOML: a `#` header.
    Toml,
    /// HTML: a `<!-- -->` header after the doctype.
    Html,
    /// CSS or JavaScript: a `/* */` header.
    CssJs,
    /// JSON: the header goes into a `"$comment"` key by the emitter itself; written as is.
    Json,
    /// Files that cannot carry a header (images); written as is.
    Binary,
}

/// One file an emitter produces, with a path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path, `/`-separated (`generated/src/types/accounts.rs`).
    pub path: String,
    /// How the header is written.
    pub kind: FileKind,
    /// The contents, without the header.
    pub contents: Vec<u8>,
}

impl OutputFile {
    /// A text file.
    pub fn text(path: impl Into<String>, kind: FileKind, contents: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            kind,
            contents: contents.into().into_bytes(),
        }
    }
}

/// An emitter: a pure function from the IR to files.
pub type Emitter = fn(&Api) -> Vec<OutputFile>;

/// Every emitter, by name, in the order they run.
pub const EMITTERS: &[(&str, Emitter)] = &[
    ("crate", crate_files::emit),
    ("types", types::emit),
    ("server", server::emit),
    ("client", client::emit),
    ("cli", cli::emit),
    ("example_tests", example_tests::emit),
    ("docs", docs::emit),
    ("schema", |_| vec![schema::emit()]),
];

/// Every output of every emitter, sorted by path.
pub fn emit_all(api: &Api) -> Vec<OutputFile> {
    emit_all_timed(api, |_, _| {})
}

/// [`emit_all`], telling `timing` how long each emitter took (for `build --timings`).
///
/// Emitters are pure functions of the IR, so they run on threads of their
/// own; the files are sorted afterwards, so the result never depends on
/// which finished first.
pub fn emit_all_timed(
    api: &Api,
    mut timing: impl FnMut(&str, std::time::Duration),
) -> Vec<OutputFile> {
    let outputs: Vec<(&str, std::time::Duration, Vec<OutputFile>)> = std::thread::scope(|scope| {
        let running: Vec<_> = EMITTERS
            .iter()
            .map(|(name, emitter)| {
                let thread = scope.spawn(move || {
                    let started = std::time::Instant::now();
                    let files = emitter(api);
                    (started.elapsed(), files)
                });
                (*name, thread)
            })
            .collect();
        running
            .into_iter()
            .map(|(name, thread)| match thread.join() {
                Ok((took, files)) => (name, took, files),
                // An emitter panics only on a bug of its own; keep its message.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let mut files = Vec::new();
    for (name, took, emitted) in outputs {
        timing(name, took);
        files.extend(emitted);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
