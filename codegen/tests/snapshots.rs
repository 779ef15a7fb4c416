//! Snapshot tests: every file the emitters make of a small fixture corpus
//! (`tests/fixtures/snapshot-corpus/`) is kept, as written, in
//! `codegen/tests/snapshots/`, one snapshot per file, so that a change to an
//! emitter shows up in review as a diff of exactly the output it changes. The
//! same output is compiled as a crate of its own, so every snapshot is also
//! proven to build.
//!
//! After an intended change, write the new snapshots and review them:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test -p whm-codegen --test snapshots
//! git diff codegen/tests/snapshots/
//! ```
//!
//! (or `cargo insta test -p whm-codegen --test snapshots --review`, with cargo-insta).

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};

use whm_codegen::emit::{FileKind, OutputFile, emit_all};
use whm_codegen::write::render;

/// The corpus, relative to the workspace root.
const CORPUS: &str = "tests/fixtures/snapshot-corpus";

/// Files copied verbatim from `codegen/assets/` (the docs' stylesheet and
/// script) whatever the corpus: reviewed as those sources, not as snapshots.
const VERBATIM: &[&str] = &["docs/assets/style.css", "docs/assets/site.js"];

/// The snapshot name of an output file: its path with `/` spelled `__`.
fn snapshot_name(path: &str) -> String {
    path.replace('/', "__")
}

/// The emitted files that get a snapshot: every text file that depends on the spec format or corpus.
fn snapshotted(files: &[OutputFile]) -> Vec<&OutputFile> {
    files
        .iter()
        .filter(|f| f.kind != FileKind::Binary && !VERBATIM.contains(&f.path.as_str()))
        .collect()
}

#[test]
fn every_emitted_file_matches_its_snapshot() {
    let api = support::load_fixture(CORPUS);
    let files = emit_all(&api);
    let files = snapshotted(&files);
    assert!(
        files.len() > 10,
        "the corpus emits a crate and a site, not {} files",
        files.len()
    );

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(CORPUS);

    // Check every file before failing, so one run reports (and, with
    // INSTA_UPDATE, writes) every changed snapshot, not just the first.
    let mut changed = Vec::new();
    for file in &files {
        let text = String::from_utf8(render(file))
            .unwrap_or_else(|_| panic!("{} is not UTF-8 text", file.path));
        settings.set_description(file.path.as_str());
        let checked = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(snapshot_name(&file.path), text));
        }));
        if checked.is_err() {
            changed.push(file.path.clone());
        }
    }
    assert!(
        changed.is_empty(),
        "these outputs differ from their snapshots in codegen/tests/snapshots/ \
         (review, then accept with INSTA_UPDATE=always or `cargo insta review`):\n{}",
        changed.join("\n")
    );
}

/// A snapshot whose file the emitters no longer make would pass silently
/// forever; it must be deleted with the output it recorded.
#[test]
fn every_snapshot_belongs_to_an_emitted_file() {
    let api = support::load_fixture(CORPUS);
    let files = emit_all(&api);
    let expected: BTreeSet<String> = snapshotted(&files)
        .iter()
        .map(|f| format!("{}.snap", snapshot_name(&f.path)))
        .collect();
    let dir = support::workspace().join("codegen/tests/snapshots");
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .expect("codegen/tests/snapshots/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    let orphans: Vec<&String> = on_disk.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "snapshots of files the emitters no longer make; delete them: {orphans:?}"
    );
}

#[test]
fn snapshot_corpus_compiles_as_a_crate_without_warnings() {
    let api = support::load_fixture(CORPUS);
    if let Err(problem) = support::check_generated_crate("snapshot-corpus", &emit_all(&api)) {
        panic!("the generated crate of the snapshot corpus does not build:\n{problem}");
    }
}
