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

use std::fs;
use std::path::{Path, PathBuf};

use marked_yaml::Node;

use crate::diagnostics::{Diagnostics, FileId, Location};
use crate::ident;
use crate::ir::{Api, CatalogCategory, CatalogEntry, Category, Function, Guide};

pub mod format;
mod lower;
mod names;
pub mod placeholders;
mod yaml;

use lower::{Corpus, lower_function};
pub use lower::{check_scalar, expected, type_word};
use names::TypeNames;
use yaml::{Ctx, nearest};

/// Loads, checks and lowers the specs under `spec_dir`.
pub fn load_api(spec_dir: &Path) -> Result<Api, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut categories = load_categories(&mut diags, spec_dir);
    let ids: Vec<String> = categories.iter().map(|c| c.id.clone()).collect();

    // Parse every file first, so each function's own type names are reserved
    // before any nested type is named.
    let mut type_names = TypeNames::default();
    let mut parsed = Vec::new();
    for (folder, path) in spec_files(&mut diags, spec_dir) {
        let Some(file) = read(&mut diags, &path) else {
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
    let mut catalog = load_catalog(&mut diags, spec_dir);
    let known_functions: std::collections::BTreeSet<String> = catalog
        .iter()
        .flat_map(|c| c.functions.iter().map(|e| e.name.clone()))
        .chain(parsed.iter().filter_map(|(_, path, _, _)| {
            path.file_stem().and_then(|s| s.to_str()).map(str::to_owned)
        }))
        .collect();

    let mut functions: Vec<(Function, Location)> = Vec::new();
    for (folder, path, file, root) in parsed {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let source = path
            .strip_prefix(spec_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let mut ctx = Ctx::new(&mut diags, file);
        placeholders::check(&mut ctx, &root);
        let name_at = name_location(&ctx, &root);
        let mut corpus = Corpus {
            categories: &ids,
            type_names: &mut type_names,
            known_functions: &known_functions,
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
    let guides = load_guides(&mut diags, spec_dir);

    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Api {
        categories,
        guides,
        catalog,
    })
}

/// The location of a spec's `name:` value, or of the file's start.
fn name_location(ctx: &Ctx, root: &Node) -> Location {
    match root.as_mapping().and_then(|m| m.get_node("name")) {
        Some(node) => ctx.loc(node),
        None => ctx.loc(root),
    }
}

/// Reads a file into the store; an I/O error becomes a problem located at the file.
fn read(diags: &mut Diagnostics, path: &Path) -> Option<FileId> {
    let display = display(path);
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(diags.add_file(display, text)),
            Err(_) => {
                let file = diags.add_file(display, "");
                diags.error(
                    Location { file, bytes: 0..0 },
                    "the file is not UTF-8",
                    "here",
                    Some("save it as UTF-8".into()),
                );
                None
            }
        },
        Err(err) => {
            let file = diags.add_file(display, "");
            diags.error(
                Location { file, bytes: 0..0 },
                format!("cannot read the file: {err}"),
                "here",
                None,
            );
            None
        }
    }
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `(folder, path)` of every spec file, sorted, so output order never depends on the file system.
fn spec_files(diags: &mut Diagnostics, spec_dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in sorted_entries(diags, spec_dir) {
        let Some(folder) = dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !dir.is_dir() || folder == "guides" || folder.starts_with('.') {
            continue;
        }
        for file in sorted_entries(diags, &dir) {
            let is_yaml = matches!(
                file.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            );
            if file.is_file() && is_yaml {
                out.push((folder.clone(), file));
            }
        }
    }
    out
}

fn sorted_entries(diags: &mut Diagnostics, dir: &Path) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            paths
        }
        Err(err) => {
            let file = diags.add_file(display(dir), "");
            diags.error(
                Location { file, bytes: 0..0 },
                format!("cannot read the folder: {err}"),
                "here",
                None,
            );
            Vec::new()
        }
    }
}

/// `spec/categories.yaml`, sorted by order then title.
fn load_categories(diags: &mut Diagnostics, spec_dir: &Path) -> Vec<Category> {
    let path = spec_dir.join("categories.yaml");
    let Some(file) = read(diags, &path) else {
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
                title: c.text(&mut ctx, "title").unwrap_or_else(|| id.clone()),
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
fn load_catalog(diags: &mut Diagnostics, spec_dir: &Path) -> Vec<CatalogCategory> {
    let path = spec_dir.join("catalog.yaml");
    if !path.exists() {
        return Vec::new();
    }
    let Some(file) = read(diags, &path) else {
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
        out.push(CatalogCategory {
            title: c.text(&mut ctx, "title").unwrap_or_default(),
            functions,
        });
    }
    out
}

/// `spec/guides/NN-slug.md`, in file-name order.
fn load_guides(diags: &mut Diagnostics, spec_dir: &Path) -> Vec<Guide> {
    let dir = spec_dir.join("guides");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut guides = Vec::new();
    for path in sorted_entries(diags, &dir) {
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Some(file) = read(diags, &path) else {
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
    let categories = load_categories(&mut diags, spec_dir);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(categories.into_iter().map(|c| c.id).collect())
}
