//! One spec change touches a handful of committed docs files, however large
//! the API: the compiler (`whm-codegen build`, the real binary) builds a
//! synthetic corpus of several hundred functions in a scratch folder, then a
//! spec is added, edited and deleted, each followed by a rebuild, and the
//! files of `docs/` whose bytes changed are counted and named.
//!
//! What every page shares (the navigation's categories and counts, the
//! coverage line, the names the search box finds) lives in `docs/assets/nav.js`;
//! were it in every page, each change would rewrite all of them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Categories of the synthetic corpus, besides the large one.
const CATEGORIES: usize = 15;
/// Specified functions per category.
const SPECIFIED: usize = 15;
/// Catalogued names per category with no spec (yet).
const UNSPECIFIED: usize = 15;
/// The last category is large: more names than one page lists, so its page
/// is split into pages by first letter.
const LARGE: usize = CATEGORIES;
/// Specified functions (and catalogued names without a spec) of the large category.
const LARGE_SPECIFIED: usize = 160;

fn category_id(c: usize) -> String {
    format!("cat-{c:02}")
}

/// Names of small categories are `fn_CC_NNN`; the large category's start
/// with `a`, `b` or `c` in turn.
fn function_name(c: usize, f: usize) -> String {
    if c == LARGE {
        format!("{}_{f:03}", ["alpha", "beta", "cappa"][f % 3])
    } else {
        format!("fn_{c:02}_{f:03}")
    }
}

/// How many functions category `c` has specified, and catalogues in all.
fn sizes(c: usize) -> (usize, usize) {
    if c == LARGE {
        (LARGE_SPECIFIED, 2 * LARGE_SPECIFIED)
    } else {
        (SPECIFIED, SPECIFIED + UNSPECIFIED)
    }
}

/// A small but complete spec: a parameter, a return and an example.
fn spec(c: usize, name: &str, summary: &str) -> String {
    format!(
        "name: {name}\n\
         category: {cat}\n\
         summary: {summary}\n\
         description: |\n  This function does what {name} does.\n\
         since: cPanel & WHM version 11\n\
         parameters:\n\
         \x20 - name: user\n\
         \x20   type: string\n\
         \x20   required: true\n\
         \x20   description: The account's username.\n\
         \x20   example: example\n\
         returns:\n\
         \x20 - name: count\n\
         \x20   type: integer\n\
         \x20   description: How many there are.\n\
         \x20   example: 3\n",
        cat = category_id(c)
    )
}

/// Writes the corpus: `spec/categories.yaml`, `spec/catalog.yaml` (every
/// name of every category, specified or not) and one spec per function.
fn write_corpus(root: &Path) {
    let spec_dir = root.join("spec");
    let mut categories = String::from("categories:\n");
    let mut catalog = String::from("categories:\n");
    for c in 0..=LARGE {
        let id = category_id(c);
        let (specified, catalogued) = sizes(c);
        let _ = write!(
            categories,
            "  - id: {id}\n    title: Category {c:02}\n    order: {}\n    description: Functions of category {c:02}.\n",
            (c + 1) * 10
        );
        let _ = write!(catalog, "  - title: Category {c:02}\n    functions:\n");
        for f in 0..catalogued {
            let _ = writeln!(catalog, "      - {}", function_name(c, f));
        }
        let dir = spec_dir.join(&id);
        fs::create_dir_all(&dir).expect("mkdir");
        for f in 0..specified {
            let name = function_name(c, f);
            fs::write(
                dir.join(format!("{name}.yaml")),
                spec(c, &name, &format!("Does {name}.")),
            )
            .expect("write spec");
        }
    }
    fs::write(spec_dir.join("categories.yaml"), categories).expect("write categories");
    fs::write(spec_dir.join("catalog.yaml"), catalog).expect("write catalog");
}

/// Runs the compiler's `build` on the tree at `root`.
fn build(root: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .output()
        .expect("whm-codegen runs");
    assert!(
        out.status.success(),
        "build failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `docs/`, by path relative to it, with its bytes.
fn docs_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let base = root.join("docs");
    let mut out = BTreeMap::new();
    let mut stack: Vec<PathBuf> = vec![base.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read docs/").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&base)
                    .expect("under docs/")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&path).expect("read a docs file"));
            }
        }
    }
    out
}

/// The files added, changed or removed between two trees, sorted.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(*bytes))
        .map(|(p, _)| p.clone())
        .chain(before.keys().filter(|p| !after.contains_key(*p)).cloned())
        .collect();
    paths.sort();
    paths
}

fn sorted(paths: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    v.sort();
    v
}

#[test]
fn one_spec_change_rewrites_a_handful_of_docs_files() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let root = scratch.path();
    write_corpus(root);
    build(root);
    let start = docs_tree(root);
    let pages = start.keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        pages > CATEGORIES * SPECIFIED + LARGE_SPECIFIED,
        "the corpus builds a page per function, not {pages} pages"
    );
    assert!(
        start.contains_key("categories/category-15--a.html"),
        "the large category is split by first letter"
    );

    // Add a spec for a catalogued name: its page, its category's page, the
    // index and coverage pages (counts), nav.js and the search index.
    let (c, f) = (7, SPECIFIED);
    let name = function_name(c, f);
    let path = root
        .join("spec")
        .join(category_id(c))
        .join(format!("{name}.yaml"));
    fs::write(&path, spec(c, &name, "Added later.")).expect("add a spec");
    build(root);
    let added = docs_tree(root);
    assert_eq!(
        changed(&start, &added),
        sorted(&[
            &format!("functions/{name}.html"),
            "categories/category-07.html",
            "index.html",
            "coverage.html",
            "assets/nav.js",
            "assets/search-index.js",
        ]),
        "adding {name} to a corpus of {pages} pages"
    );

    // Edit a summary: the page, the category page that shows it, the search index.
    fs::write(&path, spec(c, &name, "Now summarised differently.")).expect("edit a spec");
    build(root);
    let edited = docs_tree(root);
    assert_eq!(
        changed(&added, &edited),
        sorted(&[
            &format!("functions/{name}.html"),
            "categories/category-07.html",
            "assets/search-index.js",
        ]),
        "editing {name}'s summary"
    );

    // Delete it again: the tree is the one before it was added.
    fs::remove_file(&path).expect("delete a spec");
    build(root);
    assert_eq!(
        changed(&start, &docs_tree(root)),
        Vec::<String>::new(),
        "deleting {name} again"
    );

    // Add a spec to the large category: its page (the counts by letter)
    // and its letter's page, besides the same four.
    let name = function_name(LARGE, LARGE_SPECIFIED + 1);
    fs::write(
        root.join("spec")
            .join(category_id(LARGE))
            .join(format!("{name}.yaml")),
        spec(LARGE, &name, "Added to a large category."),
    )
    .expect("add a spec");
    build(root);
    assert_eq!(
        changed(&start, &docs_tree(root)),
        sorted(&[
            &format!("functions/{name}.html"),
            "categories/category-15.html",
            &format!("categories/category-15--{}.html", &name[..1]),
            "index.html",
            "coverage.html",
            "assets/nav.js",
            "assets/search-index.js",
        ]),
        "adding {name} to the large category"
    );
}
