//! The example-tests emitter: every spec example becomes tests of every output.
//!
//! For each example of each function, `generated/src/example_tests/CATEGORY.rs`
//! holds the example's data (a `whm_runtime::examples::Example`) and one test
//! per check, each a single call into `whm_runtime::examples`, where the
//! checks are written once:
//!
//! - `example_N_request`: the parameters build the typed request, which encodes
//!   to the example's query (its parameters in spec order, encoded as the docs
//!   print them) and decodes back to an equal request;
//! - `example_N_json`, `example_N_xml` (when the example documents that output):
//!   the output decodes into the typed data and encodes back to equal JSON, and
//!   the XML output decodes to the same data as the JSON one;
//! - `example_N_cli` (feature `cli`): the example's command line, as the docs
//!   print it, parses through `whmapi1`'s machinery to the same request;
//! - `example_N_mock` (feature `server`): the mock server answers the example's
//!   request with the example's output.
//!
//! The module is `#[cfg(test)]`: it costs nothing outside `cargo test`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::crate_files::category_cfg_line;
use super::docs::calls::{command_line, percent_encode};
use super::rust::{category_files, ident, one_line};
use super::{FileKind, OutputFile};
use crate::ir::{Api, Category, Example, Function, ListStyle, Type};

/// `generated/src/example_tests/mod.rs` and one file per category that has examples.
pub fn emit(api: &Api) -> Vec<OutputFile> {
    let tested: Vec<&Category> = api
        .categories
        .iter()
        .filter(|c| c.functions.iter().any(|f| !f.examples.is_empty()))
        .collect();
    let mut files = vec![mod_rs(&tested)];
    files.extend(category_files(
        "generated/src/example_tests",
        tested,
        category_file,
    ));
    files
}

fn mod_rs(categories: &[&Category]) -> OutputFile {
    let mut out = String::from(
        "//! Every example in the specs, as tests of every output: the request it builds and\n\
         //! encodes, its JSON and XML outputs decoded and written back, its `whmapi1` command\n\
         //! line (feature `cli`) and the mock server's answer (feature `server`).\n\
         //!\n\
         //! The checks live once in `whm_runtime::examples`; each test here is one call.\n\
         //! A failure names the function, the example and the field's JSON path.\n",
    );
    for c in categories {
        out.push_str(&format!(
            "\n/// Examples of the {} functions.\n{}mod {};\n",
            one_line(&c.title),
            category_cfg_line(c),
            c.module
        ));
    }
    OutputFile::text("generated/src/example_tests/mod.rs", FileKind::Rust, out)
}

fn category_file(category: &Category) -> TokenStream {
    let title = format!(
        " Tests of the {} functions' examples.",
        one_line(&category.title)
    );
    let functions = category
        .functions
        .iter()
        .filter(|f| !f.examples.is_empty())
        .map(|f| function_tests(category, f));
    quote! {
        #![doc = #title]

        #(#functions)*
    }
}

/// A module per function: its examples and their tests.
fn function_tests(category: &Category, f: &Function) -> TokenStream {
    let module = ident(&category.module);
    let method = ident(&f.rust.method);
    let request = ident(&f.rust.request);
    let doc = format!(" The examples of `{}`.", f.name);
    let examples_doc = format!(" The examples of `{}`, in spec order.", f.name);
    let count = proc_macro2::Literal::usize_unsuffixed(f.examples.len());
    let examples = f.examples.iter().map(|e| example_data(f, e));
    let tests = f
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| example_tests(category, f, i, e));
    quote! {
        #[doc = #doc]
        mod #method {
            /// The request type of the function.
            type Request = crate::types::#module::#request;

            #[doc = #examples_doc]
            static EXAMPLES: [whm_runtime::examples::Example; #count] = [#(#examples),*];

            #(#tests)*
        }
    }
}

/// The `Example` literal of one example.
fn example_data(f: &Function, example: &Example) -> TokenStream {
    let title = &example.title;
    let params = example.params.iter().map(|(k, v)| quote!((#k, #v)));
    let query = expected_query(f, example);
    let command = command_line(&f.name, &example.params);
    let json = option_str(example.json.as_deref());
    let xml = option_str(example.xml.as_deref());
    quote! {
        whm_runtime::examples::Example {
            title: #title,
            params: &[#(#params),*],
            query: #query,
            command_line: #command,
            json: #json,
            xml: #xml,
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// The tests of example `index` (counted from 1 in their names).
fn example_tests(
    category: &Category,
    f: &Function,
    index: usize,
    example: &Example,
) -> TokenStream {
    let n = index + 1;
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    let test = |check: &str| format_ident!("example_{}_{}", n, check);
    let call = |check: TokenStream| {
        quote! {
            #check.unwrap_or_else(|failure| panic!("{failure}"));
        }
    };
    let request_test = test("request");
    let request_check =
        call(quote!(whm_runtime::examples::check_request::<Request>(&EXAMPLES[#index])));
    let json = example.json.is_some().then(|| {
        let name = test("json");
        let check = call(quote!(whm_runtime::examples::check_json::<Request>(&EXAMPLES[#index])));
        quote! {
            /// The JSON output decodes into the typed data and encodes back to equal JSON.
            #[test]
            fn #name() {
                #check
            }
        }
    });
    let xml = example.xml.is_some().then(|| {
        let name = test("xml");
        let check = call(quote!(whm_runtime::examples::check_xml::<Request>(&EXAMPLES[#index])));
        quote! {
            /// The XML output decodes into the typed data (the JSON output's, when both
            /// are documented) and encodes back to equal JSON.
            #[test]
            fn #name() {
                #check
            }
        }
    });
    let module = ident(&category.module);
    let method = ident(&f.rust.method);
    let cli_test = test("cli");
    let cli_check = call(quote!(whm_runtime::examples::check_cli::<Request>(
        &EXAMPLES[#index],
        crate::cli::#module::#method(),
    )));
    let mock_test = test("mock");
    let mock_check = call(quote!(whm_runtime::examples::check_mock::<Request, _, _>(
        &EXAMPLES[#index],
        async |context, request| {
            crate::server::WhmServer::#method(&crate::server::mock::Mock, context, request).await
        },
    )));
    quote! {
        /// The parameters build the request, which encodes to the example's query and back.
        #[test]
        fn #request_test() {
            #request_check
        }

        #json
        #xml

        /// The example's `whmapi1` command line parses to the same request.
        #[cfg(feature = "cli")]
        #[test]
        fn #cli_test() {
            #cli_check
        }

        /// The mock server answers the example's request with the example's output.
        #[cfg(feature = "server")]
        #[test]
        fn #mock_test() {
            #mock_check
        }
    }
}

/// The query string the example's request must encode to: `api.version=1`,
/// then the example's parameters in spec order (a numbered list's keys in
/// number order, a repeated list's values in the example's order), encoded
/// as the docs print them. Keys that are no parameter of the function follow
/// in the example's order, so that the test names them.
fn expected_query(f: &Function, example: &Example) -> String {
    let mut taken = vec![false; example.params.len()];
    let mut ordered: Vec<(&str, &str)> = Vec::new();
    for p in &f.params {
        // `MXCHECK-*`: the map's keys, in the order the map (a `BTreeMap`) sends them.
        if let Some(prefix) = &p.pattern_prefix {
            let mut matched: Vec<usize> = (0..example.params.len())
                .filter(|&i| !taken[i])
                .filter(|&i| {
                    let key = &example.params[i].0;
                    key.len() > prefix.len() && key.starts_with(prefix.as_str())
                })
                .collect();
            matched.sort_by(|&a, &b| example.params[a].0.cmp(&example.params[b].0));
            for i in matched {
                taken[i] = true;
                let (key, value) = &example.params[i];
                ordered.push((key, value));
            }
            continue;
        }
        let numbered = matches!(&p.ty, Type::Array(a) if a.style == ListStyle::Numbered);
        let mut matched: Vec<(u64, usize)> = Vec::new();
        for (i, (key, _)) in example.params.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let number = key
                .strip_prefix(p.name.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|_| numbered);
            if *key == p.name {
                matched.push((0, i));
            } else if let Some(number) = number {
                matched.push((number, i));
            }
        }
        // A stable sort keeps plain keys and equal numbers in the example's order.
        matched.sort_by_key(|(number, _)| *number);
        for (_, i) in matched {
            taken[i] = true;
            let (key, value) = &example.params[i];
            ordered.push((key, value));
        }
    }
    for (i, (key, value)) in example.params.iter().enumerate() {
        if !taken[i] {
            ordered.push((key, value));
        }
    }
    let mut query = String::from("api.version=1");
    for (key, value) in ordered {
        query.push('&');
        query.push_str(&percent_encode(key));
        query.push('=');
        query.push_str(&percent_encode(value));
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Array, Field, FunctionNames};

    fn field(name: &str, ty: Type) -> Field {
        Field {
            name: name.into(),
            rust_name: name.replace('-', "_"),
            ty,
            description: String::new(),
            required: false,
            default: None,
            possible_values: vec![],
            example: None,
            deprecated: false,
            nullable: false,
            sensitive: false,
            anchor: String::new(),
            ..Default::default()
        }
    }

    fn list(style: ListStyle) -> Type {
        Type::Array(Array {
            items: Box::new(Type::String(None)),
            style,
            first_index: 1,
        })
    }

    fn function(params: Vec<Field>, examples: Vec<Example>) -> Function {
        Function {
            name: "set_features".into(),
            category: "accounts".into(),
            summary: "Sets features.".into(),
            description: String::new(),
            since: None,
            notes: vec![],
            list_output: false,
            secrets_in_url: false,
            rust: FunctionNames {
                method: "set_features".into(),
                request: "SetFeaturesRequest".into(),
                data: "SetFeaturesData".into(),
                variant: "SetFeatures".into(),
            },
            params,
            returns: vec![],
            metadata: vec![],
            output_raw: None,
            examples,
            see_also: Vec::new(),
            source: "accounts/set_features.yaml".into(),
            ..Default::default()
        }
    }

    fn example(params: &[(&str, &str)], json: Option<&str>) -> Example {
        Example {
            title: "Set them".into(),
            description: String::new(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            json: json.map(str::to_owned),
            json_value: None,
            xml: None,
            notes: vec![],
        }
    }

    fn api(f: Function) -> Api {
        Api {
            categories: vec![Category {
                id: "accounts".into(),
                title: "Accounts".into(),
                description: String::new(),
                module: "accounts".into(),
                functions: vec![f],
            }],
            guides: vec![],
            catalog: vec![],
            named_types: Vec::new(),
        }
    }

    #[test]
    fn the_query_follows_spec_order_and_numbers_lists() {
        let f = function(
            vec![
                field("user", Type::String(None)),
                field("feature", list(ListStyle::Numbered)),
                field("tag", list(ListStyle::Repeated)),
                field("feature-x", Type::String(None)),
            ],
            vec![],
        );
        let ex = example(
            &[
                ("tag", "b"),
                ("feature-2", "ssh"),
                ("typo", "?"),
                ("feature-x", "y"),
                ("user", "a b"),
                ("feature-1", "ftp"),
                ("tag", "a"),
            ],
            None,
        );
        assert_eq!(
            expected_query(&f, &ex),
            "api.version=1&user=a%20b&feature-1=ftp&feature-2=ssh&tag=b&tag=a&feature-x=y&typo=%3F"
        );
    }

    #[test]
    fn emits_one_test_per_check_and_output() {
        let f = function(
            vec![field("user", Type::String(None))],
            vec![
                example(&[("user", "a")], Some("{}")),
                example(&[("user", "b")], None),
            ],
        );
        let files = emit(&api(f));
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "generated/src/example_tests/mod.rs",
                "generated/src/example_tests/accounts.rs"
            ]
        );
        let text = String::from_utf8(files[1].contents.clone()).unwrap_or_default();
        for test in [
            "fn example_1_request()",
            "fn example_1_json()",
            "fn example_1_cli()",
            "fn example_1_mock()",
            "fn example_2_request()",
        ] {
            assert!(text.contains(test), "{test} in\n{text}");
        }
        assert!(!text.contains("fn example_2_json()"), "{text}");
        assert!(!text.contains("fn example_1_xml()"), "{text}");
        assert!(
            text.contains("command_line: \"whmapi1 set_features user=a\""),
            "{text}"
        );
    }

    #[test]
    fn categories_without_examples_get_no_file() {
        let files = emit(&api(function(vec![], vec![])));
        assert_eq!(files.len(), 1);
        let text = String::from_utf8(files[0].contents.clone()).unwrap_or_default();
        assert!(!text.contains("mod accounts"), "{text}");
    }
}
