//! The generated crate's `Cargo.toml` and `src/lib.rs`.
//!
//! Each output that lives behind a cargo feature (server, client, cli)
//! describes itself with a [`CrateFeature`]; this module assembles them, so
//! an emitter's dependencies are declared beside the emitter.

use super::{FileKind, OutputFile, cli, client, server};
use crate::ir::Api;

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
    vec![cargo_toml(), lib_rs(api)]
}

fn cargo_toml() -> OutputFile {
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
default = []
"#,
    );
    for f in &features {
        let list: Vec<String> = f.enables.iter().map(|e| format!("{e:?}")).collect();
        out.push_str(&format!("{} = [{}]\n", f.name, list.join(", ")));
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
         //! [`types`] holds each function's request and response types and is always built.\n\
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
        "\n/// What a downstream crate needs of the runtime, so that `whm-api` is its one dependency:\n\
         /// the value types of requests and answers, and `QueryBuilder` for `Client::call_raw`.\n\
         pub use whm_runtime::{\n    ApiFunction, Envelope, Limit, Metadata, NoData, ParamError, Params, QueryBuilder,\n    StringOrInteger, YesNo,\n};\n",
    );
    out.push_str(&for_each_function(api));
    OutputFile::text("generated/src/lib.rs", FileKind::Rust, out)
}

/// `for_each_function!`: the one list of every function's method and request
/// type, so code that must handle each function (tests that call them all,
/// dispatch tables of a downstream crate) follows the specs without a hand-kept list.
fn for_each_function(api: &Api) -> String {
    let mut out = String::from(
        "\n/// Expands `callback!(ARGS... method => RequestType, ...)` with every function, in\n\
         /// the docs' order: the client method (and server trait method) and the request type.\n\
         ///\n\
         /// ```\n\
         /// macro_rules! names {\n\
         ///     ($($method:ident => $request:ty),* $(,)?) => { [$(<$request as whm_api::ApiFunction>::NAME),*] };\n\
         /// }\n\
         /// let names = whm_api::for_each_function!(names!());\n\
         /// assert!(!names.is_empty());\n\
         /// ```\n\
         #[macro_export]\nmacro_rules! for_each_function {\n    ($callback:ident!($($args:tt)*)) => {\n        $callback! { $($args)*\n",
    );
    for f in api.functions() {
        out.push_str(&format!(
            "            {} => $crate::types::{},\n",
            f.rust.method, f.rust.request
        ));
    }
    out.push_str("        }\n    };\n}\n");
    out
}
