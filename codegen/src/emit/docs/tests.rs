//! Unit tests of the docs emitter on hand-built IR.

use super::*;
use crate::ir::{
    Array, CatalogCategory, CatalogEntry, EnumType, EnumVariant, Example, ExampleValue,
    FunctionNames, Guide, ListStyle, Struct,
};

fn field(name: &str, anchor: &str, ty: Type, description: &str) -> Field {
    Field {
        name: name.into(),
        rust_name: name.into(),
        ty,
        description: description.into(),
        required: false,
        default: None,
        possible_values: Vec::new(),
        example: None,
        deprecated: false,
        nullable: false,
        sensitive: false,
        anchor: anchor.into(),
        ..Default::default()
    }
}

fn function(name: &str, category: &str) -> Function {
    Function {
        name: name.into(),
        category: category.into(),
        summary: format!("Summary of {name}."),
        description: format!("Description of {name}."),
        since: None,
        notes: Vec::new(),
        list_output: false,
        secrets_in_url: false,
        rust: FunctionNames {
            method: name.into(),
            request: "Request".into(),
            data: "Data".into(),
            variant: "Variant".into(),
        },
        params: Vec::new(),
        returns: Vec::new(),
        metadata: Vec::new(),
        output_raw: None,
        examples: Vec::new(),
        see_also: Vec::new(),
        source: format!("{category}/{name}.yaml"),
        ..Default::default()
    }
}

/// The seed function, as the front end lowers `spec/authentication/validate_login_token.yaml`.
fn validate_login_token() -> Function {
    let mut f = function("validate_login_token", "authentication");
    f.description = "This function validates a login token with the cPanel Store or a cPanel Market\nprovider, and then returns access tokens.".into();
    f.since = Some("cPanel & WHM version 62".into());
    f.notes = vec!["Use WHM's *API Shell* interface (WHM >> Home >> Development >> API Shell) to directly test WHM API calls.".into()];
    let mut provider = field(
        "provider",
        "param-provider",
        Type::String(None),
        "The cPanel Store or cPanel Market provider's name.",
    );
    provider.required = true;
    provider.possible_values = vec!["`cPStore`".into(), "Any valid provider name.".into()];
    provider.example = Some(ExampleValue::Text("cPStore".into()));
    let mut url = field(
        "url_after_login",
        "param-url_after_login",
        Type::String(Some(StringFormat::Url)),
        "The location to which the cPanel Store or cPanel Market provider redirects the user's browser after they log in.",
    );
    url.required = true;
    url.possible_values = vec!["Any valid URL that includes a query component.".into()];
    url.example = Some(ExampleValue::Text(
        "http://hostname.example.com/redirectlocation.cgi?state".into(),
    ));
    let mut token = field(
        "login_token",
        "param-login_token",
        Type::String(None),
        "The login token to validate.",
    );
    token.required = true;
    token.possible_values = vec!["A valid login token.".into()];
    token.example = Some(ExampleValue::Text(
        "1a676e6f-99fc-11e6-9ab6-e60a769b73bc".into(),
    ));
    f.params = vec![provider, url, token];
    let mut access = field(
        "access_token",
        "return-payload-access_token",
        Type::String(None),
        "The access token.",
    );
    access.example = Some(ExampleValue::Text(
        "b7a6f029-99fc-11e6-a0bd-87581cb027ac".into(),
    ));
    let payload = field(
        "payload",
        "return-payload",
        Type::Array(Array {
            items: Box::new(Type::Hash(Struct {
                rust_name: "Payload".into(),
                fields: vec![access],
                shared: false,
            })),
            style: ListStyle::Numbered,
            first_index: 1,
        }),
        "An array of hashes of token information.",
    );
    f.returns = vec![payload];
    f.examples = vec![Example {
        title: "Validate a cPanel Store login token".into(),
        description: String::new(),
        params: vec![
            (
                "url_after_login".into(),
                "http://hostname.example.com/redirectionlocation.cgi?state".into(),
            ),
            ("provider".into(), "cPStore".into()),
            (
                "login_token".into(),
                "1a676e6f-99fc-11e6-9ab6-e60a769b73bc".into(),
            ),
        ],
        json: Some("{\n  \"data\": {}\n}\n".into()),
        json_value: None,
        xml: Some(
            "<result>\n  <metadata>\n    <result>1</result>\n  </metadata>\n</result>\n".into(),
        ),
        notes: Vec::new(),
    }];
    f
}

fn api_with(functions: Vec<Function>) -> Api {
    Api {
        categories: vec![Category {
            id: "authentication".into(),
            title: "Authentication".into(),
            description: "Log in.".into(),
            module: "authentication".into(),
            functions,
        }],
        guides: vec![
            Guide {
                slug: "01-introduction".into(),
                title: "Guide to WHM API 1".into(),
                markdown:
                    "# Guide to WHM API 1\n\nSee [options](02-output-options.md#sort-output).\n"
                        .into(),
            },
            Guide {
                slug: "02-output-options".into(),
                title: "Output options".into(),
                markdown: "# Output options\n\n## Sort output\n".into(),
            },
        ],
        catalog: vec![CatalogCategory {
            title: "Authentication".into(),
            functions: vec![
                CatalogEntry {
                    name: "api_token_create".into(),
                    unsure: false,
                    specified_in: None,
                },
                CatalogEntry {
                    name: "validate_login_token".into(),
                    unsure: false,
                    specified_in: Some("authentication".into()),
                },
                CatalogEntry {
                    name: "listacls".into(),
                    unsure: true,
                    specified_in: None,
                },
            ],
        }],
        named_types: Vec::new(),
    }
}

fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let found = files.iter().find(|f| f.path == path);
    assert!(
        found.is_some(),
        "{path} missing from {:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    found
        .map(|f| std::str::from_utf8(&f.contents).unwrap_or_default())
        .unwrap_or_default()
}

#[test]
fn function_page_shows_the_seed_facts_in_order() {
    let files = emit(&api_with(vec![validate_login_token()]));
    let page = file(&files, "docs/functions/validate_login_token.html");
    let in_order = [
        "<h1>WHM API 1 Functions - validate_login_token</h1>",
        "This function validates a login token",
        "/json-api/validate_login_token?api.version=1&#38;url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&#38;provider=cPStore&#38;login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
        "/xml-api/validate_login_token?api.version=1&#38;url_after_login=",
        "whmapi1 validate_login_token &#39;url_after_login=http://hostname.example.com/redirectionlocation.cgi?state&#39; provider=cPStore",
        "Unless otherwise noted, you <strong>must</strong> URI-encode values in the JSON API and XML API URLs.",
        "This project's <code>whmapi1</code> encodes values itself: pass them unencoded",
        "/usr/local/cpanel/bin/whmapi1",
        "id=\"param-provider\"",
        "<li><code>cPStore</code></li>",
        "Any valid provider name.",
        "<strong>Required</strong>",
        "id=\"param-url_after_login\"",
        "string (URL)",
        "<code class=\"example-value\">http:<wbr>/<wbr>/<wbr>hostname.<wbr>example.<wbr>com/<wbr>redirectlocation.<wbr>cgi?<wbr>state</code>",
        "id=\"param-login_token\"",
        "id=\"return-payload\"",
        "array of hashes",
        "id=\"return-payload-access_token\"",
        "<span class=\"parent\">payload › </span>",
        "Output (JSON)",
        "Output (XML)",
        "&#60;result&#62;",
        "API Shell",
        "WHM API 1 performs functions and accesses data in WHM.",
        "cPanel &#38; WHM version 62",
    ];
    let mut at = 0;
    for needle in in_order {
        match page[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("{needle:?} missing or out of order after byte {at}:\n{page}"),
        }
    }
    // The spec's own API Shell note is not repeated by the generic one.
    assert_eq!(page.matches("API Shell</em> interface").count(), 1);
    assert!(page.contains("href=\"#param-login_token\""));
    // The page names itself for the navigation script, and carries no list of other functions.
    assert!(page.contains("data-page=\"functions/validate_login_token.html\""));
    assert!(page.contains("<ul class=\"nav-categories\" id=\"nav-categories\"></ul>"));
    // Three parameters: no jump list.
    assert!(!page.contains("jump-list"));
}

#[test]
fn long_pages_get_a_jump_list_of_their_parameters() {
    let mut f = function("createacct", "authentication");
    f.params = (0..JUMP_LIST_MIN)
        .map(|i| {
            field(
                &format!("p{i}"),
                &format!("param-p{i}"),
                Type::String(None),
                "d",
            )
        })
        .collect();
    let files = emit(&api_with(vec![f]));
    let page = file(&files, "docs/functions/createacct.html");
    let jump = page
        .split("<details class=\"jump-list\">")
        .nth(1)
        .and_then(|j| j.split("</details>").next())
        .unwrap_or_else(|| panic!("no jump list:\n{page}"));
    assert!(jump.contains(&format!("Jump to one of the {JUMP_LIST_MIN} parameters")));
    for i in 0..JUMP_LIST_MIN {
        assert!(
            jump.contains(&format!("<a href=\"#param-p{i}\"><code>p{i}</code></a>")),
            "{jump}"
        );
    }
    // The jump list sits in the page's table of contents, before the description.
    assert!(page.find("jump-list") < page.find("id=\"description\""));
}

#[test]
fn empty_values_read_as_words_and_examples_break_between_parts() {
    let mut f = function("setfeatures", "authentication");
    let mut p = field("note", "param-note", Type::String(None), "A note.");
    p.default = Some(String::new());
    p.example = Some(ExampleValue::Text(String::new()));
    let mut q = field("limit", "param-limit", Type::Limit, "A limit.");
    q.example = Some(ExampleValue::Text("unlimited".into()));
    f.params = vec![p, q];
    let files = emit(&api_with(vec![f]));
    let page = file(&files, "docs/functions/setfeatures.html");
    assert!(
        page.contains("Optional. Default: <em class=\"empty\">empty string</em>"),
        "{page}"
    );
    assert!(!page.contains("<code></code>"), "an empty chip: {page}");
    assert!(page.contains("<td data-label=\"Example\"><em class=\"empty\">empty string</em></td>"));
    // A word stays whole.
    assert!(page.contains("<code class=\"example-value\">unlimited</code>"));
    assert_eq!(
        example_html("a&b=<c>"),
        "<code class=\"example-value\">a&amp;<wbr>b=<wbr>&lt;c&gt;</code>"
    );
}

#[test]
fn sensitive_rows_carry_a_badge_and_others_do_not() {
    let mut f = function("createacct", "authentication");
    let mut secret = field(
        "password",
        "param-password",
        Type::String(None),
        "A password.",
    );
    secret.sensitive = true;
    let plain = field("username", "param-username", Type::String(None), "A name.");
    f.params = vec![plain, secret];
    let files = emit(&api_with(vec![f]));
    let page = file(&files, "docs/functions/createacct.html");
    let row = |anchor: &str| {
        let start = page.find(&format!("<tr id=\"{anchor}\"")).expect("the row");
        page[start..start + page[start..].find("</tr>").expect("its end")].to_owned()
    };
    assert!(row("param-password").contains("<span class=\"badge sensitive\""));
    assert!(!row("param-username").contains("sensitive"));
}

#[test]
fn api_shell_note_is_added_when_the_spec_has_none() {
    let files = emit(&api_with(vec![function("gethostname", "authentication")]));
    let page = file(&files, "docs/functions/gethostname.html");
    assert_eq!(page.matches("API Shell</em> interface").count(), 1);
    assert!(page.contains("Not documented"));
    assert!(page.contains("This function takes no parameters."));
}

#[test]
fn enum_values_show_with_their_meanings_and_defaults_show() {
    let mut f = function("listaccts", "authentication");
    let mut p = field(
        "searchtype",
        "param-searchtype",
        Type::Enum(EnumType {
            rust_name: "SearchType".into(),
            numeric: false,
            variants: vec![EnumVariant {
                wire: "domain".into(),
                rust_name: "Domain".into(),
                description: "The account's *main* domain.".into(),
            }],
            shared: false,
        }),
        "Where to search.",
    );
    p.default = Some("user".into());
    f.params = vec![p];
    f.list_output = true;
    let files = emit(&api_with(vec![f]));
    let page = file(&files, "docs/functions/listaccts.html");
    assert!(
        page.contains("<code>domain</code> — The account's <em>main</em> domain."),
        "{page}"
    );
    assert!(page.contains("Optional. Default: <code>user</code>"));
    assert!(page.contains("href=\"../guides/02-output-options.html\""));
    // No example in the spec: the call is built from the parameters.
    assert!(page.contains("/json-api/listaccts?api.version=1</code>"));
}

#[test]
fn hostile_spec_text_is_inert_everywhere() {
    let mut f = function("hostile", "authentication");
    f.summary = "</script><script>alert('summary')</script>".into();
    f.description =
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))".into();
    let mut p = field(
        "p\"><svg onload=alert(4)>",
        "param-p\" onmouseover=\"alert(5)",
        Type::String(None),
        "d",
    );
    p.example = Some(ExampleValue::Text("<script>alert(6)</script>".into()));
    p.possible_values = vec!["<b onclick=alert(7)>x</b>".into()];
    f.params = vec![p];
    f.notes = vec!["[note](  JAVASCRIPT:alert(8))".into()];
    f.examples = vec![Example {
        title: "<script>alert(9)</script>".into(),
        description: String::new(),
        params: vec![("k".into(), "</script><script>alert(10)</script>".into())],
        json: Some("\"</script>\"".into()),
        json_value: None,
        xml: Some("<script>alert(11)</script>".into()),
        notes: Vec::new(),
    }];
    let files = emit(&api_with(vec![f]));
    for out in &files {
        let text = std::str::from_utf8(&out.contents).unwrap_or_default();
        let lower = text.to_ascii_lowercase();
        assert!(!lower.contains("<script>alert"), "{}: script tag", out.path);
        assert!(!lower.contains("<img"), "{}: img tag", out.path);
        assert!(!lower.contains("<svg"), "{}: svg tag", out.path);
        assert!(!lower.contains("<b onclick"), "{}: onclick", out.path);
        assert!(
            !lower.contains("href=\"javascript:"),
            "{}: javascript link",
            out.path
        );
        assert!(
            !lower.contains("\" onmouseover="),
            "{}: attribute break-out",
            out.path
        );
    }
    let page = file(&files, "docs/functions/hostile.html");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn coverage_counts_catalogue_entries_per_category_and_in_total() {
    let files = emit(&api_with(vec![
        validate_login_token(),
        function("extra_fn", "authentication"),
    ]));
    let coverage = file(&files, "docs/coverage.html");
    assert!(
        coverage.contains("<td>1</td><td>2</td><td>3</td>"),
        "{coverage}"
    );
    assert!(coverage.contains("href=\"functions/validate_login_token.html\""));
    assert!(
        coverage
            .contains("<code>api_token_create</code> <span class=\"status todo\">not yet</span>")
    );
    assert!(coverage.contains("<code>listacls</code> <span class=\"status todo\">not yet</span> <a class=\"badge unsure\" href=\"coverage.html#unsure\" title=\""));
    // The badge explains itself: a tooltip, and a line on the coverage page that it links to.
    assert!(coverage.contains("<p id=\"unsure\">Names marked"));
    assert!(coverage.contains("Specified but not in the catalogue"));
    assert!(coverage.contains("functions/extra_fn.html"));
    let index = file(&files, "docs/index.html");
    assert!(
        index.contains("1 of the 3 functions in the catalogue are specified (33%)"),
        "{index}"
    );
}

#[test]
fn guides_link_to_each_other_and_search_indexes_parameters() {
    let files = emit(&api_with(vec![validate_login_token()]));
    let guide = file(&files, "docs/guides/01-introduction.html");
    assert!(guide.contains("href=\"../guides/02-output-options.html#sort-output\""));
    assert!(file(&files, "docs/guides/02-output-options.html").contains("id=\"sort-output\""));
    let index = file(&files, "docs/assets/search-index.js");
    assert!(
        index.contains("\"validate_login_token\":[\"Summary of validate_login_token.\",[\"provider\",\"url_after_login\",\"login_token\"]]"),
        "{index}"
    );
}

#[test]
fn every_internal_link_points_at_an_emitted_file() {
    let files = emit(&api_with(vec![
        validate_login_token(),
        function("gethostname", "authentication"),
    ]));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for page in files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = std::str::from_utf8(&page.contents).unwrap_or_default();
        let dir = page.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for attr in ["href=\"", "src=\""] {
            for piece in text.split(attr).skip(1) {
                let target = piece.split('"').next().unwrap_or_default();
                if target.starts_with("http")
                    || target.starts_with('#')
                    || target.starts_with("mailto:")
                    || target == "data:,"
                {
                    continue;
                }
                let path = target.split('#').next().unwrap_or_default();
                let mut parts: Vec<&str> = dir.split('/').collect();
                for seg in path.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s),
                    }
                }
                let resolved = parts.join("/");
                assert!(
                    paths.contains(&resolved.as_str()),
                    "{}: {target} -> {resolved}",
                    page.path
                );
            }
        }
    }
}

#[test]
fn output_is_deterministic() {
    let api = api_with(vec![validate_login_token()]);
    assert_eq!(emit(&api), emit(&api));
}

/// The side navigation of a page, from its `<nav class="side-nav"` on.
fn side_nav(page: &str) -> &str {
    let nav = page
        .split("<nav class=\"side-nav\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next());
    assert!(nav.is_some(), "no side navigation:\n{page}");
    nav.unwrap_or_default()
}

/// The data of `assets/nav.js`.
fn nav_data(files: &[OutputFile]) -> serde_json::Value {
    let script = file(files, "docs/assets/nav.js");
    let json = script
        .strip_prefix("window.WHM_NAV = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("not the nav script: {script}"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn accounts_and_authentication() -> Api {
    let mut api = api_with(vec![
        validate_login_token(),
        function("extra_fn", "authentication"),
    ]);
    api.categories.insert(
        0,
        Category {
            id: "accounts".into(),
            title: "Accounts".into(),
            description: "Accounts.".into(),
            module: "accounts".into(),
            functions: vec![function("listaccts", "accounts")],
        },
    );
    api.catalog.insert(
        0,
        CatalogCategory {
            title: "Accounts".into(),
            functions: vec![
                CatalogEntry {
                    name: "listaccts".into(),
                    unsure: false,
                    specified_in: Some("accounts".into()),
                },
                CatalogEntry {
                    name: "createacct".into(),
                    unsure: false,
                    specified_in: None,
                },
            ],
        },
    );
    api
}

/// The navigation's categories, counts and names live in `nav.js`, in the
/// catalogue's order; pages carry only what does not depend on other
/// functions: the guides and links to the overview and coverage.
#[test]
fn navigation_data_follows_the_catalogue_and_lives_in_one_script() {
    let files = emit(&accounts_and_authentication());
    let nav = nav_data(&files);
    assert_eq!(nav["s"], 2, "{nav}");
    assert_eq!(nav["n"], 5, "{nav}");
    let categories = nav["c"].as_array().cloned().unwrap_or_default();
    assert_eq!(categories.len(), 2, "{nav}");
    assert_eq!(categories[0]["t"], "Accounts");
    assert_eq!(categories[0]["h"], "categories/accounts.html");
    assert_eq!(categories[0]["c"], 2);
    assert_eq!(categories[0]["f"], serde_json::json!(["listaccts"]));
    assert_eq!(categories[0]["m"], serde_json::json!(["createacct"]));
    assert_eq!(categories[1]["t"], "Authentication");
    // A function the catalogue does not list still has its place, under its category's title.
    assert_eq!(
        categories[1]["f"],
        serde_json::json!(["validate_login_token", "extra_fn"])
    );
    assert_eq!(
        categories[1]["m"],
        serde_json::json!(["api_token_create", "listacls"])
    );
    assert_eq!(categories[1]["u"], serde_json::json!(["listacls"]));
    assert_eq!(
        nav["g"],
        serde_json::json!([
            ["Guide to WHM API 1", "guides/01-introduction.html"],
            ["Output options", "guides/02-output-options.html"]
        ])
    );
    for page in files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = std::str::from_utf8(&page.contents).unwrap_or_default();
        let root = if page.path.matches('/').count() > 1 {
            "../"
        } else {
            ""
        };
        let rel = page.path.strip_prefix("docs/").unwrap_or_default();
        assert!(
            text.contains(&format!("data-page=\"{rel}\"")),
            "{}: names itself",
            page.path
        );
        assert!(text.contains(&format!(
            "<script src=\"{root}assets/nav.js\" defer></script>"
        )));
        let nav = side_nav(text);
        assert!(nav.contains(&format!(
            "<a href=\"{root}index.html#categories\">Categories</a>"
        )));
        assert!(nav.contains(&format!("href=\"{root}coverage.html\"")));
        assert!(nav.contains(&format!("href=\"{root}guides/01-introduction.html\"")));
        assert!(
            !nav.contains("categories/accounts.html") && !nav.contains("functions/"),
            "{}: the navigation lists categories or functions itself: {nav}",
            page.path
        );
    }
    let coverage = file(&files, "docs/coverage.html");
    assert!(side_nav(coverage).contains("aria-current=\"page\" id=\"nav-coverage\">Coverage</a>"));
}

#[test]
fn a_category_the_catalogue_lacks_gets_a_page_and_a_place_at_the_end() {
    let mut api = api_with(vec![validate_login_token()]);
    api.categories.push(Category {
        id: "server".into(),
        title: "Server".into(),
        description: "The *server*.".into(),
        module: "server".into(),
        functions: vec![function("gethostname", "server")],
    });
    let files = emit(&api);
    let page = file(&files, "docs/categories/server.html");
    assert!(page.contains("<p>The <em>server</em>.</p>"), "{page}");
    assert!(page.contains("href=\"../functions/gethostname.html\""));
    assert!(!page.contains("not-yet-specified"));
    let nav = nav_data(&files);
    assert_eq!(nav["c"][1]["t"], "Server", "{nav}");
    assert_eq!(nav["c"][1]["h"], "categories/server.html");
    assert_eq!(nav["c"][1]["c"], 0);
    assert_eq!(nav["c"][1]["f"], serde_json::json!(["gethostname"]));
}

/// Adding a function to a category writes its page and the few files that
/// list or count it, and no other page: every other function page, category
/// page and guide keeps its bytes, however many functions there are.
#[test]
fn adding_a_function_changes_only_the_files_that_list_or_count_it() {
    let corpus = |count: usize| {
        let functions = (0..count)
            .map(|i| function(&format!("fn_{i:04}"), "authentication"))
            .collect();
        let mut api = api_with(functions);
        api.categories.push(Category {
            id: "server".into(),
            title: "Server".into(),
            description: "Server.".into(),
            module: "server".into(),
            functions: vec![function("gethostname", "server")],
        });
        emit(&api)
    };
    for count in [3, 300] {
        let before = corpus(count);
        let after = corpus(count + 1);
        let old: HashMap<&str, &[u8]> = before
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_slice()))
            .collect();
        let mut changed: Vec<&str> = after
            .iter()
            .filter(|f| old.get(f.path.as_str()) != Some(&f.contents.as_slice()))
            .map(|f| f.path.as_str())
            .collect();
        changed.sort_unstable();
        let new_page = format!("docs/functions/fn_{count:04}.html");
        let mut expected = vec![];
        if count > CATEGORY_PAGE_MAX {
            // A category split by first letter: its page and the letter's.
            expected.push("docs/categories/authentication--f.html");
        }
        expected.extend([
            "docs/assets/nav.js",
            "docs/assets/search-index.js",
            "docs/categories/authentication.html",
            "docs/index.html",
            "docs/coverage.html",
            new_page.as_str(),
        ]);
        expected.sort_unstable();
        assert_eq!(changed, expected, "{count} functions");
        assert_eq!(after.len(), before.len() + 1);
    }
    // A function page's size does not grow with the number of functions.
    let small = corpus(3);
    let large = corpus(300);
    let size = |files: &[OutputFile]| file(files, "docs/functions/fn_0001.html").len();
    assert_eq!(size(&small), size(&large));
}

#[test]
fn category_pages_list_functions_with_summaries_and_what_is_missing() {
    let files = emit(&api_with(vec![
        validate_login_token(),
        function("extra_fn", "authentication"),
    ]));
    let page = file(&files, "docs/categories/authentication.html");
    let main = page.split("<main").nth(1).unwrap_or_default();
    let in_order = [
        "<h1>Authentication</h1>",
        "<p>Log in.</p>",
        "1 of the 3 functions that the catalogue lists in this category are specified (33%)",
        "<dt id=\"fn-validate_login_token\"><a href=\"../functions/validate_login_token.html\">validate_login_token</a></dt>",
        "<dd>Summary of validate_login_token.</dd>",
        "<dt id=\"fn-extra_fn\"><a href=\"../functions/extra_fn.html\">extra_fn</a></dt>",
        "<dd>Summary of extra_fn.</dd>",
        "<section id=\"not-yet-specified\"",
        "<li id=\"todo-api_token_create\"><code>api_token_create</code></li>",
        "<li id=\"todo-listacls\"><code>listacls</code> <a class=\"badge unsure\" href=\"../coverage.html#unsure\" title=\"Rebuilt from a damaged copy",
    ];
    let mut at = 0;
    for needle in in_order {
        match main[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("{needle:?} missing or out of order after byte {at}:\n{main}"),
        }
    }
    assert!(
        !main.contains("<code>validate_login_token</code>"),
        "specified, so not missing"
    );
    assert!(main.contains("href=\"../coverage.html#catalog-authentication\""));
    // The function page names its category and links to its page.
    let function = file(&files, "docs/functions/validate_login_token.html");
    assert!(
        function.contains("› <a href=\"../categories/authentication.html\">Authentication</a></p>")
    );
    assert!(
        function
            .contains("<dd><a href=\"../categories/authentication.html\">Authentication</a></dd>")
    );
    // The index and the coverage page link to it too; the index lists
    // categories, not every function.
    let index = file(&files, "docs/index.html");
    let main = index.split("<main").nth(1).unwrap_or_default();
    assert!(main.contains("<dt id=\"category-authentication\"><a href=\"categories/authentication.html\">Authentication</a> <span class=\"count\">2 of 3 specified</span></dt>"), "{main}");
    assert!(!main.contains("extra_fn"));
    assert!(
        file(&files, "docs/coverage.html").contains("<a href=\"categories/authentication.html\">")
    );
}

/// A category with more than [`CATEGORY_PAGE_MAX`] names is split into
/// pages by first letter: its own page links them with their counts, each
/// lists its functions and missing names (every name on exactly one), and
/// `nav.js` marks the category so that the script links the right page.
#[test]
fn large_categories_are_split_by_first_letter() {
    let names: Vec<String> = (0..CATEGORY_PAGE_MAX + 10)
        .map(|i| format!("{}_{i:04}", ["alpha", "beta", "gamma"][i % 3]))
        .collect();
    let files = emit(&api_with(
        names
            .iter()
            .map(|n| function(n, "authentication"))
            .collect(),
    ));
    let main = file(&files, "docs/categories/authentication.html");
    assert!(
        !main.contains("<dt id=\"fn-"),
        "the category page lists no function itself"
    );
    assert!(!main.contains("<li id=\"todo-"), "nor a missing name");
    let mut listed: Vec<String> = Vec::new();
    for (key, missing) in [
        ("a", vec!["api_token_create"]),
        ("b", vec![]),
        ("g", vec![]),
        ("l", vec!["listacls"]),
    ] {
        let href = format!("categories/authentication--{key}.html");
        assert!(
            main.contains(&format!(
                "<a href=\"../{href}\">names starting with {key}</a>"
            )),
            "{main}"
        );
        let part = file(&files, &format!("docs/{href}"));
        assert!(part.contains(&format!(
            "<h1>Authentication: names starting with {key}</h1>"
        )));
        assert!(
            part.contains("› <a href=\"../categories/authentication.html\">Authentication</a> ›")
        );
        for piece in part.split("<dt id=\"fn-").skip(1) {
            let name = piece.split('"').next().unwrap_or_default();
            assert!(name.starts_with(key), "{name} on the page of {key}");
            listed.push(name.to_string());
        }
        for m in missing {
            assert!(part.contains(&format!("<li id=\"todo-{m}\">")), "{part}");
        }
    }
    listed.sort();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(listed, expected, "every function on exactly one page");
    assert_eq!(nav_data(&files)["c"][0]["p"], 1);
    // A small category is not split.
    let small = emit(&api_with(vec![validate_login_token()]));
    assert!(!small.iter().any(|f| f.path.contains("--")));
    assert!(nav_data(&small)["c"][0].get("p").is_none());
    assert_eq!(part_key("Zeta"), "z");
    assert_eq!(part_key("_x"), "other");
}

/// Times the docs emitter on the corpus at `WHM_DOCS_SCALE` (a folder with
/// `spec/`, such as 2,000 copies of the real specs), without the other
/// emitters running beside it:
///
/// ```sh
/// WHM_DOCS_SCALE=/tmp/scale cargo test --release -p whm-codegen --lib scale_timing -- --ignored --nocapture
/// ```
#[test]
#[ignore]
fn scale_timing() {
    let Ok(root) = std::env::var("WHM_DOCS_SCALE") else {
        return;
    };
    let api = crate::front::load_api(&std::path::Path::new(&root).join("spec"))
        .unwrap_or_else(|_| panic!("load"));
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let files = emit(&api);
        let took = started.elapsed();
        let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
        eprintln!("docs: {took:?}, {} files, {bytes} bytes", files.len());
    }
}
