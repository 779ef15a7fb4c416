//! A maintainer adds, renames and removes functions without touching Rust:
//! a copy of the workspace gets a new function in a new category and loses
//! another, is rebuilt with the compiler, and passes its whole test suite.
//!
//! The copy's suite runs this file too; `WHM_SPEC_TREE_EDIT_NESTED` keeps it
//! from copying itself again. The copy builds in `target/spec-tree-edit/` of
//! this workspace, so dependencies compiled once are reused by later runs.

use std::path::{Path, PathBuf};
use std::process::Command;

const NESTED: &str = "WHM_SPEC_TREE_EDIT_NESTED";

/// The workspace root (the folder holding `spec/`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Copies the workspace's sources (not `target/`, not `.git/`) into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("a folder entry");
        let name = entry.file_name();
        if from == workspace() && (name == "target" || name == ".git") {
            continue;
        }
        let path = entry.path();
        let dest = to.join(&name);
        if entry.file_type().expect("a file type").is_dir() {
            std::fs::create_dir_all(&dest).expect("a folder in the copy");
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("a file copied");
        }
    }
}

/// Every `.rs` file under `dir`, relative to `root`, with its bytes.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .expect("inside the root")
                .to_path_buf();
            out.push((rel, std::fs::read(&path).expect("readable")));
        }
    }
    out.sort();
}

/// Whether a Rust file of the copy is hand-written: not the compiler's output
/// (`generated/`) and not a build product (`target/`, where the fixture-crate
/// tests write the crates they compile).
fn hand_written(path: &Path) -> bool {
    !path.starts_with("generated") && !path.starts_with("target")
}

/// A specified function whose name no hand-written Rust file mentions: removing
/// it must leave every test compiling and passing.
fn removable_function(root: &Path, api: &whm_codegen::ir::Api) -> String {
    let mut sources = Vec::new();
    for dir in ["tests", "codegen/src", "codegen/tests", "runtime/src"] {
        rust_files(root, &root.join(dir), &mut sources);
    }
    let text: String = sources
        .iter()
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    api.functions()
        .map(|f| f.name.clone())
        .find(|name| !text.contains(name.as_str()))
        .expect("some specified function is named by no Rust file")
}

const NEW_CATEGORY: &str = "
  - id: made-up-tools
    title: Made-up Tools
    order: 995
    description: A category that exists only in this test's copy.
";

const NEW_SPEC: &str = r#"# yaml-language-server: $schema=../schema.json
name: frobnicate_widget
category: made-up-tools
summary: Frobnicates a widget, a function that exists only in this test.
description: |
  This function frobnicates one widget.
method: POST
success_reason: Widget frobnicated
parameters:
  - name: widget
    type: string
    required: true
    description: The widget's name.
    max_length: 16
    pattern: "[a-z]+"
    example: gizmo
  - name: turns
    type: integer
    description: How many turns.
    minimum: 1
    maximum: 10
    example: 3
  - name: FLAG-*
    type: yes_no
    description: One flag per option, named after it.
returns:
  - name: turned
    type: integer
    description: How many turns were made.
    example: 3
examples:
  - title: Frobnicate a gizmo
    params:
      widget: gizmo
      turns: 3
      FLAG-shiny: y
    json: |
      {"data": {"turned": 3}, "metadata": {"command": "frobnicate_widget", "version": 1, "reason": "Widget frobnicated", "result": 1}}
"#;

#[test]
fn adding_and_removing_a_spec_needs_no_rust_edit() {
    if std::env::var_os(NESTED).is_some() {
        return;
    }
    let root = workspace();
    let api = whm_codegen::front::load_api(&root.join("spec")).expect("the specs compile");
    let removed = removable_function(&root, &api);
    let removed_spec = api
        .functions()
        .find(|f| f.name == removed)
        .map(|f| f.source.clone())
        .expect("its spec");

    let scratch = tempfile::tempdir().expect("a scratch folder");
    let copy = scratch.path();
    copy_tree(&root, copy);
    let mut before = Vec::new();
    rust_files(copy, copy, &mut before);
    before.retain(|(path, _)| hand_written(path));

    // The maintainer's edit: YAML only.
    let categories = copy.join("spec/categories.yaml");
    let mut text = std::fs::read_to_string(&categories).expect("categories.yaml");
    text.push_str(NEW_CATEGORY);
    std::fs::write(&categories, text).expect("categories.yaml written");
    std::fs::create_dir_all(copy.join("spec/made-up-tools")).expect("the category's folder");
    std::fs::write(
        copy.join("spec/made-up-tools/frobnicate_widget.yaml"),
        NEW_SPEC,
    )
    .expect("the new spec");
    std::fs::remove_file(copy.join("spec").join(&removed_spec)).expect("a spec removed");

    let target = root.join("target/spec-tree-edit");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // The list of public type paths is a snapshot a maintainer reviews and
    // accepts (`INSTA_UPDATE=always`) when a spec adds or removes types; the
    // copy accepts it too, and the check below says what may have changed.
    let run = |args: &[&str]| {
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(copy)
            .env("CARGO_TARGET_DIR", &target)
            .env(NESTED, "1")
            .env("INSTA_UPDATE", "always")
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "`cargo {}` failed in the copy",
            args.join(" ")
        );
    };
    run(&["run", "-q", "-p", "whm-codegen", "--", "build"]);
    run(&["test", "-q", "--workspace", "--all-features"]);

    // Nothing hand-written changed: only generated/ and docs/ were rewritten.
    let mut after = Vec::new();
    rust_files(copy, copy, &mut after);
    after.retain(|(path, _)| hand_written(path));
    assert_eq!(
        before.len(),
        after.len(),
        "Rust files were added or removed"
    );
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        assert!(old == new, "{} was edited", path.display());
    }
    // The public type paths changed only by the two functions: every path
    // that went is the removed function's, every path that came the new one's.
    let snapshot = "codegen/tests/snapshots/public/public_type_paths.snap";
    let paths = |dir: &Path| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(dir.join(snapshot))
            .expect("the public type paths snapshot")
            .lines()
            .filter(|l| l.starts_with("struct ") || l.starts_with("enum "))
            .map(str::to_owned)
            .collect()
    };
    let (old_paths, new_paths) = (paths(&root), paths(copy));
    let gone_function = api
        .functions()
        .find(|f| f.name == removed)
        .expect("the removed function");
    let of_removed = |p: &str| {
        p.contains(&format!("::{}::", gone_function.rust.types_module()))
            || p.ends_with(&format!("::{}", gone_function.rust.request))
            || p.ends_with(&format!("::{}", gone_function.rust.data))
    };
    for path in old_paths.difference(&new_paths) {
        assert!(
            of_removed(path),
            "{path} went, but {removed} did not hold it"
        );
    }
    for path in new_paths.difference(&old_paths) {
        assert!(
            path.contains("FrobnicateWidget") || path.contains("::frobnicate_widget::"),
            "{path} came, but frobnicate_widget does not hold it"
        );
    }
    assert!(
        new_paths
            .iter()
            .any(|p| p.ends_with("whm_api::types::made_up_tools::FrobnicateWidgetRequest")),
        "the new request type is not among the public paths"
    );

    // And the compiler did take the edit: the new function is in the generated crate.
    let types = std::fs::read_to_string(copy.join("generated/src/types/made_up_tools.rs"))
        .expect("the new category's types");
    assert!(types.contains("FrobnicateWidgetRequest"), "{types}");
    let lib = std::fs::read_to_string(copy.join("generated/src/lib.rs")).expect("lib.rs");
    assert!(
        !lib.contains(&format!(" {removed} =>")),
        "{removed} is still generated"
    );
}
