//! The client emitter: `generated/src/client/`, one typed method per function.
//!
//! The HTTP work is `whm_runtime::client::Client::call`, generic over
//! `ApiFunction`; this emitter only adds a sealed extension trait,
//! `WhmApi`, with one method per function, so a downstream crate writes
//! `client.validate_login_token(&request)` and gets the function's typed data.
//! Every method is one line of code with a default body in the trait (the
//! sealed supertrait hands it the `Client`), so it is written once; the
//! generated files are mostly rustdoc.
//!
//! Each category's methods live in `client/CATEGORY.rs`, as a macro that
//! `WhmApi` expands behind the category's cargo feature: a spec change touches
//! its category's file only, and a crate built with one category's feature
//! compiles that category's methods only. `client/mod.rs` only names the
//! categories.
//!
//! The module docs carry two doctests built from the specs: a call with the
//! first example that has plain values, and a request with many optional
//! parameters built with struct update syntax. Both compile with
//! `cargo test -p whm-api --features client --doc`.

use proc_macro2::TokenStream;
use quote::quote;

use super::crate_files::{CrateFeature, featured_categories, gated};
use super::rust::{doc_attrs, format_file, ident, item_macro, one_line};
use super::{FileKind, OutputFile};
use crate::ident::unraw;
use crate::ir::{Api, Category, Field, Function, Type};

/// The `client` feature of the generated crate.
pub fn feature() -> CrateFeature {
    CrateFeature {
        name: "client",
        summary: "an async client with one typed method per function (the `WhmApi` trait)",
        enables: vec!["whm-runtime/client"],
        dependencies: vec![],
        bins: vec![],
    }
}

/// The path of the client's module file: `Client`, the `WhmApi` trait and the list of categories.
const PATH: &str = "generated/src/client/mod.rs";

/// The files of `generated/src/client/`: `mod.rs` and one file per category
/// with functions, which adds that category's methods to `WhmApi`.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let inner_docs: TokenStream = module_docs(api)
        .lines()
        .map(|line| {
            let line = format!(" {line}");
            quote!(#![doc = #line])
        })
        .collect();
    let categories: Vec<&Category> = featured_categories(api).collect();
    let modules = gated(&categories, |_, module| quote!(mod #module;));
    let expansions = gated(&categories, |_, module| quote!(#module::methods!();));
    let tokens = quote! {
        #inner_docs

        pub use whm_runtime::client::{
            decode_envelope, Client, ClientBuilder, DecodeError, Error, Format, Page, Pages, Response,
            DEFAULT_TIMEOUT,
        };

        #(#modules)*

        /// WHM API 1 with types: one method per specified function, on [`Client`].
        ///
        /// Each method sends the function's request (parameters in spec order,
        /// unset optional ones left out) and returns its typed data with the
        /// whole metadata. Functions without a spec are reached with
        /// [`Client::call_raw`]. The trait is sealed: it is implemented for
        /// [`Client`] only, so methods can be added without breaking anyone.
        ///
        /// It has the methods of the enabled categories' functions (cargo features
        /// named as the categories; all by default): each category's file in
        /// `client/` adds its methods here.
        pub trait WhmApi: sealed::Sealed {
            #(#expansions)*
        }

        impl WhmApi for Client {}

        mod sealed {
            use super::Client;

            /// Only [`Client`] implements [`WhmApi`](super::WhmApi), whose methods send through it.
            pub trait Sealed {
                /// The client that sends the calls.
                fn client(&self) -> &Client;
            }

            impl Sealed for Client {
                fn client(&self) -> &Client {
                    self
                }
            }
        }
    };
    let mut files = vec![OutputFile::text(
        PATH,
        FileKind::Rust,
        format_file(PATH, tokens),
    )];
    files.extend(categories.into_iter().map(category_file));
    files
}

/// `client/CATEGORY.rs`: the category's methods of `WhmApi`, as a macro the trait expands.
fn category_file(category: &Category) -> OutputFile {
    let path = format!("generated/src/client/{}.rs", unraw(&category.module));
    let title = one_line(&category.title);
    let methods = category.functions.iter().map(trait_method);
    let mut out = format!("//! The {title} functions' methods of [`WhmApi`](super::WhmApi).\n\n");
    out.push_str(&item_macro(
        &path,
        "methods",
        &format!("The methods of the {title} functions, expanded in `WhmApi` (`client/mod.rs`)."),
        quote!(trait Items),
        quote!(#(#methods)*),
    ));
    OutputFile::text(path, FileKind::Rust, out)
}

/// The Rust path of a function's data type, `whm_runtime::NoData` when it returns none.
fn data_type(f: &Function) -> TokenStream {
    if f.returns.is_empty() {
        quote!(whm_runtime::NoData)
    } else {
        let data = ident(&f.rust.data);
        quote!(crate::types::#data)
    }
}

/// The declaration of one method in `WhmApi`, with its rustdoc.
fn trait_method(f: &Function) -> TokenStream {
    let method = ident(&f.rust.method);
    let request = ident(&f.rust.request);
    let data = data_type(f);
    let mut text = format!(
        "{}\n\n`{} /json-api/{}` with a request of type [`{3}`](crate::types::{3}); ",
        f.summary.trim(),
        if f.post() { "POST" } else { "GET" },
        f.name,
        f.rust.request,
    );
    if f.returns.is_empty() {
        text.push_str("the function returns no data.");
    } else {
        text.push_str(&format!(
            "the data comes back as [`{0}`](crate::types::{0}).",
            f.rust.data
        ));
    }
    if f.output_raw.is_some() {
        text.push_str(" It reports its result as text: [`Response::raw_output`](crate::client::Response::raw_output).");
    }
    if f.post() {
        text.push_str(
            " The parameters travel in an `application/x-www-form-urlencoded` body, \
             keeping the sensitive ones out of the URL.",
        );
    }
    if let Some(since) = &f.since {
        text.push_str(&format!("\n\nSince {since}."));
    }
    let docs = doc_attrs(&text);
    quote! {
        #docs
        fn #method(
            &self,
            request: &crate::types::#request,
        ) -> impl std::future::Future<
            Output = Result<crate::client::Response<#data>, crate::client::Error>,
        > + Send {
            crate::client::sealed::Sealed::client(self).call(request)
        }
    }
}

/// The module's Markdown documentation, with its doctests.
fn module_docs(api: &Api) -> String {
    let mut out = String::from(
        "A typed async client for WHM API 1 (cargo feature `client`).\n\n\
         [`Client`] (from `whm_runtime::client`) holds the server's base URL and credentials; \
         the [`WhmApi`] trait adds one method per function. Each method sends the URL the \
         documentation shows (parameters in spec order, WHM's encoding, unset optional \
         parameters left out; functions with sensitive parameters, such as passwords, as \
         a POST with that query as a form body) and returns a [`Response`]: the function's typed `data` and the \
         whole `metadata`. `result` 0, HTTP errors, timeouts and answers of the wrong shape \
         are typed [`Error`]s; no error or `Debug` print shows a credential.\n\n\
         TLS is rustls. WHM servers often ship a self-signed certificate: accepting it takes \
         an explicit [`ClientBuilder::danger_accept_invalid_certs`].\n",
    );
    if let Some(example) = call_example(api) {
        out.push_str("\n# Calling a function\n\n```no_run\n");
        out.push_str(&example);
        out.push_str("```\n");
    }
    if let Some(example) = optional_params_example(api) {
        out.push_str(
            "\n# Requests with many optional parameters\n\n\
             `new` takes the required parameters; set optional ones with struct update \
             syntax (requests without required parameters also implement `Default`). \
             Parameters left `None` are not sent.\n\n```\n",
        );
        out.push_str(&example);
        out.push_str("```\n");
    }
    if let Some(example) = list_example(api) {
        out.push_str(
            "\n# Lists: filter, sort, page and columns\n\n\
             A function that returns one list of records takes WHM's output options \
             (`whm_api::output_options`): [`Client::call_with`] adds them to one call, \
             and [`Client::pages`] walks the list page by page, the filters and sorts \
             applied by the server to the whole list.\n\n```no_run\n",
        );
        out.push_str(&example);
        out.push_str("```\n");
    }
    out.push_str(
        "\n# Functions without a spec\n\n\
         [`Client::call_raw`] takes a function name and a `QueryBuilder` and returns the JSON \
         envelope; [`Client::call_text`] returns the body as it arrived, JSON or XML.\n",
    );
    out
}

/// A Rust expression for a parameter value given as text, when the type has a
/// plain literal; `module` is the path of the function's nested types ([`nested_module`]).
fn literal(ty: &Type, module: &str, text: &str) -> Option<String> {
    match ty {
        Type::String(_) | Type::Any => Some(format!("{text:?}")),
        Type::Integer | Type::Timestamp => text.trim().parse::<i64>().ok().map(|n| n.to_string()),
        Type::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| format!("{f:?}")),
        Type::Boolean => match text.trim() {
            "1" | "true" => Some("true".to_owned()),
            "0" | "false" => Some("false".to_owned()),
            _ => None,
        },
        Type::YesNo => match text.trim() {
            "y" => Some("whm_api::YesNo::Yes".to_owned()),
            "n" => Some("whm_api::YesNo::No".to_owned()),
            _ => None,
        },
        Type::StringOrInteger => Some(match text.trim().parse::<i64>() {
            Ok(n) => format!("whm_api::StringOrInteger::Integer({n})"),
            Err(_) => format!("whm_api::StringOrInteger::String({text:?}.to_owned())"),
        }),
        Type::Limit => match text.trim() {
            t if t.eq_ignore_ascii_case("unlimited") => {
                Some("whm_api::Limit::Unlimited".to_owned())
            }
            t => t
                .parse::<u64>()
                .ok()
                .map(|n| format!("whm_api::Limit::Limited({n})")),
        },
        Type::Enum(e) => e.variants.iter().find(|v| v.wire == text).map(|v| {
            let module = if e.shared { "shared" } else { module };
            format!(
                "whm_api::types::{}::{}::{}",
                module, e.rust_name, v.rust_name
            )
        }),
        Type::Array(_) | Type::Hash(_) | Type::Map(_) => None,
    }
}

/// The text a value is sent as, once it has been through its Rust type (`true` goes as `1`).
fn wire_text(ty: &Type, text: &str) -> String {
    match ty {
        Type::Boolean => if matches!(text.trim(), "1" | "true") {
            "1"
        } else {
            "0"
        }
        .to_owned(),
        Type::Integer | Type::Timestamp => text
            .trim()
            .parse::<i64>()
            .map(|n| n.to_string())
            .unwrap_or_default(),
        Type::Float => text
            .trim()
            .parse::<f64>()
            .map(|f| f.to_string())
            .unwrap_or_default(),
        Type::Limit if text.trim().eq_ignore_ascii_case("unlimited") => "unlimited".to_owned(),
        Type::Limit => text.trim().to_owned(),
        _ => text.to_owned(),
    }
}

/// The value of an optional field as written in a struct literal: `Some(..)`.
fn optional_literal(p: &Field, module: &str, text: &str) -> Option<String> {
    literal(&p.ty, module, text).map(|v| match p.ty {
        Type::String(_) | Type::Any => format!("Some({v}.to_owned())"),
        _ => format!("Some({v})"),
    })
}

/// `Request::new(required...)`, or `None` when a required value has no literal.
fn new_call(
    f: &Function,
    module: &str,
    value_of: impl Fn(&Field) -> Option<String>,
) -> Option<String> {
    let args = f
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| literal(&p.ty, module, &value_of(p)?))
        .collect::<Option<Vec<_>>>()?;
    Some(format!(
        "whm_api::types::{}::new({})",
        f.rust.request,
        args.join(", ")
    ))
}

/// Builds a request for `f` from example values: `new(required)` plus struct update for optional ones.
fn request_expr(
    f: &Function,
    module: &str,
    value_of: impl Fn(&Field) -> Option<String>,
) -> Option<String> {
    let base = new_call(f, module, &value_of)?;
    let optional: Vec<String> = f
        .params
        .iter()
        .filter(|p| !p.required)
        .filter_map(|p| {
            Some(format!(
                "    {}: {},\n",
                p.rust_name,
                optional_literal(p, module, &value_of(p)?)?
            ))
        })
        .collect();
    if optional.is_empty() {
        Some(base)
    } else {
        Some(format!(
            "whm_api::types::{} {{\n{}    ..{base}\n}}",
            f.rust.request,
            optional.concat()
        ))
    }
}

/// The path of a function's nested types below `whm_api::types` (`accounts::listaccts`).
fn nested_module(c: &Category, f: &Function) -> String {
    format!("{}::{}", c.module, f.rust.types_module())
}

/// Each function with its category's module name, in display order.
fn functions_with_modules(api: &Api) -> impl Iterator<Item = (&Category, &Function)> {
    api.categories
        .iter()
        .flat_map(|c| c.functions.iter().map(move |f| (c, f)))
}

/// A doctest calling the first function whose example has plain values, as the example sends it.
fn call_example(api: &Api) -> Option<String> {
    let (_, f, request) = functions_with_modules(api).find_map(|(c, f)| {
        f.examples.iter().find_map(|example| {
            let value_of = |p: &Field| {
                example
                    .params
                    .iter()
                    .find(|(k, _)| *k == p.name)
                    .map(|(_, v)| v.clone())
            };
            // Every parameter the example sends must fit in the request.
            let covered = example
                .params
                .iter()
                .all(|(k, _)| f.params.iter().any(|p| p.name == *k));
            covered
                .then(|| request_expr(f, &nested_module(c, f), value_of))
                .flatten()
                .map(|r| (c, f, r))
        })
    })?;
    let method = &f.rust.method;
    let mut out = String::from(
        "use whm_api::client::{Client, WhmApi};\n\n\
         # async fn run() -> Result<(), whm_api::client::Error> {\n\
         let client = Client::builder(\"https://hostname.example.com:2087\")\n    \
         .api_token(\"root\", \"U7HMR63FHY282DQZ4H5BIH16JLYSO01M\")\n    \
         .build()?;\n",
    );
    out.push_str(&format!("let request = {request};\n"));
    out.push_str(&format!(
        "let response = client.{method}(&request).await?;\n"
    ));
    out.push_str(
        "println!(\"{:?} ({})\", response.data, response.metadata.reason);\n# Ok(())\n# }\n",
    );
    Some(out)
}

/// A doctest paging through a list function whose request an example can
/// build, filtered and sorted by one of its records' text fields.
fn list_example(api: &Api) -> Option<String> {
    // A `list…` function with the richest records reads most like a real
    // listing (`listaccts`, rather than `accountsummary`'s one account).
    let mut lists: Vec<_> = functions_with_modules(api)
        .filter_map(|(c, f)| match f.list_field()? {
            (_, Type::Hash(record)) => Some((c, f, record)),
            _ => None,
        })
        .collect();
    lists.sort_by_key(|(_, f, record)| {
        (
            !f.name.starts_with("list"),
            std::cmp::Reverse(record.fields.len()),
        )
    });
    let (f, request, field) = lists.into_iter().find_map(|(c, f, record)| {
        // Filter on the domain, the user, or else the first text field.
        let field = ["domain", "user"]
            .iter()
            .find_map(|name| record.fields.iter().find(|r| r.name == *name))
            .or_else(|| {
                record
                    .fields
                    .iter()
                    .find(|r| matches!(r.ty, Type::String(_)))
            })?;
        let example = f.examples.first();
        let value_of = |p: &Field| {
            example?
                .params
                .iter()
                .find(|(k, _)| *k == p.name)
                .map(|(_, v)| v.clone())
        };
        let request = request_expr(f, &nested_module(c, f), value_of)?;
        Some((f, request, field.name.clone()))
    })?;
    let mut out = String::from(
        "use whm_api::client::Client;\n\
         use whm_api::output_options::{Filter, FilterType, OutputOptions, Sort, SortMethod};\n\n\
         # async fn run() -> Result<(), whm_api::client::Error> {\n\
         let client = Client::builder(\"https://hostname.example.com:2087\")\n    \
         .api_token(\"root\", \"U7HMR63FHY282DQZ4H5BIH16JLYSO01M\")\n    \
         .build()?;\n",
    );
    out.push_str(&format!(
        "let options = OutputOptions::new()\n    \
         .filter(Filter::new({field:?}, FilterType::Contains, \"example\"))\n    \
         .sort(Sort::new({field:?}, SortMethod::Lexicographic));\n\
         // The records of `{}`, 50 per call.\n\
         let mut pages = client.pages({request}, options, 50);\n\
         while let Some(page) = pages.next_page().await? {{\n    \
         println!(\"page {{}} of {{}}: {{:?}}\", page.number, page.pages, page.records);\n\
         }}\n# Ok(())\n# }}\n",
        f.name
    ));
    Some(out)
}

/// A doctest building the request with the most optional parameters from their documented examples.
fn optional_params_example(api: &Api) -> Option<String> {
    let mut best: Option<(usize, String, String)> = None;
    for (c, f) in functions_with_modules(api) {
        let example = |p: &Field| p.example.as_ref().map(|e| e.display());
        // The optional parameters the example sets: those with a plain documented example.
        let optional: Vec<&str> = f
            .params
            .iter()
            .filter(|p| !p.required)
            .filter(|p| {
                example(p)
                    .is_some_and(|text| optional_literal(p, &nested_module(c, f), &text).is_some())
            })
            .map(|p| p.name.as_str())
            .collect();
        let shown = &optional[..optional.len().min(MAX_OPTIONAL_SHOWN)];
        let value_of =
            |p: &Field| example(p).filter(|_| p.required || shown.contains(&p.name.as_str()));
        let Some(request) = request_expr(f, &nested_module(c, f), value_of) else {
            continue;
        };
        // The query the request sends: the parameters that have a value, in spec order.
        let mut query = whm_runtime::QueryBuilder::new();
        for p in &f.params {
            if let Some(text) = value_of(p) {
                query.push(&p.name, wire_text(&p.ty, &text).as_str());
            }
        }
        if optional.len() >= 2 && best.as_ref().is_none_or(|(n, _, _)| optional.len() > *n) {
            best = Some((optional.len(), request, query.to_query_string()));
        }
    }
    let (_, request, query) = best?;
    Some(format!(
        "use whm_api::ApiFunction;\n\n\
         let request = {request};\n\
         // The parameters that are set are sent, in spec order; the others are not.\n\
         assert_eq!(request.query_string(), {query:?});\n"
    ))
}

/// At most this many optional parameters are set in the example, to keep it short.
const MAX_OPTIONAL_SHOWN: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Example, ExampleValue, FunctionNames};

    fn field(name: &str, ty: Type, required: bool, example: Option<&str>) -> Field {
        Field {
            name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            description: format!("The {name}."),
            required,
            default: None,
            possible_values: vec![],
            example: example.map(|e| ExampleValue::Text(e.to_owned())),
            deprecated: false,
            nullable: false,
            sensitive: false,
            anchor: format!("param-{name}"),
            ..Default::default()
        }
    }

    fn function(name: &str, request: &str, params: Vec<Field>, returns: Vec<Field>) -> Function {
        Function {
            name: name.to_owned(),
            category: "accounts".to_owned(),
            summary: format!("Does {name}."),
            description: String::new(),
            since: None,
            notes: vec![],
            list_output: false,
            secrets_in_url: false,
            rust: FunctionNames {
                method: name.to_owned(),
                request: request.to_owned(),
                data: format!("{request}Data"),
                variant: request.to_owned(),
            },
            params,
            returns,
            metadata: vec![],
            output_raw: None,
            examples: vec![],
            see_also: Vec::new(),
            source: format!("accounts/{name}.yaml"),
            ..Default::default()
        }
    }

    fn api() -> Api {
        let mut login = function(
            "validate_login_token",
            "ValidateLoginTokenRequest",
            vec![
                field("provider", Type::String(None), true, Some("cPStore")),
                field("login_token", Type::String(None), true, Some("abc")),
            ],
            vec![field("payload", Type::Any, false, None)],
        );
        login.examples.push(Example {
            title: "Validate".to_owned(),
            description: String::new(),
            params: vec![
                ("provider".to_owned(), "cPStore".to_owned()),
                ("login_token".to_owned(), "abc".to_owned()),
            ],
            json: None,
            json_value: None,
            xml: None,
            notes: vec![],
        });
        let list = function(
            "listaccts",
            "ListacctsRequest",
            vec![
                field("search", Type::String(None), false, Some("user")),
                field("want", Type::String(None), false, Some("user,domain")),
                field("limit", Type::Integer, false, Some("10")),
            ],
            vec![],
        );
        Api {
            categories: vec![Category {
                id: "accounts".to_owned(),
                title: "Accounts".to_owned(),
                description: String::new(),
                module: "accounts".to_owned(),
                functions: vec![list, login],
            }],
            guides: vec![],
            catalog: vec![],
            named_types: Vec::new(),
        }
    }

    fn emitted() -> String {
        let files = emit(&api());
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, [PATH, "generated/src/client/accounts.rs"]);
        String::from_utf8(files[0].contents.clone()).unwrap()
    }

    /// The category's file, which holds its methods.
    fn category() -> String {
        let files = emit(&api());
        String::from_utf8(files[1].contents.clone()).unwrap()
    }

    #[test]
    fn one_method_per_function_with_its_summary() {
        let index = emitted();
        // The trait names the category, behind its feature, and holds no method itself.
        assert!(
            index.contains("#[cfg(feature = \"accounts\")]\n    accounts::methods!();"),
            "{index}"
        );
        assert!(index.contains("impl WhmApi for Client {}"), "{index}");
        assert!(!index.contains("fn listaccts("), "{index}");
        let text = category();
        assert!(text.contains("macro_rules! methods {"), "{text}");
        assert!(text.contains("pub(super) use methods;"), "{text}");
        assert!(text.contains("fn validate_login_token("), "{text}");
        assert!(text.contains("fn listaccts("), "{text}");
        assert!(text.contains("/// Does validate_login_token."), "{text}");
        assert!(
            text.contains("Response<crate::types::ValidateLoginTokenRequestData>"),
            "{text}"
        );
        // A function without returns has no data type of its own.
        assert!(text.contains("Response<whm_runtime::NoData>"), "{text}");
    }

    #[test]
    fn module_docs_call_the_first_example_with_its_values() {
        let text = emitted();
        assert!(text.contains("//! ```no_run"), "{text}");
        assert!(
            text.contains("//! let request = whm_api::types::ValidateLoginTokenRequest::new(\"cPStore\", \"abc\");"),
            "{text}"
        );
        assert!(
            text.contains("//! let response = client.validate_login_token(&request).await?;"),
            "{text}"
        );
    }

    #[test]
    fn optional_parameters_use_struct_update() {
        let text = emitted();
        assert!(
            text.contains("//! let request = whm_api::types::ListacctsRequest {"),
            "{text}"
        );
        assert!(
            text.contains("//!     search: Some(\"user\".to_owned()),"),
            "{text}"
        );
        assert!(text.contains("//!     limit: Some(10),"), "{text}");
        assert!(
            text.contains("//!     ..whm_api::types::ListacctsRequest::new()"),
            "{text}"
        );
        assert!(
            text.contains(r#"assert_eq!(request.query_string(), "api.version=1&search=user&want=user%2Cdomain&limit=10");"#),
            "{text}"
        );
    }

    #[test]
    fn literals_follow_the_parameter_type() {
        assert_eq!(literal(&Type::Boolean, "m", "1").as_deref(), Some("true"));
        assert_eq!(literal(&Type::Integer, "m", "x"), None);
        assert_eq!(
            literal(&Type::Limit, "m", "unlimited").as_deref(),
            Some("whm_api::Limit::Unlimited")
        );
        assert_eq!(
            literal(&Type::String(None), "m", "a\"b").as_deref(),
            Some("\"a\\\"b\"")
        );
    }
}
