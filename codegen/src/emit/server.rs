//! The server emitter: `generated/src/server/` and the `whm-mock` binary.
//!
//! What every function's route does (path, credentials, limits, parameters,
//! envelopes) lives once in `whm_runtime::server`; the generated code per
//! function is a trait method, one router registration and the mock's
//! example data:
//!
//! - `server/mod.rs`: the `WhmServer` trait and `router`/`api_router`, which
//!   name the categories only;
//! - `server/CATEGORY.rs`: the category's trait methods (one async method per
//!   function, with a default body that answers as WHM does for a function
//!   it does not offer), as a macro the trait expands behind the category's
//!   cargo feature, and `routes`, which registers each with a
//!   `whm_runtime::server::ApiRouter`;
//! - `server/mock/mod.rs`: `Mock`, a `WhmServer` that answers from the spec's
//!   examples, and `mock_router`, which also serves documented bodies verbatim;
//! - `server/mock/CATEGORY.rs`: each function's examples, the data
//!   assembled from its returned fields' examples, the mock's methods (a macro
//!   `impl WhmServer for Mock` expands) and the documented bodies;
//! - `bin/whm-mock.rs`: the mock server's command line.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::crate_files::{CrateFeature, featured_categories, gated};
use super::rust::{doc_attrs, format_file, ident, item_macro, one_line, rust_file};
use super::{FileKind, OutputFile};
use crate::ident::unraw;
use crate::ir::{Api, Category, ExampleValue, Field, Function, Type};

/// The `server` feature of the generated crate.
pub fn feature() -> CrateFeature {
    CrateFeature {
        name: "server",
        summary: "a WHM API 1 server: the `WhmServer` trait to implement, its axum router, and a mock answering from the spec's examples",
        enables: vec!["dep:axum", "whm-runtime/server"],
        dependencies: vec![("axum", "{ workspace = true, optional = true }")],
        bins: vec![("whm-mock", "src/bin/whm-mock.rs")],
    }
}

/// The files of `generated/src/server/` and the mock server binary.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let mut files = vec![rust_file("generated/src/server/mod.rs", server_mod(api))];
    files.extend(featured_categories(api).map(server_category));
    files.push(rust_file("generated/src/server/mock/mod.rs", mock_mod(api)));
    files.extend(featured_categories(api).map(mock_category));
    files.push(rust_file("generated/src/bin/whm-mock.rs", mock_bin()));
    files
}

/// What a function's trait method returns on success.
enum ReturnKind {
    /// The function's data type: most functions.
    Data,
    /// Nothing: the function returns no data and no text.
    Unit,
    /// A `Reply`: the function reports in `metadata.output.raw` or documents more metadata.
    Reply,
}

fn return_kind(f: &Function) -> ReturnKind {
    if f.output_raw.is_some() || !f.metadata.is_empty() {
        ReturnKind::Reply
    } else if f.returns.is_empty() {
        ReturnKind::Unit
    } else {
        ReturnKind::Data
    }
}

/// The success type of a function's trait method.
fn ok_type(f: &Function) -> TokenStream {
    let data = if f.returns.is_empty() {
        quote!(whm_runtime::NoData)
    } else {
        let data = ident(&f.rust.data);
        quote!(crate::types::#data)
    };
    match return_kind(f) {
        ReturnKind::Data => data,
        ReturnKind::Unit => quote!(()),
        ReturnKind::Reply => quote!(whm_runtime::server::Reply<#data>),
    }
}

const SERVER_DOCS: &str = "\
A WHM API 1 server: implement [`WhmServer`], serve [`router`].

Each method of [`WhmServer`] is one WHM API 1 function: it gets the typed request
and a [`RequestContext`] that says who called, and answers with the
function's data or an [`ApiError`]. A method left unimplemented answers as
WHM does for a function it does not offer (`result` 0, “Unknown app”). Name
the functions a server implements in [`WhmServer::offers`]: the others then
answer “Unknown app” before their parameters are read, as a name WHM does not
know does, so a malformed call of one is not told about its parameters.

[`router`] serves every function at GET and POST `/json-api/NAME` and
`/xml-api/NAME`, also after a `/cpsess##########/` security token, and does
everything else as WHM does, once for all functions (`whm_runtime::server`):

- **Authentication** on every route, before anything but the query string's
  length is looked at: `Authorization: whm USER:APITOKEN` or HTTP basic auth,
  checked by an [`Authenticator`] ([`InMemoryAuthenticator`] is ready to use).
  No credentials: HTTP 401; wrong ones, or a `cpsess` token that is not a
  session of the caller: 403.
- **Parameters** from the query string and, for POST, a form body, decoded
  strictly (malformed percent-encoding and bytes that are not UTF-8 are
  refused) with WHM's encodings: `1`/`0` booleans, numbered lists (`acl-1`,
  `acl-2`). `api.version=1` is required. A missing, ill-typed or repeated
  parameter is refused with `result` 0 and a reason naming it.
- **Unknown parameters are accepted and ignored**, as WHM ignores them.
- **Limits**: a query string of at most 16 KiB (else 414), a body of at most
  1 MiB and at most 1,000 parameters (else 413); change them with
  [`ApiRouter::limits`] on [`api_router`].
- **Answers** in WHM's envelope: `data`, and `metadata` with `command`,
  `version`, `reason`, `result` (and `output.raw` for functions that report
  text there), as JSON or as the same tree under `<result>` in XML. A
  refused call is HTTP 200 with `result` 0, as in WHM; a wrong HTTP method is
  405, a path that is not an API call a plain-text 404.

The server speaks plain HTTP; put TLS in front of it (WHM itself listens on
2087 with TLS).

[`mock`] is a ready [`WhmServer`] that answers from the spec's examples; the
`whm-mock` binary serves it.";

fn server_mod(api: &Api) -> TokenStream {
    let mut text = SERVER_DOCS.to_owned();
    if let Some(f) = api.functions().next() {
        text.push_str(&usage_example(f));
    }
    let docs: Vec<TokenStream> = text
        .lines()
        .map(|l| format!(" {l}"))
        .map(|l| quote!(#![doc = #l]))
        .collect();
    let categories: Vec<&Category> = featured_categories(api).collect();
    let modules = gated(&categories, |_, module| quote!(mod #module;));
    let methods = gated(&categories, |_, module| quote!(#module::trait_methods!();));
    let registrations = gated(
        &categories,
        |_, module| quote!(let router = #module::routes(router);),
    );
    quote! {
        #(#docs)*

        pub mod mock;

        #(#modules)*

        pub use whm_runtime::server::{
            ApiError, ApiRouter, AuthError, AuthScheme, Authenticator, Caller, Credentials,
            InMemoryAuthenticator, Limits, OutputFormat, Reply, RequestContext,
        };

        /// A WHM API 1 server's business logic: one method per function.
        ///
        /// Every method has a default body that answers as WHM does for a
        /// function it does not offer, so a server implements only what it serves
        /// (and names it in [`WhmServer::offers`]).
        ///
        /// It has the methods of the enabled categories' functions (cargo features
        /// named as the categories; all by default): each category's file in
        /// `server/` adds its methods here and its routes to [`api_router`].
        pub trait WhmServer: Send + Sync + 'static {
            /// Whether this server offers the WHM API 1 function named `function`.
            ///
            /// The router asks once per function, as it is built. A function not
            /// offered is not served: a call of it answers WHM's “Unknown app”
            /// before its parameters are read, as a name WHM does not know does.
            /// Override it to name the functions the server implements. By default
            /// every function is offered, and a call of one left unimplemented has
            /// its parameters checked before its default body answers “Unknown app”.
            fn offers(&self, function: &str) -> bool {
                let _ = function;
                true
            }

            #(#methods)*
        }

        /// The axum router serving every function of `service`, checking credentials with `authenticator`.
        pub fn router<S: WhmServer, A: Authenticator>(service: S, authenticator: A) -> axum::Router {
            api_router(service, authenticator).into_router()
        }

        /// Every function of `service` registered with an [`ApiRouter`], to set [`Limits`] before
        /// [`ApiRouter::into_router`].
        // Without any category's feature there is nothing to register between the lines.
        #[allow(clippy::let_and_return)]
        pub fn api_router<S: WhmServer, A: Authenticator>(service: S, authenticator: A) -> ApiRouter<S, A> {
            let router = ApiRouter::new(service, authenticator).offering(S::offers);
            #(#registrations)*
            router
        }
    }
}

/// `server/CATEGORY.rs`: the category's methods of `WhmServer` (a macro the
/// trait expands) and its routes.
fn server_category(category: &Category) -> OutputFile {
    let path = format!("generated/src/server/{}.rs", unraw(&category.module));
    let title = one_line(&category.title);
    let methods = category.functions.iter().map(trait_method);
    let registrations = category.functions.iter().map(registration);
    let mut out = format!(
        "//! The {title} functions: their methods of [`WhmServer`](super::WhmServer) and their routes.\n\n"
    );
    out.push_str(&item_macro(
        &path,
        "trait_methods",
        &format!(
            "The methods of the {title} functions, expanded in `WhmServer` (`server/mod.rs`)."
        ),
        quote!(trait Items),
        quote!(#(#methods)*),
    ));
    out.push('\n');
    out.push_str(&format_file(
        &path,
        quote! {
            /// Registers the category's functions with `router`.
            pub(super) fn routes<S: super::WhmServer, A: super::Authenticator>(
                router: super::ApiRouter<S, A>,
            ) -> super::ApiRouter<S, A> {
                router
                    #(#registrations)*
            }
        },
    ));
    OutputFile::text(path, FileKind::Rust, out)
}

/// A doctest for the module docs: a server that implements `f` and nothing else.
fn usage_example(f: &Function) -> String {
    let ok = match return_kind(f) {
        ReturnKind::Data => "Ok(Default::default())",
        ReturnKind::Unit => "Ok(())",
        ReturnKind::Reply => "Ok(Reply::empty().with_raw_output(\"done\"))",
    };
    format!(
        "\n\n# Example\n\n\
         A server that offers `{name}` and answers every other function as WHM answers\n\
         one it does not offer, before reading its parameters:\n\n\
         ```\n\
         use whm_api::server::{{ApiError, InMemoryAuthenticator, Reply, RequestContext, WhmServer}};\n\
         use whm_api::types;\n\n\
         struct Panel;\n\n\
         impl WhmServer for Panel {{\n\
         \x20   fn offers(&self, function: &str) -> bool {{\n\
         \x20       function == \"{name}\"\n\
         \x20   }}\n\n\
         \x20   async fn {method}(\n\
         \x20       &self,\n\
         \x20       context: &RequestContext,\n\
         \x20       request: types::{request},\n\
         \x20   ) -> Result<{ok_type}, ApiError> {{\n\
         \x20       // `context.caller.user` is who called; `request` is typed and checked.\n\
         \x20       let _ = (context, request);\n\
         \x20       {ok}\n\
         \x20   }}\n\
         }}\n\n\
         let authenticator = InMemoryAuthenticator::new().with_token(\"root\", \"APITOKEN\");\n\
         let app: axum::Router = whm_api::server::router(Panel, authenticator);\n\
         // Serve `app` with `axum::serve` on a tokio `TcpListener`.\n\
         # let _ = (app, Reply::<()>::empty());\n\
         ```",
        name = f.name,
        method = f.rust.method,
        request = f.rust.request,
        ok_type = ok_type_text(f),
    )
}

/// [`ok_type`] as the example writes it, with the imports the example has.
fn ok_type_text(f: &Function) -> String {
    let data = if f.returns.is_empty() {
        "whm_api::NoData".to_owned()
    } else {
        format!("types::{}", f.rust.data)
    };
    match return_kind(f) {
        ReturnKind::Data => data,
        ReturnKind::Unit => "()".to_owned(),
        ReturnKind::Reply => format!("Reply<{data}>"),
    }
}

fn trait_method(f: &Function) -> TokenStream {
    let method = ident(&f.rust.method);
    let request = ident(&f.rust.request);
    let ok = ok_type(f);
    let name = &f.name;
    let mut text = format!(
        "{}\n\nWHM API 1 function `{name}`: see [`crate::types::{}`].",
        f.summary.trim(),
        f.rust.request
    );
    if f.output_raw.is_some() {
        text.push_str(" The function reports text in `metadata.output.raw`: set it with [`Reply::with_raw_output`](crate::server::Reply::with_raw_output).");
    }
    let docs = doc_attrs(&text);
    quote! {
        #docs
        fn #method(
            &self,
            context: &crate::server::RequestContext,
            request: crate::types::#request,
        ) -> impl std::future::Future<Output = Result<#ok, crate::server::ApiError>> + Send {
            let _ = (context, request);
            std::future::ready(Err(crate::server::ApiError::unknown_function(#name)))
        }
    }
}

fn registration(f: &Function) -> TokenStream {
    let method = ident(&f.rust.method);
    let request = ident(&f.rust.request);
    let wrap = match return_kind(f) {
        ReturnKind::Data => quote!(.map(whm_runtime::server::Reply::data)),
        ReturnKind::Unit => quote!(.map(|()| whm_runtime::server::Reply::empty())),
        ReturnKind::Reply => TokenStream::new(),
    };
    quote! {
        .function::<crate::types::#request, _, _>(|service, context, request| async move {
            service.#method(&context, request).await #wrap
        })
    }
}

const MOCK_DOCS: &str = "\
A mock WHM API 1 server that answers every function from the spec's examples.

[`Mock`] answers a request whose parameters equal an example's with that
example's output, and any other valid request with data assembled from the
examples of the function's returned fields. [`mock_router`] also serves an
example's documented JSON or XML body exactly as the spec holds it when the
request matches the example. Requests are checked as by any server from
[`super::router`]: credentials, `api.version=1`, and each parameter's type.";

fn mock_mod(api: &Api) -> TokenStream {
    let docs: Vec<TokenStream> = MOCK_DOCS
        .lines()
        .map(|l| format!(" {l}"))
        .map(|l| quote!(#![doc = #l]))
        .collect();
    let categories: Vec<&Category> = featured_categories(api).collect();
    let modules = gated(&categories, |c, module| {
        let doc = format!(" Examples of the {} functions.", one_line(&c.title));
        quote!(#[doc = #doc] mod #module;)
    });
    let methods = gated(&categories, |_, module| quote!(#module::mock_methods!();));
    let documented = gated(
        &categories,
        |_, module| quote!(let router = #module::documented(router);),
    );
    quote! {
        #(#docs)*

        #(#modules)*

        use super::{ApiRouter, Authenticator, WhmServer};

        /// A [`WhmServer`] that answers every function from the spec's examples.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;

        impl WhmServer for Mock {
            #(#methods)*
        }

        /// The mock's axum router, checking credentials with `authenticator`.
        pub fn mock_router<A: Authenticator>(authenticator: A) -> axum::Router {
            mock_api_router(authenticator).into_router()
        }

        /// The mock registered with an [`ApiRouter`], documented bodies included.
        // Without any category's feature there is nothing to register between the lines.
        #[allow(clippy::let_and_return)]
        pub fn mock_api_router<A: Authenticator>(authenticator: A) -> ApiRouter<Mock, A> {
            let router = super::api_router(Mock, authenticator);
            #(#documented)*
            router
        }
    }
}

fn mock_method(category: &Category, f: &Function) -> TokenStream {
    let module = ident(&category.module);
    let method = ident(&f.rust.method);
    let request = ident(&f.rust.request);
    let ok = ok_type(f);
    let convert = match return_kind(f) {
        ReturnKind::Data => quote!(.map(whm_runtime::server::Reply::into_data)),
        ReturnKind::Unit => quote!(.map(drop)),
        ReturnKind::Reply => TokenStream::new(),
    };
    quote! {
        fn #method(
            &self,
            _context: &crate::server::RequestContext,
            request: crate::types::#request,
        ) -> impl std::future::Future<Output = Result<#ok, crate::server::ApiError>> + Send {
            std::future::ready(
                whm_runtime::server::mock::answer(&request, crate::server::mock::#module::#method()) #convert
            )
        }
    }
}

/// `server/mock/CATEGORY.rs`: the category's examples, its methods of the
/// mock's `WhmServer` impl (a macro the impl expands) and its documented bodies.
fn mock_category(category: &Category) -> OutputFile {
    let path = format!("generated/src/server/mock/{}.rs", unraw(&category.module));
    let title = one_line(&category.title);
    let methods = category.functions.iter().map(|f| mock_method(category, f));
    let functions = category.functions.iter().map(mock_function);
    let documented = category
        .functions
        .iter()
        .filter(|f| {
            f.examples
                .iter()
                .any(|e| e.json.is_some() || e.xml.is_some())
        })
        .map(|f| {
            let method = ident(&f.rust.method);
            let request = ident(&f.rust.request);
            quote!(.documented::<crate::types::#request>(#method().examples))
        });
    let mut out = format!("//! The {title} functions' examples, for the mock server.\n\n");
    out.push_str(&item_macro(
        &path,
        "mock_methods",
        &format!(
            "The mock's methods of the {title} functions, expanded in `impl WhmServer for Mock` (`server/mock/mod.rs`)."
        ),
        quote!(impl Items),
        quote!(#(#methods)*),
    ));
    out.push('\n');
    out.push_str(&format_file(
        &path,
        quote! {
            use whm_runtime::server::mock::MockFunction;

            /// Registers the examples' documented bodies, served verbatim to a request that matches.
            pub(super) fn documented<A: crate::server::Authenticator>(
                router: crate::server::ApiRouter<super::Mock, A>,
            ) -> crate::server::ApiRouter<super::Mock, A> {
                router
                    #(#documented)*
            }

            #(#functions)*
        },
    ));
    OutputFile::text(path, FileKind::Rust, out)
}

fn mock_function(f: &Function) -> TokenStream {
    let method = ident(&f.rust.method);
    let doc = format!(" The examples of `{}`.", f.name);
    let examples = f.examples.iter().map(|e| {
        let params = e.params.iter().map(|(k, v)| quote!((#k, #v)));
        let json = option_str(e.json.as_deref());
        let xml = option_str(e.xml.as_deref());
        quote!(whm_runtime::server::mock::MockExample { params: &[#(#params),*], json: #json, xml: #xml })
    });
    let field_examples = if f.returns.is_empty() {
        None
    } else {
        Some(Value::Object(example_object(&f.returns)).to_string())
    };
    let field_examples = option_str(field_examples.as_deref());
    let raw = option_str(f.output_raw.as_ref().and_then(|r| r.example.as_deref()));
    quote! {
        #[doc = #doc]
        pub(super) fn #method() -> &'static MockFunction {
            static FUNCTION: MockFunction = MockFunction {
                examples: &[#(#examples),*],
                field_examples: #field_examples,
                raw_output: #raw,
            };
            &FUNCTION
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// A hash built from the fields' examples, in field order; fields without one are left out.
fn example_object(fields: &[Field]) -> Map<String, Value> {
    fields
        .iter()
        .filter_map(|f| field_example(f).map(|v| (f.name.clone(), v)))
        .collect()
}

/// A field's value assembled from its example, or from its nested fields' examples.
fn field_example(field: &Field) -> Option<Value> {
    match (&field.ty, &field.example) {
        (Type::Array(_), Some(ExampleValue::Json(Value::Array(items)))) => {
            Some(Value::Array(items.clone()))
        }
        (Type::Array(array), Some(example)) => {
            Some(Value::Array(vec![example_value(&array.items, example)]))
        }
        (Type::Array(array), None) => item_example(&array.items).map(|v| Value::Array(vec![v])),
        (_, Some(example)) => Some(example_value(&field.ty, example)),
        (Type::Hash(s), None) => non_empty(example_object(&s.fields)),
        (_, None) => None,
    }
}

/// An element of a list without an example of its own: a hash from its fields' examples.
fn item_example(ty: &Type) -> Option<Value> {
    match ty {
        Type::Hash(s) => non_empty(example_object(&s.fields)),
        Type::Array(inner) => item_example(&inner.items).map(|v| Value::Array(vec![v])),
        _ => None,
    }
}

/// A hash that holds at least one example; nothing is better than `{}` nested in the data.
fn non_empty(map: Map<String, Value>) -> Option<Value> {
    (!map.is_empty()).then_some(Value::Object(map))
}

/// An example as the JSON WHM would send: numbers and booleans as numbers where they parse.
fn example_value(ty: &Type, example: &ExampleValue) -> Value {
    let text = match example {
        ExampleValue::Json(v) => return v.clone(),
        ExampleValue::Text(t) => t.trim(),
    };
    let number = match ty {
        Type::Integer | Type::Timestamp | Type::Limit | Type::StringOrInteger => {
            text.parse::<i64>().ok().map(Value::from)
        }
        Type::Float => text
            .parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)),
        Type::Boolean => match text {
            "1" | "true" => Some(Value::from(1)),
            "0" | "false" => Some(Value::from(0)),
            _ => None,
        },
        Type::Enum(e) if e.numeric => text.parse::<i64>().ok().map(Value::from),
        _ => None,
    };
    number.unwrap_or_else(|| Value::String(text.to_owned()))
}

/// The mock server's binary: its command line lives in `whm_runtime::server::mock::run`.
fn mock_bin() -> TokenStream {
    quote! {
        //! `whm-mock`: a WHM API 1 server answering every function from the spec's examples.
        //!
        //! ```text
        //! whm-mock [--https ADDRESS] [--http ADDRESS] [--listen ADDRESS] [--cert FILE --key FILE]
        //!          [--user NAME] [--token TOKEN] [--password PASSWORD] [--users FILE] [--log FILE]
        //!          [--max-connections N] [--header-timeout S] [--body-timeout S] [--idle-timeout S]
        //! ```
        //!
        //! As WHM does, it serves HTTPS on 127.0.0.1:2087 and plain HTTP on
        //! 127.0.0.1:2086 (`--listen ADDRESS`: plain HTTP there only), and accepts
        //! `Authorization: whm USER:TOKEN` and HTTP Basic auth with a password,
        //! from the flags or a YAML users file. Without `--cert`/`--key` it makes a
        //! self-signed certificate and prints its file and SHA-256 fingerprint.
        //! Without any credentials it makes a token and prints it. It prints the
        //! URLs it listens on, the user, and a `cpsess` security token for URLs of
        //! the form `/cpsess##########/json-api/FUNCTION`; `--help` says more.

        fn main() -> std::process::ExitCode {
            whm_runtime::server::mock::run("whm-mock", whm_api::server::mock::mock_router)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Array, Example, FunctionNames, ListStyle, Struct};

    fn field(name: &str, ty: Type, example: Option<&str>) -> Field {
        Field {
            name: name.into(),
            rust_name: name.into(),
            ty,
            description: String::new(),
            required: false,
            default: None,
            possible_values: vec![],
            example: example.map(|e| ExampleValue::Text(e.into())),
            deprecated: false,
            nullable: false,
            sensitive: false,
            anchor: String::new(),
            ..Default::default()
        }
    }

    fn api(function: Function) -> Api {
        Api {
            categories: vec![Category {
                id: "authentication".into(),
                title: "Authentication".into(),
                description: String::new(),
                module: "authentication".into(),
                functions: vec![function],
            }],
            guides: vec![],
            catalog: vec![],
            named_types: Vec::new(),
        }
    }

    fn seed_like() -> Function {
        let token = Struct {
            rust_name: "ValidateLoginTokenPayload".into(),
            fields: vec![
                field("access_token", Type::String(None), Some("b7a6")),
                field("refresh_token", Type::String(None), Some("b7a7")),
            ],
            shared: false,
        };
        Function {
            name: "validate_login_token".into(),
            category: "authentication".into(),
            summary: "Validates a login token.".into(),
            description: String::new(),
            since: None,
            notes: vec![],
            list_output: false,
            secrets_in_url: false,
            rust: FunctionNames {
                method: "validate_login_token".into(),
                request: "ValidateLoginTokenRequest".into(),
                data: "ValidateLoginTokenData".into(),
                variant: "ValidateLoginToken".into(),
            },
            params: vec![field("provider", Type::String(None), Some("cPStore"))],
            returns: vec![field(
                "payload",
                Type::Array(Array {
                    items: Box::new(Type::Hash(token)),
                    style: ListStyle::Repeated,
                    first_index: 1,
                }),
                None,
            )],
            metadata: vec![],
            output_raw: None,
            examples: vec![Example {
                title: "Validate".into(),
                description: String::new(),
                params: vec![("provider".into(), "cPStore".into())],
                json: Some("{\"data\":{}}\n".into()),
                json_value: None,
                xml: Some("<result/>\n".into()),
                notes: vec![],
            }],
            see_also: Vec::new(),
            source: "authentication/validate_login_token.yaml".into(),
            ..Default::default()
        }
    }

    fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
        let found = files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_slice())
            .unwrap_or_default();
        std::str::from_utf8(found).unwrap_or_default()
    }

    #[test]
    fn assembles_data_from_nested_field_examples() {
        let f = seed_like();
        let data = Value::Object(example_object(&f.returns));
        assert_eq!(
            data.to_string(),
            r#"{"payload":[{"access_token":"b7a6","refresh_token":"b7a7"}]}"#
        );
    }

    #[test]
    fn typed_examples_become_json_numbers_where_they_parse() {
        let int = |t: &str| example_value(&Type::Integer, &ExampleValue::Text(t.into()));
        assert_eq!(int("42"), Value::from(42));
        assert_eq!(int("unlimited"), Value::from("unlimited"));
        assert_eq!(
            example_value(&Type::Boolean, &ExampleValue::Text("1".into())),
            Value::from(1)
        );
        assert_eq!(
            example_value(&Type::String(None), &ExampleValue::Text("007".into())),
            Value::from("007")
        );
    }

    #[test]
    fn emits_trait_router_mock_and_binary() {
        let files = emit(&api(seed_like()));
        let index = file(&files, "generated/src/server/mod.rs");
        assert!(index.contains("pub trait WhmServer"), "{index}");
        assert!(
            index.contains(
                "#[cfg(feature = \"authentication\")]\n    authentication::trait_methods!();"
            ),
            "{index}"
        );
        assert!(
            index.contains("let router = authentication::routes(router);"),
            "{index}"
        );
        assert!(
            index.contains("Unknown parameters are accepted and ignored"),
            "{index}"
        );
        let server = file(&files, "generated/src/server/authentication.rs");
        assert!(server.contains("macro_rules! trait_methods {"), "{server}");
        assert!(server.contains("fn validate_login_token("), "{server}");
        assert!(
            server.contains(".validate_login_token(&context, request)"),
            "{server}"
        );
        assert!(
            server.contains("ApiError::unknown_function(\"validate_login_token\")"),
            "{server}"
        );
        let mock = file(&files, "generated/src/server/mock/mod.rs");
        assert!(mock.contains("authentication::mock_methods!();"), "{mock}");
        let data = file(&files, "generated/src/server/mock/authentication.rs");
        assert!(data.contains("(validate_login_token().examples)"), "{data}");
        assert!(data.contains(r#"("provider", "cPStore")"#), "{data}");
        assert!(data.contains(r#"Some("<result/>\n")"#), "{data}");
        assert!(!file(&files, "generated/src/bin/whm-mock.rs").is_empty());
    }

    #[test]
    fn functions_without_data_return_unit_and_raw_ones_a_reply() {
        let mut f = seed_like();
        f.returns.clear();
        assert!(matches!(return_kind(&f), ReturnKind::Unit));
        assert_eq!(ok_type(&f).to_string(), "()");
        f.output_raw = Some(crate::ir::RawOutput {
            description: String::new(),
            example: Some("done".into()),
        });
        assert_eq!(
            ok_type(&f).to_string(),
            quote!(whm_runtime::server::Reply<whm_runtime::NoData>).to_string()
        );
        let files = emit(&api(f));
        assert!(
            file(&files, "generated/src/server/mock/authentication.rs")
                .contains("raw_output: Some(\"done\")")
        );
    }
}
