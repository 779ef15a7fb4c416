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
        "Unless otherwise noted, you <strong>must</strong> URI-encode values.",
        "/usr/local/cpanel/bin/whmapi1",
        "id=\"param-provider\"",
        "<li><code>cPStore</code></li>",
        "Any valid provider name.",
        "<strong>Required</strong>",
        "id=\"param-url_after_login\"",
        "string (URL)",
        "http://hostname.example.com/redirectlocation.cgi?state",
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
    assert!(page.contains("aria-current=\"page\">validate_login_token</a>"));
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
    assert!(coverage.contains("<code>listacls</code> <span class=\"status todo\">not yet</span> <span class=\"badge unsure\">unsure</span>"));
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
    assert!(index.contains("\"n\":\"validate_login_token\""));
    assert!(index.contains("\"login_token\""));
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

/// The navigation's entry of one category: its `<li>`, with its functions when open.
fn nav_entry<'a>(nav: &'a str, href: &str) -> &'a str {
    let entry = nav
        .split("<li class=\"nav-category")
        .skip(1)
        .find(|e| e.contains(&format!("<a href=\"{href}\"")));
    assert!(entry.is_some(), "no entry for {href}: {nav}");
    entry.unwrap_or_default()
}

#[test]
fn navigation_follows_the_catalogue_and_opens_only_the_current_category() {
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
    let files = emit(&api);
    let page = file(&files, "docs/functions/validate_login_token.html");
    let nav = side_nav(page);
    let accounts = nav.find(
        "<a href=\"../categories/accounts.html\">Accounts <span class=\"count\">1 of 2</span></a></li>",
    );
    let authentication = nav.find(
        "<li class=\"nav-category open\"><a href=\"../categories/authentication.html\">Authentication <span class=\"count\">2 of 3</span></a>",
    );
    assert!(accounts.is_some() && authentication.is_some(), "{nav}");
    assert!(accounts < authentication, "the catalogue's order");
    // Only the current page's category lists its functions.
    assert!(!nav.contains("functions/listaccts.html"), "{nav}");
    assert_eq!(
        nav.matches("<ul>").count(),
        2,
        "guides and one category: {nav}"
    );
    let auth = nav_entry(nav, "../categories/authentication.html");
    assert!(
        auth.contains("<a href=\"../functions/validate_login_token.html\" aria-current=\"page\">validate_login_token</a>"),
        "{auth}"
    );
    // A function the catalogue does not list still has its place, under its category's title.
    assert!(
        auth.contains("<a href=\"../functions/extra_fn.html\">extra_fn</a>"),
        "{auth}"
    );
    assert!(
        auth.contains(
            "<a href=\"../categories/authentication.html#not-yet-specified\">2 not yet specified</a>"
        ),
        "{auth}"
    );
    // Every catalogue category has a page, linked from every page's navigation.
    for page in files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = std::str::from_utf8(&page.contents).unwrap_or_default();
        let root = if page.path.matches('/').count() > 1 {
            "../"
        } else {
            ""
        };
        let nav = side_nav(text);
        for category in ["accounts", "authentication"] {
            assert!(
                nav.contains(&format!("<a href=\"{root}categories/{category}.html\"")),
                "{}: no link to the {category} page",
                page.path
            );
        }
    }
    // On a category page, its own entry is the current page and lists nothing.
    let category = file(&files, "docs/categories/accounts.html");
    let entry = nav_entry(side_nav(category), "../categories/accounts.html");
    assert!(
        entry.starts_with("\"><a href=\"../categories/accounts.html\" aria-current=\"page\">"),
        "{entry}"
    );
    assert!(!side_nav(category).contains("aria-current=\"page\">listaccts"));
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
        "<li><code>api_token_create</code></li>",
        "<li><code>listacls</code> <span class=\"badge unsure\">unsure</span></li>",
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
    // The index and the coverage page link to it too.
    let index = file(&files, "docs/index.html");
    let main = index.split("<main").nth(1).unwrap_or_default();
    assert!(main.contains("<a href=\"categories/authentication.html\">Authentication</a></h3>"));
    assert!(main.contains("<dd>Summary of extra_fn.</dd>"));
    assert!(
        file(&files, "docs/coverage.html").contains("<a href=\"categories/authentication.html\">")
    );
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
    let nav = side_nav(file(&files, "docs/functions/gethostname.html"));
    let server = nav.find("<li class=\"nav-category open\"><a href=\"../categories/server.html\">Server <span class=\"count\">1</span></a>");
    let authentication = nav.find("categories/authentication.html");
    assert!(server.is_some() && server > authentication, "{nav}");
}

/// However many functions a category has, a page's navigation lists at most
/// [`NAV_WINDOW`] of them, around the current one, and links the category
/// page for the others; so every page has the same size, and the site grows
/// linearly.
#[test]
fn navigation_stays_the_same_size_however_large_a_category() {
    let page_of = |count: usize, at: usize| {
        let functions = (0..count)
            .map(|i| function(&format!("fn_{i:04}"), "authentication"))
            .collect();
        let files = emit(&api_with(functions));
        let name = format!("docs/functions/fn_{at:04}.html");
        let page = file(&files, &name).to_string();
        let category = file(&files, "docs/categories/authentication.html").to_string();
        (page, category)
    };
    let (small, _) = page_of(NAV_WINDOW, 0);
    let small_nav = side_nav(&small);
    assert_eq!(
        small_nav.matches("href=\"../functions/").count(),
        NAV_WINDOW
    );
    assert!(!small_nav.contains("class=\"more\""), "{small_nav}");

    for (count, at) in [(500, 0), (500, 250), (500, 499), (1000, 700)] {
        let (page, category) = page_of(count, at);
        let nav = side_nav(&page);
        let listed: Vec<&str> = nav
            .split("href=\"../functions/")
            .skip(1)
            .map(|p| p.split(".html").next().unwrap_or_default())
            .collect();
        assert_eq!(listed.len(), NAV_WINDOW, "{count}, {at}: {listed:?}");
        let current = format!("fn_{at:04}");
        assert!(
            listed.contains(&current.as_str()),
            "{count}, {at}: {listed:?}"
        );
        assert!(nav.contains(&format!("aria-current=\"page\">{current}</a>")));
        // Consecutive functions, and the links to the rest land on the category page.
        let first: usize = listed[0]
            .trim_start_matches("fn_")
            .parse()
            .unwrap_or(usize::MAX);
        for (i, name) in listed.iter().enumerate() {
            assert_eq!(*name, format!("fn_{:04}", first + i));
        }
        if first > 0 {
            let anchor = format!("fn-fn_{:04}", first - 1);
            assert!(
                nav.contains(&format!("<li class=\"more\"><a href=\"../categories/authentication.html#{anchor}\">{first} earlier</a></li>")),
                "{nav}"
            );
            assert!(category.contains(&format!("id=\"{anchor}\"")));
        }
        let after = first + NAV_WINDOW;
        if after < count {
            let anchor = format!("fn-fn_{after:04}");
            assert!(
                nav.contains(&format!("<li class=\"more\"><a href=\"../categories/authentication.html#{anchor}\">{} more</a></li>", count - after)),
                "{nav}"
            );
            assert!(category.contains(&format!("id=\"{anchor}\"")));
        }
        // The page is as large as with a category that fits, give or take the two links.
        assert!(
            page.len() < small.len() + 300,
            "{count} functions: {} bytes against {}",
            page.len(),
            small.len()
        );
        // The category page lists them all.
        assert_eq!(category.matches("<dt id=\"fn-").count(), count);
    }
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
