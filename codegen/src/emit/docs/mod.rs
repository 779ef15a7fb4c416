//! The docs emitter: the HTML documentation site in `docs/`.
//!
//! | path | page |
//! | --- | --- |
//! | `docs/index.html` | overview: guides, coverage, every function by category |
//! | `docs/functions/NAME.html` | one page per function, with the facts of WHM's own page in its order |
//! | `docs/guides/SLUG.html` | the Markdown guides of `spec/guides/` |
//! | `docs/coverage.html` | the catalogue of WHM API 1, specified or not yet |
//! | `docs/search.html` | full search results |
//! | `docs/assets/` | one stylesheet, one script and the search index |
//!
//! Pages are askama templates (`codegen/templates/docs/`), which escape every
//! value; spec Markdown goes through [`markdown`], which escapes raw HTML and
//! drops unsafe links, before it is inserted as HTML. Nothing is loaded from
//! outside the site, and each page's Content-Security-Policy allows only the
//! site's own stylesheet and scripts, so even a slip in escaping runs no
//! inline script.

pub mod calls;
pub mod markdown;
pub mod search;

use std::collections::BTreeMap;

use askama::Template;

use super::{FileKind, OutputFile};
use crate::ir::{Api, Category, Example, Field, Function, StringFormat, Type};
use markdown::LinkContext;

/// The site's stylesheet.
const STYLE_CSS: &str = include_str!("../../../assets/docs/style.css");
/// The site's script: themes, copy buttons, search.
const SITE_JS: &str = include_str!("../../../assets/docs/site.js");

/// The files of `docs/`.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let site = Site::new(api);
    let mut files = vec![
        OutputFile::text("docs/assets/style.css", FileKind::CssJs, STYLE_CSS),
        OutputFile::text("docs/assets/site.js", FileKind::CssJs, SITE_JS),
        OutputFile::text(
            "docs/assets/search-index.js",
            FileKind::CssJs,
            site.search_index(),
        ),
        // GitHub Pages would otherwise run Jekyll, which hides files starting with `_`.
        OutputFile {
            path: "docs/.nojekyll".into(),
            kind: FileKind::Binary,
            contents: Vec::new(),
        },
        OutputFile::text("docs/index.html", FileKind::Html, site.index_page()),
        OutputFile::text("docs/coverage.html", FileKind::Html, site.coverage_page()),
        OutputFile::text("docs/search.html", FileKind::Html, site.search_page()),
    ];
    for guide in &api.guides {
        files.push(OutputFile::text(
            format!("docs/guides/{}.html", page_stem(&guide.slug)),
            FileKind::Html,
            site.guide_page(guide),
        ));
    }
    for category in &api.categories {
        for function in &category.functions {
            files.push(OutputFile::text(
                function_path(&function.name),
                FileKind::Html,
                site.function_page(category, function),
            ));
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The repository-relative path of a function's page.
pub fn function_path(name: &str) -> String {
    format!("docs/functions/{}.html", page_stem(name))
}

/// A file stem that is safe in a path and a URL: ASCII letters, digits, `_`
/// and `-` kept, anything else (`/`, `.`, spaces) replaced by `_`.
///
/// Spec names are already validated by the front end; this keeps a bad name
/// from ever writing outside `docs/` or breaking a link.
pub fn page_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "_".to_string()
    } else {
        stem
    }
}

/// Renders a template; a render error (only possible from a failing
/// `Display`, which ours never do) becomes a visible page instead of a panic.
fn render(template: &impl Template) -> String {
    template.render().unwrap_or_else(|e| {
        format!(
            "<!doctype html>\n<title>Render error</title>\n<p>{}</p>\n",
            escape_text(&e.to_string())
        )
    })
}

/// Escapes text for HTML outside templates.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Everything pages share: the API, the navigation and the coverage counts.
struct Site<'a> {
    api: &'a Api,
    guide_slugs: Vec<String>,
    /// Names of specified functions, for catalogue links.
    specified: BTreeMap<&'a str, ()>,
    /// The number of catalogue entries that are specified, and in the catalogue.
    coverage: (usize, usize),
    /// The id of each catalogue category's section on the coverage page, in catalogue order.
    catalog_anchors: Vec<String>,
    /// The side navigation's groups, before a page marks itself in them.
    nav_groups: Vec<NavGroup<'a>>,
}

/// One group of the side navigation: a catalogue category (or, for functions
/// the catalogue does not list, a spec category) and its specified functions.
struct NavGroup<'a> {
    title: String,
    functions: Vec<&'a Function>,
    /// How many functions the catalogue lists in this category.
    catalogued: usize,
    /// How many of those have no spec yet.
    missing: usize,
    /// Where the coverage page lists the category, when the catalogue has it.
    coverage_anchor: Option<String>,
}

impl<'a> Site<'a> {
    fn new(api: &'a Api) -> Self {
        let specified: BTreeMap<&str, ()> =
            api.functions().map(|f| (f.name.as_str(), ())).collect();
        let mut done = 0;
        let mut total = 0;
        for entry in api.catalog.iter().flat_map(|c| c.functions.iter()) {
            total += 1;
            if entry.specified_in.is_some() || specified.contains_key(entry.name.as_str()) {
                done += 1;
            }
        }
        let mut used = Vec::new();
        let catalog_anchors: Vec<String> = api
            .catalog
            .iter()
            .map(|c| {
                unique_anchor(
                    &format!("catalog-{}", markdown::slugify(&c.title)),
                    &mut used,
                )
            })
            .collect();
        let nav_groups = nav_groups(api, &catalog_anchors);
        Site {
            api,
            guide_slugs: api.guides.iter().map(|g| g.slug.clone()).collect(),
            specified,
            coverage: (done, total),
            catalog_anchors,
            nav_groups,
        }
    }

    fn links(&self, root: &'static str) -> LinkContext<'_> {
        LinkContext {
            root,
            guide_slugs: &self.guide_slugs,
        }
    }

    /// The page layout; `current` is `index`, `coverage`, `search`, a guide slug or a function name.
    fn layout(
        &self,
        root: &'static str,
        title: String,
        description: String,
        current: Current<'_>,
    ) -> Layout {
        let nav = self
            .nav_groups
            .iter()
            .map(|g| {
                let is_current =
                    |f: &&Function| matches!(current, Current::Function(name) if name == f.name);
                let missing = g.missing;
                NavCategory {
                    title: g.title.clone(),
                    open: g.functions.iter().any(is_current),
                    catalogued: g.catalogued,
                    missing,
                    missing_href: g
                        .coverage_anchor
                        .as_ref()
                        .filter(|_| missing > 0)
                        .map(|a| format!("{root}coverage.html#{a}")),
                    functions: g
                        .functions
                        .iter()
                        .map(|f| NavLink {
                            name: f.name.clone(),
                            href: format!("{root}functions/{}.html", page_stem(&f.name)),
                            current: is_current(f),
                        })
                        .collect(),
                }
            })
            .collect();
        let guides = self
            .api
            .guides
            .iter()
            .map(|g| NavLink {
                name: g.title.clone(),
                href: format!("{root}guides/{}.html", page_stem(&g.slug)),
                current: matches!(current, Current::Guide(slug) if slug == g.slug),
            })
            .collect();
        Layout {
            root,
            title,
            description,
            current: match current {
                Current::Index => "index",
                Current::Coverage => "coverage",
                _ => "",
            },
            nav,
            guides,
            specified: self.coverage.0,
            catalogued: self.coverage.1,
        }
    }

    fn percent(&self) -> usize {
        percent(self.coverage.0, self.coverage.1)
    }

    fn index_page(&self) -> String {
        let links = self.links("");
        let categories = self
            .api
            .categories
            .iter()
            .filter(|c| !c.functions.is_empty())
            .map(|c| IndexCategory {
                anchor: category_anchor(c),
                title: c.title.clone(),
                description_html: markdown::render_block(&c.description, links),
                functions: c
                    .functions
                    .iter()
                    .map(|f| IndexFunction {
                        name: f.name.clone(),
                        href: format!("functions/{}.html", page_stem(&f.name)),
                        summary: f.summary.clone(),
                    })
                    .collect(),
            })
            .collect();
        render(&IndexPage {
            layout: self.layout(
                "",
                "Overview".into(),
                "WHM API 1 functions, generated from YAML specs.".into(),
                Current::Index,
            ),
            categories,
            percent: self.percent(),
        })
    }

    fn coverage_page(&self) -> String {
        let mut in_catalogue: BTreeMap<&str, ()> = BTreeMap::new();
        let categories = self
            .api
            .catalog
            .iter()
            .zip(&self.catalog_anchors)
            .map(|(c, anchor)| {
                let entries: Vec<CatalogView> = c
                    .functions
                    .iter()
                    .map(|e| {
                        in_catalogue.insert(e.name.as_str(), ());
                        let href = (e.specified_in.is_some()
                            || self.specified.contains_key(e.name.as_str()))
                        .then(|| format!("functions/{}.html", page_stem(&e.name)));
                        CatalogView {
                            name: e.name.clone(),
                            href,
                            unsure: e.unsure,
                        }
                    })
                    .collect();
                let specified = entries.iter().filter(|e| e.href.is_some()).count();
                let total = entries.len();
                CoverageCategory {
                    anchor: anchor.clone(),
                    title: c.title.clone(),
                    specified,
                    missing: total - specified,
                    total,
                    percent: percent(specified, total),
                    entries,
                }
            })
            .collect();
        let uncatalogued = self
            .api
            .functions()
            .filter(|f| !in_catalogue.contains_key(f.name.as_str()))
            .map(|f| IndexFunction {
                name: f.name.clone(),
                href: format!("functions/{}.html", page_stem(&f.name)),
                summary: f.summary.clone(),
            })
            .collect();
        render(&CoveragePage {
            layout: self.layout(
                "",
                "Coverage".into(),
                "Which WHM API 1 functions are specified, and which not yet.".into(),
                Current::Coverage,
            ),
            categories,
            uncatalogued,
            missing: self.coverage.1 - self.coverage.0,
            percent: self.percent(),
        })
    }

    fn search_page(&self) -> String {
        render(&SearchPage {
            layout: self.layout(
                "",
                "Search".into(),
                "Search WHM API 1 functions and parameters.".into(),
                Current::Search,
            ),
        })
    }

    fn guide_page(&self, guide: &crate::ir::Guide) -> String {
        render(&GuidePage {
            layout: self.layout(
                "../",
                guide.title.clone(),
                guide.title.clone(),
                Current::Guide(&guide.slug),
            ),
            body_html: markdown::render_guide(&guide.markdown, self.links("../")),
        })
    }

    fn function_page(&self, category: &Category, function: &Function) -> String {
        let links = self.links("../");
        let guide_href = match self.api.guides.first() {
            Some(g) => format!("../guides/{}.html", page_stem(&g.slug)),
            None => "../index.html".to_string(),
        };
        let options_href = match self
            .api
            .guides
            .iter()
            .find(|g| markdown::strip_order_prefix(&g.slug) == "output-options")
        {
            Some(g) => format!("../guides/{}.html", page_stem(&g.slug)),
            None => guide_href.clone(),
        };
        let mut params = Vec::new();
        field_rows(&function.params, 0, "", true, links, &mut params);
        let mut returns = Vec::new();
        field_rows(&function.returns, 0, "", false, links, &mut returns);
        let mut metadata = Vec::new();
        field_rows(&function.metadata, 0, "", false, links, &mut metadata);
        let examples = example_views(function, links);
        let api_shell_note = !function.notes.iter().any(|n| n.contains("API Shell"));
        render(&FunctionPage {
            layout: self.layout(
                "../",
                function.name.clone(),
                function.summary.clone(),
                Current::Function(&function.name),
            ),
            name: function.name.clone(),
            category_title: category.title.clone(),
            category_anchor: category_anchor(category),
            description_html: markdown::render_block(&function.description, links),
            has_output: examples
                .iter()
                .any(|e| e.json_output.is_some() || e.xml_output.is_some()),
            examples,
            guide_href,
            options_href,
            params,
            returns,
            metadata,
            output_raw: function.output_raw.as_ref().map(|raw| RawView {
                description_html: markdown::render_block(&raw.description, links),
                example: raw.example.clone(),
            }),
            list_output: function.list_output,
            notes_html: function
                .notes
                .iter()
                .map(|n| markdown::render_inline(n, links))
                .collect(),
            api_shell_note,
            since: function.since.clone(),
            source: function.source.clone(),
        })
    }

    fn search_index(&self) -> String {
        let mut entries: Vec<search::Entry> = self
            .api
            .guides
            .iter()
            .map(|g| search::Entry {
                kind: "guide",
                name: g.title.clone(),
                summary: String::new(),
                category: "Guide".into(),
                url: format!("guides/{}.html", page_stem(&g.slug)),
                params: Vec::new(),
            })
            .collect();
        for category in &self.api.categories {
            for f in &category.functions {
                entries.push(search::Entry {
                    kind: "function",
                    name: f.name.clone(),
                    summary: f.summary.clone(),
                    category: category.title.clone(),
                    url: format!("functions/{}.html", page_stem(&f.name)),
                    params: f.params.iter().map(|p| p.name.clone()).collect(),
                });
            }
        }
        search::index_script(&entries)
    }
}

/// The side navigation: the catalogue's categories in its order (the order of
/// WHM's own navigation) with the functions specified in each; functions the
/// catalogue does not list join the group titled like their spec category, or
/// a group of their own at the end. Without a catalogue, the spec categories.
fn nav_groups<'a>(api: &'a Api, catalog_anchors: &[String]) -> Vec<NavGroup<'a>> {
    let by_name: BTreeMap<&str, &Function> =
        api.functions().map(|f| (f.name.as_str(), f)).collect();
    let mut placed: BTreeMap<&str, ()> = BTreeMap::new();
    let mut groups: Vec<NavGroup<'a>> = api
        .catalog
        .iter()
        .zip(catalog_anchors)
        .map(|(c, anchor)| {
            let functions: Vec<&Function> = c
                .functions
                .iter()
                .filter_map(|e| by_name.get(e.name.as_str()).copied())
                .filter(|f| placed.insert(f.name.as_str(), ()).is_none())
                .collect();
            let missing = c
                .functions
                .iter()
                .filter(|e| !by_name.contains_key(e.name.as_str()))
                .count();
            NavGroup {
                title: c.title.clone(),
                functions,
                catalogued: c.functions.len(),
                missing,
                coverage_anchor: Some(anchor.clone()),
            }
        })
        .collect();
    for category in &api.categories {
        for function in &category.functions {
            if placed.contains_key(function.name.as_str()) {
                continue;
            }
            match groups
                .iter_mut()
                .find(|g| g.title.eq_ignore_ascii_case(&category.title))
            {
                Some(group) => group.functions.push(function),
                None => groups.push(NavGroup {
                    title: category.title.clone(),
                    functions: vec![function],
                    catalogued: 0,
                    missing: 0,
                    coverage_anchor: None,
                }),
            }
        }
    }
    groups
}

/// Which page a layout is for, to mark it in the navigation.
#[derive(Clone, Copy)]
enum Current<'a> {
    Index,
    Coverage,
    Search,
    Guide(&'a str),
    /// A function's name.
    Function(&'a str),
}

/// `a` as a whole percentage of `b`, rounded down; 0 when `b` is 0.
fn percent(a: usize, b: usize) -> usize {
    (a * 100).checked_div(b).unwrap_or(0)
}

/// The id of a category's section on the index page.
fn category_anchor(category: &Category) -> String {
    format!("category-{}", markdown::slugify(&category.id))
}

/// `base`, or `base-2`, `base-3`... when already used on the page.
fn unique_anchor(base: &str, used: &mut Vec<String>) -> String {
    let mut anchor = base.to_string();
    let mut n = 1;
    while used.contains(&anchor) {
        n += 1;
        anchor = format!("{base}-{n}");
    }
    used.push(anchor.clone());
    anchor
}

/// The fields of a hash nested in a type, if any: `array of hashes`, `hash`, `hash of hashes`.
fn nested_fields(ty: &Type) -> Option<&[Field]> {
    match ty {
        Type::Hash(s) => Some(&s.fields),
        Type::Array(a) => nested_fields(&a.items),
        Type::Map(t) => nested_fields(t),
        _ => None,
    }
}

/// Table rows for fields and, indented after each, the fields nested in it.
fn field_rows(
    fields: &[Field],
    depth: usize,
    parent: &str,
    parameters: bool,
    links: LinkContext<'_>,
    out: &mut Vec<FieldRow>,
) {
    for field in fields {
        out.push(field_row(field, depth, parent, parameters, links));
        if let Some(children) = nested_fields(&field.ty) {
            let path = if parent.is_empty() {
                field.name.clone()
            } else {
                format!("{parent} › {}", field.name)
            };
            field_rows(children, depth + 1, &path, parameters, links, out);
        }
    }
}

fn field_row(
    field: &Field,
    depth: usize,
    parent: &str,
    parameters: bool,
    links: LinkContext<'_>,
) -> FieldRow {
    let mut values_html = Vec::new();
    if let Type::Enum(e) = &field.ty {
        for v in &e.variants {
            let meaning = markdown::render_inline(&v.description, links);
            let wire = escape_text(&v.wire);
            values_html.push(if meaning.is_empty() {
                format!("<code>{wire}</code>")
            } else {
                format!("<code>{wire}</code> — {meaning}")
            });
        }
    }
    values_html.extend(
        field
            .possible_values
            .iter()
            .map(|v| markdown::render_inline(v, links)),
    );
    let required_html = parameters.then(|| {
        if field.required {
            "<strong>Required</strong>".to_string()
        } else if let Some(default) = &field.default {
            format!("Optional. Default: <code>{}</code>", escape_text(default))
        } else {
            "Optional".to_string()
        }
    });
    FieldRow {
        anchor: field.anchor.clone(),
        name: field.name.clone(),
        depth: depth.min(4),
        parent: parent.to_string(),
        type_label: type_label(&field.ty),
        nullable: field.nullable,
        deprecated: field.deprecated,
        description_html: markdown::render_block(&field.description, links),
        values_html,
        example: field.example.as_ref().map(|e| e.display()),
        required_html,
    }
}

/// The type as WHM's documentation names it (`string`, `array of hashes`).
pub fn type_label(ty: &Type) -> String {
    match ty {
        Type::String(None) => "string".into(),
        Type::String(Some(format)) => format!("string ({})", format_label(*format)),
        Type::Integer => "integer".into(),
        Type::Float => "float".into(),
        Type::Boolean => "Boolean".into(),
        Type::Timestamp => "integer (Unix time)".into(),
        Type::Limit => "integer or unlimited".into(),
        Type::Enum(e) if e.numeric => "integer".into(),
        Type::Enum(_) => "string".into(),
        Type::Array(a) => format!("array of {}", plural_label(&a.items)),
        Type::Hash(_) => "hash".into(),
        Type::Map(t) => format!("hash of {}", plural_label(t)),
        Type::Any => "any".into(),
    }
}

fn plural_label(ty: &Type) -> String {
    match ty {
        Type::String(None) => "strings".into(),
        Type::String(Some(format)) => format!("strings ({})", format_label(*format)),
        Type::Enum(e) if e.numeric => "integers".into(),
        Type::Enum(_) => "strings".into(),
        Type::Integer => "integers".into(),
        Type::Float => "floats".into(),
        Type::Boolean => "Booleans".into(),
        Type::Timestamp => "integers (Unix time)".into(),
        Type::Limit => "integers or unlimited".into(),
        Type::Array(a) => format!("arrays of {}", plural_label(&a.items)),
        Type::Hash(_) | Type::Map(_) => "hashes".into(),
        Type::Any => "values".into(),
    }
}

fn format_label(format: StringFormat) -> &'static str {
    match format {
        StringFormat::Url => "URL",
        StringFormat::Email => "email address",
        StringFormat::Ipv4 => "IPv4 address",
        StringFormat::Domain => "domain name",
        StringFormat::Username => "username",
    }
}

/// The examples as the page shows them; a function without one gets one
/// built from its parameters' example values, so every page shows a call.
fn example_views(function: &Function, links: LinkContext<'_>) -> Vec<ExampleView> {
    let built;
    let examples: &[Example] = if function.examples.is_empty() {
        built = [Example {
            title: String::new(),
            description: String::new(),
            params: function
                .params
                .iter()
                .filter_map(|p| p.example.as_ref().map(|e| (p.name.clone(), e.display())))
                .collect(),
            json: None,
            json_value: None,
            xml: None,
            notes: Vec::new(),
        }];
        &built
    } else {
        &function.examples
    };
    examples
        .iter()
        .enumerate()
        .map(|(i, ex)| ExampleView {
            anchor: format!("example-{}", i + 1),
            title: ex.title.clone(),
            description_html: markdown::render_block(&ex.description, links),
            json_url: calls::api_url("json-api", &function.name, &ex.params),
            xml_url: calls::api_url("xml-api", &function.name, &ex.params),
            command_line: calls::command_line(&function.name, &ex.params),
            json_output: ex.json.as_ref().map(|s| s.trim_end().to_string()),
            xml_output: ex.xml.as_ref().map(|s| s.trim_end().to_string()),
            notes_html: ex
                .notes
                .iter()
                .map(|n| markdown::render_inline(n, links))
                .collect(),
        })
        .collect()
}

/// What every page's frame needs.
struct Layout {
    /// `""` or `"../"`: the way back to the site root.
    root: &'static str,
    title: String,
    description: String,
    /// `index` or `coverage` when one of those is the page.
    current: &'static str,
    nav: Vec<NavCategory>,
    guides: Vec<NavLink>,
    specified: usize,
    catalogued: usize,
}

struct NavCategory {
    title: String,
    open: bool,
    functions: Vec<NavLink>,
    /// How many functions the catalogue lists here (0 when it does not list the category).
    catalogued: usize,
    /// How many of those are not specified yet.
    missing: usize,
    /// The category on the coverage page, when some are missing.
    missing_href: Option<String>,
}

struct NavLink {
    name: String,
    href: String,
    current: bool,
}

struct FieldRow {
    anchor: String,
    name: String,
    depth: usize,
    /// The names of the enclosing fields, `payload › item`; empty at the top.
    parent: String,
    type_label: String,
    nullable: bool,
    deprecated: bool,
    description_html: String,
    values_html: Vec<String>,
    example: Option<String>,
    /// Parameters only: "Required" or the default.
    required_html: Option<String>,
}

struct ExampleView {
    anchor: String,
    title: String,
    description_html: String,
    json_url: String,
    xml_url: String,
    command_line: String,
    json_output: Option<String>,
    xml_output: Option<String>,
    notes_html: Vec<String>,
}

struct RawView {
    description_html: String,
    example: Option<String>,
}

#[derive(Template)]
#[template(path = "docs/function.html")]
struct FunctionPage {
    layout: Layout,
    name: String,
    category_title: String,
    category_anchor: String,
    description_html: String,
    examples: Vec<ExampleView>,
    has_output: bool,
    guide_href: String,
    options_href: String,
    params: Vec<FieldRow>,
    returns: Vec<FieldRow>,
    metadata: Vec<FieldRow>,
    output_raw: Option<RawView>,
    list_output: bool,
    notes_html: Vec<String>,
    api_shell_note: bool,
    since: Option<String>,
    source: String,
}

struct IndexCategory {
    anchor: String,
    title: String,
    description_html: String,
    functions: Vec<IndexFunction>,
}

struct IndexFunction {
    name: String,
    href: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "docs/index.html")]
struct IndexPage {
    layout: Layout,
    categories: Vec<IndexCategory>,
    percent: usize,
}

struct CatalogView {
    name: String,
    href: Option<String>,
    unsure: bool,
}

struct CoverageCategory {
    anchor: String,
    title: String,
    specified: usize,
    missing: usize,
    total: usize,
    percent: usize,
    entries: Vec<CatalogView>,
}

#[derive(Template)]
#[template(path = "docs/coverage.html")]
struct CoveragePage {
    layout: Layout,
    categories: Vec<CoverageCategory>,
    uncatalogued: Vec<IndexFunction>,
    missing: usize,
    percent: usize,
}

#[derive(Template)]
#[template(path = "docs/guide.html")]
struct GuidePage {
    layout: Layout,
    body_html: String,
}

#[derive(Template)]
#[template(path = "docs/search.html")]
struct SearchPage {
    layout: Layout,
}

#[cfg(test)]
mod tests;
