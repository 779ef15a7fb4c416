//! The scripts that carry the site's shared data, built at compile time:
//!
//! - `assets/nav.js` defines `window.WHM_NAV`: the categories in navigation
//!   order, each with its page, its specified functions and the catalogue's
//!   names that have no spec yet, the guides, and the coverage counts. Every
//!   page loads it to draw its side navigation, and the search box searches
//!   its names at once, so that adding a spec changes this one file rather
//!   than the navigation of every page.
//! - `assets/search-index.js` defines `window.WHM_SEARCH_INDEX`: each
//!   specified function's summary and parameter names, keyed by name. Only
//!   the search box loads it, when it is first used.
//!
//! They are `.js` files rather than JSON so that pages load them with a plain
//! `<script>` element (no fetch, which `file://` pages cannot do).

use serde_json::{Map, Value, json};

/// One category of the navigation, as `nav.js` carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct NavCategory {
    /// The category's title.
    pub title: String,
    /// Its page, relative to the site root.
    pub href: String,
    /// Whether it is split into pages by first letter (`SLUG--KEY.html`,
    /// see [`super::part_key`]), which then hold its functions' and missing
    /// names' entries.
    pub split: bool,
    /// How many functions the catalogue lists in it (0 when it does not list the category).
    pub catalogued: usize,
    /// Its specified functions' names, in order; each page's file and anchor
    /// are the name's page stem.
    pub functions: Vec<String>,
    /// The catalogue's names in it with no spec yet, and whether each is unsure.
    pub missing: Vec<(String, bool)>,
}

/// What `nav.js` carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Nav {
    /// Catalogue entries that are specified.
    pub specified: usize,
    /// Catalogue entries.
    pub catalogued: usize,
    /// The categories, in navigation order.
    pub categories: Vec<NavCategory>,
    /// Each guide's title and page, relative to the site root.
    pub guides: Vec<(String, String)>,
}

/// The script that defines `window.WHM_NAV`.
///
/// Keys are one letter to keep the file small: it grows with every function
/// and every page loads it.
pub fn nav_script(nav: &Nav) -> String {
    let categories: Vec<Value> = nav
        .categories
        .iter()
        .map(|c| {
            let mut o = Map::new();
            o.insert("t".into(), json!(c.title));
            o.insert("h".into(), json!(c.href));
            if c.split {
                o.insert("p".into(), json!(1));
            }
            o.insert("c".into(), json!(c.catalogued));
            o.insert("f".into(), json!(c.functions));
            o.insert(
                "m".into(),
                json!(c.missing.iter().map(|(n, _)| n).collect::<Vec<_>>()),
            );
            let unsure: Vec<&String> = c.missing.iter().filter(|m| m.1).map(|m| &m.0).collect();
            if !unsure.is_empty() {
                o.insert("u".into(), json!(unsure));
            }
            Value::Object(o)
        })
        .collect();
    let value = json!({
        "s": nav.specified,
        "n": nav.catalogued,
        "c": categories,
        "g": nav.guides.iter().map(|(t, h)| json!([t, h])).collect::<Vec<_>>(),
    });
    script("WHM_NAV", &value)
}

/// One specified function's searchable details.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    /// The function's name.
    pub name: String,
    /// One sentence.
    pub summary: String,
    /// Its parameters' names.
    pub params: Vec<String>,
}

/// The script that defines `window.WHM_SEARCH_INDEX`: an object from each
/// function's name to `[summary, [parameter names]]`.
pub fn index_script(entries: &[Details]) -> String {
    let mut map = Map::new();
    for e in entries {
        map.insert(e.name.clone(), json!([e.summary, e.params]));
    }
    script("WHM_SEARCH_INDEX", &Value::Object(map))
}

/// `window.NAME = JSON;`, with every string escaped so that it stays inside
/// its JavaScript string even if inlined into HTML.
fn script(name: &str, value: &Value) -> String {
    format!(
        "window.{name} = {};\n",
        escape_for_script(&value.to_string())
    )
}

/// Escapes `<`, `>`, `&` and the JavaScript line separators inside JSON text.
///
/// These characters only occur inside JSON strings, where `\uXXXX` means the
/// same character, so the data is unchanged while `</script>` and `<!--`
/// can no longer end or confuse an enclosing script element.
fn escape_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(script: &str, name: &str) -> Value {
        let json = script
            .strip_prefix(&format!("window.{name} = "))
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap_or_default();
        serde_json::from_str(json).unwrap_or_default()
    }

    #[test]
    fn index_cannot_close_a_script_element_and_keeps_the_text() {
        let hostile = "</script><script>alert(1)</script>\u{2028}&";
        let script = index_script(&[Details {
            name: "f".into(),
            summary: hostile.into(),
            params: vec!["login_token".into()],
        }]);
        assert!(!script.contains('<') && !script.contains('>') && !script.contains('&'));
        assert!(!script.contains('\u{2028}'));
        let parsed = parse(&script, "WHM_SEARCH_INDEX");
        assert_eq!(parsed["f"][0], hostile);
        assert_eq!(parsed["f"][1][0], "login_token");
    }

    #[test]
    fn nav_carries_names_counts_and_unsure_marks() {
        let script = nav_script(&Nav {
            specified: 1,
            catalogued: 3,
            categories: vec![NavCategory {
                title: "A <b>".into(),
                href: "categories/a.html".into(),
                split: false,
                catalogued: 3,
                functions: vec!["f".into()],
                missing: vec![("g".into(), false), ("h".into(), true)],
            }],
            guides: vec![("Guide".into(), "guides/g.html".into())],
        });
        assert!(!script.contains('<'));
        let nav = parse(&script, "WHM_NAV");
        assert_eq!(nav["s"], 1);
        assert_eq!(nav["n"], 3);
        assert_eq!(nav["c"][0]["t"], "A <b>");
        assert_eq!(nav["c"][0]["f"], json!(["f"]));
        assert_eq!(nav["c"][0]["m"], json!(["g", "h"]));
        assert_eq!(nav["c"][0]["u"], json!(["h"]));
        assert_eq!(nav["g"][0], json!(["Guide", "guides/g.html"]));
    }
}
