//! Helpers every Rust emitter shares: formatting, doc comments, identifiers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{FileKind, OutputFile};
use crate::ident::unraw;
use crate::ir::Category;

/// Formats a token stream as a Rust file with prettyplease, then with
/// [`tidy`](super::tidy::tidy): blank lines between items, long literals wrapped.
///
/// Emitters build their tokens with `quote!`, so a parse failure here is a
/// bug in an emitter, not in a spec; the message says which file.
pub fn format_file(path: &str, tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => super::tidy::tidy(&prettyplease::unparse(&file)),
        Err(err) => panic!("emitter bug: {path} is not valid Rust: {err}"),
    }
}

/// `#[doc = "..."]` attributes for Markdown text, one per line, so rustdoc
/// shows the spec's description as written.
pub fn doc_attrs(markdown: &str) -> TokenStream {
    let lines: Vec<TokenStream> = markdown
        .trim_end()
        .lines()
        .map(|line| {
            let line = format!(" {line}");
            quote!(#[doc = #line])
        })
        .collect();
    quote!(#(#lines)*)
}

/// An identifier token for a name the front end already made valid (raw for keywords).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// A formatted Rust file at `path`.
pub fn rust_file(path: &str, tokens: TokenStream) -> OutputFile {
    OutputFile::text(path, FileKind::Rust, format_file(path, tokens))
}

/// One formatted Rust file per category, `DIR/MODULE.rs`, made by `file`.
pub fn category_files<'a>(
    dir: &str,
    categories: impl IntoIterator<Item = &'a Category>,
    file: impl Fn(&Category) -> TokenStream,
) -> Vec<OutputFile> {
    categories
        .into_iter()
        .map(|category| {
            rust_file(
                &format!("{dir}/{}.rs", unraw(&category.module)),
                file(category),
            )
        })
        .collect()
}

/// A `macro_rules! NAME` without arguments that expands to `items` (a
/// trait's or an impl's methods), followed by the `use` that lets the parent
/// module call it as `MODULE::NAME!()`: how one category's file adds its
/// methods to a trait or impl that lives in the parent module.
///
/// prettyplease prints a macro's body as one run of tokens, so the items are
/// formatted as the body of `wrapper` (`trait Items`) and indented into the
/// macro here, to read like any other code.
pub fn item_macro(
    path: &str,
    name: &str,
    doc: &str,
    wrapper: TokenStream,
    items: TokenStream,
) -> String {
    let formatted = format_file(path, quote!(#wrapper { #items }));
    let lines: Vec<&str> = formatted.lines().collect();
    // The first line opens the wrapper and the last closes it; `Items {}` alone has no body.
    let body = if lines.len() > 2 {
        &lines[1..lines.len() - 1]
    } else {
        &[][..]
    };
    let mut out = String::new();
    for line in doc.lines() {
        out.push_str(format!("/// {line}").trim_end());
        out.push('\n');
    }
    out.push_str(&format!("macro_rules! {name} {{\n    () => {{\n"));
    for line in body {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(&format!("    }};\n}}\npub(super) use {name};\n"));
    out
}

/// Text on one line, its runs of white space made single spaces: a
/// category's title (which YAML may fold) as doc comments and headings show it.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
