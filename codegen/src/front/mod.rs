//! The front end: spec files in, one [`ir::Api`] out, or every problem found.
//!
//! ```text
//! spec/categories.yaml ─┐
//! spec/<category>/*.yaml ├─ yaml (located nodes) ─ lower (checks) ─ ir::Api
//! spec/catalog.yaml ────┤
//! spec/guides/*.md ─────┘
//! ```
//!
//! [`load_api`] never panics on input and never stops at the first problem.

use std::collections::BTreeMap;
use std::path::Path;

use marked_yaml::Node;

use crate::diagnostics::{Diagnostics, Location};
use crate::ident;
use crate::ir::{Api, CatalogCategory, CatalogEntry, Category, Function, Guide};

pub mod format;
mod lower;
mod names;
pub mod placeholders;
pub mod tree;
mod yaml;

use lower::{Corpus, lower_function, lower_named_type};
pub use lower::{check_scalar, expected, type_word};
use names::TypeNames;
pub use tree::SpecTree;
use yaml::{Ctx, nearest};

/// Loads, checks and lowers the specs under `spec_dir`.
pub fn load_api(spec_dir: &Path) -> Result<Api, Diagnostics> {
    load_tree(SpecTree::Disk(spec_dir))
}

/// Loads, checks and lowers a spec tree held in memory: paths relative to
/// the spec root (`categories.yaml`, `accounts/listaccts.yaml`) to their text.
/// Messages name the files `spec/PATH`.
pub fn load_api_in_memory(files: &BTreeMap<String, String>) -> Result<Api, Diagnostics> {
    load_tree(SpecTree::Memory(files))
}

/// Loads, checks and lowers the specs of `tree`.
pub fn load_tree(tree: SpecTree) -> Result<Api, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut categories = load_categories(&mut diags, tree);
    let ids: Vec<String> = categories.iter().map(|c| c.id.clone()).collect();

    // Parse every file first, so each function's own type names are reserved
    // before any nested type is named.
    let mut type_names = TypeNames::default();
    let mut parsed = Vec::new();
    for (folder, path) in spec_files(&mut diags, tree) {
        let Some(file) = tree.read(&mut diags, &path) else {
            continue;
        };
        let Some(root) = Ctx::new(&mut diags, file).parse() else {
            continue;
        };
        if let Some(camel) = root
            .as_mapping()
            .and_then(|m| m.get_scalar("name"))
            .and_then(|n| ident::upper_camel_case(n.as_str()))
        {
            for suffix in ["Request", "Data", "Metadata"] {
                type_names.reserve(format!("{camel}{suffix}"));
            }
        }
        parsed.push((folder, path, file, root));
    }

    // `see_also` may name any specified or catalogued function.
    let mut catalog = load_catalog(&mut diags, tree);
    let known_functions: std::collections::BTreeSet<String> = catalog
        .iter()
        .flat_map(|c| c.functions.iter().map(|e| e.name.clone()))
        .chain(parsed.iter().filter_map(|(_, path, _, _)| {
            Path::new(path)
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_owned)
        }))
        .collect();

    // Named types first: any spec may use them.
    let named_types = load_named_types(&mut diags, tree, &ids, &mut type_names, &known_functions);
    let named_by_name: BTreeMap<String, crate::ir::Type> = named_types
        .iter()
        .map(|t| (t.name.clone(), t.ty.clone()))
        .collect();

    let mut functions: Vec<(Function, Location)> = Vec::new();
    for (folder, path, file, root) in parsed {
        let stem = Path::new(&path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let source = path.clone();
        let mut ctx = Ctx::new(&mut diags, file);
        placeholders::check(&mut ctx, &root);
        let name_at = name_location(&ctx, &root);
        let mut corpus = Corpus {
            categories: &ids,
            type_names: &mut type_names,
            known_functions: &known_functions,
            named_types: &named_by_name,
        };
        if let Some(function) =
            lower_function(&mut ctx, &root, &folder, &stem, &source, &mut corpus)
        {
            if let Some((first, _)) = functions.iter().find(|(f, _)| f.name == function.name) {
                let message = format!("function `{}` is specified twice", function.name);
                let help = format!(
                    "keep one of spec/{} and spec/{}",
                    first.source, function.source
                );
                diags.error(name_at.clone(), message, "second definition", Some(help));
                continue;
            }
            functions.push((function, name_at));
        }
    }

    for (function, _) in functions {
        if let Some(category) = categories.iter_mut().find(|c| c.id == function.category) {
            category.functions.push(function);
        }
    }
    for category in &mut categories {
        category.functions.sort_by(|a, b| a.name.cmp(&b.name));
    }

    for entry in catalog.iter_mut().flat_map(|c| c.functions.iter_mut()) {
        entry.specified_in = categories
            .iter()
            .find(|c| c.functions.iter().any(|f| f.name == entry.name))
            .map(|c| c.id.clone());
    }
    let guides = load_guides(&mut diags, tree);

    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Api {
        categories,
        guides,
        catalog,
        named_types,
    })
}

/// The location of a spec's `name:` value, or of the file's start.
fn name_location(ctx: &Ctx, root: &Node) -> Location {
    match root.as_mapping().and_then(|m| m.get_node("name")) {
        Some(node) => ctx.loc(node),
        None => ctx.loc(root),
    }
}

/// `(folder, path)` of every spec file, sorted, so output order never depends on the file system.
fn spec_files(diags: &mut Diagnostics, tree: SpecTree) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for folder in tree.folders(diags) {
        if folder == "guides" || folder == "types" || folder.starts_with('.') {
            continue;
        }
        for path in tree.files(diags, &folder, &["yaml", "yml"]) {
            out.push((folder.clone(), path));
        }
    }
    out
}

/// `spec/types/NAME.yaml`, in name order: shapes several specs use.
fn load_named_types(
    diags: &mut Diagnostics,
    tree: SpecTree,
    categories: &[String],
    type_names: &mut TypeNames,
    known_functions: &std::collections::BTreeSet<String>,
) -> Vec<crate::ir::NamedType> {
    if !tree.exists("types") {
        return Vec::new();
    }
    let empty = BTreeMap::new();
    let mut out = Vec::new();
    for path in tree.files(diags, "types", &["yaml", "yml"]) {
        let Some(file) = tree.read(diags, &path) else {
            continue;
        };
        let mut ctx = Ctx::new(diags, file);
        let Some(root) = ctx.parse() else {
            continue;
        };
        let stem = Path::new(&path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let mut corpus = Corpus {
            categories,
            type_names,
            known_functions,
            // A named type is made of built-in types only: no cycles to follow.
            named_types: &empty,
        };
        out.extend(lower_named_type(&mut ctx, &root, stem, &mut corpus));
    }
    out
}

/// `spec/categories.yaml`, sorted by order then title.
fn load_categories(diags: &mut Diagnostics, tree: SpecTree) -> Vec<Category> {
    let Some(file) = tree.read(diags, "categories.yaml") else {
        return Vec::new();
    };
    let mut ctx = Ctx::new(diags, file);
    let Some(root) = ctx.parse() else {
        return Vec::new();
    };
    let Some(obj) = ctx.object(&root, &format::CATEGORIES_FILE, None) else {
        return Vec::new();
    };
    let mut out: Vec<(i64, Category)> = Vec::new();
    for node in obj.list(&mut ctx, "categories") {
        let Some(c) = ctx.object(node, &format::CATEGORY, None) else {
            continue;
        };
        let Some((id, id_at)) = c.scalar(&mut ctx, "id") else {
            continue;
        };
        if id.is_empty()
            || !id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        {
            ctx.error(
                id_at.clone(),
                format!("category id `{id}` must be lowercase letters, digits and hyphens"),
                "not an id",
                Some("write e.g. `id: ip-addresses`".into()),
            );
        }
        let module = ident::snake_case(&id).unwrap_or_else(|| "category".to_owned());
        if let Some((_, first)) = out
            .iter()
            .find(|(_, other)| other.id == id || other.module == module)
        {
            let message = format!("category `{id}` is listed twice (as `{}`)", first.id);
            ctx.error(
                id_at,
                message,
                "duplicate",
                Some("keep one entry per category".into()),
            );
            continue;
        }
        let order = match c.scalar(&mut ctx, "order") {
            Some((o, at)) => o.parse::<i64>().unwrap_or_else(|_| {
                ctx.error(
                    at,
                    format!("`order` must be a whole number, not `{o}`"),
                    "not a number",
                    Some("write e.g. `order: 10`".into()),
                );
                0
            }),
            None => 0,
        };
        out.push((
            order,
            Category {
                title: checked_title(&mut ctx, &c).unwrap_or_else(|| id.clone()),
                description: c.text(&mut ctx, "description").unwrap_or_default(),
                id,
                module,
                functions: Vec::new(),
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.title.cmp(&b.1.title)));
    out.into_iter().map(|(_, c)| c).collect()
}

/// `spec/catalog.yaml`, when present.
fn load_catalog(diags: &mut Diagnostics, tree: SpecTree) -> Vec<CatalogCategory> {
    if !tree.exists("catalog.yaml") {
        return Vec::new();
    }
    let Some(file) = tree.read(diags, "catalog.yaml") else {
        return Vec::new();
    };
    let mut ctx = Ctx::new(diags, file);
    let Some(root) = ctx.parse() else {
        return Vec::new();
    };
    let Some(obj) = ctx.object(&root, &format::CATALOG_FILE, None) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in obj.list(&mut ctx, "categories") {
        let Some(c) = ctx.object(node, &format::CATALOG_CATEGORY, None) else {
            continue;
        };
        let mut functions = Vec::new();
        for entry in c.list(&mut ctx, "functions") {
            let (name, unsure) = match entry {
                Node::Scalar(s) => (s.as_str().to_owned(), false),
                Node::Mapping(m) => {
                    let name = m.get_scalar("name").map(|s| s.as_str().to_owned());
                    let unsure = m.get_scalar("unsure").is_some_and(|s| s.as_str() == "true");
                    let Some(name) = name else {
                        let at = ctx.loc(entry);
                        ctx.error(
                            at,
                            "a catalogue entry needs `name:`",
                            "no name",
                            Some(
                                "write `- name: FUNCTION` (and `unsure: true` if in doubt)".into(),
                            ),
                        );
                        continue;
                    };
                    (name, unsure)
                }
                Node::Sequence(_) => {
                    let at = ctx.loc(entry);
                    ctx.error(
                        at,
                        "a catalogue entry is a name or a mapping",
                        "a list",
                        Some("write `- FUNCTION`".into()),
                    );
                    continue;
                }
            };
            functions.push(CatalogEntry {
                name,
                unsure,
                specified_in: None,
            });
        }
        let title = checked_title(&mut ctx, &c).unwrap_or_default();
        out.push(CatalogCategory { title, functions });
    }
    out
}

/// The longest title of a category (catalogue or `categories.yaml`).
pub const MAX_TITLE_CHARS: usize = 80;

/// A category's `title:`, refused when longer than [`MAX_TITLE_CHARS`]:
/// titles name pages and files of the docs, and a file name has a limit.
fn checked_title(ctx: &mut Ctx, category: &yaml::Obj<'_>) -> Option<String> {
    let (title, at) = category.scalar(ctx, "title")?;
    let chars = title.chars().count();
    if chars > MAX_TITLE_CHARS {
        ctx.error(
            at,
            format!("a category title of {chars} characters is too long"),
            format!("at most {MAX_TITLE_CHARS}"),
            Some("write the title as WHM's navigation shows it".into()),
        );
        return None;
    }
    Some(title)
}

/// `spec/guides/NN-slug.md`, in file-name order.
fn load_guides(diags: &mut Diagnostics, tree: SpecTree) -> Vec<Guide> {
    if !tree.exists("guides") {
        return Vec::new();
    }
    let mut guides = Vec::new();
    for path in tree.files(diags, "guides", &["md"]) {
        let path = Path::new(&path);
        let Some(file) = tree.read(diags, &path.to_string_lossy()) else {
            continue;
        };
        let markdown = diags.source(file).to_owned();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let slug = stem
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches('-')
            .to_owned();
        let Some(title) = markdown
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| t.trim().to_owned())
        else {
            diags.error(
                Location { file, bytes: 0..0 },
                "a guide needs a `# Title` line",
                "no title",
                Some("start the page with `# Title`".into()),
            );
            continue;
        };
        guides.push(Guide {
            slug,
            title,
            markdown,
        });
    }
    guides
}

/// Suggests the closest category id; used by `new`.
pub fn nearest_category<'a>(id: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(id, ids)
}

/// The category ids of `spec/categories.yaml`, or the problems reading it.
pub fn category_ids(spec_dir: &Path) -> Result<Vec<String>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let categories = load_categories(&mut diags, SpecTree::Disk(spec_dir));
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(categories.into_iter().map(|c| c.id).collect())
}
