//! The README's own commands, run as a newcomer would run them: every ```` ```sh ````
//! block of README.md, in order, in a scratch clone of this repository.
//!
//! The commands are read from README.md, not copied here, so a README that
//! drifts from the programs fails this test. A few commands are not run (CI
//! itself, the benchmarks, a command that needs cPanel's own files): each is
//! listed in [`NOT_RUN`] with the reason, and an entry that matches no README
//! line fails the test, so the list cannot go stale.
//!
//! The clone is made with `git clone` from this repository's committed state,
//! as CI's clean clone is; uncommitted edits are not seen. It builds in
//! `target/readme-commands/` of this workspace (installing with `cargo install`
//! into a scratch folder), so later runs reuse the compiled dependencies.
//! `$EDITOR` is a small script that fills in the skeleton `new` writes, as a
//! maintainer would.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Commands of README.md this test does not run, by how the line starts, and why.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "bash .ci/run",
        "CI's script runs the whole test suite, this test included",
    ),
    (
        "cargo run -p whm-codegen -- compare openapi cpanel-",
        "it reads cPanel's description files, which are not in the repository (codegen/tests/bridge.rs runs compare on fixtures)",
    ),
    (
        "cargo run -p whm-codegen -- import openapi cpanel-",
        "it reads cPanel's description files, which are not in the repository (codegen/tests/bridge.rs runs import and --update on fixtures)",
    ),
    (
        "cargo bench ",
        "a benchmark: minutes of measuring, not a check",
    ),
    (
        "cargo run --release -p whm-codegen -- build --timings",
        "a measurement of the build the set-up block already runs",
    ),
    (
        "cargo build --release -p whm-codegen --bins && target/release/whm-bench",
        "a benchmark against progenitor: many minutes",
    ),
    (
        "target/release/whm-bench bridge",
        "a benchmark of the OpenAPI bridge: minutes",
    ),
    (
        "cargo test --release -p whm-tests --test server_slow_clients",
        "a load measurement; the same test file's checks run in the suite",
    ),
    (
        "cargo run --release -p whm-codegen --example fuzz_front",
        "a million-input fuzzing run; its short version runs in the suite",
    ),
    (
        "cargo run --release -p whm-tests --example fuzz_request_path",
        "a million-input fuzzing run; its short version runs in the suite",
    ),
];

/// The workspace root (the folder holding README.md).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// The `sh` blocks of a Markdown text, each as its lines.
fn sh_blocks(markdown: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_end() == "```sh" => current = Some(Vec::new()),
            None => {}
            Some(block) if line.trim_end() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => block.push(line.to_owned()),
        }
    }
    blocks
}

/// Why `line` is not run, when [`NOT_RUN`] lists it.
fn not_run(line: &str) -> Option<&'static str> {
    NOT_RUN
        .iter()
        .find(|(start, _)| line.trim_start().starts_with(start))
        .map(|(_, why)| *why)
}

/// The editor the test gives the maintainer's block: it replaces the
/// skeleton's summary and description with real sentences.
const EDITOR: &str = r#"#!/usr/bin/env bash
set -euo pipefail
file="$1"
sed -i \
  -e 's/^summary: .*/summary: Reads the value of one Tweak Settings option./' \
  -e 's/^  What the function does, in Markdown, in our own words\./  Returns the current value of a Tweak Settings option, named by its key./' \
  "$file"
"#;

#[test]
fn the_readme_commands_work_as_written() {
    // `spec_tree_edit` runs the whole suite again in a copy of the workspace,
    // which is no git repository to clone; this test has run in the outer suite.
    if std::env::var_os("WHM_SPEC_TREE_EDIT_NESTED").is_some() {
        return;
    }
    let root = workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let blocks = sh_blocks(&readme);
    assert!(!blocks.is_empty(), "README.md has no ```sh blocks");

    for (start, _) in NOT_RUN {
        assert!(
            blocks
                .iter()
                .flatten()
                .any(|line| line.trim_start().starts_with(start)),
            "NOT_RUN lists `{start}`, which README.md no longer has: remove the entry"
        );
    }

    let scratch = tempfile::tempdir().expect("a scratch folder");
    let clone = scratch.path().join("whm-spec");
    let status = Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks"])
        .arg(&root)
        .arg(&clone)
        .status()
        .expect("git runs");
    assert!(status.success(), "git clone of {} failed", root.display());

    let install_root = scratch.path().join("installed");
    let editor = scratch.path().join("editor");
    std::fs::write(&editor, EDITOR).expect("the editor script");
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755))
        .expect("the editor script made executable");
    let path = format!(
        "{}:{}",
        install_root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut outputs = String::new();
    for block in &blocks {
        let run: Vec<&str> = block
            .iter()
            .map(String::as_str)
            .filter(|line| not_run(line).is_none())
            .collect();
        if run
            .iter()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            continue;
        }
        // One shell per block, so `&` and the lines after it see each other;
        // whatever the block starts in the background is stopped at its end.
        let script = format!(
            "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n{}\n",
            run.join("\n")
        );
        let output = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&clone)
            .env("CARGO_TARGET_DIR", root.join("target/readme-commands"))
            .env("CARGO_INSTALL_ROOT", &install_root)
            .env("EDITOR", &editor)
            .env("PATH", &path)
            .output()
            .expect("bash runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.success(),
            "this README block failed ({}):\n{}\n--- its output:\n{text}",
            output.status,
            run.join("\n")
        );
        outputs.push_str(&text);
    }

    // What the README says these commands do.
    assert!(
        outputs.contains("0 written"),
        "the set-up build on a fresh clone should write nothing:\n{outputs}"
    );
    for binary in ["whmapi1", "whm-mock"] {
        assert!(
            install_root.join("bin").join(binary).is_file(),
            "`cargo install` did not install {binary}"
        );
    }
    assert!(
        outputs.contains("https://whm.example.com:2087/json-api/createacct")
            && outputs.contains("username=example&domain=example.com"),
        "the dry run should print the request it would send:\n{outputs}"
    );
    let types = std::fs::read_dir(clone.join("generated/src/types"))
        .expect("generated types")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect::<String>();
    assert!(
        types.contains("GetTweaksettingRequest"),
        "the maintainer's new function is not in the generated crate"
    );
}
