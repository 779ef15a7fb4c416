//! WHM API 1's XML form: the JSON tree of a response under a `<result>` element,
//! written and read.
//!
//! `/xml-api/FUNCTION` answers with the same tree as `/json-api/FUNCTION`,
//! written as XML the way WHM does:
//!
//! - the root element is `<result>`, holding the top-level keys (`data`, `metadata`);
//! - a hash becomes an element per key, in the hash's order;
//! - an array becomes the same element repeated once per item (`<acl>a</acl><acl>b</acl>`),
//!   and an empty array writes nothing;
//! - booleans are written `1`/`0`, `null` as an empty element, numbers as JSON writes them;
//! - text is escaped (`&`, `<`, `>`, and a carriage return as `&#13;`, which a
//!   parser would otherwise read as a line feed), and the characters XML 1.0
//!   cannot carry at all, even escaped (the control characters other than tab,
//!   line feed and carriage return, U+FFFE and U+FFFF), become U+FFFD.
//!
//! ## Keys that are not element names
//!
//! A key is written as an element name only when it is a name in every edition
//! of XML 1.0 and to namespace-aware parsers: an ASCII letter or `_` first, then
//! ASCII letters, digits, `_`, `-` or `.` (a subset of the XML 1.0 `Name`
//! production, without `:`). Every other key (`192.0.2.1`, `two words`, an
//! empty key, `a²`, `Ⅻ`, a user name in any script) is written in this escape form:
//!
//! ```xml
//! <item key="two words">value</item>
//! ```
//!
//! The `key` attribute holds the key, with `&`, `<`, `"`, tab, line feed and
//! carriage return as character references so that no parser normalizes them
//! away. A key with characters XML cannot carry has them as U+FFFD in `key`,
//! and the exact key, percent-encoded (UTF-8 bytes as `%XX`; `%` and those
//! characters only), in a second attribute:
//!
//! ```xml
//! <item key="a�b" key-percent="a%01b">value</item>
//! ```
//!
//! [`from_xml_str`] reads both forms back as the key. An array directly inside
//! an array is written as an element holding one `<item>` per inner value.
//!
//! [`from_xml_str`] reads such XML back into the JSON tree it stands for.

use std::io;

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
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
        push_raw_attribute(&mut start, "key", escape_attribute(key));
        if key.chars().any(is_forbidden) {
            push_raw_attribute(&mut start, KEY_PERCENT, percent_key(key));
        }
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
            writer.write_event(Event::Text(BytesText::from_escaped(escape_text(&text))))?;
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

/// The attribute that holds a key with characters XML cannot carry, percent-encoded.
const KEY_PERCENT: &str = "key-percent";

/// Whether XML 1.0 cannot carry `c` at all, not even as a character reference
/// (its `Char` production: tab, line feed, carriage return, U+0020 to U+D7FF,
/// U+E000 to U+FFFD, U+10000 and above; a Rust `char` is never a surrogate).
fn is_forbidden(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` as element content: `&`, `<`, `>` escaped, a carriage return as a
/// character reference (a parser reads a literal one as a line feed), and
/// characters XML cannot carry as U+FFFD.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a double-quoted attribute value: as [`escape_text`], and also `"`,
/// tab and line feed as references, which a parser would otherwise normalize to spaces.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c => out.push_str(&escape_text(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// A key percent-encoded for [`KEY_PERCENT`]: `%` and the characters XML cannot
/// carry as `%XX` per UTF-8 byte, everything else as it is (then escaped as any attribute).
fn percent_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c == '%' || is_forbidden(c) {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    escape_attribute(&out)
}

/// Adds an attribute whose value is already escaped.
fn push_raw_attribute(start: &mut BytesStart<'_>, name: &str, escaped: String) {
    start.push_attribute(Attribute {
        key: QName(name.as_bytes()),
        value: Cow::Owned(escaped.into_bytes()),
    });
}

/// Whether `name` is written as an element name: an ASCII letter or `_` first,
/// then ASCII letters, digits, `_`, `-` or `.`. These are names in every
/// edition of XML 1.0 (whose `Name` production allows more, differently in
/// each) and to namespace-aware parsers (no `:`).
fn is_xml_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    match bytes.next() {
        Some(b) if b.is_ascii_alphabetic() || b == b'_' => {}
        _ => return false,
    }
    bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Why a text could not be read as WHM's XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// What was wrong.
    pub message: String,
    /// The line (from 1) where the reader found the problem.
    pub line: usize,
    /// The column (from 1, in characters) where the reader found the problem.
    pub column: usize,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for XmlError {}

/// An element being read: its key in the parent and what it holds so far.
struct OpenElement {
    /// The key the element stands for (its name, or the `key` attribute of an `<item>`).
    key: String,
    /// The element's child elements, as a hash (repeated names become arrays).
    children: serde_json::Map<String, Value>,
    /// Its text, unescaped.
    text: String,
}

impl OpenElement {
    fn new(start: &BytesStart<'_>) -> Result<Self, String> {
        let tag = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let mut key = tag.clone();
        if tag == "item" {
            let mut exact = None;
            for attribute in start.attributes() {
                let attribute = attribute.map_err(|e| format!("a malformed attribute: {e}"))?;
                let name = attribute.key.as_ref();
                if name == b"key" || name == KEY_PERCENT.as_bytes() {
                    let value = attribute
                        .unescape_value()
                        .map_err(|e| format!("a malformed attribute value: {e}"))?
                        .into_owned();
                    if name == b"key" {
                        key = value;
                    } else {
                        exact = Some(value);
                    }
                }
            }
            // The percent-encoded key, when there is one, is the exact key.
            if let Some(encoded) = exact {
                key = percent_encoding::percent_decode_str(&encoded)
                    .decode_utf8()
                    .map_err(|_| format!("the {KEY_PERCENT} attribute “{encoded}” is not UTF-8"))?
                    .into_owned();
            }
        }
        Ok(OpenElement {
            key,
            children: serde_json::Map::new(),
            text: String::new(),
        })
    }

    /// The element's value: a hash of its children, its text, or `null` when empty.
    fn into_value(self) -> Result<(String, Value), String> {
        if self.children.is_empty() {
            let value = if self.text.is_empty() {
                Value::Null
            } else {
                Value::String(self.text)
            };
            return Ok((self.key, value));
        }
        if !self.text.trim().is_empty() {
            return Err(format!(
                "<{}> holds both elements and the text “{}”",
                self.key,
                self.text.trim()
            ));
        }
        Ok((self.key, Value::Object(self.children)))
    }

    /// Adds a child; a name that repeats becomes an array of the values, in order.
    fn add(&mut self, key: String, value: Value) {
        match self.children.get_mut(&key) {
            Some(Value::Array(items)) => items.push(value),
            Some(first) => {
                let first = first.take();
                self.children.insert(key, Value::Array(vec![first, value]));
            }
            None => {
                self.children.insert(key, value);
            }
        }
    }
}

/// Reads WHM's XML into the JSON tree it stands for: the inverse of [`to_xml_string`]
/// as far as XML allows.
///
/// The root element must be `<result>`; the value returned is what it holds
/// (usually a hash with `data` and `metadata`). Each element becomes a key of
/// its parent's hash; an element name that repeats becomes an array; an
/// element with child elements becomes a hash, one with text a string, an
/// empty one `null`. `<item key="...">` stands for the key in its attribute.
/// Whitespace between elements is ignored; text is kept as written
/// (entities and character references resolved). XML declarations, comments
/// and processing instructions are skipped.
///
/// XML cannot say everything JSON can: every scalar reads back as a string,
/// an array of one element reads back as that element, an empty array is
/// not there at all, and `null`, `""` and `{}` all read back as `null`.
/// Typed values read through [`crate::wire`] accept all of these forms.
pub fn from_xml_str(text: &str) -> Result<Value, XmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let at = |position: u64, message: String| {
        let offset = usize::try_from(position)
            .unwrap_or(usize::MAX)
            .min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        XmlError {
            message,
            line,
            column,
        }
    };
    let mut stack: Vec<OpenElement> = Vec::new();
    let mut root: Option<Value> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| at(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if stack.is_empty() && root.is_some() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(at(
                    position,
                    format!("a second root element <{name}> after </{ROOT}>"),
                ));
            }
            Event::Start(start) => {
                let element = OpenElement::new(&start).map_err(|m| at(position, m))?;
                if stack.is_empty() && element.key != ROOT {
                    return Err(at(
                        position,
                        format!("the root element is <{}>, not <{ROOT}>", element.key),
                    ));
                }
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = OpenElement::new(&start).map_err(|m| at(position, m))?;
                match stack.last_mut() {
                    Some(parent) => parent.add(element.key, Value::Null),
                    None if element.key == ROOT => root = Some(Value::Null),
                    None => {
                        return Err(at(
                            position,
                            format!("the root element is <{}>, not <{ROOT}>", element.key),
                        ));
                    }
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    return Err(at(position, "a closing tag without its opening tag".into()));
                };
                let (key, value) = element.into_value().map_err(|m| at(position, m))?;
                match stack.last_mut() {
                    Some(parent) => parent.add(key, value),
                    None => root = Some(value),
                }
            }
            Event::Text(content) => {
                let content = content
                    .xml10_content()
                    .map_err(|e| at(position, e.to_string()))?;
                match stack.last_mut() {
                    Some(element) => element.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => {
                        return Err(at(
                            position,
                            format!("text outside the root element: “{}”", content.trim()),
                        ));
                    }
                }
            }
            Event::CData(content) => {
                let content = content.decode().map_err(|e| at(position, e.to_string()))?;
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let name = reference
                    .decode()
                    .map_err(|e| at(position, e.to_string()))?;
                let resolved = quick_xml::escape::unescape(&format!("&{name};"))
                    .map_err(|e| at(position, e.to_string()))?
                    .into_owned();
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&resolved);
                }
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(at(
            reader.buffer_position(),
            format!("the text ends before </{}>", open.key),
        ));
    }
    root.ok_or_else(|| at(0, format!("there is no <{ROOT}> element")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
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

    #[test]
    fn reads_back_what_it_writes_as_far_as_xml_can_say() {
        let value = json!({
            "data": {"payload": [{"access_token": "a&b", "refresh_token": "<c>"}], "none": null},
            "metadata": {"command": "x", "version": 1, "result": true}
        });
        assert_eq!(
            from_xml_str(&to_xml_pretty(&value, 2)).unwrap(),
            json!({
                "data": {"payload": {"access_token": "a&b", "refresh_token": "<c>"}, "none": null},
                "metadata": {"command": "x", "version": "1", "result": "1"}
            })
        );
    }

    #[test]
    fn repeated_elements_become_arrays_and_item_keys_come_back() {
        let value = json!({"acl": ["a", "b", "c"], "domains": {"example.com": {"ssl": 1}, "two words": "x"}});
        assert_eq!(
            from_xml_str(&to_xml_string(&value)).unwrap(),
            json!({"acl": ["a", "b", "c"], "domains": {"example.com": {"ssl": "1"}, "two words": "x"}})
        );
    }

    #[test]
    fn reads_the_seed_page_xml_with_its_declaration_and_references() {
        let text = "<?xml version=\"1.0\"?>\n<!-- a comment -->\n<result>\n  <metadata>\n    \
                    <reason>A &amp; B &#x263A; <![CDATA[<raw>]]></reason>\n    <data><x> kept </x></data>\n  \
                    </metadata>\n</result>\n";
        assert_eq!(
            from_xml_str(text).unwrap(),
            json!({"metadata": {"reason": "A & B \u{263A} <raw>", "data": {"x": " kept "}}})
        );
        assert_eq!(from_xml_str("<result/>").unwrap(), Value::Null);
    }

    #[test]
    fn refuses_what_is_not_whms_xml_saying_where() {
        let err = from_xml_str("<result>\n  <a>1</b>\n</result>").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        let err = from_xml_str("<answer/>").unwrap_err();
        assert!(err.message.contains("not <result>"), "{err}");
        let err = from_xml_str("<result><a>1</a>").unwrap_err();
        assert!(err.message.contains("ends before </result>"), "{err}");
        let err = from_xml_str("<result><a>1<b/></a></result>").unwrap_err();
        assert!(err.message.contains("both elements and the text"), "{err}");
        let err = from_xml_str("<result/><result/>").unwrap_err();
        assert!(err.message.contains("second root"), "{err}");
        assert!(
            from_xml_str("  ")
                .unwrap_err()
                .message
                .contains("no <result>")
        );
    }

    #[test]
    fn keys_outside_ascii_names_take_the_escape_form() {
        // Rust calls these alphanumeric; XML parsers (of one edition or another) refuse them as names.
        let value = json!({"a²": 1, "ª": 2, "Ⅻ": 3, "user_1.x-y": 4, "xn--bcher": 5, "a:b": 6});
        assert_eq!(
            to_xml_string(&value),
            "<result><item key=\"a²\">1</item><item key=\"ª\">2</item><item key=\"Ⅻ\">3</item>\
             <user_1.x-y>4</user_1.x-y><xn--bcher>5</xn--bcher><item key=\"a:b\">6</item></result>"
        );
        assert_eq!(
            from_xml_str(&to_xml_string(&value)).unwrap(),
            json!({"a²": "1", "ª": "2", "Ⅻ": "3", "user_1.x-y": "4", "xn--bcher": "5", "a:b": "6"})
        );
    }

    #[test]
    fn keys_with_characters_xml_cannot_carry_come_back_exactly() {
        let value =
            json!({"a\u{1}b": "x", "a\u{2}b": "y", "50%\u{0}": "z", "tab\tand\nline\r": "w"});
        let xml = to_xml_string(&value);
        assert!(
            xml.starts_with("<result><item key=\"a\u{FFFD}b\" key-percent=\"a%01b\">x</item>"),
            "{xml}"
        );
        assert!(
            xml.contains("<item key=\"tab&#9;and&#10;line&#13;\">w</item>"),
            "{xml}"
        );
        assert_eq!(
            from_xml_str(&xml).unwrap(),
            json!({"a\u{1}b": "x", "a\u{2}b": "y", "50%\u{0}": "z", "tab\tand\nline\r": "w"})
        );
    }

    #[test]
    fn carriage_returns_in_text_survive_a_parser() {
        let value = json!({"text": "a\r\nb\rc"});
        let xml = to_xml_string(&value);
        assert_eq!(xml, "<result><text>a&#13;\nb&#13;c</text></result>");
        assert_eq!(from_xml_str(&xml).unwrap(), value);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(
            doc.root_element().first_child().unwrap().text(),
            Some("a\r\nb\rc")
        );
    }

    /// Any character, weighted towards the ones XML treats specially.
    fn any_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => any::<char>(),
            2 => proptest::char::range('\u{0}', '\u{7F}'),
            1 => proptest::sample::select(vec![
                '&', '<', '>', '"', '\'', '%', ':', '\t', '\n', '\r', '\u{0}', '\u{1b}',
                '\u{FFFE}', '\u{FFFF}', '\u{FFFD}', '²', 'ª', 'Ⅻ', '\u{B7}', '\u{300}',
                '\u{85}', '\u{2028}',
            ]),
        ]
    }

    fn any_text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(any_char(), 0..max).prop_map(|c| c.into_iter().collect())
    }

    /// Hashes of random keys, holding random text or (one level down) another such hash.
    fn any_tree() -> impl Strategy<Value = Value> {
        let leaf = || any_text(12).prop_map(Value::String);
        let inner = proptest::collection::btree_map(any_text(8), leaf(), 1..5)
            .prop_map(|m| Value::Object(m.into_iter().collect()));
        let member = prop_oneof![3 => leaf(), 1 => inner];
        proptest::collection::btree_map(any_text(8), member, 1..8)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    /// What the XML stands for: text with the characters XML cannot carry as
    /// U+FFFD, and empty text as `null` (keys stay exact).
    fn as_xml_says(value: &Value) -> Value {
        match value {
            Value::String(s) if s.is_empty() => Value::Null,
            Value::String(s) => Value::String(
                s.chars()
                    .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), as_xml_says(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any keys and values: a strict XML 1.0 parser (roxmltree) and quick-xml
        /// accept the document, and the runtime's reader gives back the keys exactly.
        #[test]
        fn any_keys_and_values_make_xml_that_parsers_accept(tree in any_tree(), pretty in any::<bool>()) {
            let xml = if pretty { to_xml_pretty(&tree, 2) } else { to_xml_string(&tree) };
            let strict = roxmltree::Document::parse(&xml);
            prop_assert!(strict.is_ok(), "roxmltree refused {xml:?}: {:?}", strict.err());
            let mut reader = quick_xml::Reader::from_str(&xml);
            reader.config_mut().check_end_names = true;
            loop {
                match reader.read_event() {
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => prop_assert!(false, "quick-xml refused {xml:?}: {e}"),
                }
            }
            prop_assert_eq!(from_xml_str(&xml).unwrap(), as_xml_says(&tree));
        }
    }
}
