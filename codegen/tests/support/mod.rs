//! Shared by the integration tests that compile a fixture corpus: load it, and
//! build what the emitters make of it as a crate of its own.
//!
//! `mod support;` in a test file includes this module; not every test uses
//! every helper, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use whm_codegen::emit::OutputFile;
use whm_codegen::front::load_api;
use whm_codegen::ir::Api;
use whm_codegen::write::render;

/// The workspace root (the folder holding `spec/` and the root `Cargo.toml`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ is inside the workspace")
        .to_path_buf()
}

/// Loads the spec tree at `dir` (relative to the workspace root), failing the
/// test with the compiler's own rendering of every problem.
pub fn load_fixture(dir: &str) -> Api {
    load_api(&workspace().join(dir)).unwrap_or_else(|d| {
        panic!(
            "the fixture {dir} is a legal spec tree:\n{}",
            d.render(false)
        )
    })
}

/// Where fixture crates are built: a folder of its own under `target/`,
/// because `-D warnings` changes every fingerprint and would otherwise
/// invalidate the workspace's own build. All fixture crates share it, so the
/// dependencies are compiled once.
fn fixture_target(root: &Path) -> PathBuf {
    root.join("target/fixture-crates")
}

/// The workspace manifest, rewritten to build only `generated/` and to find
/// the workspace's path dependencies by absolute path.
fn fixture_manifest(root: &Path) -> String {
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("root manifest");
    let abs = |p: &str| root.join(p).to_string_lossy().into_owned();
    manifest
        .lines()
        .map(|line| {
            if line.starts_with("members") {
                "members = [\"generated\"]".to_owned()
            } else if line.contains("path = \"runtime\"") {
                line.replace(
                    "path = \"runtime\"",
                    &format!("path = {:?}", abs("runtime")),
                )
            } else if line.contains("path = \"codegen\"") {
                line.replace(
                    "path = \"codegen\"",
                    &format!("path = {:?}", abs("codegen")),
                )
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `bytes` to `path` unless it already holds them, so an unchanged
/// file keeps its modification time and cargo does not rebuild it.
fn write_if_changed(path: &Path, bytes: &[u8]) {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
    fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Builds the `generated/` part of `files` as a crate of its own, named
/// `name`, with every feature and every target (so the generated tests too)
/// and `-D warnings`: `cargo test --offline --all-features` (build, generated tests, doctests).
///
/// The crate lives in `target/fixture-crates/NAME/` beside the workspace's
/// manifest (rewritten to build only it) and lock, so it builds with exactly
/// the dependency versions the workspace uses. Files are rewritten only when
/// they change and files no longer emitted are removed, so a second run with
/// the same output costs almost nothing.
///
/// Returns cargo's error output when the crate does not build.
pub fn check_generated_crate(name: &str, files: &[OutputFile]) -> Result<(), String> {
    let root = workspace();
    let target = fixture_target(&root);
    let dir = target.join(name);

    let generated: Vec<&OutputFile> = files
        .iter()
        .filter(|f| f.path.starts_with("generated/"))
        .collect();
    assert!(
        generated.iter().any(|f| f.path == "generated/Cargo.toml"),
        "the emitters made no generated/Cargo.toml"
    );
    let wanted: Vec<PathBuf> = generated.iter().map(|f| dir.join(&f.path)).collect();
    for stale in files_under(&dir.join("generated")) {
        if !wanted.contains(&stale) {
            fs::remove_file(&stale).unwrap_or_else(|e| panic!("remove {}: {e}", stale.display()));
        }
    }
    for (file, path) in generated.iter().zip(&wanted) {
        write_if_changed(path, &render(file));
    }
    write_if_changed(&dir.join("Cargo.toml"), fixture_manifest(&root).as_bytes());
    // Cargo prunes the copy to the one member's needs, so it is copied each time.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");

    let output = Command::new(env!("CARGO"))
        .current_dir(&dir)
        // Build and run everything the crate carries: its generated example
        // tests and doctests too, not only that it type-checks.
        .args(["test", "--offline", "--all-features", "--quiet"])
        .env("CARGO_TARGET_DIR", target.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo test --all-features` with `-D warnings` in {}:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Writes the `generated/` part of `files`, and `extra` files (paths relative
/// to the crate, such as `generated/examples/probe.rs`), as the crate `name`
/// beside the workspace's manifest and lock, as [`check_generated_crate`] does,
/// and runs `cargo ARGS --offline` in it with `-D warnings`.
///
/// Returns cargo's standard output when it succeeds, else its whole output.
pub fn cargo_in_generated_crate(
    name: &str,
    files: &[OutputFile],
    extra: &[(&str, &str)],
    args: &[&str],
) -> Result<String, String> {
    let root = workspace();
    let target = fixture_target(&root);
    let dir = target.join(name);
    let mut wanted: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .filter(|f| f.path.starts_with("generated/"))
        .map(|f| (dir.join(&f.path), render(f)))
        .collect();
    wanted.extend(
        extra
            .iter()
            .map(|(path, text)| (dir.join(path), text.as_bytes().to_vec())),
    );
    for stale in files_under(&dir.join("generated")) {
        if !wanted.iter().any(|(path, _)| *path == stale) {
            fs::remove_file(&stale).unwrap_or_else(|e| panic!("remove {}: {e}", stale.display()));
        }
    }
    for (path, bytes) in &wanted {
        write_if_changed(path, bytes);
    }
    write_if_changed(&dir.join("Cargo.toml"), fixture_manifest(&root).as_bytes());
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    let output = Command::new(env!("CARGO"))
        .current_dir(&dir)
        .args(args)
        .arg("--offline")
        .env("CARGO_TARGET_DIR", target.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "`cargo {}` with `-D warnings` in {}:\n{}{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
