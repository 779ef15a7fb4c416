//! Markdown from spec files, rendered to HTML that cannot carry markup of its own.
//!
//! Spec text is trusted to be Markdown, not HTML: raw HTML (blocks and inline
//! tags) is shown as text, link and image targets are limited to `http`,
//! `https`, `mailto` and relative addresses, and images become links so that
//! a page never loads anything from outside the site. Text and attributes are
//! escaped by pulldown-cmark's HTML writer.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// What links in Markdown may point at, besides the web: the site's guide pages.
#[derive(Debug, Clone, Copy)]
pub struct LinkContext<'a> {
    /// The relative path from the current page to the site root (`""` or `"../"`).
    pub root: &'a str,
    /// The slugs of the guide pages, so that `01-introduction.md` links resolve.
    pub guide_slugs: &'a [String],
}

/// Renders Markdown as block HTML (paragraphs, lists, tables, code blocks).
pub fn render_block(markdown: &str, links: LinkContext<'_>) -> String {
    if let Some(text) = plain_text(markdown) {
        return format!("<p>{text}</p>\n");
    }
    let events = sanitize(Parser::new_ext(markdown, options()), links);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Renders Markdown meant for one line (a table cell): without the paragraph wrapper.
pub fn render_inline(markdown: &str, links: LinkContext<'_>) -> String {
    if let Some(text) = plain_text(markdown) {
        return text.to_string();
    }
    let events = sanitize(Parser::new_ext(markdown, options()), links)
        .into_iter()
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// Renders a guide page: block HTML whose headings carry ids for permalinks.
pub fn render_guide(markdown: &str, links: LinkContext<'_>) -> String {
    let mut events = sanitize(Parser::new_ext(markdown, options()), links);
    add_heading_ids(&mut events);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Text that Markdown would show exactly as written, as one paragraph
/// needing no escaping, trimmed at the end; `None` for anything else.
///
/// Most spec text (summaries, field descriptions, possible values) is such
/// plain prose, and this check is much cheaper than parsing it: every line
/// starts with a letter (so no list, heading, quote, code block or setext
/// underline) and ends without a space (no hard break), and no character
/// can start inline markup, an HTML tag, an entity or a table cell. The
/// tests compare it with the parser on many texts.
fn plain_text(markdown: &str) -> Option<&str> {
    let text = markdown.trim_end_matches([' ', '\t', '\n']);
    let bytes = text.as_bytes();
    let mut line_start = true;
    let mut prev = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if line_start && !b.is_ascii_alphabetic() {
            return None;
        }
        line_start = b == b'\n';
        match b {
            b'\n' if prev == b' ' => return None,
            b'\n' => {}
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'!' | b'<' | b'>' | b'&' | b'|' | b'~' => {
                return None;
            }
            // Control characters: ASCII ones and U+0080 to U+009F.
            0..=0x1f | 0x7f => return None,
            0xc2 if bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => return None,
            _ => {}
        }
        prev = b;
    }
    (!text.is_empty()).then_some(text)
}

/// The Markdown extensions spec text may use. Heading attributes stay off:
/// they would let spec text add arbitrary attributes (`{onclick=...}`).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Turns raw HTML into text, drops unsafe links and turns images into links.
fn sanitize<'a>(parser: Parser<'a>, links: LinkContext<'_>) -> Vec<Event<'a>> {
    // One entry per open link or image: whether its start tag was kept.
    let mut open_links: Vec<bool> = Vec::new();
    let mut out = Vec::new();
    for event in parser {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => out.push(Event::Text(text)),
            Event::Start(Tag::HtmlBlock) => out.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => out.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match safe_url(&dest_url, links) {
                Some(url) => {
                    open_links.push(true);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }));
                }
                None => open_links.push(false),
            },
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if open_links.pop().unwrap_or(false) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The address a Markdown link may keep, or `None` when its scheme is not allowed.
///
/// Browsers ignore tabs and newlines inside URLs and leading control
/// characters, so the scheme is read after removing them the same way.
/// Relative links to `NN-slug.md` guide files become links to guide pages.
pub fn safe_url(dest: &str, links: LinkContext<'_>) -> Option<String> {
    let cleaned: String = dest
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c <= ' ');
    if let Some(colon) = trimmed.find(':') {
        let before = &trimmed[..colon];
        if !before.contains(['/', '?', '#']) {
            let scheme = before.to_ascii_lowercase();
            return matches!(scheme.as_str(), "http" | "https" | "mailto")
                .then(|| trimmed.to_string());
        }
    }
    Some(resolve_guide_link(trimmed, links).unwrap_or_else(|| trimmed.to_string()))
}

/// `02-output-options.md#sort-output` to `../guides/02-output-options.html#sort-output`.
fn resolve_guide_link(dest: &str, links: LinkContext<'_>) -> Option<String> {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let file = path.rsplit('/').next()?.strip_suffix(".md")?;
    let wanted = strip_order_prefix(file);
    let slug = links
        .guide_slugs
        .iter()
        .find(|s| strip_order_prefix(s) == wanted)?;
    let mut url = format!("{}guides/{}.html", links.root, super::page_stem(slug));
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    Some(url)
}

/// `01-introduction` to `introduction`: guide files are ordered by a number prefix.
pub fn strip_order_prefix(stem: &str) -> &str {
    match stem.split_once('-') {
        Some((digits, rest))
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest
        }
        _ => stem,
    }
}

/// Gives every heading without an id one made from its text, unique on the page.
fn add_heading_ids(events: &mut [Event<'_>]) {
    // The ids given, and for each base the next suffix to try: linear in the headings.
    let mut used: HashSet<String> = HashSet::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            id: None, level, ..
        }) = &events[i]
        {
            let level: HeadingLevel = *level;
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = slugify(&text);
            let mut slug = base.clone();
            let n = next.entry(base.clone()).or_insert(1);
            while used.contains(&slug) {
                *n += 1;
                slug = format!("{base}-{n}");
            }
            used.insert(slug.clone());
            events[i] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(slug)),
                classes: Vec::new(),
                attrs: Vec::new(),
            });
        }
        i += 1;
    }
}

/// Lower-case ASCII letters and digits joined by `-`: safe in ids and URLs.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_GUIDES: LinkContext<'static> = LinkContext {
        root: "../",
        guide_slugs: &[],
    };

    /// The parser's rendering, without the plain-text shortcut.
    fn parsed_block(markdown: &str) -> String {
        let events = sanitize(Parser::new_ext(markdown, options()), NO_GUIDES);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    /// Whenever the shortcut takes a text, it renders it as the parser does:
    /// checked on texts built from characters that matter to Markdown.
    #[test]
    fn plain_text_shortcut_renders_like_the_parser() {
        // Characters that matter to Markdown, the first ones allowed in plain text.
        let pieces = [
            "a",
            "Word",
            " ",
            "  ",
            "\n",
            "\n\n",
            "1",
            "1.",
            "2)",
            "-",
            "+",
            "=",
            "#",
            "##",
            ".",
            ",",
            ":",
            ";",
            "'",
            "\"",
            "(",
            ")",
            "/",
            "?",
            "%",
            "=",
            "$",
            "^",
            "{",
            "}",
            "@",
            "é",
            "—",
            "™",
            "\u{a0}",
            "\u{2003}",
            "\t",
            "http://x.example/a?b=c#d",
            "    code",
            "===",
            "---",
            "\r",
            "\u{0}",
            "*",
            "_",
            "`",
            "<",
            ">",
            "&",
            "|",
            "~",
            "[",
            "]",
            "!",
            "\\",
            "&amp;",
            "> quote",
        ];
        let plain_pieces = pieces.len() - 14;
        // A small linear congruential generator: the same texts on every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        let mut taken = 0;
        for _ in 0..20_000 {
            let len = 1 + next(12);
            let alphabet = if next(2) == 0 {
                pieces.len()
            } else {
                plain_pieces
            };
            // Often a word first, as prose starts: the interesting part is what follows.
            let mut text = String::from(["", "Word "][next(2)]);
            for _ in 0..len {
                text.push_str(pieces[next(alphabet)]);
            }
            if let Some(plain) = plain_text(&text) {
                taken += 1;
                assert_eq!(format!("<p>{plain}</p>\n"), parsed_block(&text), "{text:?}");
            }
        }
        assert!(taken > 1_000, "the shortcut took only {taken} texts");
        for text in [
            "The account's username.",
            "Whether to leave the account's FTP accounts enabled.\nOtherwise, suspend them.\n",
            "An array of hashes of token information.",
            "cPanel & WHM version 62",
            "Use WHM's *API Shell*",
            "1. first",
            "Title\n===",
        ] {
            if let Some(plain) = plain_text(text) {
                assert_eq!(format!("<p>{plain}</p>\n"), parsed_block(text), "{text:?}");
            }
        }
        assert_eq!(plain_text("cPanel & WHM"), None);
        assert_eq!(plain_text("Any valid URL."), Some("Any valid URL."));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render_block(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>",
            NO_GUIDES,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn unsafe_link_schemes_are_dropped_but_their_text_kept() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JavaScript:alert(1))",
            "[click](<java\tscript:alert(1)>)",
            "[click](javascript&colon;alert(1))",
            "[click](data:text/html,<script>alert(1)</script>)",
            "[click](vbscript:msgbox)",
            "![click](javascript:alert(1))",
        ] {
            let html = render_inline(md, NO_GUIDES);
            assert!(!html.contains("<a"), "{md} -> {html}");
            assert!(
                !html.to_ascii_lowercase().contains("script:"),
                "{md} -> {html}"
            );
            assert!(html.contains("click"), "{md} -> {html}");
        }
        let auto = render_inline("<javascript:alert(1)>", NO_GUIDES);
        assert!(!auto.contains("<a"), "{auto}");
    }

    #[test]
    fn web_links_stay_and_images_become_links() {
        let html = render_inline("[docs](https://example.com/?a=1&b=\"2\")", NO_GUIDES);
        assert_eq!(
            html,
            "<a href=\"https://example.com/?a=1&amp;b=%222%22\">docs</a>"
        );
        let img = render_inline("![logo](https://example.com/logo.png)", NO_GUIDES);
        assert!(
            img.starts_with("<a href=\"https://example.com/logo.png\">"),
            "{img}"
        );
        assert!(!img.contains("<img"), "{img}");
    }

    #[test]
    fn guide_file_links_become_page_links() {
        let slugs = vec![
            "01-introduction".to_string(),
            "02-output-options".to_string(),
        ];
        let links = LinkContext {
            root: "../",
            guide_slugs: &slugs,
        };
        let html = render_inline("[sorting](02-output-options.md#sort-output)", links);
        assert_eq!(
            html,
            "<a href=\"../guides/02-output-options.html#sort-output\">sorting</a>"
        );
        let slugs = vec!["output-options".to_string()];
        let links = LinkContext {
            root: "",
            guide_slugs: &slugs,
        };
        let html = render_inline("[o](02-output-options.md)", links);
        assert_eq!(html, "<a href=\"guides/output-options.html\">o</a>");
    }

    #[test]
    fn guide_headings_get_unique_ids() {
        let html = render_guide("# Title\n\n## Sort `output`\n\n## Sort output\n", NO_GUIDES);
        assert!(html.contains("<h1 id=\"title\">"), "{html}");
        assert!(html.contains("<h2 id=\"sort-output\">"), "{html}");
        assert!(html.contains("<h2 id=\"sort-output-2\">"), "{html}");
        let html = render_guide("# A-2\n\n## A\n\n## A\n\n## A\n", NO_GUIDES);
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .collect();
        assert_eq!(ids, ["a-2", "a", "a-3", "a-4"], "{html}");
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        assert_eq!(
            render_inline("A *valid* `token`.", NO_GUIDES),
            "A <em>valid</em> <code>token</code>."
        );
    }
}
