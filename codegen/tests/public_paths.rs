//! The public type paths of the generated crate (`whm_api::types::...`), so
//! that a renamed type, which breaks downstream code, shows up in review.
//!
//! The paths are read from what the types emitter makes of `spec/`, parsed
//! with `syn`: every public struct and enum, at every path it can be named by
//! (its module and any `pub use` of it). The list is kept in
//! `codegen/tests/snapshots/public/public_type_paths.snap`. After an intended change:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test -p whm-codegen --test public_paths
//! git diff codegen/tests/snapshots/public/public_type_paths.snap
//! ```

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use whm_codegen::front::load_api_in_memory;
use whm_codegen::ir::Api;
use whm_codegen::write::render;

/// The root every path starts from.
const ROOT: &str = "whm_api::types";

/// The module file of the types emitter's root module.
const ROOT_FILE: &str = "generated/src/types/mod.rs";

/// Every public type path of the types the emitters make of `api`, each with
/// its kind (`struct`, `enum`), sorted.
fn public_paths(api: &Api) -> BTreeSet<String> {
    let files: BTreeMap<String, syn::File> = whm_codegen::emit::types::emit(api)
        .into_iter()
        .map(|f| {
            let text = String::from_utf8(render(&f)).expect("UTF-8");
            let parsed =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", f.path));
            (f.path, parsed)
        })
        .collect();
    let mut defined: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut uses: Vec<(String, &syn::UseTree)> = Vec::new();
    let root = files.get(ROOT_FILE).expect("the types root module");
    walk(
        &files,
        ROOT_FILE,
        &root.items,
        ROOT,
        &mut defined,
        &mut uses,
    );
    // `pub use a::B` names `B` and everything below it again from here;
    // `pub use a::*` every public item of `a`.
    let mut all = defined.clone();
    for (module, tree) in uses {
        for (from, to) in use_pairs(&module, tree) {
            for (path, kind) in &defined {
                let rest = if from.ends_with("::*") {
                    path.strip_prefix(from.trim_end_matches('*'))
                        .map(|r| format!("{}{r}", to.trim_end_matches('*')))
                } else if path == &from {
                    Some(to.clone())
                } else {
                    path.strip_prefix(&format!("{from}::"))
                        .map(|r| format!("{to}::{r}"))
                };
                if let Some(alias) = rest {
                    all.insert(alias, kind);
                }
            }
        }
    }
    all.into_iter()
        .map(|(path, kind)| format!("{kind} {path}"))
        .collect()
}

/// Records the public structs and enums of `items` (in module `module`, file
/// `file`) and the `pub use`s to resolve later, through `pub mod`s.
fn walk<'f>(
    files: &'f BTreeMap<String, syn::File>,
    file: &str,
    items: &'f [syn::Item],
    module: &str,
    defined: &mut BTreeMap<String, &'static str>,
    uses: &mut Vec<(String, &'f syn::UseTree)>,
) {
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    for item in items {
        match item {
            syn::Item::Struct(s) if public(&s.vis) => {
                defined.insert(format!("{module}::{}", s.ident), "struct");
            }
            syn::Item::Enum(e) if public(&e.vis) => {
                defined.insert(format!("{module}::{}", e.ident), "enum");
            }
            syn::Item::Use(u) if public(&u.vis) => uses.push((module.to_owned(), &u.tree)),
            syn::Item::Mod(m) if public(&m.vis) => {
                let name = m.ident.to_string();
                let inner = format!("{module}::{name}");
                match &m.content {
                    Some((_, items)) => walk(files, file, items, &inner, defined, uses),
                    None => {
                        // `mod.rs` finds `name.rs` beside it; `x.rs` finds `x/name.rs`.
                        let dir = file
                            .strip_suffix("mod.rs")
                            .map(str::to_owned)
                            .unwrap_or_else(|| format!("{}/", file.trim_end_matches(".rs")));
                        let child = format!("{dir}{name}.rs");
                        let parsed = files
                            .get(&child)
                            .unwrap_or_else(|| panic!("`mod {name};` of {file}: no {child}"));
                        walk(files, &child, &parsed.items, &inner, defined, uses);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The (original path, path it is re-exported at) of every name a `use` tree in `module` brings in.
fn use_pairs(module: &str, tree: &syn::UseTree) -> Vec<(String, String)> {
    fn go(module: &str, prefix: &str, tree: &syn::UseTree, out: &mut Vec<(String, String)>) {
        let join = |a: &str, b: &str| {
            if a.is_empty() {
                b.to_owned()
            } else {
                format!("{a}::{b}")
            }
        };
        match tree {
            syn::UseTree::Path(p) => go(module, &join(prefix, &p.ident.to_string()), &p.tree, out),
            syn::UseTree::Name(n) => out.push((
                join(&join(module, prefix), &n.ident.to_string()),
                join(module, &n.ident.to_string()),
            )),
            syn::UseTree::Rename(r) => out.push((
                join(&join(module, prefix), &r.ident.to_string()),
                join(module, &r.rename.to_string()),
            )),
            syn::UseTree::Glob(_) => {
                out.push((join(&join(module, prefix), "*"), join(module, "*")))
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    go(module, prefix, t, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    go(module, "", tree, &mut out);
    out
}

/// Every file of `spec/`, by its path below `spec/`.
fn spec_files() -> BTreeMap<String, String> {
    fn read(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).expect("read spec dir") {
            let entry = entry.expect("dir entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let path = entry.path();
            if path.is_dir() {
                read(&path, &rel, out);
            } else if let Ok(text) = fs::read_to_string(&path) {
                out.insert(rel, text);
            }
        }
    }
    let mut out = BTreeMap::new();
    read(&support::workspace().join("spec"), "", &mut out);
    out
}

fn load(files: &BTreeMap<String, String>) -> Api {
    load_api_in_memory(files)
        .unwrap_or_else(|d| panic!("the specs are accepted:\n{}", d.render(false)))
}

#[test]
fn public_type_paths_match_the_snapshot() {
    let paths = public_paths(&load(&spec_files()));
    assert!(
        paths
            .iter()
            .any(|p| p == "struct whm_api::types::ListacctsRequest"),
        "request types stay at their flat path"
    );
    let mut text = format!("{} public type paths\n", paths.len());
    for p in &paths {
        text.push_str(p);
        text.push('\n');
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    // Beside, not among, the snapshots of emitted files (`tests/snapshots.rs`).
    settings.set_snapshot_path("snapshots/public");
    settings.set_description("public type paths of whm_api::types, from spec/");
    settings.bind(|| insta::assert_snapshot!("public_type_paths", text));
}

/// A spec that sorts first in `accounts`, whose nested types have the names
/// other accounts functions' nested types have (`Acct`, `ChildNodes`,
/// `Workload`, `MailboxFormat`, `Searchtype`, `Accounts`).
const SORTS_FIRST: &str = r#"
name: aaa_test_function
category: accounts
summary: A made-up function whose nested types reuse other functions' names.
description: Made up for a test.
parameters:
  - name: searchtype
    type: string
    description: A closed set, as listaccts has.
    enum: [domain, user]
returns:
  - name: acct
    type: array
    items: hash
    description: Hashes, as listaccts has.
    fields:
      - name: child_nodes
        type: array
        items: hash
        description: As listaccts has.
        fields:
          - name: workload
            type: string
            description: As listaccts has.
            enum: [Mail, Web]
      - name: mailbox_format
        type: string
        description: As listaccts has.
        enum: [maildir, mdbox]
  - name: accounts
    type: array
    items: hash
    description: As get_disk_usage has.
    fields:
      - name: user
        type: string
        description: A username.
examples:
  - title: Call it
"#;

/// A spec whose old path-made names (`GetDisk` + `UsageAccounts`) were those
/// of `get_disk_usage`'s (`GetDiskUsage` + `Accounts`), and that sorts before it.
const PATH_TWIN: &str = r#"
name: get_disk
category: accounts
summary: A made-up function whose nested type once folded onto get_disk_usage's.
description: Made up for a test.
returns:
  - name: usage_accounts
    type: array
    items: hash
    description: Hashes.
    fields:
      - name: user
        type: string
        description: A username.
  - name: usage
    type: hash
    description: A hash.
    fields:
      - name: cache_mode
        type: string
        description: A closed set.
        enum: ["on", "off"]
examples:
  - title: Call it
"#;

#[test]
fn a_spec_that_sorts_first_renames_no_existing_type() {
    let mut files = spec_files();
    let before = public_paths(&load(&files));
    files.insert("accounts/aaa_test_function.yaml".into(), SORTS_FIRST.into());
    files.insert("accounts/get_disk.yaml".into(), PATH_TWIN.into());
    let after = public_paths(&load(&files));

    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(lost.is_empty(), "paths renamed or removed: {lost:#?}");
    let added: BTreeSet<&String> = after.difference(&before).collect();
    // Only the new functions' types are new, at the paths their specs give.
    for path in &added {
        let path = path.split_once(' ').map_or(path.as_str(), |(_, p)| p);
        assert!(
            path.starts_with("whm_api::types::accounts::aaa_test_function::")
                || path.starts_with("whm_api::types::accounts::get_disk::")
                || [
                    "whm_api::types::AaaTestFunctionRequest",
                    "whm_api::types::AaaTestFunctionData",
                    "whm_api::types::GetDiskRequest",
                    "whm_api::types::GetDiskData",
                    "whm_api::types::accounts::AaaTestFunctionRequest",
                    "whm_api::types::accounts::AaaTestFunctionData",
                    "whm_api::types::accounts::GetDiskRequest",
                    "whm_api::types::accounts::GetDiskData",
                ]
                .contains(&path),
            "unexpected new path {path}"
        );
    }
    for expected in [
        "struct whm_api::types::accounts::aaa_test_function::Acct",
        "struct whm_api::types::accounts::aaa_test_function::ChildNodes",
        "enum whm_api::types::accounts::aaa_test_function::Workload",
        "enum whm_api::types::accounts::aaa_test_function::MailboxFormat",
        "enum whm_api::types::accounts::aaa_test_function::Searchtype",
        "struct whm_api::types::accounts::aaa_test_function::Accounts",
        "struct whm_api::types::accounts::get_disk::UsageAccounts",
        "enum whm_api::types::accounts::get_disk::CacheMode",
        "struct whm_api::types::accounts::get_disk_usage::Accounts",
        "enum whm_api::types::accounts::get_disk_usage::CacheMode",
        "struct whm_api::types::accounts::listaccts::Acct",
    ] {
        assert!(
            after.contains(expected),
            "{expected} is missing; new paths: {added:#?}"
        );
    }
}

#[test]
fn nested_types_are_not_re_exported_flat() {
    let paths = public_paths(&load(&spec_files()));
    // Named types (spec/types/) are shared by several functions: they live in
    // `types::shared` and are re-exported flat on purpose, with their own
    // nested types.
    let shared: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            p.split_once("whm_api::types::shared::")
                .map(|(_, name)| name.to_owned())
        })
        .collect();
    let flat: Vec<&String> = paths
        .iter()
        .filter(|p| {
            let path = p.split_once(' ').map_or(p.as_str(), |(_, p)| p);
            let rest = path.strip_prefix("whm_api::types::").unwrap_or(path);
            !rest.contains("::")
                && !rest.ends_with("Request")
                && !rest.ends_with("Data")
                && !shared.iter().any(|s| s == rest)
        })
        .collect();
    assert!(flat.is_empty(), "flat nested types: {flat:#?}");
}

/// Every generated enum is `#[non_exhaustive]`, so documenting one more value
/// breaks no downstream `match` (the `Unknown` variant keeps the value).
#[test]
fn every_generated_enum_is_non_exhaustive() {
    fn enums<'f>(items: &'f [syn::Item], out: &mut Vec<&'f syn::ItemEnum>) {
        for item in items {
            match item {
                syn::Item::Enum(e) => out.push(e),
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        enums(items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let api = load(&spec_files());
    let files: Vec<syn::File> = whm_codegen::emit::types::emit(&api)
        .iter()
        .map(|f| syn::parse_file(&String::from_utf8(render(f)).expect("UTF-8")).expect("parses"))
        .collect();
    let mut all = Vec::new();
    for file in &files {
        enums(&file.items, &mut all);
    }
    assert!(all.len() > 50, "the specs make enums, not {}", all.len());
    let exhaustive: Vec<String> = all
        .iter()
        .filter(|e| !e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")))
        .map(|e| e.ident.to_string())
        .collect();
    assert!(
        exhaustive.is_empty(),
        "enums without #[non_exhaustive]: {exhaustive:?}"
    );
}
