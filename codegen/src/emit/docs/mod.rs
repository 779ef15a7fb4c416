//! The docs emitter: the HTML documentation site in `docs/`.
//!
//! | path | page |
//! | --- | --- |
//! | `docs/index.html` | overview: guides, coverage, the categories with their counts |
//! | `docs/categories/SLUG.html` | one page per category: its functions with summaries, and the catalogue's names not yet specified |
//! | `docs/functions/NAME.html` | one page per function, with the facts of WHM's own page in its order |
//! | `docs/guides/SLUG.html` | the Markdown guides of `spec/guides/` |
//! | `docs/coverage.html` | the catalogue of WHM API 1, specified or not yet |
//! | `docs/search.html` | full search results |
//! | `docs/assets/` | one stylesheet, one script, the navigation data (`nav.js`) and the search index |
//!
//! Pages are askama templates (`codegen/templates/docs/`), which escape every
//! value; spec Markdown goes through [`markdown`], which escapes raw HTML and
//! drops unsafe links, before it is inserted as HTML. Nothing is loaded from
//! outside the site, and each page's Content-Security-Policy allows only the
//! site's own stylesheet and scripts, so even a slip in escaping runs no
//! inline script.
//!
//! One spec changes a handful of files. What every page shares (the side
//! navigation's categories, their counts, the coverage line, the names the
//! search box finds) lives in one script, `assets/nav.js`, that each page
//! loads and draws its navigation from; a page itself holds only its own
//! content and links that do not depend on which other functions exist.
//! Adding a function therefore writes its page, its category's page, the
//! index, the coverage page, `nav.js` and the search index, and no other
//! (see `codegen/tests/docs_scale.rs`). Without script the navigation still
//! links the overview (which lists every category), the guides and the
//! coverage page. (A function page's "See also" links depend on whether the
//! functions it names are specified, so naming a function there ties the two
//! pages together, as it should.)

pub mod calls;
pub mod markdown;
pub mod search;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use askama::Template;

use super::{FileKind, OutputFile};
use crate::ir::{Api, CatalogEntry, Category, Field, Function, StringFormat, Type};
use markdown::LinkContext;

/// The site's stylesheet.
const STYLE_CSS: &str = include_str!("../../../assets/docs/style.css");
/// The site's script: themes, copy buttons, the navigation, search.
const SITE_JS: &str = include_str!("../../../assets/docs/site.js");

/// The files of `docs/`.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let site = Site::new(api);
    let mut files = vec![
        OutputFile::text("docs/assets/style.css", FileKind::CssJs, STYLE_CSS),
        OutputFile::text("docs/assets/site.js", FileKind::CssJs, SITE_JS),
        OutputFile::text("docs/assets/nav.js", FileKind::CssJs, site.nav_script()),
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
    for (at, group) in site.groups.iter().enumerate() {
        files.push(OutputFile::text(
            format!("docs/{}", group.href),
            FileKind::Html,
            site.category_page(at),
        ));
        for part in &group.parts {
            files.push(OutputFile::text(
                format!("docs/{}", part.href),
                FileKind::Html,
                site.category_part_page(group, part),
            ));
        }
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
///
/// The page is written into one buffer the size of a typical page, rather
/// than one that grows (and is copied) step by step from the template's
/// static size.
fn render(template: &impl Template) -> String {
    let mut out = String::with_capacity(PAGE_CAPACITY);
    match template.render_into(&mut out) {
        Ok(()) => out,
        Err(e) => format!(
            "<!doctype html>\n<title>Render error</title>\n<p>{}</p>\n",
            escape_text(&e.to_string())
        ),
    }
}

/// Bytes reserved for a page: a function page with its navigation fits.
const PAGE_CAPACITY: usize = 32 * 1024;

/// Escapes text for HTML outside templates.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Everything pages share, computed once per build: the API, the categories
/// with their links, and the coverage counts. A page adds only what is its
/// own, so each page costs the same however large the API grows.
struct Site<'a> {
    api: &'a Api,
    guide_slugs: Vec<String>,
    /// Names of specified functions, for catalogue links.
    specified: BTreeSet<&'a str>,
    /// The number of catalogue entries that are specified, and in the catalogue.
    coverage: (usize, usize),
    /// The id of each catalogue category's section on the coverage page, in catalogue order.
    catalog_anchors: Vec<String>,
    /// The categories of the side navigation, each with a page of its own.
    groups: Vec<Group<'a>>,
    /// Where each function sits: its group and its position in it.
    placement: HashMap<&'a str, (usize, usize)>,
    /// The first guide, which function pages cite (relative to the site root).
    guide_href: String,
    /// The guide on output options, which list functions cite.
    options_href: String,
}

/// One category of the side navigation and of `docs/categories/`: a
/// catalogue category (or, for functions the catalogue does not list, a spec
/// category) with its specified functions and its missing catalogue names.
struct Group<'a> {
    title: String,
    /// The stem of its page and of its section on the index.
    slug: String,
    /// Its page, relative to the site root.
    href: String,
    /// The description of the spec category of the same title, if any.
    description: Option<&'a str>,
    functions: Vec<GroupFunction<'a>>,
    /// How many functions the catalogue lists in this category.
    catalogued: usize,
    /// Those of them with no spec yet.
    missing: Vec<&'a CatalogEntry>,
    /// What the navigation shows after the title: `3` or `3 of 27`.
    count: String,
    /// Where the coverage page lists the category, when the catalogue has it.
    coverage_anchor: Option<String>,
    /// When the category has more than [`CATEGORY_PAGE_MAX`] names: its
    /// pages by first letter, which list them instead of its own page.
    parts: Vec<Part>,
}

/// How many names (functions and catalogue names without a spec) a category
/// page lists before the category is split into pages by first letter. The
/// largest category of WHM's catalogue has 61; a split keeps every page
/// small, and a new function changes only its letter's page and the
/// category's.
pub const CATEGORY_PAGE_MAX: usize = 150;

/// The names of a large category that start with one letter.
struct Part {
    /// How the page is named to a reader: `a`, or `other names`.
    label: String,
    /// Its page, relative to the site root: `categories/SLUG--KEY.html`.
    href: String,
    /// Indexes into the group's functions.
    functions: Vec<usize>,
    /// Indexes into the group's missing names.
    missing: Vec<usize>,
}

/// The part of a split category that a name belongs to: its first letter or
/// digit, lowercased, or `other`. The navigation script computes the same
/// (`partKey` in `site.js`).
pub fn part_key(name: &str) -> String {
    match name.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_ascii_lowercase().to_string(),
        _ => "other".to_string(),
    }
}

/// A category's parts, by key in sort order, when it has too many names.
fn parts(slug: &str, functions: &[GroupFunction<'_>], missing: &[&CatalogEntry]) -> Vec<Part> {
    if functions.len() + missing.len() <= CATEGORY_PAGE_MAX {
        return Vec::new();
    }
    fn part<'p>(by_key: &'p mut BTreeMap<String, Part>, slug: &str, name: &str) -> &'p mut Part {
        let key = part_key(name);
        by_key.entry(key.clone()).or_insert_with(|| Part {
            label: if key == "other" {
                "other names".into()
            } else {
                format!("names starting with {key}")
            },
            // Slugs never hold `--`, so no other category's page has this name.
            href: format!("categories/{}--{key}.html", page_stem(slug)),
            functions: Vec::new(),
            missing: Vec::new(),
        })
    }
    let mut by_key = BTreeMap::new();
    for (i, f) in functions.iter().enumerate() {
        part(&mut by_key, slug, &f.function.name).functions.push(i);
    }
    for (i, e) in missing.iter().enumerate() {
        part(&mut by_key, slug, &e.name).missing.push(i);
    }
    by_key.into_values().collect()
}

struct GroupFunction<'a> {
    function: &'a Function,
    /// Its page, relative to the site root.
    href: String,
    /// The id of its entry on the category page.
    anchor: String,
}

impl<'a> Site<'a> {
    fn new(api: &'a Api) -> Self {
        let specified: BTreeSet<&str> = api.functions().map(|f| f.name.as_str()).collect();
        let mut done = 0;
        let mut total = 0;
        for entry in api.catalog.iter().flat_map(|c| c.functions.iter()) {
            total += 1;
            if entry.specified_in.is_some() || specified.contains(entry.name.as_str()) {
                done += 1;
            }
        }
        let mut used = BTreeSet::new();
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
        let groups = groups(api, &catalog_anchors);
        let placement = groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group
                    .functions
                    .iter()
                    .enumerate()
                    .map(move |(i, f)| (f.function.name.as_str(), (g, i)))
            })
            .collect();
        let guide_href = match api.guides.first() {
            Some(g) => format!("guides/{}.html", page_stem(&g.slug)),
            None => "index.html".to_string(),
        };
        let options_href = match api
            .guides
            .iter()
            .find(|g| markdown::strip_order_prefix(&g.slug) == "output-options")
        {
            Some(g) => format!("guides/{}.html", page_stem(&g.slug)),
            None => guide_href.clone(),
        };
        Site {
            api,
            guide_slugs: api.guides.iter().map(|g| g.slug.clone()).collect(),
            specified,
            coverage: (done, total),
            catalog_anchors,
            groups,
            placement,
            guide_href,
            options_href,
        }
    }

    fn links(&self, root: &'static str) -> LinkContext<'_> {
        LinkContext {
            root,
            guide_slugs: &self.guide_slugs,
        }
    }

    /// The page layout. It names the page (`page`, relative to the site
    /// root) so that the script can mark it in the navigation it draws from
    /// `nav.js`; nothing in it depends on the other functions.
    fn layout(
        &self,
        root: &'static str,
        page: String,
        title: String,
        description: String,
        current: Current<'_>,
    ) -> Layout<'_> {
        let guides = self
            .api
            .guides
            .iter()
            .map(|g| NavGuide {
                name: &g.title,
                href: format!("guides/{}.html", page_stem(&g.slug)),
                current: matches!(current, Current::Guide(slug) if slug == g.slug),
            })
            .collect();
        Layout {
            root,
            page,
            title,
            description,
            current: match current {
                Current::Index => "index",
                Current::Coverage => "coverage",
                _ => "",
            },
            guides,
        }
    }

    fn percent(&self) -> usize {
        percent(self.coverage.0, self.coverage.1)
    }

    fn index_page(&self) -> String {
        let links = self.links("");
        let categories = self
            .groups
            .iter()
            .map(|g| IndexCategory {
                anchor: format!("category-{}", g.slug),
                title: &g.title,
                href: &g.href,
                description_html: g
                    .description
                    .map(|d| markdown::render_block(d, links))
                    .unwrap_or_default(),
                count: &g.count,
            })
            .collect();
        render(&IndexPage {
            layout: self.layout(
                "",
                "index.html".into(),
                "Overview".into(),
                "WHM API 1 functions, generated from YAML specs.".into(),
                Current::Index,
            ),
            categories,
            specified: self.coverage.0,
            catalogued: self.coverage.1,
            percent: self.percent(),
        })
    }

    fn coverage_page(&self) -> String {
        let mut in_catalogue: BTreeSet<&str> = BTreeSet::new();
        let categories = self
            .api
            .catalog
            .iter()
            .zip(&self.catalog_anchors)
            .zip(&self.groups)
            .map(|((c, anchor), group)| {
                let entries: Vec<CatalogView> = c
                    .functions
                    .iter()
                    .map(|e| {
                        in_catalogue.insert(e.name.as_str());
                        let href = (e.specified_in.is_some()
                            || self.specified.contains(e.name.as_str()))
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
                    href: &group.href,
                    specified,
                    missing: total - specified,
                    total,
                    percent: percent(specified, total),
                    entries,
                }
            })
            .collect();
        let uncatalogued = self
            .groups
            .iter()
            .flat_map(|g| &g.functions)
            .filter(|f| !in_catalogue.contains(f.function.name.as_str()))
            .collect();
        render(&CoveragePage {
            layout: self.layout(
                "",
                "coverage.html".into(),
                "Coverage".into(),
                "Which WHM API 1 functions are specified, and which not yet.".into(),
                Current::Coverage,
            ),
            categories,
            uncatalogued,
            specified: self.coverage.0,
            catalogued: self.coverage.1,
            missing: self.coverage.1 - self.coverage.0,
            percent: self.percent(),
        })
    }

    fn category_page(&self, at: usize) -> String {
        let group = &self.groups[at];
        let specified = group.catalogued - group.missing.len();
        let parts = group
            .parts
            .iter()
            .map(|p| PartLink {
                label: &p.label,
                href: &p.href,
                functions: p.functions.len(),
                missing: p.missing.len(),
            })
            .collect();
        render(&CategoryPage {
            layout: self.layout(
                "../",
                group.href.clone(),
                group.title.clone(),
                format!("WHM API 1 functions of the {} category.", group.title),
                Current::Other,
            ),
            title: &group.title,
            description_html: group
                .description
                .map(|d| markdown::render_block(d, self.links("../")))
                .unwrap_or_default(),
            functions: &group.functions,
            missing: group
                .missing
                .iter()
                .map(|e| MissingView {
                    name: &e.name,
                    anchor: format!("todo-{}", page_stem(&e.name)),
                    unsure: e.unsure,
                })
                .collect(),
            parts,
            catalogued: group.catalogued,
            specified,
            percent: percent(specified, group.catalogued),
            coverage_anchor: group.coverage_anchor.as_deref(),
        })
    }

    /// One page of a category too large for one: its names that start with one letter.
    fn category_part_page(&self, group: &Group<'_>, part: &Part) -> String {
        render(&CategoryPartPage {
            layout: self.layout(
                "../",
                part.href.clone(),
                format!("{}: {}", group.title, part.label),
                format!(
                    "WHM API 1 functions of the {} category: {}.",
                    group.title, part.label
                ),
                Current::Other,
            ),
            title: &group.title,
            category_href: &group.href,
            label: &part.label,
            functions: part
                .functions
                .iter()
                .map(|&i| &group.functions[i])
                .collect(),
            missing: part
                .missing
                .iter()
                .map(|&i| {
                    let e = group.missing[i];
                    MissingView {
                        name: &e.name,
                        anchor: format!("todo-{}", page_stem(&e.name)),
                        unsure: e.unsure,
                    }
                })
                .collect(),
        })
    }

    fn search_page(&self) -> String {
        render(&SearchPage {
            layout: self.layout(
                "",
                "search.html".into(),
                "Search".into(),
                "Search WHM API 1 functions and parameters.".into(),
                Current::Other,
            ),
        })
    }

    fn guide_page(&self, guide: &crate::ir::Guide) -> String {
        render(&GuidePage {
            layout: self.layout(
                "../",
                format!("guides/{}.html", page_stem(&guide.slug)),
                guide.title.clone(),
                guide.title.clone(),
                Current::Guide(&guide.slug),
            ),
            body_html: markdown::render_guide(&guide.markdown, self.links("../")),
        })
    }

    fn function_page(&self, category: &Category, function: &Function) -> String {
        let links = self.links("../");
        let mut params = Vec::new();
        field_rows(&function.params, 0, "", true, links, &mut params);
        let mut returns = Vec::new();
        field_rows(&function.returns, 0, "", false, links, &mut returns);
        let mut metadata = Vec::new();
        field_rows(&function.metadata, 0, "", false, links, &mut metadata);
        let examples = example_views(function, links);
        // A long page lists its parameters at the top, to jump to one.
        let jump_params = if params.len() >= JUMP_LIST_MIN {
            params
                .iter()
                .filter(|r| r.depth == 0)
                .map(|r| JumpLink {
                    anchor: r.anchor,
                    name: r.name,
                })
                .collect()
        } else {
            Vec::new()
        };
        let api_shell_note = !function.notes.iter().any(|n| n.contains("API Shell"));
        // Every function has a group; the spec category's title is the fallback.
        let group = self
            .placement
            .get(function.name.as_str())
            .map(|(g, _)| &self.groups[*g]);
        render(&FunctionPage {
            layout: self.layout(
                "../",
                format!("functions/{}.html", page_stem(&function.name)),
                function.name.clone(),
                function.summary.clone(),
                Current::Other,
            ),
            name: &function.name,
            category_title: group.map_or(&category.title, |g| &g.title),
            category_href: group.map_or("index.html", |g| &g.href),
            description_html: markdown::render_block(&function.description, links),
            has_output: examples
                .iter()
                .any(|e| e.json_output.is_some() || e.xml_output.is_some()),
            examples,
            guide_href: &self.guide_href,
            options_href: &self.options_href,
            params,
            jump_params,
            returns,
            metadata,
            output_raw: function.output_raw.as_ref().map(|raw| RawView {
                description_html: markdown::render_block(&raw.description, links),
                example: raw.example.as_deref(),
            }),
            list_output: function.list_output,
            notes_html: function
                .notices()
                .iter()
                .chain(&function.notes)
                .map(|n| markdown::render_inline(n, links))
                .collect(),
            api_shell_note,
            since: function.since.as_deref(),
            source: &function.source,
            see_also: function
                .see_also
                .iter()
                .map(|s| SeeAlsoView {
                    name: &s.name,
                    summary: &s.summary,
                    href: self
                        .specified
                        .contains(s.name.as_str())
                        .then(|| format!("functions/{}.html", page_stem(&s.name))),
                })
                .collect(),
        })
    }

    /// `assets/nav.js`: what every page's navigation and the search box's
    /// first results are drawn from.
    fn nav_script(&self) -> String {
        search::nav_script(&search::Nav {
            specified: self.coverage.0,
            catalogued: self.coverage.1,
            categories: self
                .groups
                .iter()
                .map(|g| search::NavCategory {
                    title: g.title.clone(),
                    href: g.href.clone(),
                    split: !g.parts.is_empty(),
                    catalogued: g.catalogued,
                    functions: g
                        .functions
                        .iter()
                        .map(|f| f.function.name.clone())
                        .collect(),
                    missing: g
                        .missing
                        .iter()
                        .map(|e| (e.name.clone(), e.unsure))
                        .collect(),
                })
                .collect(),
            guides: self
                .api
                .guides
                .iter()
                .map(|g| {
                    (
                        g.title.clone(),
                        format!("guides/{}.html", page_stem(&g.slug)),
                    )
                })
                .collect(),
        })
    }

    /// `assets/search-index.js`: each function's summary and parameters.
    fn search_index(&self) -> String {
        let entries: Vec<search::Details> = self
            .api
            .functions()
            .map(|f| search::Details {
                name: f.name.clone(),
                summary: f.summary.clone(),
                params: f.params.iter().map(|p| p.name.clone()).collect(),
            })
            .collect();
        search::index_script(&entries)
    }
}

/// The side navigation's categories: the catalogue's in its order (the order
/// of WHM's own navigation) with the functions specified in each; functions
/// the catalogue does not list join the category titled like their spec
/// category, or one of their own at the end. Without a catalogue, the spec
/// categories. Each gets a unique slug for its page.
fn groups<'a>(api: &'a Api, catalog_anchors: &[String]) -> Vec<Group<'a>> {
    let by_name: HashMap<&str, &Function> = api.functions().map(|f| (f.name.as_str(), f)).collect();
    let descriptions: HashMap<String, &str> = api
        .categories
        .iter()
        .map(|c| (c.title.to_lowercase(), c.description.as_str()))
        .collect();
    let mut placed: HashSet<&str> = HashSet::new();
    let mut slugs: BTreeSet<String> = BTreeSet::new();
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut by_title: HashMap<String, usize> = HashMap::new();
    for (c, anchor) in api.catalog.iter().zip(catalog_anchors) {
        let functions: Vec<&Function> = c
            .functions
            .iter()
            .filter_map(|e| by_name.get(e.name.as_str()).copied())
            .filter(|f| placed.insert(f.name.as_str()))
            .collect();
        let missing = c
            .functions
            .iter()
            .filter(|e| !by_name.contains_key(e.name.as_str()))
            .collect();
        by_title
            .entry(c.title.to_lowercase())
            .or_insert(groups.len());
        groups.push(Group {
            slug: unique_anchor(&markdown::slugify(&c.title), &mut slugs),
            title: c.title.clone(),
            href: String::new(),
            description: descriptions.get(&c.title.to_lowercase()).copied(),
            functions: functions.into_iter().map(GroupFunction::new).collect(),
            catalogued: c.functions.len(),
            missing,
            count: String::new(),
            coverage_anchor: Some(anchor.clone()),
            parts: Vec::new(),
        });
    }
    for category in &api.categories {
        for function in &category.functions {
            if !placed.insert(function.name.as_str()) {
                continue;
            }
            let at = *by_title
                .entry(category.title.to_lowercase())
                .or_insert_with(|| {
                    groups.push(Group {
                        slug: unique_anchor(&markdown::slugify(&category.id), &mut slugs),
                        title: category.title.clone(),
                        href: String::new(),
                        description: Some(&category.description),
                        functions: Vec::new(),
                        catalogued: 0,
                        missing: Vec::new(),
                        count: String::new(),
                        coverage_anchor: None,
                        parts: Vec::new(),
                    });
                    groups.len() - 1
                });
            groups[at].functions.push(GroupFunction::new(function));
        }
    }
    for group in &mut groups {
        group.href = format!("categories/{}.html", page_stem(&group.slug));
        group.parts = parts(&group.slug, &group.functions, &group.missing);
        group.count = if group.catalogued > 0 {
            format!("{} of {}", group.functions.len(), group.catalogued)
        } else {
            group.functions.len().to_string()
        };
    }
    groups
}

impl<'a> GroupFunction<'a> {
    fn new(function: &'a Function) -> Self {
        let stem = page_stem(&function.name);
        GroupFunction {
            function,
            href: format!("functions/{stem}.html"),
            anchor: format!("fn-{stem}"),
        }
    }
}

/// Which page a layout is for, to mark it in the parts of the navigation
/// that are in every page (the script marks the rest from the page's path).
#[derive(Clone, Copy)]
enum Current<'a> {
    Index,
    Coverage,
    Guide(&'a str),
    /// A category, function or search page.
    Other,
}

/// `a` as a whole percentage of `b`, rounded down; 0 when `b` is 0.
fn percent(a: usize, b: usize) -> usize {
    (a * 100).checked_div(b).unwrap_or(0)
}

/// `base`, or `base-2`, `base-3`... when already used.
fn unique_anchor(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut anchor = base.to_string();
    let mut n = 1;
    while used.contains(&anchor) {
        n += 1;
        anchor = format!("{base}-{n}");
    }
    used.insert(anchor.clone());
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
fn field_rows<'a>(
    fields: &'a [Field],
    depth: usize,
    parent: &str,
    parameters: bool,
    links: LinkContext<'_>,
    out: &mut Vec<FieldRow<'a>>,
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

fn field_row<'a>(
    field: &'a Field,
    depth: usize,
    parent: &str,
    parameters: bool,
    links: LinkContext<'_>,
) -> FieldRow<'a> {
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
            .value_lines()
            .iter()
            .map(|v| markdown::render_inline(v, links)),
    );
    if field.deprecated && field.deprecation != Default::default() {
        values_html.push(markdown::render_inline(
            &field.deprecation.sentence(),
            links,
        ));
    }
    let required_html = parameters.then(|| {
        if field.required {
            Cow::Borrowed("<strong>Required</strong>")
        } else if let Some(default) = &field.default {
            Cow::Owned(format!("Optional. Default: {}", value_html(default)))
        } else {
            Cow::Borrowed("Optional")
        }
    });
    FieldRow {
        anchor: &field.anchor,
        name: &field.name,
        depth: depth.min(4),
        parent: parent.to_string(),
        type_label: type_label(&field.ty),
        nullable: field.nullable,
        deprecated: field.deprecated,
        sensitive: field.sensitive,
        description_html: markdown::render_block(&field.description, links),
        values_html,
        example_html: field.example.as_ref().map(|e| example_html(&e.display())),
        required_html,
    }
}

/// A value as a chip of code, or, for the empty string (which would show as
/// an empty chip), the words "empty string".
fn value_html(value: &str) -> String {
    if value.is_empty() {
        EMPTY_STRING.to_string()
    } else {
        format!("<code>{}</code>", escape_text(value))
    }
}

/// How an empty value reads.
const EMPTY_STRING: &str = "<em class=\"empty\">empty string</em>";

/// An example value for the Example column: escaped, with a line-break
/// opportunity (`<wbr>`) after the punctuation that separates the parts of
/// URLs, paths, addresses and lists, so that a narrow column breaks a long
/// value between its parts and never inside a word (`unlimite|d`).
fn example_html(value: &str) -> String {
    if value.is_empty() {
        return EMPTY_STRING.to_string();
    }
    let mut out = String::with_capacity(value.len() + 32);
    out.push_str("<code class=\"example-value\">");
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
        if matches!(c, '/' | '?' | '&' | '=' | '.' | ',' | ';' | ':' | '@' | '_') {
            out.push_str("<wbr>");
        }
    }
    out.push_str("</code>");
    out
}

/// The type as WHM's documentation names it (`string`, `array of hashes`).
pub fn type_label(ty: &Type) -> String {
    match ty {
        Type::String(None) => "string".into(),
        Type::String(Some(format)) => format!("string ({})", format_label(*format)),
        Type::Integer => "integer".into(),
        Type::Float => "float".into(),
        Type::Boolean => "Boolean".into(),
        Type::YesNo => "string (y or n)".into(),
        Type::StringOrInteger => "integer or string".into(),
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
        Type::YesNo => "strings (y or n)".into(),
        Type::StringOrInteger => "integers or strings".into(),
        Type::Timestamp => "integers (Unix time)".into(),
        Type::Limit => "integers or unlimited".into(),
        Type::Array(a) => format!("arrays of {}", plural_label(&a.items)),
        Type::Hash(_) | Type::Map(_) => "hashes".into(),
        Type::Any => "values".into(),
    }
}

fn format_label(format: StringFormat) -> &'static str {
    crate::ir::format_words(format).label
}

/// The examples as the page shows them; a function without one gets one
/// built from its parameters' example values, so every page shows a call.
fn example_views<'a>(function: &'a Function, links: LinkContext<'_>) -> Vec<ExampleView<'a>> {
    if function.examples.is_empty() {
        let params: Vec<(String, String)> = function
            .params
            .iter()
            .filter_map(|p| p.example.as_ref().map(|e| (p.name.clone(), e.display())))
            .collect();
        return vec![ExampleView {
            anchor: "example-1".into(),
            title: "",
            description_html: String::new(),
            json_url: calls::api_url("json-api", &function.name, &params),
            xml_url: calls::api_url("xml-api", &function.name, &params),
            command_line: calls::command_line(&function.name, &params),
            json_output: None,
            xml_output: None,
            notes_html: Vec::new(),
        }];
    }
    function
        .examples
        .iter()
        .enumerate()
        .map(|(i, ex)| ExampleView {
            anchor: format!("example-{}", i + 1),
            title: &ex.title,
            description_html: markdown::render_block(&ex.description, links),
            json_url: calls::api_url("json-api", &function.name, &ex.params),
            xml_url: calls::api_url("xml-api", &function.name, &ex.params),
            command_line: calls::command_line(&function.name, &ex.params),
            json_output: ex.json.as_deref().map(str::trim_end),
            xml_output: ex.xml.as_deref().map(str::trim_end),
            notes_html: ex
                .notes
                .iter()
                .map(|n| markdown::render_inline(n, links))
                .collect(),
        })
        .collect()
}

/// What every page's frame needs; it borrows what the site computed once.
struct Layout<'a> {
    /// `""` or `"../"`: the way back to the site root.
    root: &'static str,
    /// The page's path relative to the site root, which the script looks up
    /// in `nav.js` to open and mark its place in the navigation.
    page: String,
    title: String,
    description: String,
    /// `index` or `coverage` when one of those is the page.
    current: &'static str,
    guides: Vec<NavGuide<'a>>,
}

struct NavGuide<'a> {
    name: &'a str,
    /// Relative to the site root.
    href: String,
    current: bool,
}

struct FieldRow<'a> {
    anchor: &'a str,
    name: &'a str,
    depth: usize,
    /// The names of the enclosing fields, `payload › item`; empty at the top.
    parent: String,
    type_label: String,
    nullable: bool,
    deprecated: bool,
    /// A secret: the row says so.
    sensitive: bool,
    description_html: String,
    values_html: Vec<String>,
    /// The example value, as [`example_html`] writes it.
    example_html: Option<String>,
    /// Parameters only: "Required" or the default.
    required_html: Option<Cow<'static, str>>,
}

struct ExampleView<'a> {
    anchor: String,
    title: &'a str,
    description_html: String,
    json_url: String,
    xml_url: String,
    command_line: String,
    json_output: Option<&'a str>,
    xml_output: Option<&'a str>,
    notes_html: Vec<String>,
}

struct RawView<'a> {
    description_html: String,
    example: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "docs/function.html")]
struct FunctionPage<'a> {
    layout: Layout<'a>,
    name: &'a str,
    category_title: &'a str,
    /// The category's page, relative to the site root.
    category_href: &'a str,
    description_html: String,
    examples: Vec<ExampleView<'a>>,
    has_output: bool,
    /// Relative to the site root.
    guide_href: &'a str,
    /// Relative to the site root.
    options_href: &'a str,
    params: Vec<FieldRow<'a>>,
    /// The parameters' jump list, on a page with [`JUMP_LIST_MIN`] or more.
    jump_params: Vec<JumpLink<'a>>,
    returns: Vec<FieldRow<'a>>,
    metadata: Vec<FieldRow<'a>>,
    output_raw: Option<RawView<'a>>,
    list_output: bool,
    notes_html: Vec<String>,
    api_shell_note: bool,
    since: Option<&'a str>,
    source: &'a str,
    see_also: Vec<SeeAlsoView<'a>>,
}

/// A parameter in the jump list at the top of a long function page.
struct JumpLink<'a> {
    anchor: &'a str,
    name: &'a str,
}

/// How many parameter rows make a page long enough for a jump list: on a
/// phone each parameter is a card of a screen or so.
const JUMP_LIST_MIN: usize = 8;

/// A related function: linked when it has a page, named when it is only catalogued.
struct SeeAlsoView<'a> {
    name: &'a str,
    summary: &'a str,
    /// Its page, relative to the site root, when it is specified.
    href: Option<String>,
}

struct IndexCategory<'a> {
    anchor: String,
    title: &'a str,
    /// The category's page, relative to the site root.
    href: &'a str,
    description_html: String,
    /// `3` or `3 of 27`.
    count: &'a str,
}

#[derive(Template)]
#[template(path = "docs/index.html")]
struct IndexPage<'a> {
    layout: Layout<'a>,
    categories: Vec<IndexCategory<'a>>,
    specified: usize,
    catalogued: usize,
    percent: usize,
}

#[derive(Template)]
#[template(path = "docs/category.html")]
struct CategoryPage<'a> {
    layout: Layout<'a>,
    title: &'a str,
    description_html: String,
    functions: &'a [GroupFunction<'a>],
    missing: Vec<MissingView<'a>>,
    /// When the category is split: its pages by first letter, listed instead of its names.
    parts: Vec<PartLink<'a>>,
    /// How many functions the catalogue lists here (0 when it does not list the category).
    catalogued: usize,
    /// How many of those are specified.
    specified: usize,
    percent: usize,
    coverage_anchor: Option<&'a str>,
}

/// A link from a split category's page to one of its parts.
struct PartLink<'a> {
    label: &'a str,
    /// Relative to the site root.
    href: &'a str,
    functions: usize,
    missing: usize,
}

#[derive(Template)]
#[template(path = "docs/category_part.html")]
struct CategoryPartPage<'a> {
    layout: Layout<'a>,
    title: &'a str,
    /// The category's own page, relative to the site root.
    category_href: &'a str,
    label: &'a str,
    functions: Vec<&'a GroupFunction<'a>>,
    missing: Vec<MissingView<'a>>,
}

/// A catalogue name of a category page with no spec yet.
struct MissingView<'a> {
    name: &'a str,
    /// Its id on the page, which search results link to: `todo-STEM`.
    anchor: String,
    unsure: bool,
}

struct CatalogView {
    name: String,
    href: Option<String>,
    unsure: bool,
}

struct CoverageCategory<'a> {
    anchor: String,
    title: String,
    /// The category's page, relative to the site root.
    href: &'a str,
    specified: usize,
    missing: usize,
    total: usize,
    percent: usize,
    entries: Vec<CatalogView>,
}

#[derive(Template)]
#[template(path = "docs/coverage.html")]
struct CoveragePage<'a> {
    layout: Layout<'a>,
    categories: Vec<CoverageCategory<'a>>,
    uncatalogued: Vec<&'a GroupFunction<'a>>,
    specified: usize,
    catalogued: usize,
    missing: usize,
    percent: usize,
}

#[derive(Template)]
#[template(path = "docs/guide.html")]
struct GuidePage<'a> {
    layout: Layout<'a>,
    body_html: String,
}

#[derive(Template)]
#[template(path = "docs/search.html")]
struct SearchPage<'a> {
    layout: Layout<'a>,
}

#[cfg(test)]
mod tests;
