//! The types emitter: each function's request and response types, one module per category.
//!
//! A function's request and data types live in its category's module and are
//! re-exported flat (`whm_api::types::ListacctsRequest`); the structs and
//! enums they use live in a module of the function's own
//! (`whm_api::types::accounts::listaccts::Acct`), named by
//! [`crate::front`] from that function's spec alone, so adding a spec never
//! renames another function's types.
//!
//! A request type implements `whm_runtime::ApiFunction`, which is all the
//! server, client and CLI need: they are generic over it. Response types are
//! plain serde structs whose fields all go through `whm_runtime::wire`, so
//! WHM's loose wire forms are handled in one place.

use proc_macro2::TokenStream;
use quote::quote;

use super::crate_files::category_cfg_line;
use super::rust::{category_files, doc_attrs, ident, one_line};
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
        category_file,
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
        Type::Hash(s) => {
            let nested = s.fields.iter().map(|f| nested_types(f, Scope::Shared));
            let item = struct_item(s, &t.description, Scope::Shared);
            quote!(#item #(#nested)*)
        }
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
         //! Each function's request and data types are also re-exported here, so\n\
         //! `whm_api::types::ListacctsRequest` works without naming the category. The\n\
         //! structs and enums they use are in a module of the function's own, as\n\
         //! `whm_api::types::accounts::listaccts::Acct`.\n",
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
        let names: Vec<&str> = c
            .functions
            .iter()
            .flat_map(|f| {
                std::iter::once(f.rust.request.as_str())
                    .chain((!f.returns.is_empty()).then_some(f.rust.data.as_str()))
            })
            .collect();
        let cfg = category_cfg_line(c);
        match names.as_slice() {
            [] => {}
            [one] => out.push_str(&format!("{cfg}pub use {}::{one};\n", c.module)),
            many => out.push_str(&format!(
                "{cfg}pub use {}::{{{}}};\n",
                c.module,
                many.join(", ")
            )),
        }
    }
    if !api.named_types.is_empty() {
        out.push_str("pub use shared::*;\n");
    }
    OutputFile::text("generated/src/types/mod.rs", FileKind::Rust, out)
}

fn category_file(category: &Category) -> TokenStream {
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
    quote! {
        #![doc = #title]
        #![doc = ""]
        #(#inner_description)*

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
    let module = ident(f.rust.types_module());
    let scope = Scope::Category(&module);
    let name = &f.name;
    let output_raw = f.output_raw.is_some();

    let fields = f.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p, scope);
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
        let ty = param_type(p, scope);
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
        (quote!(#data_ident), struct_item(&data, &doc, scope))
    };
    // The nested types, in the function's module: parameters', returns', metadata's.
    let nested: Vec<TokenStream> = f
        .params
        .iter()
        .chain(&f.returns)
        .chain(&f.metadata)
        .map(|field| nested_types(field, Scope::Nested))
        .filter(|items| !items.is_empty())
        .collect();
    let nested_module = (!nested.is_empty()).then(|| {
        let doc = format!(
            " The structs and enums of `{}`'s parameters, returns and metadata, used by\n [`{}`](super::{}){}.",
            f.name,
            f.rust.request,
            f.rust.request,
            if f.returns.is_empty() {
                String::new()
            } else {
                format!(" and [`{}`](super::{})", f.rust.data, f.rust.data)
            }
        );
        quote! {
            #[doc = #doc]
            pub mod #module {
                #(#nested)*
            }
        }
    });

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
    // Every function whose data is one list names it, so that the server
    // shapes it as WHM does; the ones whose spec keeps `list_output` (not the
    // functions that change something) also hand their records to the pager.
    let list_const = crate::ir::record_list(&f.returns).map(|(list, _)| {
        let wire = &list.name;
        quote!(const LIST: Option<&'static str> = Some(#wire);)
    });
    let list_impl = f.list_field().map(|(list, record)| {
        let field = ident(&list.rust_name);
        let record = rust_type(record, false, scope);
        quote! {
            impl whm_runtime::ListFunction for #request {
                type Record = #record;

                fn into_records(data: Self::Data) -> Vec<Self::Record> {
                    data.#field.unwrap_or_default()
                }
            }
        }
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
            #list_const
            type Data = #data_type;

            fn to_query(&self, #query_arg: &mut whm_runtime::QueryBuilder) {
                #(#to_query)*
            }

            fn from_params(#params_arg: &whm_runtime::Params) -> Result<Self, whm_runtime::ParamError> {
                #run_checks
                Ok(Self { #(#from_params)* })
            }
        }

        #list_impl
        #data_items
        #nested_module
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

/// Where a reference to a generated type is written, which decides its path.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// In a category's module (request and data types): nested types are in
    /// the function's module, named types in `types::shared`.
    Category(&'a proc_macro2::Ident),
    /// In a function's module: nested types by name, named types in `types::shared`.
    Nested,
    /// In `types::shared`: everything by name.
    Shared,
}

/// The path to a generated type from `scope`.
fn type_path(name: &str, shared: bool, scope: Scope) -> TokenStream {
    let name = ident(name);
    match (scope, shared) {
        (Scope::Shared, _) => quote!(#name),
        (_, true) => quote!(crate::types::shared::#name),
        (Scope::Category(module), false) => quote!(#module::#name),
        (Scope::Nested, false) => quote!(#name),
    }
}

/// The Rust type of a parameter field: `Option` when optional, `Vec` for lists.
fn param_type(p: &Field, scope: Scope) -> TokenStream {
    let inner = rust_type(&p.ty, true, scope);
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
fn rust_type(ty: &Type, param: bool, scope: Scope) -> TokenStream {
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
        Type::Enum(e) => type_path(&e.rust_name, e.shared, scope),
        Type::Hash(s) => type_path(&s.rust_name, s.shared, scope),
        Type::Array(a) => {
            let item = rust_type(&a.items, param, scope);
            quote!(Vec<#item>)
        }
        Type::Map(v) => {
            let value = rust_type(v, param, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

/// The structs and enums a field's type needs, depth first, written in `scope`.
fn nested_types(field: &Field, scope: Scope) -> TokenStream {
    type_items(&field.ty, &field.description, scope)
}

fn type_items(ty: &Type, description: &str, scope: Scope) -> TokenStream {
    match ty {
        // Named types are emitted once, in `types::shared`.
        Type::Enum(e) if e.shared => TokenStream::new(),
        Type::Hash(s) if s.shared => TokenStream::new(),
        Type::Enum(e) => enum_type(e, description),
        Type::Hash(s) => {
            let item = struct_item(s, description, scope);
            let nested = s.fields.iter().map(|f| nested_types(f, scope));
            quote!(#item #(#nested)*)
        }
        Type::Array(a) => type_items(&a.items, description, scope),
        Type::Map(v) => type_items(v, description, scope),
        _ => TokenStream::new(),
    }
}

/// A response struct: every field optional, read and written through
/// `whm_runtime::wire`. Its nested types are emitted apart ([`nested_types`]).
fn struct_item(s: &Struct, description: &str, scope: Scope) -> TokenStream {
    let name = ident(&s.rust_name);
    let docs = doc_attrs(if description.trim().is_empty() {
        "A hash in the response."
    } else {
        description
    });
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = rust_type(&f.ty, false, scope);
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
    let (derive_debug, debug_impl) = debug_items(&s.rust_name, &s.fields);
    quote! {
        #docs
        #[derive(#derive_debug Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }

        #debug_impl

        whm_runtime::impl_wire_serde!(#name);
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
        "{}\n\nA closed set of values; `Unknown` keeps any value this spec does not list. \
         More values may be documented later, so a `match` needs a `_` arm.",
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
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this spec does not list, kept as WHM sent it.
            Unknown(String),
        }

        whm_runtime::wire_enum!(#name, numeric = #numeric, { #(#table),* });
    }
}
