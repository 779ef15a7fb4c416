//! The last touch of every generated Rust file: blank lines between items
//! and long string literals wrapped, which prettyplease does not do.
//!
//! prettyplease keeps no blank lines and never breaks a literal, so its
//! output runs items together and leaves help texts on lines of 500
//! characters. [`tidy`] reads its output by lines, relying on the shape
//! prettyplease always gives it: a block opens with a line ending in `{` and
//! closes with a line starting with `}` at the opener's indentation, and
//! nothing the emitters write holds a multi-line string literal (quote
//! writes `\n` escapes) until this pass adds `\` continuations.

/// The width past which [`tidy`] wraps a line that is one string literal.
pub const WRAP_WIDTH: usize = 100;

/// Makes prettyplease's output read like hand-formatted Rust: a blank line
/// between the items of a file, module, `impl` or trait (but not between
/// consecutive `use` or `mod NAME;` lines, one-line items such as `const`s,
/// nor inner doc lines), and a string literal that stands alone on a line
/// longer than [`WRAP_WIDTH`] (help texts) wrapped with `\` line
/// continuations, which leave its value unchanged.
pub fn tidy(formatted: &str) -> String {
    let mut out = String::with_capacity(formatted.len() + formatted.len() / 16);
    // The open blocks: (indentation of the opening line, holds items).
    let mut blocks: Vec<(usize, bool)> = Vec::new();
    // Per item container depth: the kind of the last item started there.
    let mut last: Vec<Option<Kind>> = vec![None];
    // The head line of the item being read at the innermost container.
    let mut head: Option<String> = None;
    // Inside a block doc comment (`/** ... */`, which prettyplease writes for
    // docs of several lines): its lines are text, passed through as they are.
    let mut in_comment = false;
    for line in formatted.lines() {
        if in_comment {
            in_comment = !line.contains("*/");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if (trimmed.starts_with("/**") || trimmed.starts_with("/*!"))
            && !trimmed[3..].contains("*/")
        {
            in_comment = true;
        }
        // A closing line ends the innermost block; leaving a container of
        // items drops its level.
        if trimmed.starts_with('}')
            && blocks.last().is_some_and(|(open, _)| *open == indent)
            && let Some((_, true)) = blocks.pop()
        {
            last.pop();
        }
        let container_indent = match blocks.last() {
            None => Some(0),
            Some((open, true)) => Some(open + 4),
            Some((_, false)) => None,
        };
        if container_indent == Some(indent) && !trimmed.is_empty() && !trimmed.starts_with('}') {
            let kind = Kind::of(trimmed);
            let previous = last.last_mut().expect("a level per container");
            let starts_item = previous.is_none_or(|p| p.ended);
            if starts_item {
                if let Some(p) = previous {
                    let together = (p.grouped && kind.grouped)
                        || (p.inner && kind.inner)
                        || (p.one_line && kind.one_line);
                    if !together {
                        out.push('\n');
                    }
                }
                head = None;
            }
            if !kind.attribute && head.is_none() {
                head = Some(trimmed.to_owned());
            }
            let ended = kind.inner
                || (!kind.attribute
                    && (trimmed.ends_with(';')
                        || (trimmed.ends_with('}') && !trimmed.ends_with('{'))));
            *previous = Some(Kind {
                ended,
                one_line: starts_item && kind.one_line,
                ..kind
            });
        } else if container_indent == Some(indent) && trimmed.starts_with('}') {
            // The closing line of a multi-line item at this level.
            if let Some(Some(p)) = last.last_mut() {
                p.ended = true;
            }
        }
        if trimmed.ends_with('{') && !in_comment {
            let holds_items =
                container_indent == Some(indent) && head.as_deref().is_some_and(is_item_container);
            if holds_items {
                last.push(None);
                head = None;
            }
            blocks.push((indent, holds_items));
        }
        if line.len() > WRAP_WIDTH {
            wrap_literal(line, indent, &mut out);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// What [`tidy`] needs to know of an item's line.
#[derive(Clone, Copy)]
struct Kind {
    /// A doc comment or attribute: part of the item that follows.
    attribute: bool,
    /// `use` or `mod NAME;`, which stay together without blank lines.
    grouped: bool,
    /// An inner doc comment or attribute (`//!`, `#![...]`).
    inner: bool,
    /// An item of one line without docs or attributes (`const N: u8 = 1;`):
    /// a run of them stays together, as `use` lines do.
    one_line: bool,
    /// Whether the item has ended with this line.
    ended: bool,
}

impl Kind {
    fn of(trimmed: &str) -> Kind {
        let inner =
            trimmed.starts_with("//!") || trimmed.starts_with("/*!") || trimmed.starts_with("#![");
        // Outer docs, attributes and comments belong to the item below them.
        let attribute = !inner
            && (trimmed.starts_with("//")
                || trimmed.starts_with("/*")
                || trimmed.starts_with("#["));
        let word = trimmed
            .strip_prefix("pub ")
            .or_else(|| trimmed.strip_prefix("pub(crate) "))
            .unwrap_or(trimmed);
        let grouped =
            word.starts_with("use ") || (word.starts_with("mod ") && trimmed.ends_with(';'));
        Kind {
            attribute,
            grouped,
            inner,
            one_line: !attribute && !inner && trimmed.ends_with(';'),
            ended: false,
        }
    }
}

/// Whether an item's head line opens a block of items (module, `impl`, trait).
fn is_item_container(head: &str) -> bool {
    let word = head
        .strip_prefix("pub ")
        .or_else(|| head.strip_prefix("pub(crate) "))
        .unwrap_or(head);
    let word = word.strip_prefix("unsafe ").unwrap_or(word);
    ["mod ", "impl ", "impl<", "trait ", "extern "]
        .iter()
        .any(|k| word.starts_with(k))
}

/// Writes `line`, a line longer than [`WRAP_WIDTH`]: when it is one plain
/// string literal (with a trailing `,`, `)` or `;`), broken at spaces into
/// `\`-continued lines indented one step deeper than the literal; otherwise as
/// it is.
fn wrap_literal(line: &str, indent: usize, out: &mut String) {
    let trimmed = &line[indent..];
    let Some(body_end) = literal_end(trimmed) else {
        out.push_str(line);
        return;
    };
    let continuation = " ".repeat(indent + 1);
    let bytes = trimmed.as_bytes();
    let mut start = 0;
    let mut last_break = None;
    let mut i = 1;
    while i < body_end {
        match bytes[i] {
            b'\\' => i += 1,
            // A break after this space keeps it; the continuation swallows the
            // newline and the next line's leading whitespace, so a space
            // followed by more whitespace cannot be a break.
            b' ' if !matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => last_break = Some(i + 1),
            _ => {}
        }
        i += 1;
        let width = if start == 0 {
            indent
        } else {
            continuation.len()
        } + (i - start);
        if width > WRAP_WIDTH - 2
            && let Some(at) = last_break.filter(|&at| at > start)
        {
            if start == 0 {
                out.push_str(&line[..indent]);
            } else {
                out.push_str(&continuation);
            }
            out.push_str(&trimmed[start..at]);
            out.push_str("\\\n");
            start = at;
            last_break = None;
        }
    }
    if start == 0 {
        out.push_str(line);
    } else {
        out.push_str(&continuation);
        out.push_str(&trimmed[start..]);
    }
}

/// Where the closing quote of a line that is one plain string literal is
/// (the byte index in `trimmed`), or `None` when the line is something else.
fn literal_end(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                let rest = &trimmed[i + 1..];
                return matches!(rest, "" | "," | ")" | ");" | ")," | ";").then_some(i);
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_between_items() {
        let input = "//! Docs.\n//! More.\nuse a::b;\nuse c::{\n    d, e,\n};\nmod x;\n/// A.\n#[derive(Debug)]\npub struct A {\n    pub f: u8,\n    pub g: u8,\n}\nimpl A {\n    /// New.\n    pub fn new() -> Self {\n        let a = 1;\n        let b = 2;\n        Self { f: a, g: b }\n    }\n    pub fn other(&self) {}\n}\nimpl<F> T for A\nwhere\n    F: X,\n{\n    const N: u8 = 1;\n    fn f() {}\n}\npub const L: &[u8] = &[\n    1,\n    2,\n];\nfn last() {}\n";
        let expected = "//! Docs.\n//! More.\n\nuse a::b;\nuse c::{\n    d, e,\n};\nmod x;\n\n/// A.\n#[derive(Debug)]\npub struct A {\n    pub f: u8,\n    pub g: u8,\n}\n\nimpl A {\n    /// New.\n    pub fn new() -> Self {\n        let a = 1;\n        let b = 2;\n        Self { f: a, g: b }\n    }\n\n    pub fn other(&self) {}\n}\n\nimpl<F> T for A\nwhere\n    F: X,\n{\n    const N: u8 = 1;\n\n    fn f() {}\n}\n\npub const L: &[u8] = &[\n    1,\n    2,\n];\n\nfn last() {}\n";
        assert_eq!(tidy(input), expected, "{}", tidy(input));
    }

    #[test]
    fn block_doc_comments_are_text() {
        let input = "/*! Inner {\n} docs.\n*/\nuse a;\n/** Docs {\n}\n*/\npub mod m {\n    fn f() {}\n    fn g() {}\n}\nfn h() {}\n";
        let expected = "/*! Inner {\n} docs.\n*/\n\nuse a;\n\n/** Docs {\n}\n*/\npub mod m {\n    fn f() {}\n\n    fn g() {}\n}\n\nfn h() {}\n";
        assert_eq!(tidy(input), expected, "{}", tidy(input));
    }

    #[test]
    fn long_literals_wrap_with_the_same_value() {
        let text = "This function returns the same details of one account that listaccts returns for each: its domain, addresses, owner, plan, limits and usage, suspension and mail settings.\\n\\nSince cPanel & WHM version 11.32.  Two  spaces stay.";
        let line = format!("        .long_about(\n            \"{text}\",\n        )\n");
        let out = tidy(&line);
        assert!(out.lines().all(|l| l.len() <= WRAP_WIDTH), "{out}");
        assert!(out.lines().count() > 4, "{out}");
        // Undo the continuations as the compiler does.
        let mut joined = String::new();
        let mut continued = false;
        for l in out.lines() {
            let l = if continued { l.trim_start() } else { l };
            match l.strip_suffix('\\') {
                Some(kept) => {
                    joined.push_str(kept);
                    continued = true;
                }
                None => {
                    joined.push_str(l);
                    joined.push('\n');
                    continued = false;
                }
            }
        }
        assert!(joined.contains(text), "{joined}");
        // A long line that is not a lone literal stays.
        let code = format!("    let x = \"{text}\";\n");
        assert_eq!(tidy(&code), code);
    }
}
