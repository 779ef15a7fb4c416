//! Markdown from spec files, rendered to HTML that cannot carry markup of its own.
//!
//! Spec text is trusted to be Markdown, not HTML: raw HTML (blocks and inline
//! tags) is shown as text, link and image targets are limited to `http`,
//! `https`, `mailto` and relative addresses, and images become links so that
//! a page never loads anything from outside the site. Text and attributes are
//! escaped by pulldown-cmark's HTML writer.

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
    let events = sanitize(Parser::new_ext(markdown, options()), links);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Renders Markdown meant for one line (a table cell): without the paragraph wrapper.
pub fn render_inline(markdown: &str, links: LinkContext<'_>) -> String {
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
    let mut used: Vec<String> = Vec::new();
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
            let mut n = 1;
            while used.contains(&slug) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            used.push(slug.clone());
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
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        assert_eq!(
            render_inline("A *valid* `token`.", NO_GUIDES),
            "A <em>valid</em> <code>token</code>."
        );
    }
}
