//! The generated crate's `Cargo.toml` and `src/lib.rs`.
//!
//! Each output that lives behind a cargo feature (server, client, cli)
//! describes itself with a [`CrateFeature`]; this module assembles them, so
//! an emitter's dependencies are declared beside the emitter.
//!
//! Each category that has specs is a cargo feature of its own, named by its
//! id (`accounts`, `ip-addresses`), gating that category's types, client
//! methods, server routes, mock answers and CLI commands; `all` enables every
//! category and is the default, so `features = ["client"]` keeps every
//! function while `default-features = false, features = ["client", "accounts"]`
//! compiles one category. [`category_cfg`] is the attribute every emitter puts
//! on a category's module and on the index lines that name it.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, one_line};
use super::{FileKind, OutputFile, cli, client, server};
use crate::ident::unraw;
use crate::ir::{Api, Category};

/// Feature names the crate uses for other things: a category with one of
/// these ids gets [`CLASH_SUFFIX`] after its id.
const RESERVED_FEATURES: &[&str] = &["default", "all", "server", "client", "cli", "axum"];

/// What follows a category id that would clash with [`RESERVED_FEATURES`].
const CLASH_SUFFIX: &str = "-functions";

/// The cargo feature that gates `category`: its id, or `None` for a category
/// without functions (it has nothing to gate).
pub fn category_feature(category: &Category) -> Option<String> {
    if category.functions.is_empty() {
        None
    } else if RESERVED_FEATURES.contains(&category.id.as_str()) {
        Some(format!("{}{CLASH_SUFFIX}", category.id))
    } else {
        Some(category.id.clone())
    }
}

/// `#[cfg(feature = "ID")]` for `category`'s module and the index lines that
/// name it; nothing for a category without a feature.
pub fn category_cfg(category: &Category) -> TokenStream {
    match category_feature(category) {
        Some(feature) => quote!(#[cfg(feature = #feature)]),
        None => TokenStream::new(),
    }
}

/// One item per category, each behind the category's feature: `item` is
/// given the category and its module's identifier (`accounts`), as in
/// `quote!(mod #module;)`. How every index file (`mod.rs`, the traits, the
/// routers) names the categories it holds.
pub fn gated<'a>(
    categories: &'a [&'a Category],
    item: impl Fn(&Category, proc_macro2::Ident) -> TokenStream + 'a,
) -> impl Iterator<Item = TokenStream> + 'a {
    categories.iter().map(move |c| {
        let cfg = category_cfg(c);
        let item = item(c, ident(&c.module));
        quote!(#cfg #item)
    })
}

/// [`category_cfg`] as a line of text (with its newline), for emitters that write text.
pub fn category_cfg_line(category: &Category) -> String {
    match category_feature(category) {
        Some(feature) => format!("#[cfg(feature = \"{feature}\")]\n"),
        None => String::new(),
    }
}

/// The categories that have a feature, in display order.
pub fn featured_categories(api: &Api) -> impl Iterator<Item = &Category> {
    api.categories
        .iter()
        .filter(|c| category_feature(c).is_some())
}

/// A cargo feature of the generated crate and what it brings in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateFeature {
    /// The feature's name, also the module it gates (`server`).
    pub name: &'static str,
    /// One line of rustdoc for the module and the README's feature table.
    pub summary: &'static str,
    /// The feature's list in `Cargo.toml`: `dep:axum`, `whm-runtime/server`, `client`.
    pub enables: Vec<&'static str>,
    /// Optional dependencies as `name = value` TOML lines' halves:
    /// (`axum`, `{ workspace = true, optional = true }`).
    pub dependencies: Vec<(&'static str, &'static str)>,
    /// Binaries that need the feature: (name, path relative to `generated/`).
    pub bins: Vec<(&'static str, &'static str)>,
}

/// The features in the order they appear.
fn features() -> Vec<CrateFeature> {
    vec![server::feature(), client::feature(), cli::feature()]
}

/// `generated/Cargo.toml` and `generated/src/lib.rs`.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let mut files = vec![cargo_toml(api), lib_rs(api), registry_mod(api)];
    files.extend(featured_categories(api).map(registry_file));
    files
}

fn cargo_toml(api: &Api) -> OutputFile {
    let features = features();
    let mut out = String::from(
        r#"[package]
name = "whm-api"
version = "0.1.0"
description = "Typed WHM API 1 types, server, client and command line, generated from YAML specs."
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true

[features]
# `all` (every category) is the default, so that `features = ["client"]` builds every
# function, as it did before categories were features. A crate that needs a few
# categories turns default features off and names them:
# `default-features = false, features = ["client", "accounts"]`.
default = ["all"]
"#,
    );
    let categories: Vec<(String, &Category)> = featured_categories(api)
        .filter_map(|c| category_feature(c).map(|f| (f, c)))
        .collect();
    let all: Vec<String> = categories.iter().map(|(f, _)| format!("{f:?}")).collect();
    out.push_str(&format!(
        "# Every category's functions.\nall = [{}]\n",
        all.join(", ")
    ));
    for f in &features {
        let list: Vec<String> = f.enables.iter().map(|e| format!("{e:?}")).collect();
        out.push_str(&format!("{} = [{}]\n", f.name, list.join(", ")));
    }
    out.push_str(
        "# One feature per category: its functions' types and, with the features above,\n\
         # their client methods, server routes, mock answers and whmapi1 commands.\n",
    );
    for (feature, _) in &categories {
        out.push_str(&format!("{feature} = []\n"));
    }
    out.push_str(
        "\n[dependencies]\nwhm-runtime.workspace = true\nserde.workspace = true\nserde_json.workspace = true\n",
    );
    let mut deps: Vec<(&str, &str)> = features
        .iter()
        .flat_map(|f| f.dependencies.iter().copied())
        .collect();
    deps.sort();
    deps.dedup();
    for (name, value) in deps {
        out.push_str(&format!("{name} = {value}\n"));
    }
    for f in &features {
        for (name, path) in &f.bins {
            out.push_str(&format!(
                "\n[[bin]]\nname = \"{name}\"\npath = \"{path}\"\nrequired-features = [\"{}\"]\n",
                f.name
            ));
        }
    }
    out.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    OutputFile::text("generated/Cargo.toml", FileKind::Toml, out)
}

fn lib_rs(api: &Api) -> OutputFile {
    let count = api.functions().count();
    let mut out = format!(
        "//! WHM API 1, typed: {count} functions in {} categories, generated from the YAML specs in `spec/`.\n\
         //!\n\
         //! [`types`] holds each function's request and response types.\n\
         //! The other modules are behind cargo features, so a crate compiles only what it uses:\n\
         //!\n\
         //! The client and the server run on tokio: a crate that uses either needs\n\
         //! `tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"time\"] }}`.\n\
         //!\n\
         //! | feature | module |\n\
         //! | --- | --- |\n",
        api.categories.len()
    );
    let features = features();
    for f in &features {
        out.push_str(&format!(
            "//! | `{0}` | `whm_api::{0}`: {1} |\n",
            f.name, f.summary
        ));
    }
    out.push_str(
        "//!\n\
         //! # One feature per category\n\
         //!\n\
         //! Each category is a feature too, named as in `spec/categories.yaml`; it builds\n\
         //! that category's types and, with the features above, its client methods, server\n\
         //! routes and trait methods, mock answers and `whmapi1` commands. `all` enables every\n\
         //! category and is on by default, so `features = [\"client\"]` builds every function.\n\
         //! A crate that needs one category compiles only that one:\n\
         //!\n\
         //! ```toml\n\
         //! whm-api = { version = \"0.1\", default-features = false, features = [\"client\", \"accounts\"] }\n\
         //! ```\n\
         //!\n\
         //! The imports stay the same whichever categories are on: `whm_api::client::WhmApi`\n\
         //! (the client's methods), `whm_api::server::WhmServer` (the server's trait) and\n\
         //! `whm_api::types::*`; each holds the functions of the enabled categories only.\n\
         //!\n\
         //! | category feature | category |\n\
         //! | --- | --- |\n",
    );
    // Titles only, no counts: adding a function leaves this table as it is.
    for c in featured_categories(api) {
        if let Some(feature) = category_feature(c) {
            out.push_str(&format!("//! | `{feature}` | {} |\n", one_line(&c.title),));
        }
    }
    // Modules are formatted by prettyplease when generated; `rustfmt::skip`
    // keeps `cargo fmt` from rewriting them, which would make them stale.
    out.push_str(
        "\n#![forbid(unsafe_code)]\n#![warn(missing_docs)]\n\n#[rustfmt::skip]\npub mod types;\n",
    );
    for f in &features {
        out.push_str(&format!(
            "\n#[cfg(feature = \"{0}\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"{0}\")))]\n#[rustfmt::skip]\npub mod {0};\n",
            f.name
        ));
    }
    out.push_str(
        "\n/// Every spec example as tests of every output (`whm_runtime::examples`).\n\
         #[cfg(test)]\n#[rustfmt::skip]\nmod example_tests;\n",
    );
    out.push_str(
        "\n/// Each category's part of [`for_each_function!`].\n#[rustfmt::skip]\nmod registry;\n",
    );
    out.push_str(
        "\n/// What a downstream crate needs of the runtime, so that `whm-api` is its one dependency:\n\
         /// the value types of requests and answers, and `QueryBuilder` for `Client::call_raw`.\n\
         pub use whm_runtime::{\n    ApiFunction, Envelope, Limit, ListFunction, Metadata, NoData, ParamError, Params, QueryBuilder,\n    StringOrInteger, YesNo,\n};\n\n\
         /// The typed form of WHM's output options, for `Client::call_with` and `Client::pages`.\n\
         pub use whm_runtime::output_options::OutputOptions;\n\n\
         /// WHM's output options (filter, sort, page, columns) for the functions that return a list.\n\
         pub use whm_runtime::output_options;\n",
    );
    out.push_str(&for_each_function(api));
    OutputFile::text("generated/src/lib.rs", FileKind::Rust, out)
}

/// The name of a category's part of `for_each_function!`.
fn registry_macro(category: &Category) -> String {
    format!("__whm_api_functions_{}", unraw(&category.module))
}

/// The macro that ends the chain of categories' parts: it calls the callback.
const REGISTRY_END: &str = "__whm_api_functions_end";

/// `for_each_function!`: the one list of every function's method and request
/// type, so code that must handle each function (tests that call them all,
/// dispatch tables of a downstream crate) follows the specs without a hand-kept list.
///
/// The list is assembled from one macro per category (`src/registry/CATEGORY.rs`),
/// each defined twice, with and without the category's feature: a macro's
/// expansion is checked with the features of the crate that calls it, so the
/// choice has to be made here, where the macro is defined. Each part appends
/// its functions and calls the next part, named in the list it is handed.
fn for_each_function(api: &Api) -> String {
    let mut chain: Vec<String> = featured_categories(api).map(registry_macro).collect();
    chain.push(REGISTRY_END.to_owned());
    let first = chain.remove(0);
    format!(
        "\n/// Expands `callback!(ARGS... method => RequestType, ...)` with every function of the\n\
         /// enabled categories, in the docs' order: the client method (and server trait method)\n\
         /// and the request type.\n\
         ///\n\
         /// ```\n\
         /// macro_rules! names {{\n\
         ///     ($($method:ident => $request:ty),* $(,)?) => {{ [$(<$request as whm_api::ApiFunction>::NAME),*] }};\n\
         /// }}\n\
         /// let names: &[&str] = &whm_api::for_each_function!(names!());\n\
         /// # let _ = names;\n\
         /// ```\n\
         #[macro_export]\nmacro_rules! for_each_function {{\n    ($callback:ident!($($args:tt)*)) => {{\n        \
         $crate::{first}! {{ [$callback] [$($args)*] [] [{}] }}\n    }};\n}}\n",
        chain.join(" ")
    )
}

/// `src/registry/mod.rs`: one module per category with a feature, and the end of the chain.
fn registry_mod(api: &Api) -> OutputFile {
    let mut out = String::from(
        "//! Each category's part of `for_each_function!`, defined whether or not the\n\
         //! category's feature is on (without it, the part adds nothing).\n",
    );
    for c in featured_categories(api) {
        out.push_str(&format!("\nmod {};\n", c.module));
    }
    out.push_str(&format!(
        "\n/// The end of `for_each_function!`'s chain: calls the callback with every function.\n\
         #[doc(hidden)]\n#[macro_export]\nmacro_rules! {REGISTRY_END} {{\n    \
         ([$callback:ident] [$($args:tt)*] [$($functions:tt)*] []) => {{\n        \
         $callback! {{ $($args)* $($functions)* }}\n    }};\n}}\n"
    ));
    OutputFile::text("generated/src/registry/mod.rs", FileKind::Rust, out)
}

/// `src/registry/CATEGORY.rs`: the category's part of `for_each_function!`.
fn registry_file(category: &Category) -> OutputFile {
    let name = registry_macro(category);
    let feature = category_feature(category).unwrap_or_default();
    let mut functions = String::new();
    for f in &category.functions {
        functions.push_str(&format!(
            "            {} => $crate::types::{},\n",
            f.rust.method, f.rust.request
        ));
    }
    let rule = |appended: &str| {
        format!(
            "macro_rules! {name} {{\n    \
             ([$callback:ident] [$($args:tt)*] [$($functions:tt)*] [$next:ident $($rest:ident)*]) => {{\n        \
             $crate::$next! {{ [$callback] [$($args)*] [$($functions)*{appended}] [$($rest)*] }}\n    }};\n}}\n"
        )
    };
    let out = format!(
        "//! The {title} functions' part of `for_each_function!`.\n\n\
         /// With the `{feature}` feature: adds the category's functions.\n\
         #[cfg(feature = \"{feature}\")]\n#[doc(hidden)]\n#[macro_export]\n{with}\n\
         /// Without the `{feature}` feature: adds nothing.\n\
         #[cfg(not(feature = \"{feature}\"))]\n#[doc(hidden)]\n#[macro_export]\n{without}",
        title = one_line(&category.title),
        with = rule(&format!("\n{functions}        ")),
        without = rule(""),
    );
    OutputFile::text(
        format!("generated/src/registry/{}.rs", unraw(&category.module)),
        FileKind::Rust,
        out,
    )
}
