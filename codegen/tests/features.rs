//! Per-category cargo features and per-category files, on the real specs.
//!
//! - The generated crate builds (a real `cargo build`, `-D warnings`) with one
//!   category's feature and `client` or `server` and no default features, and
//!   then holds that category only: a program built against it lists only that
//!   category's functions through `for_each_function!`, calls a client method of
//!   it, and a program naming another category's type does not compile.
//! - Editing one spec changes only that category's files of `generated/`: the
//!   shared indexes (`mod.rs` lists, `lib.rs`, `Cargo.toml`) stay as they are,
//!   so two spec changes in two categories never touch the same file there;
//!   adding one changes its category's files and the function count in `lib.rs`.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use whm_codegen::emit::{OutputFile, emit_all};
use whm_codegen::front::load_api_in_memory;
use whm_codegen::ir::Api;

/// Every text file under `spec/`, by path relative to it.
fn spec_tree() -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).expect("spec/ reads").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(text) = fs::read_to_string(&path) {
                let rel = path.strip_prefix(root).expect("under spec/");
                out.insert(rel.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    let root = support::workspace().join("spec");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

fn load(tree: &BTreeMap<String, String>) -> Api {
    load_api_in_memory(tree).unwrap_or_else(|d| panic!("the specs load:\n{}", d.render(false)))
}

/// The output as path to contents.
fn by_path(files: &[OutputFile]) -> BTreeMap<&str, &[u8]> {
    files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_slice()))
        .collect()
}

/// Whether `path` (under `generated/src/`) is one of `module`'s files: a
/// segment of its path is the module (`client/accounts.rs`,
/// `types/accounts/listaccts.rs`).
fn belongs_to(path: &str, module: &str) -> bool {
    path.strip_prefix("generated/src/").is_some_and(|rest| {
        rest.split('/')
            .any(|segment| segment == module || segment == format!("{module}.rs"))
    })
}

#[test]
fn editing_one_spec_changes_only_its_categorys_files() {
    let before_tree = spec_tree();
    let mut after_tree = before_tree.clone();
    let spec = after_tree
        .get_mut("accounts/listaccts.yaml")
        .expect("spec/accounts/listaccts.yaml");
    // A new summary and one more optional parameter: what a typical spec change does.
    let summary = "summary: Lists the cPanel accounts on the server, optionally only those that match a search.";
    assert!(spec.contains(summary), "the summary line moved:\n{spec}");
    *spec = spec
        .replace(
            summary,
            "summary: Lists the server's cPanel accounts, or those that match a search.",
        )
        .replacen(
            "parameters:\n",
            "parameters:\n  - name: feature_probe\n    type: string\n    description: A parameter the test adds.\n\n",
            1,
        );
    let before_files = emit_all(&load(&before_tree));
    let after_files = emit_all(&load(&after_tree));
    let before = by_path(&before_files);
    let after = by_path(&after_files);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "an edit adds or removes no file"
    );
    let changed: Vec<&str> = after
        .iter()
        .filter(|(path, contents)| path.starts_with("generated/") && before[*path] != **contents)
        .map(|(path, _)| *path)
        .collect();
    let elsewhere: Vec<&&str> = changed
        .iter()
        .filter(|path| !belongs_to(path, "accounts"))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "editing spec/accounts/listaccts.yaml changed files outside the category: {elsewhere:?} (all changed: {changed:?})"
    );
    // The edit shows where each output keeps the category's functions (the
    // mock's file holds examples, which this edit leaves alone).
    for expected in [
        "generated/src/client/accounts.rs",
        "generated/src/server/accounts.rs",
        "generated/src/cli/accounts.rs",
    ] {
        assert!(
            changed.contains(&expected),
            "{expected} did not change: {changed:?}"
        );
    }
    assert!(
        changed
            .iter()
            .any(|path| path.starts_with("generated/src/types/")),
        "the request type did not change: {changed:?}"
    );
}

#[test]
fn adding_a_spec_changes_its_categorys_files_and_the_crate_docs_only() {
    let before_tree = spec_tree();
    let mut after_tree = before_tree.clone();
    // A made-up function in Accounts: no real name, so a later spec cannot take it.
    assert!(!after_tree.contains_key("accounts/made_up_account_probe.yaml"));
    after_tree.insert(
        "accounts/made_up_account_probe.yaml".to_owned(),
        "name: made_up_account_probe\ncategory: accounts\nsummary: Probes an account, a function made up for this test.\n\
         description: This function exists only in this test.\n"
            .to_owned(),
    );
    let before_files = emit_all(&load(&before_tree));
    let after_files = emit_all(&load(&after_tree));
    let before = by_path(&before_files);
    let after = by_path(&after_files);
    let changed: Vec<&str> = after
        .iter()
        .filter(|(path, contents)| {
            path.starts_with("generated/") && before.get(*path) != Some(*contents)
        })
        .map(|(path, _)| *path)
        .collect();
    // Two indexes outside the category must name the new function: `lib.rs`
    // counts the functions in its first line, and `types/mod.rs` re-exports its
    // request type at the stable flat path (`types::MadeUpAccountProbeRequest`).
    // Nothing else outside the category changes.
    let indexes = ["generated/src/lib.rs", "generated/src/types/mod.rs"];
    let elsewhere: Vec<&&str> = changed
        .iter()
        .filter(|path| !belongs_to(path, "accounts") && !indexes.contains(*path))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "adding spec/accounts/made_up_account_probe.yaml changed files outside the category: {elsewhere:?} (all changed: {changed:?})"
    );
    // The command line lists it, in the category's file.
    assert!(
        changed.contains(&"generated/src/cli/accounts.rs"),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"generated/src/client/accounts.rs"),
        "{changed:?}"
    );
}

/// A program that prints what `for_each_function!` lists and calls one client method.
const PROBE: &str = r#"//! Lists the functions the crate was built with.
use whm_api::client::{Client, WhmApi};

macro_rules! names {
    ($($method:ident => $request:ty),* $(,)?) => {
        [$(<$request as whm_api::ApiFunction>::NAME),*]
    };
}

/// The client method of a function of the enabled category is there.
#[allow(dead_code)]
async fn call(client: &Client) -> Result<(), whm_api::client::Error> {
    client.listaccts(&whm_api::types::ListacctsRequest::default()).await?;
    Ok(())
}

fn main() {
    let names: &[&str] = &whm_api::for_each_function!(names!());
    for name in names {
        println!("{name}");
    }
}
"#;

/// A program that names a type of a category that is not enabled.
const ELSEWHERE: &str = r#"//! Names a DNS type.
fn main() {
    let _ = whm_api::types::DumpzoneRequest::new("example.com");
}
"#;

#[test]
fn one_category_with_client_or_server_builds_and_holds_only_that_category() {
    let api = load(&spec_tree());
    let files = emit_all(&api);
    let accounts: Vec<&str> = api
        .categories
        .iter()
        .find(|c| c.id == "accounts")
        .expect("the accounts category")
        .functions
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert!(api.functions().any(|f| f.name == "dumpzone"));

    let client = support::cargo_in_generated_crate(
        "one-category",
        &files,
        &[("generated/examples/probe.rs", PROBE)],
        &[
            "run",
            "-q",
            "-p",
            "whm-api",
            "--example",
            "probe",
            "--no-default-features",
            "--features",
            "client,accounts",
        ],
    )
    .unwrap_or_else(|problem| panic!("client,accounts does not build:\n{problem}"));
    assert_eq!(client.lines().collect::<Vec<_>>(), accounts);

    if let Err(problem) = support::cargo_in_generated_crate(
        "one-category",
        &files,
        &[],
        &[
            "build",
            "-q",
            "-p",
            "whm-api",
            "--lib",
            "--no-default-features",
            "--features",
            "server,accounts",
        ],
    ) {
        panic!("server,accounts does not build:\n{problem}");
    }

    let refused = support::cargo_in_generated_crate(
        "one-category",
        &files,
        &[("generated/examples/elsewhere.rs", ELSEWHERE)],
        &[
            "build",
            "-q",
            "-p",
            "whm-api",
            "--example",
            "elsewhere",
            "--no-default-features",
            "--features",
            "client,accounts",
        ],
    );
    match refused {
        Ok(_) => panic!("a DNS type is there without the `dns` feature"),
        Err(output) => assert!(
            output.contains("DumpzoneRequest"),
            "the build failed for another reason:\n{output}"
        ),
    }
}
