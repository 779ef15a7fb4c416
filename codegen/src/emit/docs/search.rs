//! The search index: a small script, built at compile time, that defines
//! `window.WHM_SEARCH_INDEX` for the site's search box.
//!
//! It is a `.js` file rather than JSON so that the page can load it with a
//! plain `<script>` element (no fetch, which `file://` pages cannot do).

use serde_json::{Value, json};

/// One searchable page.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `function` or `guide`.
    pub kind: &'static str,
    /// The function's name or the guide's title.
    pub name: String,
    /// One sentence.
    pub summary: String,
    /// The category's title, for functions.
    pub category: String,
    /// The page, relative to the site root.
    pub url: String,
    /// Parameter names, for functions.
    pub params: Vec<String>,
}

/// The script that defines the index, with every spec string escaped so that
/// it stays inside its JavaScript string even if inlined into HTML.
pub fn index_script(entries: &[Entry]) -> String {
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "k": e.kind,
                "n": e.name,
                "s": e.summary,
                "c": e.category,
                "u": e.url,
                "p": e.params,
            })
        })
        .collect();
    let json = Value::Array(list).to_string();
    format!("window.WHM_SEARCH_INDEX = {};\n", escape_for_script(&json))
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

    fn entry(summary: &str) -> Entry {
        Entry {
            kind: "function",
            name: "f".into(),
            summary: summary.into(),
            category: "C".into(),
            url: "functions/f.html".into(),
            params: vec!["login_token".into()],
        }
    }

    #[test]
    fn index_cannot_close_a_script_element_and_keeps_the_text() {
        let hostile = "</script><script>alert(1)</script>\u{2028}&";
        let script = index_script(&[entry(hostile)]);
        assert!(!script.contains('<') && !script.contains('>') && !script.contains('&'));
        assert!(!script.contains('\u{2028}'));
        let json = script
            .strip_prefix("window.WHM_SEARCH_INDEX = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap_or_default();
        let parsed: Value = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(parsed[0]["s"], hostile);
        assert_eq!(parsed[0]["p"][0], "login_token");
    }
}
