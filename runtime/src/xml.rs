//! WHM API 1's XML form: the JSON tree of a response under a `<result>` element.
//!
//! `/xml-api/FUNCTION` answers with the same tree as `/json-api/FUNCTION`,
//! written as XML the way WHM does:
//!
//! - the root element is `<result>`, holding the top-level keys (`data`, `metadata`);
//! - a hash becomes an element per key, in the hash's order;
//! - an array becomes the same element repeated once per item (`<acl>a</acl><acl>b</acl>`),
//!   and an empty array writes nothing;
//! - booleans are written `1`/`0`, `null` as an empty element, numbers as JSON writes them;
//! - text is escaped (`&`, `<`, `>`), and characters XML 1.0 cannot carry (most
//!   control characters) become U+FFFD.
//!
//! Keys that are not XML names (`192.0.2.1`, `two words`, an empty key) are
//! written as `<item key="...">` so that the document stays well-formed and
//! the key is not lost. An array directly inside an array is written as an
//! element holding one `<item>` per inner value.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::Value;

/// The name of the root element of every WHM API 1 XML answer.
pub const ROOT: &str = "result";

/// Writes `value` as WHM's XML to a string, on one line, with no XML declaration.
pub fn to_xml_string(value: &Value) -> String {
    render(value, None)
}

/// Writes `value` as WHM's XML to a string, indented by `indent` spaces per level.
pub fn to_xml_pretty(value: &Value, indent: usize) -> String {
    render(value, Some(indent))
}

fn render(value: &Value, indent: Option<usize>) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail; whatever was written is kept either way.
    let _ = write_xml(value, &mut out, indent, false);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes `value` as WHM's XML to `out`, optionally indented and with an
/// `<?xml version="1.0" encoding="UTF-8"?>` declaration first.
pub fn write_xml<W: io::Write>(
    value: &Value,
    out: W,
    indent: Option<usize>,
    declaration: bool,
) -> io::Result<()> {
    let mut writer = match indent {
        Some(n) => Writer::new_with_indent(out, b' ', n),
        None => Writer::new(out),
    };
    if declaration {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    }
    write_element(&mut writer, ROOT, None, value)
}

/// One element `<name>` (or `<item key="...">` when `name` is not an XML name).
fn write_element<W: io::Write>(
    writer: &mut Writer<W>,
    name: &str,
    key_attr: Option<&str>,
    value: &Value,
) -> io::Result<()> {
    let (tag, key) = if is_xml_name(name) {
        (name, key_attr)
    } else {
        ("item", Some(name))
    };
    let mut start = BytesStart::new(tag);
    if let Some(key) = key {
        start.push_attribute(("key", clean_text(key).as_str()));
    }
    match value {
        Value::Null => writer.write_event(Event::Empty(start)),
        Value::Object(map) if map.is_empty() => writer.write_event(Event::Empty(start)),
        Value::Object(map) => {
            writer.write_event(Event::Start(start))?;
            for (k, v) in map {
                write_member(writer, k, v)?;
            }
            writer.write_event(Event::End(BytesEnd::new(tag)))
        }
        Value::Array(items) => {
            // An array in an array: one element holding an `<item>` per value.
            writer.write_event(Event::Start(start))?;
            for item in items {
                write_member(writer, "item", item)?;
            }
            writer.write_event(Event::End(BytesEnd::new(tag)))
        }
        scalar => {
            let text = scalar_text(scalar);
            if text.is_empty() {
                return writer.write_event(Event::Empty(start));
            }
            writer.write_event(Event::Start(start))?;
            writer.write_event(Event::Text(BytesText::new(&clean_text(&text))))?;
            writer.write_event(Event::End(BytesEnd::new(tag)))
        }
    }
}

/// A key of a hash: an array repeats the element, anything else is one element.
fn write_member<W: io::Write>(writer: &mut Writer<W>, key: &str, value: &Value) -> io::Result<()> {
    match value {
        Value::Array(items) => {
            for item in items {
                write_element(writer, key, None, item)?;
            }
            Ok(())
        }
        other => write_element(writer, key, None, other),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Null | Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// Replaces the characters XML 1.0 cannot carry, even escaped, with U+FFFD.
fn clean_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Whether `name` can be an element name: a letter or `_` first, then letters,
/// digits, `_`, `-` or `.`; no `:` (namespaces) and not empty.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_the_envelope_under_result_in_key_order() {
        let value = json!({
            "data": {"payload": [{"access_token": "a", "refresh_token": "b"}]},
            "metadata": {"command": "validate_login_token", "version": 1, "reason": "OK", "result": 1}
        });
        assert_eq!(
            to_xml_string(&value),
            "<result><data><payload><access_token>a</access_token><refresh_token>b</refresh_token></payload></data>\
             <metadata><command>validate_login_token</command><version>1</version><reason>OK</reason>\
             <result>1</result></metadata></result>"
        );
    }

    #[test]
    fn repeats_array_elements_and_escapes_text() {
        let value = json!({"acl": ["a&b", "<c>"], "none": [], "flag": true, "gone": null});
        assert_eq!(
            to_xml_string(&value),
            "<result><acl>a&amp;b</acl><acl>&lt;c&gt;</acl><flag>1</flag><gone/></result>"
        );
    }

    #[test]
    fn keeps_keys_that_are_not_xml_names_as_attributes() {
        let value = json!({"192.0.2.1": "x", "a\"b c": 1});
        assert_eq!(
            to_xml_string(&value),
            "<result><item key=\"192.0.2.1\">x</item><item key=\"a&quot;b c\">1</item></result>"
        );
    }

    #[test]
    fn replaces_characters_xml_cannot_carry() {
        let value = json!({"text": "a\u{0}b\u{1b}c\td"});
        assert_eq!(
            to_xml_string(&value),
            "<result><text>a\u{FFFD}b\u{FFFD}c\td</text></result>"
        );
    }

    #[test]
    fn pretty_output_indents_and_declaration_is_optional() {
        let value = json!({"metadata": {"result": 0}});
        assert_eq!(
            to_xml_pretty(&value, 2),
            "<result>\n  <metadata>\n    <result>0</result>\n  </metadata>\n</result>"
        );
        let mut out = Vec::new();
        write_xml(&value, &mut out, None, true).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><result>")
        );
    }
}
