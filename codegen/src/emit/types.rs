//! The types emitter: each function's request and response types, one module per category.
//!
//! A request type implements `whm_runtime::ApiFunction`, which is all the
//! server, client and CLI need: they are generic over it. Response types are
//! plain serde structs whose fields all go through `whm_runtime::wire`, so
//! WHM's loose wire forms are handled in one place.

use proc_macro2::TokenStream;
use quote::quote;

use super::crate_files::category_cfg_line;
use super::rust::{category_files, doc_attrs, ident};
use super::{FileKind, OutputFile};
use crate::ident::unraw;
use crate::ir::{
    Api, Category, Constraint, EnumType, Field, Function, HttpMethod, ListStyle, Struct, Type,
};

/// `generated/src/types/mod.rs` and one file per category.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let mut files = vec![mod_rs(api)];
    let shared = !api.named_types.is_empty();
    files.extend(category_files(
        "generated/src/types",
        &api.categories,
        |c| category_file(c, shared),
    ));
    if shared {
        files.push(super::rust::rust_file(
            "generated/src/types/shared.rs",
            shared_file(api),
        ));
    }
    files
}

/// `types/shared.rs`: the named types of `spec/types/`, each once.
fn shared_file(api: &Api) -> TokenStream {
    let items = api.named_types.iter().map(|t| match &t.ty {
        Type::Hash(s) => struct_and_nested(s, &t.description),
        Type::Enum(e) => enum_type(e, &t.description),
        _ => TokenStream::new(),
    });
    quote! {
        #![doc = " Named types: shapes that several functions share, defined once in `spec/types/`."]

        #(#items)*
    }
}

fn mod_rs(api: &Api) -> OutputFile {
    let mut out = String::from(
        "//! Request and response types of every function, one module per category.\n//!\n\
         //! Every type is also re-exported here, so `whm_api::types::ListacctsRequest` works\n\
         //! without naming the category.\n",
    );
    for c in &api.categories {
        out.push_str(&format!(
            "\n/// {}\n{}pub mod {};\n",
            one_line(&c.title),
            category_cfg_line(c),
            c.module
        ));
    }
    if !api.named_types.is_empty() {
        out.push_str(
            "\n/// Named types that several functions share (`spec/types/`).\npub mod shared;\n",
        );
    }
    out.push('\n');
    for c in &api.categories {
        out.push_str(&format!(
            "{}pub use {}::*;\n",
            category_cfg_line(c),
            c.module
        ));
    }
    if !api.named_types.is_empty() {
        out.push_str("pub use shared::*;\n");
    }
    OutputFile::text("generated/src/types/mod.rs", FileKind::Rust, out)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn category_file(category: &Category, shared: bool) -> TokenStream {
    let title = format!(
        " {}: request and response types.",
        one_line(&category.title)
    );
    let inner_description: Vec<TokenStream> = category
        .description
        .lines()
        .map(|l| format!(" {l}"))
        .map(|l| quote!(#![doc = #l]))
        .collect();
    let functions = category.functions.iter().map(function_types);
    // Named types are referred to by name, as nested ones are.
    let shared = shared.then(|| {
        quote!(
            #[allow(unused_imports)]
            use super::shared::*;
        )
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #(#inner_description)*

        #shared

        #(#functions)*
    }
}

/// The rustdoc of a function's request type: summary, description, URL, version.
fn function_docs(f: &Function) -> TokenStream {
    let mut text = format!(
        "{}\n\n{}\n\nWHM API 1 function `{}`: `{} /json-api/{}`.",
        f.summary.trim(),
        f.description.trim(),
        f.name,
        if f.post() { "POST" } else { "GET" },
        f.name
    );
    if f.method == Some(HttpMethod::Post) {
        text.push_str(" WHM documents it as a POST: clients send the parameters as a form body.");
    } else if f.post() {
        text.push_str(" Clients send it as a POST with a form body: its sensitive parameters stay out of URLs.");
    }
    if f.success_reason.is_some() {
        text.push_str(&format!(
            " A successful call answers `reason` “{}”.",
            f.success_reason()
        ));
    }
    if f.deprecated {
        text.push_str(&format!("\n\n**{}**", f.deprecation.sentence()));
    }
    if let Some(since) = &f.since {
        text.push_str(&format!(" Since {since}."));
    }
    for note in &f.notes {
        text.push_str(&format!("\n\n{}", note.trim()));
    }
    if !f.see_also.is_empty() {
        text.push_str("\n\nSee also:");
        for s in &f.see_also {
            let summary = if s.summary.is_empty() {
                String::new()
            } else {
                format!(": {}", s.summary.trim())
            };
            text.push_str(&format!("\n- `{}`{summary}", s.name));
        }
    }
    doc_attrs(&text)
}

fn function_types(f: &Function) -> TokenStream {
    let request = ident(&f.rust.request);
    let docs = function_docs(f);
    let name = &f.name;
    let output_raw = f.output_raw.is_some();

    let fields = f.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p);
        let docs = field_docs(p);
        quote! { #docs pub #field: #ty, }
    });
    let derive_default = f
        .params
        .iter()
        .all(|p| !p.required)
        .then(|| quote!(Default,));

    // `new` takes the required parameters; the optional ones start unset.
    let required: Vec<&Field> = f.params.iter().filter(|p| p.required).collect();
    let new_args = required.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p);
        if is_string(&p.ty) {
            quote!(#field: impl Into<String>)
        } else {
            quote!(#field: #ty)
        }
    });
    let new_fields = f.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        match (p.required && p.pattern_prefix.is_none(), is_string(&p.ty)) {
            (true, true) => quote!(#field: #field.into()),
            (true, false) => quote!(#field),
            (false, _) => quote!(#field: Default::default()),
        }
    });

    let to_query = f.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.name;
        if let Some(prefix) = &p.pattern_prefix {
            return quote!(query.push_pattern(#prefix, &self.#field););
        }
        match (&p.ty, p.required) {
            (Type::Array(a), _) => match (a.style, a.first_index) {
                (ListStyle::Repeated, _) => quote!(query.push_repeated(#wire, &self.#field);),
                (ListStyle::Comma, _) => quote!(query.push_joined(#wire, &self.#field);),
                (ListStyle::Numbered, 1) => quote!(query.push_numbered(#wire, &self.#field);),
                (ListStyle::Numbered, first) => {
                    quote!(query.push_numbered_from(#wire, #first, &self.#field);)
                }
            },
            (_, true) => quote!(query.push(#wire, &self.#field);),
            (_, false) => quote!(query.push_opt(#wire, &self.#field);),
        }
    });
    let from_params = f.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.name;
        let value = match (&p.ty, p.required) {
            _ if p.pattern_prefix.is_some() => {
                let prefix = p.pattern_prefix.as_deref().unwrap_or_default();
                quote!(params.pattern(#prefix)?)
            }
            (Type::Array(a), true) if a.style == ListStyle::Comma => {
                quote!(params.required_joined_list(#wire)?)
            }
            (Type::Array(a), false) if a.style == ListStyle::Comma => {
                quote!(params.joined_list(#wire)?)
            }
            (Type::Array(_), true) => quote!(params.required_list(#wire)?),
            (Type::Array(_), false) => quote!(params.list(#wire)?),
            (Type::String(Some(format)), required) => {
                let variant = ident(format.variant_name());
                if required {
                    quote!(params.required_formatted(#wire, whm_runtime::Format::#variant)?)
                } else {
                    quote!(params.optional_formatted(#wire, whm_runtime::Format::#variant)?)
                }
            }
            (_, true) => quote!(params.required(#wire)?),
            (_, false) => quote!(params.optional(#wire)?),
        };
        quote!(#field: #value,)
    });
    let params_arg = if f.params.is_empty() {
        quote!(_params)
    } else {
        quote!(params)
    };
    let query_arg = if f.params.is_empty() {
        quote!(_query)
    } else {
        quote!(query)
    };

    let (data_type, data_items) = if f.returns.is_empty() {
        (quote!(whm_runtime::NoData), TokenStream::new())
    } else {
        let data = Struct {
            rust_name: f.rust.data.clone(),
            fields: f.returns.clone(),
            shared: false,
        };
        let doc = format!("The `data` of a successful [`{}`] call.", f.rust.request);
        let data_ident = ident(&f.rust.data);
        (quote!(#data_ident), struct_and_nested(&data, &doc))
    };
    let metadata_items = f.metadata.iter().map(nested_types);
    let param_items = f.params.iter().map(nested_types);

    let (derive_debug, debug_impl) = debug_items(&f.rust.request, &f.params);
    let sensitive = f.sensitive_params();
    let sensitive_const = (!sensitive.is_empty())
        .then(|| quote!(const SENSITIVE: &'static [&'static str] = &[#(#sensitive),*];));
    let post_const = f.post().then(|| {
        quote!(
            const POST: bool = true;
        )
    });
    let reason_const = f.success_reason.as_ref().map(|reason| {
        quote!(
            const SUCCESS_REASON: &'static str = #reason;
        )
    });
    // The checks are data; `whm_runtime::check::apply` runs them before the fields are read.
    let checks: Vec<TokenStream> = f
        .params
        .iter()
        .flat_map(|p| p.constraints.iter().map(move |c| check_item(p, c)))
        .collect();
    let (checks_const, run_checks) = if checks.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            quote!(const CHECKS: &'static [whm_runtime::check::Check] = &[#(#checks),*];),
            quote!(whm_runtime::check::apply(Self::CHECKS, params)?;),
        )
    };
    quote! {
        #docs
        #[derive(#derive_debug Clone, PartialEq, #derive_default)]
        pub struct #request {
            #(#fields)*
        }

        #debug_impl

        impl #request {
            /// A request with the required parameters set and the optional ones unset.
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_fields),* }
            }
        }

        impl whm_runtime::ApiFunction for #request {
            const NAME: &'static str = #name;
            const OUTPUT_RAW: bool = #output_raw;
            #sensitive_const
            #post_const
            #reason_const
            #checks_const
            type Data = #data_type;

            fn to_query(&self, #query_arg: &mut whm_runtime::QueryBuilder) {
                #(#to_query)*
            }

            fn from_params(#params_arg: &whm_runtime::Params) -> Result<Self, whm_runtime::ParamError> {
                #run_checks
                Ok(Self { #(#from_params)* })
            }
        }

        #(#param_items)*
        #data_items
        #(#metadata_items)*
    }
}

/// One `whm_runtime::check::Check` of a parameter, on one line.
fn check_item(p: &Field, c: &Constraint) -> TokenStream {
    use proc_macro2::Literal;
    let param = &p.name;
    let rule = match c {
        Constraint::Minimum(n) => {
            let n = Literal::i64_unsuffixed(*n);
            quote!(Minimum(#n))
        }
        Constraint::Maximum(n) => {
            let n = Literal::i64_unsuffixed(*n);
            quote!(Maximum(#n))
        }
        Constraint::MinLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(MinLength(#n))
        }
        Constraint::MaxLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(MaxLength(#n))
        }
        Constraint::Pattern(pattern) => quote!(Pattern(#pattern)),
        Constraint::RequiredIf { param, values } => {
            quote!(RequiredIf { param: #param, values: &[#(#values),*] })
        }
    };
    let joined = matches!(&p.ty, Type::Array(a) if a.style == ListStyle::Comma);
    let constructor = if joined { quote!(joined) } else { quote!(new) };
    quote!(whm_runtime::check::Check::#constructor(#param, whm_runtime::check::Rule::#rule))
}

fn is_string(ty: &Type) -> bool {
    matches!(ty, Type::String(_) | Type::Any)
}

/// The rustdoc of a field: description, possible values, default, example.
fn field_docs(field: &Field) -> TokenStream {
    let mut text = field.description.trim().to_owned();
    if field.deprecated {
        text.push_str(&format!("\n\n**{}**", field.deprecation.sentence()));
    }
    let lines = field.value_lines();
    if !lines.is_empty() {
        text.push_str("\n\nPossible values:");
        for line in &lines {
            text.push_str(&format!("\n- {}", one_line(line)));
        }
    }
    if let Some(default) = &field.default {
        if default.is_empty() {
            text.push_str("\n\nDefault: an empty string.");
        } else {
            text.push_str(&format!("\n\nDefault: `{default}`."));
        }
    }
    if let Some(example) = &field.example {
        text.push_str(&format!(
            "\n\nExample: `{}`.",
            example.display().replace('`', "'")
        ));
    }
    if field.name != unraw(&field.rust_name) {
        text.push_str(&format!("\n\nWire name: `{}`.", field.name));
    }
    doc_attrs(&text)
}

/// The Rust type of a parameter field: `Option` when optional, `Vec` for lists.
fn param_type(p: &Field) -> TokenStream {
    let inner = rust_type(&p.ty, true);
    if p.pattern_prefix.is_some() {
        // `MXCHECK-*`: the part of each name after the prefix, and its value.
        quote!(std::collections::BTreeMap<String, #inner>)
    } else if p.required || matches!(p.ty, Type::Array(_)) {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// The Rust type of a value. Parameters carry `any` as text.
fn rust_type(ty: &Type, param: bool) -> TokenStream {
    match ty {
        Type::String(_) => quote!(String),
        Type::Any if param => quote!(String),
        Type::Any => quote!(serde_json::Value),
        Type::Integer | Type::Timestamp => quote!(i64),
        Type::Float => quote!(f64),
        Type::Boolean => quote!(bool),
        Type::Limit => quote!(whm_runtime::Limit),
        Type::YesNo => quote!(whm_runtime::YesNo),
        Type::StringOrInteger => quote!(whm_runtime::StringOrInteger),
        Type::Enum(e) => {
            let name = ident(&e.rust_name);
            quote!(#name)
        }
        Type::Hash(s) => {
            let name = ident(&s.rust_name);
            quote!(#name)
        }
        Type::Array(a) => {
            let item = rust_type(&a.items, param);
            quote!(Vec<#item>)
        }
        Type::Map(v) => {
            let value = rust_type(v, param);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

/// The structs and enums a field's type needs, depth first.
fn nested_types(field: &Field) -> TokenStream {
    type_items(&field.ty, &field.description)
}

fn type_items(ty: &Type, description: &str) -> TokenStream {
    match ty {
        // Named types are emitted once, in `types::shared`.
        Type::Enum(e) if e.shared => TokenStream::new(),
        Type::Hash(s) if s.shared => TokenStream::new(),
        Type::Enum(e) => enum_type(e, description),
        Type::Hash(s) => struct_and_nested(s, description),
        Type::Array(a) => type_items(&a.items, description),
        Type::Map(v) => type_items(v, description),
        _ => TokenStream::new(),
    }
}

/// A response struct: every field optional, read and written through `whm_runtime::wire`.
fn struct_and_nested(s: &Struct, description: &str) -> TokenStream {
    let name = ident(&s.rust_name);
    let docs = doc_attrs(if description.trim().is_empty() {
        "A hash in the response."
    } else {
        description
    });
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = rust_type(&f.ty, false);
        let docs = field_docs(f);
        let rename = (f.name != unraw(&f.rust_name)).then(|| {
            let wire = &f.name;
            quote!(rename = #wire,)
        });
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = "Option::is_none", with = "whm_runtime::wire")]
            pub #field: Option<#ty>,
        }
    });
    let nested = s.fields.iter().map(nested_types);
    let (derive_debug, debug_impl) = debug_items(&s.rust_name, &s.fields);
    quote! {
        #docs
        #[derive(#derive_debug Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }

        #debug_impl

        whm_runtime::impl_wire_serde!(#name);

        #(#nested)*
    }
}

/// `Debug,` to derive when no field is sensitive; otherwise nothing to derive and
/// a hand-written `Debug` that prints sensitive fields through `whm_runtime::redact`.
fn debug_items(type_name: &str, fields: &[Field]) -> (TokenStream, TokenStream) {
    if !fields.iter().any(|f| f.sensitive) {
        return (quote!(Debug,), TokenStream::new());
    }
    let name = ident(type_name);
    let fields = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let label = unraw(&f.rust_name);
        let always_set = f.required && !matches!(f.ty, Type::Array(_));
        if f.sensitive && always_set {
            // A required parameter of any type: set, so only the stand-in is printed.
            quote!(.field(#label, &whm_runtime::redact::Redacted::SET))
        } else if f.sensitive {
            // An `Option` or a `Vec`: `None` and `[]` print as they are.
            quote!(.field(#label, &whm_runtime::redact::redact(&self.#field)))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let debug = quote! {
        /// Prints as `#[derive(Debug)]` would, with sensitive fields as `<redacted>`.
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* .finish()
            }
        }
    };
    (TokenStream::new(), debug)
}

/// A closed value set, with `Unknown` keeping values the spec does not list.
fn enum_type(e: &EnumType, description: &str) -> TokenStream {
    let name = ident(&e.rust_name);
    let docs = doc_attrs(&format!(
        "{}\n\nA closed set of values; `Unknown` keeps any value this spec does not list.",
        description.trim()
    ));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = if v.description.is_empty() {
            format!("`{}`", v.wire)
        } else {
            format!("`{}`: {}", v.wire, v.description.trim())
        };
        let docs = doc_attrs(&doc);
        quote! { #docs #variant, }
    });
    // The trait impls are one runtime macro over the variant table.
    let table = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire;
        quote!(#variant => #wire)
    });
    let numeric = e.numeric;
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this spec does not list, kept as WHM sent it.
            Unknown(String),
        }

        whm_runtime::wire_enum!(#name, numeric = #numeric, { #(#table),* });
    }
}
