//! The checked-in outputs match the specs: a stale `generated/`, `docs/` or
//! `spec/schema.json` fails here with the command that fixes it.

use std::fs;
use std::path::Path;

use whm_codegen::emit::emit_all;
use whm_codegen::front::load_api;
use whm_codegen::write::{COMMAND, plan};

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace");
    let api = load_api(&root.join("spec")).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let pending = plan(root, &emit_all(&api)).expect("compare");
    let stale: Vec<String> = pending
        .iter()
        .map(|p| format!("{:?} {}", p.change, p.path))
        .collect();
    assert!(
        stale.is_empty(),
        "generated files are out of date; run `{COMMAND}`:\n{}",
        stale.join("\n")
    );
}

/// The spec example in README.md is a valid spec.
#[test]
fn readme_example_is_a_valid_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace");
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md");
    let start = readme.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let example = &readme[start..start + readme[start..].find("```").expect("closed")];
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("categories.yaml"),
        "categories:\n  - id: accounts\n    title: Accounts\n    order: 1\n",
    )
    .expect("write");
    fs::create_dir_all(dir.path().join("accounts")).expect("mkdir");
    fs::write(dir.path().join("accounts/suspendacct.yaml"), example).expect("write");
    let api = load_api(dir.path())
        .unwrap_or_else(|d| panic!("README's spec example:\n{}", d.render(false)));
    let f = api.functions().next().expect("one function");
    assert_eq!(f.params[1].rust_name, "leave_ftp_accts_enabled");
}
