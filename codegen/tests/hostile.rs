//! Compile proof: a fixture corpus of hostile names and shapes is compiled
//! through every emitter into a crate that must build without warnings
//! (`-D warnings`), tests and all. Generated code is never broken code.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use whm_codegen::emit::emit_all;
use whm_codegen::front::load_api;
use whm_codegen::write::render;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

/// The workspace manifest, rewritten to build only `generated/` from `dir`.
fn fixture_manifest(root: &Path) -> String {
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("root manifest");
    let abs = |p: &str| root.join(p).to_string_lossy().into_owned();
    manifest
        .lines()
        .map(|line| {
            if line.starts_with("members") {
                "members = [\"generated\"]".to_owned()
            } else if line.contains("path = \"runtime\"") {
                line.replace("path = \"runtime\"", &format!("path = {:?}", abs("runtime")))
            } else if line.contains("path = \"codegen\"") {
                line.replace("path = \"codegen\"", &format!("path = {:?}", abs("codegen")))
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hostile_fixture_compiles_without_warnings() {
    let root = workspace();
    let api = load_api(&root.join("codegen/tests/fixtures/hostile"))
        .unwrap_or_else(|d| panic!("the hostile fixture is legal:\n{}", d.render(false)));
    assert!(api.functions().any(|f| f.name == "match"), "the fixture has a function named `match`");

    let dir = tempfile::tempdir().expect("temp dir");
    for file in emit_all(&api).iter().filter(|f| f.path.starts_with("generated/")) {
        let path = dir.path().join(&file.path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, render(file)).expect("write");
    }
    fs::write(dir.path().join("Cargo.toml"), fixture_manifest(&root)).expect("manifest");
    fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("lock");

    // A target folder of its own: -D warnings changes every fingerprint.
    let target = root.join("target/hostile-fixture");
    let output = Command::new(env!("CARGO"))
        .current_dir(dir.path())
        .args(["check", "--offline", "--all-features", "--all-targets", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated crate for the hostile fixture does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
