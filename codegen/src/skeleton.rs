//! `whm-codegen new`: a spec skeleton for a maintainer to fill in.
//!
//! `new` refuses a name that a spec already holds (in any category) and,
//! unless forced, a name that `spec/catalog.yaml` does not know; it says
//! which catalogue category holds the name, and without `--category` picks
//! the category of `spec/categories.yaml` whose title is the catalogue's.
//! The skeleton's placeholder text is refused by `build`
//! ([`crate::front::placeholders`]) until it is replaced.

use std::fs;
use std::path::{Path, PathBuf};

use marked_yaml::Node;

use crate::front;
use crate::front::placeholders;
use crate::write::write_atomically;

/// What `new` wrote, and what the maintainer should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The new spec file.
    pub path: PathBuf,
    /// Notes and warnings to show (`note: ...`, `warning: ...`), in order.
    pub notes: Vec<String>,
}

/// A category of `spec/categories.yaml`: id and title.
struct CategoryTitle {
    id: String,
    title: String,
}

/// Writes `spec_dir/CATEGORY/FUNCTION.yaml`.
///
/// `category` is the id of a category in `spec/categories.yaml`; when `None`,
/// the category whose title is the one `spec/catalog.yaml` files the function
/// under. Refuses an invalid name, a name some spec already holds, an unknown
/// category, and (unless `force`) a name the catalogue does not list.
pub fn write_new(
    spec_dir: &Path,
    function: &str,
    category: Option<&str>,
    force: bool,
) -> Result<Written, String> {
    if function.is_empty()
        || !function
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        return Err(format!(
            "`{function}` is not a WHM function name: use ASCII letters, digits, `_`, `.` and `-`, as in /json-api/listaccts"
        ));
    }
    if let Some(existing) = existing_spec(spec_dir, function) {
        return Err(format!(
            "`{function}` is already specified in {}; edit that file instead",
            existing.display()
        ));
    }
    let ids = front::category_ids(spec_dir).map_err(|d| d.render(false))?;
    let titles = category_titles(spec_dir);
    let catalog = catalog(spec_dir)?;
    let filed_under = catalog
        .iter()
        .find(|(_, names)| names.iter().any(|n| n == function))
        .map(|(title, _)| title.clone());
    let mut notes = Vec::new();

    match &filed_under {
        Some(title) => notes.push(format!(
            "note: spec/catalog.yaml files `{function}` under `{title}`"
        )),
        None => {
            let all = catalog
                .iter()
                .flat_map(|(_, names)| names.iter().map(String::as_str));
            let near = front::nearest_category(function, all)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            if !force {
                return Err(format!(
                    "`{function}` is not in spec/catalog.yaml{near}: check the name against WHM's documentation, or pass --force to write it anyway"
                ));
            }
            notes.push(format!(
                "warning: `{function}` is not in spec/catalog.yaml{near}; writing it anyway (--force)"
            ));
        }
    }

    let category = match category {
        Some(category) => {
            if !ids.iter().any(|id| id == category) {
                let hint = match front::nearest_category(category, ids.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "add it to spec/categories.yaml first, or use one of: {}",
                        ids.join(", ")
                    ),
                };
                return Err(format!("unknown category `{category}`: {hint}"));
            }
            if let Some(title) = &filed_under {
                let chosen = titles.iter().find(|c| c.id == category);
                if chosen.is_some_and(|c| !c.title.eq_ignore_ascii_case(title)) {
                    let matching = titles
                        .iter()
                        .find(|c| c.title.eq_ignore_ascii_case(title))
                        .map(|c| format!(" (category `{}`)", c.id))
                        .unwrap_or_default();
                    notes.push(format!(
                        "warning: `{category}` is not the catalogue's `{title}`{matching}; writing it under `{category}` as asked"
                    ));
                }
            }
            category.to_owned()
        }
        None => {
            let Some(title) = &filed_under else {
                return Err(format!(
                    "pass --category: spec/catalog.yaml does not say where `{function}` belongs (categories: {})",
                    ids.join(", ")
                ));
            };
            match titles.iter().find(|c| c.title.eq_ignore_ascii_case(title)) {
                Some(c) => c.id.clone(),
                None => {
                    return Err(format!(
                        "no category in spec/categories.yaml has the title `{title}`: add one (`- id: {}`, `title: {title}`, `order: N`), or pass --category",
                        slug(title)
                    ));
                }
            }
        }
    };
    let path = spec_dir.join(&category).join(format!("{function}.yaml"));
    write_atomically(&path, skeleton(function, &category).as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Written { path, notes })
}

/// A category id made from a title: `Account Restoration` → `account-restoration`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The spec file of some category that holds `function`, if any.
fn existing_spec(spec_dir: &Path, function: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(spec_dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .flat_map(|d| ["yaml", "yml"].map(|ext| d.join(format!("{function}.{ext}"))))
        .find(|p| p.exists())
}

/// The categories of `spec/categories.yaml` with their titles (the front
/// end has already checked the file through [`front::category_ids`]).
fn category_titles(spec_dir: &Path) -> Vec<CategoryTitle> {
    let Some(root) = read_yaml(&spec_dir.join("categories.yaml")) else {
        return Vec::new();
    };
    let Some(list) = root.as_mapping().and_then(|m| m.get_sequence("categories")) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|c| {
            let m = c.as_mapping()?;
            let id = m.get_scalar("id")?.as_str().to_owned();
            let title = m
                .get_scalar("title")
                .map_or_else(|| id.clone(), |t| t.as_str().to_owned());
            Some(CategoryTitle { id, title })
        })
        .collect()
}

/// `spec/catalog.yaml` as (category title, function names); empty when
/// there is no catalogue.
fn catalog(spec_dir: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let path = spec_dir.join("catalog.yaml");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let root = read_yaml(&path).ok_or_else(|| {
        format!(
            "{} cannot be read as YAML; run `whm-codegen check` to see why",
            path.display()
        )
    })?;
    let Some(list) = root.as_mapping().and_then(|m| m.get_sequence("categories")) else {
        return Ok(Vec::new());
    };
    Ok(list
        .iter()
        .filter_map(|c| {
            let m = c.as_mapping()?;
            let title = m.get_scalar("title")?.as_str().to_owned();
            let names = m
                .get_sequence("functions")
                .map(|f| {
                    f.iter()
                        .filter_map(|entry| match entry {
                            Node::Scalar(s) => Some(s.as_str().to_owned()),
                            Node::Mapping(m) => m.get_scalar("name").map(|s| s.as_str().to_owned()),
                            Node::Sequence(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some((title, names))
        })
        .collect())
}

fn read_yaml(path: &Path) -> Option<Node> {
    let text = fs::read_to_string(path).ok()?;
    marked_yaml::parse_yaml(0, text).ok()
}

/// The text of a new spec: every key a maintainer usually fills in, with the
/// format's hints. `summary` and `description` hold placeholder text that
/// `build` refuses until it is replaced.
pub fn skeleton(function: &str, category: &str) -> String {
    let summary = placeholders::summary(function);
    let description = placeholders::DESCRIPTION;
    format!(
        r#"# yaml-language-server: $schema=../schema.json
#
# Sources: name the documentation this spec was written from.
name: {function}
category: {category}
summary: {summary}
description: |
  {description}
# since: cPanel & WHM version NN

parameters: []
# parameters:
#   - name: user
#     type: username        # string, integer, float, boolean, timestamp, limit, url, email,
#                           # ipv4, domain, username, array, hash, map, any
#     required: true
#     description: The account's username.
#     example: username

returns: []
# returns:
#   - name: acct
#     type: array
#     items: hash
#     description: The accounts.
#     fields:
#       - name: user
#         type: string
#         description: The account's username.

examples: []
# examples:
#   - title: Do the thing
#     params:
#       user: username
#     json: |
#       {{"data": {{}}, "metadata": {{"command": "{function}", "version": 1, "reason": "OK", "result": 1}}}}
"#
    )
}
