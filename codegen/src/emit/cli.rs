//! The cli emitter: clap arguments for every function and the `whmapi1` binary.
//!
//! Each function becomes one function returning a `whm_runtime::cli::Function`:
//! a clap `Command` whose help is the spec's summary, description, notes and
//! examples, with one argument per parameter carrying its type (as the value
//! name), whether it is required, its documented values, default and example.
//! Checking the values is left to the function's request type
//! (`from_params`), and everything else (reading `key=value` words, settings,
//! output, exit codes) to `whm_runtime::cli`, so the generated code is only
//! the spec, said in clap.
//!
//! ```text
//! generated/src/cli/mod.rs          the categories (each behind its cargo feature), `main`
//! generated/src/cli/CATEGORY.rs     one function per WHM API 1 function, and `functions()`
//! generated/src/bin/whmapi1.rs      the binary
//! ```

use std::collections::HashSet;

use proc_macro2::TokenStream;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use quote::quote;

use super::crate_files::{CrateFeature, gated};
use super::rust::{category_files, format_file, ident, one_line};
use super::{FileKind, OutputFile};
use crate::ir::{Api, Category, Field, Function, ListStyle, Type, format_words};

/// The `cli` feature of the generated crate.
pub fn feature() -> CrateFeature {
    CrateFeature {
        name: "cli",
        summary: "the `whmapi1` command line: clap arguments for every function, checked against its spec",
        enables: vec!["client", "whm-runtime/cli"],
        dependencies: vec![],
        bins: vec![("whmapi1", "src/bin/whmapi1.rs")],
    }
}

/// The files of `generated/src/cli/` and the `whmapi1` binary.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let categories: Vec<&Category> = api
        .categories
        .iter()
        .filter(|c| !c.functions.is_empty())
        .collect();
    let unspecified = unspecified(api);
    let mut files = vec![mod_rs(&unspecified, &categories), binary()];
    files.extend(category_files("generated/src/cli", categories, |c| {
        category_file(c, &unspecified)
    }));
    files
}

/// The entries of `unspecified` filed under `category` in the catalogue.
fn unspecified_in<'a>(
    unspecified: &'a [(String, String)],
    category: &'a Category,
) -> impl Iterator<Item = &'a (String, String)> {
    unspecified
        .iter()
        .filter(move |(title, _)| *title == category.title)
}

fn mod_rs(all_unspecified: &[(String, String)], categories: &[&Category]) -> OutputFile {
    let path = "generated/src/cli/mod.rs";
    // A category with specs lists its catalogue functions without one in its own
    // file, so a new spec there changes that file only; the rest stay here.
    let unspecified = all_unspecified
        .iter()
        .filter(|(title, _)| !categories.iter().any(|c| c.title == *title))
        .map(|(category, name)| quote!((#category, #name)));
    let category_unspecified = gated(
        categories,
        |_, module| quote!(all.extend_from_slice(#module::UNSPECIFIED);),
    );
    let modules = gated(categories, |c, module| {
        let doc = format!(" {}: command-line arguments.", one_line(&c.title));
        quote!(#[doc = #doc] pub mod #module;)
    });
    let functions = gated(
        categories,
        |_, module| quote!(functions.extend(#module::functions());),
    );
    let tokens = quote! {
        //! The `whmapi1` command line: clap arguments for every function, generated from its spec.
        //!
        //! `whmapi1 [--output=json|jsonpretty|yaml|xml] FUNCTION key=value ...` takes the form of
        //! cPanel's own `whmapi1`, and `--key value` flags as well. Arguments are checked against the
        //! spec (through each request type's `from_params`) before anything is sent; the machinery
        //! (settings, output formats, exit codes) is `whm_runtime::cli`.

        #(#modules)*

        /// WHM API 1 functions of the catalogue that have no spec yet, in categories
        /// without specs, as (category, name): `whmapi1` calls them too, sending their
        /// `key=value` words unchecked. Those of a category with specs are in its
        /// module's `UNSPECIFIED`; [`unspecified`] lists them all.
        pub const UNSPECIFIED: &[(&str, &str)] = &[#(#unspecified),*];

        /// Every catalogue function without a spec that the command line knows, as
        /// (category, name): those of the enabled categories, then [`UNSPECIFIED`].
        pub fn unspecified() -> Vec<(&'static str, &'static str)> {
            let mut all = Vec::new();
            #(#category_unspecified)*
            all.extend_from_slice(UNSPECIFIED);
            all
        }

        /// Every function the command line knows: those of the enabled categories
        /// (cargo features named as the categories; all by default), category by
        /// category in display order, specified ones first, then those of [`UNSPECIFIED`].
        pub fn functions() -> Vec<whm_runtime::cli::Function> {
            let mut functions = Vec::new();
            #(#functions)*
            functions.extend(
                UNSPECIFIED.iter().map(|(category, name)| whm_runtime::cli::Function::unchecked(category, name)),
            );
            functions
        }

        /// Runs `whmapi1` with the process's arguments, environment and standard streams.
        pub fn main() -> std::process::ExitCode {
            whm_runtime::cli::main(functions())
        }
    };
    OutputFile::text(path, FileKind::Rust, format_file(path, tokens))
}

/// The catalogue's functions that have no spec, as (category title, name), in
/// catalogue order: names rebuilt by guesswork (`unsure`), names that are not
/// plain function names, and repeats are left out.
fn unspecified(api: &Api) -> Vec<(String, String)> {
    let specified: HashSet<&str> = api.functions().map(|f| f.name.as_str()).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for category in &api.catalog {
        for entry in &category.functions {
            let plain = !entry.name.is_empty()
                && entry
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            if entry.specified_in.is_none()
                && !entry.unsure
                && plain
                && !specified.contains(entry.name.as_str())
                && seen.insert(entry.name.as_str())
            {
                out.push((category.title.clone(), entry.name.clone()));
            }
        }
    }
    out
}

fn binary() -> OutputFile {
    let path = "generated/src/bin/whmapi1.rs";
    let tokens = quote! {
        //! `whmapi1`: calls WHM API 1 functions on a WHM server, as cPanel's `whmapi1` does.
        //!
        //! `whmapi1 --help` describes the options, `whmapi1 --list` lists the functions and
        //! `whmapi1 FUNCTION --help` describes one function's parameters.

        fn main() -> std::process::ExitCode {
            whm_api::cli::main()
        }
    };
    OutputFile::text(path, FileKind::Rust, format_file(path, tokens))
}

fn category_file(category: &Category, unspecified: &[(String, String)]) -> TokenStream {
    let unchecked = unspecified_in(unspecified, category).map(|(_, name)| quote!(#name));
    let title_text = &category.title;
    let title = format!(
        " {}: command-line arguments of its functions.",
        one_line(&category.title)
    );
    let functions = category
        .functions
        .iter()
        .map(|f| function_item(f, &category.title));
    let all = category.functions.iter().map(|f| {
        let function = ident(&f.rust.method);
        quote!(#function())
    });
    // `cli::param` is only named when some function has parameters.
    let cli_module = category
        .functions
        .iter()
        .any(|f| !f.params.is_empty())
        .then(|| quote!(self,));
    quote! {
        #![doc = #title]

        use whm_runtime::cli::{#cli_module Function, clap::Command};

        /// The catalogue's functions of this category that have no spec yet: `whmapi1`
        /// calls them too, sending their `key=value` words unchecked.
        pub const UNSPECIFIED: &[(&str, &str)] = &[#((#title_text, #unchecked)),*];

        /// The category's functions: the specified ones in display order, then those of [`UNSPECIFIED`].
        pub fn functions() -> Vec<Function> {
            let mut functions = vec![#(#all),*];
            functions.extend(UNSPECIFIED.iter().map(|(category, name)| Function::unchecked(category, name)));
            functions
        }

        #(#functions)*
    }
}

/// One function's `fn NAME() -> Function`.
fn function_item(f: &Function, category_title: &str) -> TokenStream {
    let function = ident(&f.rust.method);
    let request = ident(&f.rust.request);
    let doc = format!(" `{}`: {}", f.name, one_line(&f.summary));
    let name = &f.name;
    let usage = usage(f);
    let about = one_line(&plain_text(&f.summary));
    let long_about = long_about(f);
    let examples = examples(f);
    let after_long_help = (!examples.is_empty()).then(|| quote!(.after_long_help(#examples)));
    // A parameter named by a pattern has no flag: its words are `MXCHECK-example.com=local`.
    let args = f
        .params
        .iter()
        .filter(|p| p.pattern_prefix.is_none())
        .map(param_arg);
    let patterns: Vec<&str> = f
        .params
        .iter()
        .filter_map(|p| p.pattern_prefix.as_deref())
        .collect();
    let patterns = (!patterns.is_empty()).then(|| quote!(.pattern_params(&[#(#patterns),*])));
    let from_zero: Vec<&str> = f
        .params
        .iter()
        .filter(|p| matches!(&p.ty, Type::Array(a) if a.style == ListStyle::Numbered && a.first_index == 0))
        .map(|p| p.name.as_str())
        .collect();
    let from_zero =
        (!from_zero.is_empty()).then(|| quote!(.numbered_from_zero(&[#(#from_zero),*])));
    let generic = f.list_output.then(|| quote!(.generic_options()));
    let numbered: Vec<&str> = f
        .params
        .iter()
        .filter(|p| matches!(&p.ty, Type::Array(a) if a.style == ListStyle::Numbered))
        .map(|p| p.name.as_str())
        .collect();
    let numbered = (!numbered.is_empty()).then(|| quote!(.numbered_lists(&[#(#numbered),*])));
    quote! {
        #[doc = #doc]
        pub fn #function() -> Function {
            let command = Command::new(#name)
                .override_usage(#usage)
                .about(#about)
                .long_about(#long_about)
                #after_long_help
                #(#args)*;
            Function::new::<crate::types::#request>(#category_title, command) #generic #numbered #from_zero #patterns
        }
    }
}

/// The usage line, in whmapi1's form: the required parameters as `key=TYPE` words.
fn usage(f: &Function) -> String {
    let mut line = format!("whmapi1 [OPTIONS] {}", f.name);
    for p in f.params.iter().filter(|p| p.required) {
        let item = match &p.ty {
            Type::Array(array) => array.items.as_ref(),
            other => other,
        };
        line.push_str(&format!(" {}={}", p.name, value_name(item)));
    }
    if f.params.iter().any(|p| !p.required) || f.list_output {
        line.push_str(" [KEY=VALUE]...");
    }
    line
}

/// The function's long help: description, notes, raw output, version.
fn long_about(f: &Function) -> String {
    let mut text = plain_text(&f.description);
    if text.is_empty() {
        text = plain_text(&f.summary);
    }
    for note in &f.notes {
        text.push_str(&format!("\n\nNote: {}", plain_text(note)));
    }
    if let Some(raw) = &f.output_raw {
        text.push_str(&format!(
            "\n\nIt reports its result as text, in metadata.output.raw: {}",
            plain_text(&raw.description)
        ));
    }
    for p in f.params.iter().filter(|p| p.pattern_prefix.is_some()) {
        text.push_str(&format!(
            "\n\nParameter {}: one word per name, such as {}{}. {}",
            p.name,
            p.pattern_prefix.as_deref().unwrap_or_default(),
            "example.com=VALUE",
            plain_text(&p.description)
        ));
    }
    if let Some(since) = &f.since {
        text.push_str(&format!("\n\nSince {}.", since.trim_end_matches('.')));
    }
    if f.deprecated {
        text.push_str(&format!("\n\n{}", plain_text(&f.deprecation.sentence())));
    }
    text
}

/// The spec's examples as `whmapi1` command lines.
fn examples(f: &Function) -> String {
    let blocks: Vec<String> = f
        .examples
        .iter()
        .map(|example| {
            let mut line = format!("whmapi1 {}", f.name);
            for (key, value) in &example.params {
                line.push(' ');
                line.push_str(&shell_word(&format!("{key}={value}")));
            }
            let title = one_line(&plain_text(&example.title));
            if title.is_empty() {
                format!("Example:\n  {line}")
            } else {
                format!("Example ({title}):\n  {line}")
            }
        })
        .collect();
    blocks.join("\n\n")
}

/// One parameter's clap argument.
fn param_arg(p: &Field) -> TokenStream {
    let name = &p.name;
    let (list, item) = match &p.ty {
        Type::Array(array) => (true, array.items.as_ref()),
        other => (false, other),
    };
    let value_name = value_name(item);
    let constructor = if list {
        quote!(cli::list_param)
    } else {
        quote!(cli::param)
    };
    let help = short_help(p);
    let long_help = long_help(p, list);
    let values = documented_values(item).map(|values| {
        let pairs = values
            .iter()
            .map(|(value, meaning)| quote!((#value, #meaning)));
        quote!(.value_parser(cli::values(&[#(#pairs),*])))
    });
    // A default is what WHM does without the parameter; it is shown, never sent.
    let default = p
        .default
        .as_ref()
        .filter(|_| !p.required)
        .map(|d| quote!(.default_value(#d)));
    quote! {
        .arg(#constructor(#name, #value_name)
            .help(#help)
            .long_help(#long_help)
            #values
            #default)
    }
}

/// The value name that shows a parameter's type: `STRING`, `URL`, `1|0`, `exact|regex`.
fn value_name(ty: &Type) -> String {
    match ty {
        Type::String(None) | Type::Any => "STRING".to_owned(),
        Type::String(Some(format)) => format_words(*format).metavar.to_owned(),
        Type::StringOrInteger => "VALUE".to_owned(),
        Type::YesNo => "y|n".to_owned(),
        Type::Integer => "INTEGER".to_owned(),
        Type::Float => "NUMBER".to_owned(),
        Type::Boolean => "1|0".to_owned(),
        Type::Timestamp => "TIMESTAMP".to_owned(),
        Type::Limit => "LIMIT".to_owned(),
        Type::Enum(e) => {
            let joined = e
                .variants
                .iter()
                .map(|v| v.wire.as_str())
                .collect::<Vec<_>>()
                .join("|");
            if joined.is_empty() || joined.len() > 32 {
                "VALUE".to_owned()
            } else {
                joined
            }
        }
        Type::Array(array) => value_name(&array.items),
        Type::Hash(_) | Type::Map(_) => "JSON".to_owned(),
    }
}

/// Values listed for help and completion: an enum's, or a boolean's `1` and `0`.
fn documented_values(ty: &Type) -> Option<Vec<(String, String)>> {
    match ty {
        Type::Boolean => Some(vec![
            ("1".to_owned(), String::new()),
            ("0".to_owned(), String::new()),
        ]),
        Type::YesNo => Some(vec![
            ("y".to_owned(), String::new()),
            ("n".to_owned(), String::new()),
        ]),
        Type::Enum(e) if !e.variants.is_empty() => Some(
            e.variants
                .iter()
                .map(|v| (v.wire.clone(), one_line(&plain_text(&v.description))))
                .collect(),
        ),
        _ => None,
    }
}

/// `-h`: required or not, and the description on one line.
fn short_help(p: &Field) -> String {
    let mut text = String::new();
    if p.deprecated {
        text.push_str("Deprecated. ");
    }
    text.push_str(if p.required {
        "Required. "
    } else {
        "Optional. "
    });
    text.push_str(&one_line(&plain_text(&p.description)));
    text
}

/// `--help`: the short help, the type in words, possible values, list form and example.
fn long_help(p: &Field, list: bool) -> String {
    let mut text = short_help(p);
    if p.deprecated {
        text.push_str(&format!(
            "\n\nWHM no longer honours it. {}",
            plain_text(&p.deprecation.sentence())
        ));
    }
    let item = match &p.ty {
        Type::Array(array) => array.items.as_ref(),
        other => other,
    };
    text.push_str(&format!("\n\nType: {}", type_in_words(item)));
    if list {
        text.push_str(", once per value");
        if let Type::Array(array) = &p.ty {
            let form = match array.style {
                ListStyle::Numbered => format!(
                    " (sent as {0}-{1}, {0}-{2}, ...)",
                    p.name,
                    array.first_index,
                    array.first_index + 1
                ),
                ListStyle::Repeated => format!(" (sent as {0}=...&{0}=...)", p.name),
                ListStyle::Comma => format!(" (sent as one value, {0}=a,b,...)", p.name),
            };
            text.push_str(&form);
        }
    }
    text.push('.');
    let lines = p.value_lines();
    if !lines.is_empty() {
        text.push_str("\n\nPossible values:");
        for line in &lines {
            text.push_str(&format!("\n  - {}", one_line(&plain_text(line))));
        }
    }
    if let Some(example) = &p.example {
        text.push_str(&format!("\n\nExample: {}", example.display()));
    }
    text
}

/// A type in words, as the help says it.
fn type_in_words(ty: &Type) -> String {
    match ty {
        Type::String(None) | Type::Any => "string".to_owned(),
        Type::String(Some(format)) => format!("string ({})", format_words(*format).words),
        Type::StringOrInteger => "integer or string".to_owned(),
        Type::YesNo => "flag (y or n)".to_owned(),
        Type::Integer => "integer".to_owned(),
        Type::Float => "number".to_owned(),
        Type::Boolean => "boolean (1 or 0)".to_owned(),
        Type::Timestamp => "Unix timestamp (seconds)".to_owned(),
        Type::Limit => "integer or unlimited".to_owned(),
        Type::Enum(_) => "one of the values below".to_owned(),
        Type::Array(array) => format!("list of {}", type_in_words(&array.items)),
        Type::Hash(_) | Type::Map(_) => "hash (JSON)".to_owned(),
    }
}

/// A `key=value` word as a shell takes it: quoted when it holds characters a
/// shell would act on (`?` and `*` included, which zsh refuses unmatched).
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "=-_.,:/@%+".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Markdown as plain text for a terminal: paragraphs joined into lines,
/// list items on their own lines, code without backticks, links as `text (url)`.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut link: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                out.push_str(&text)
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => {
                trim_end_spaces(&mut out);
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("  - ");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some(dest_url.to_string()).filter(|url| !url.starts_with('#'));
            }
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::List(_) | TagEnd::CodeBlock | TagEnd::Heading(_),
            ) => {
                trim_end_spaces(&mut out);
                out.push_str("\n\n");
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let mut text = lines.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim().to_owned()
}

fn trim_end_spaces(text: &mut String) {
    let len = text.trim_end_matches(' ').len();
    text.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Array, EnumType, EnumVariant, Example, ExampleValue, FunctionNames, StringFormat,
    };

    fn field(name: &str, ty: Type, required: bool) -> Field {
        Field {
            name: name.to_owned(),
            rust_name: name.replace('-', "_"),
            ty,
            description: format!("The `{name}` parameter."),
            required,
            default: None,
            possible_values: vec![],
            example: None,
            deprecated: false,
            nullable: false,
            sensitive: false,
            anchor: format!("param-{name}"),
            ..Default::default()
        }
    }

    fn function(params: Vec<Field>) -> Function {
        Function {
            name: "do_things".to_owned(),
            category: "things".to_owned(),
            summary: "Does things.".to_owned(),
            description: "This function does *things*, see [the guide](https://example.com/g)."
                .to_owned(),
            since: Some("cPanel & WHM version 62".to_owned()),
            notes: vec!["Use `with care`.".to_owned()],
            list_output: true,
            secrets_in_url: false,
            rust: FunctionNames {
                method: "do_things".to_owned(),
                request: "DoThingsRequest".to_owned(),
                data: "DoThingsData".to_owned(),
                variant: "DoThings".to_owned(),
            },
            params,
            returns: vec![],
            metadata: vec![],
            output_raw: None,
            examples: vec![Example {
                title: "Do two things".to_owned(),
                description: String::new(),
                params: vec![
                    ("url".to_owned(), "http://h/x.cgi?state".to_owned()),
                    ("n".to_owned(), "2".to_owned()),
                ],
                json: None,
                json_value: None,
                xml: None,
                notes: vec![],
            }],
            see_also: Vec::new(),
            source: "things/do_things.yaml".to_owned(),
            ..Default::default()
        }
    }

    fn api(functions: Vec<Function>) -> Api {
        Api {
            categories: vec![Category {
                id: "things".to_owned(),
                title: "Things & Stuff".to_owned(),
                description: String::new(),
                module: "things".to_owned(),
                functions,
            }],
            guides: vec![],
            catalog: vec![],
            named_types: Vec::new(),
        }
    }

    fn params() -> Vec<Field> {
        let mode = EnumType {
            rust_name: "Mode".to_owned(),
            numeric: false,
            variants: ["fast", "slow"]
                .iter()
                .map(|v| EnumVariant {
                    wire: v.to_string(),
                    rust_name: v.to_uppercase(),
                    description: format!("Go {v}."),
                })
                .collect(),
            shared: false,
        };
        let mut enabled = field("enabled", Type::Boolean, false);
        enabled.default = Some("1".to_owned());
        let mut url = field("url", Type::String(Some(StringFormat::Url)), true);
        url.example = Some(ExampleValue::Text("http://h/x.cgi?state".to_owned()));
        url.possible_values = vec!["Any URL with a `query`.".to_owned()];
        vec![
            url,
            field("n", Type::Integer, false),
            enabled,
            field("mode", Type::Enum(mode), false),
            field(
                "acl",
                Type::Array(Array {
                    items: Box::new(Type::String(None)),
                    style: ListStyle::Numbered,
                    first_index: 1,
                }),
                false,
            ),
        ]
    }

    /// The category file without whitespace, so that checks do not depend on line breaks.
    fn category_source() -> String {
        let files = emit(&api(vec![function(params())]));
        let file = files
            .iter()
            .find(|f| f.path == "generated/src/cli/things.rs")
            .expect("category file");
        // Long literals are wrapped with `\` continuations; read them joined.
        let text = String::from_utf8(file.contents.clone()).expect("utf-8");
        squeeze(&text.replace("\\\n", ""))
    }

    fn squeeze(text: &str) -> String {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn emits_the_module_the_category_and_the_binary() {
        let files = emit(&api(vec![function(params())]));
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "generated/src/cli/mod.rs",
                "generated/src/bin/whmapi1.rs",
                "generated/src/cli/things.rs"
            ]
        );
        let module = String::from_utf8(files[0].contents.clone()).unwrap();
        assert!(
            module.contains("#[cfg(feature = \"things\")] functions.extend(things::functions());"),
            "{module}"
        );
        let category = String::from_utf8(files[2].contents.clone()).unwrap();
        assert!(category.contains("vec![do_things()]"), "{category}");
        assert!(
            category.contains("pub const UNSPECIFIED: &[(&str, &str)] = &[];"),
            "{category}"
        );
        assert!(
            emit(&api(vec![]))
                .iter()
                .all(|f| !f.path.ends_with("things.rs"))
        );
    }

    #[test]
    fn each_parameter_carries_its_type_values_and_help() {
        let source = category_source();
        for expected in [
            r#"cli::param("url", "URL")"#,
            r#".help("Required. The url parameter.")"#,
            r#"cli::param("n", "INTEGER")"#,
            r#"cli::param("enabled", "1|0")"#,
            r#".value_parser(cli::values(&[("1", ""), ("0", "")]))"#,
            r#".default_value("1")"#,
            r#"cli::param("mode", "fast|slow")"#,
            r#"("fast", "Go fast.")"#,
            r#"cli::list_param("acl", "STRING")"#,
            r#".numbered_lists(&["acl"])"#,
            r#".override_usage("whmapi1 [OPTIONS] do_things url=URL [KEY=VALUE]...")"#,
            ".generic_options()",
            r#"Function::new::<crate::types::DoThingsRequest>("Things & Stuff", command)"#,
        ] {
            assert!(
                source.contains(&squeeze(expected)),
                "missing {expected} in\n{source}"
            );
        }
        let url = r"Type: string (a URL).\n\nPossible values:\n  - Any URL with a query.\n\nExample: http://h/x.cgi?state";
        assert!(source.contains(&squeeze(url)), "{source}");
        let acl = "Type: string, once per value (sent as acl-1, acl-2, ...).";
        assert!(source.contains(&squeeze(acl)), "{source}");
    }

    #[test]
    fn help_has_the_description_notes_version_and_example() {
        let source = category_source();
        let about = r#".long_about("This function does things, see the guide (https://example.com/g).\n\nNote: Use with care.\n\nSince cPanel & WHM version 62."#;
        assert!(source.contains(&squeeze(about)), "{source}");
        let example = r#".after_long_help("Example (Do two things):\n  whmapi1 do_things 'url=http://h/x.cgi?state' n=2"#;
        assert!(source.contains(&squeeze(example)), "{source}");
    }

    #[test]
    fn catalogue_functions_without_a_spec_are_listed_once() {
        use crate::ir::{CatalogCategory, CatalogEntry};
        let entry = |name: &str, unsure: bool, specified_in: Option<&str>| CatalogEntry {
            name: name.to_owned(),
            unsure,
            specified_in: specified_in.map(str::to_owned),
        };
        let mut api = api(vec![function(params())]);
        api.catalog = vec![
            CatalogCategory {
                title: "Things".to_owned(),
                functions: vec![
                    entry("do_things", false, Some("things")),
                    entry("accountsummary", false, None),
                    entry("listacIs", true, None),
                    entry("addzonerecord (Reverse DNS)", false, None),
                ],
            },
            CatalogCategory {
                title: "More".to_owned(),
                functions: vec![entry("accountsummary", false, None)],
            },
        ];
        assert_eq!(
            unspecified(&api),
            [("Things".to_owned(), "accountsummary".to_owned())]
        );
        let module = String::from_utf8(emit(&api)[0].contents.clone()).unwrap();
        assert!(
            squeeze(&module).contains(&squeeze(r#"&[("Things", "accountsummary")]"#)),
            "{module}"
        );
    }

    #[test]
    fn markdown_becomes_terminal_text() {
        assert_eq!(
            plain_text("A `code` and **bold**\nline.\n\n- one\n- two"),
            "A code and bold line.\n\n  - one\n  - two"
        );
        assert_eq!(shell_word("provider=cPStore"), "provider=cPStore");
        assert_eq!(shell_word("name=it's here"), r"'name=it'\''s here'");
    }
}
