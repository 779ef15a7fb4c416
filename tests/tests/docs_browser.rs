//! The documentation site in a real browser: the site is built from `spec/`
//! (and from a hostile fixture corpus), served on loopback by a static file
//! server, and read by Debian's headless Chromium through chromedriver.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium`
//! and `chromium-driver` packages). The tests also write the screenshots
//! that README.md shows, a desktop and a phone-width one, to
//! `tests/screenshots/` (only when their bytes change; `git diff` shows it).

mod docs_support;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::error::Error;
use std::path::PathBuf;
use std::sync::OnceLock;

use docs_support::site::{build_docs, html_pages, workspace_root, write_large_corpus};
use docs_support::static_server::StaticServer;
use docs_support::webdriver::{Browser, save_screenshot};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};

/// The built sites and the server that serves them, shared by the tests.
struct Served {
    root: PathBuf,
    server: StaticServer,
}

fn served() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| {
        // Cargo's scratch directory for integration tests: kept between runs, not in the repository.
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docs-browser");
        let _ = std::fs::remove_dir_all(&root);
        let repo = workspace_root();
        let elapsed =
            build_docs(&repo.join("spec"), &root.join("site")).unwrap_or_else(|e| panic!("{e}"));
        eprintln!("docs for spec/ loaded and emitted in {elapsed:?}");
        build_docs(
            &repo.join("tests/fixtures/hostile-docs"),
            &root.join("hostile"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        write_large_corpus(&root.join("large-spec"), LARGE_CATEGORY)
            .unwrap_or_else(|e| panic!("{e}"));
        build_docs(&root.join("large-spec"), &root.join("large")).unwrap_or_else(|e| panic!("{e}"));
        let server = StaticServer::start(&root).expect("the static server starts");
        Served { root, server }
    })
}

/// Functions in the synthetic large category (with twice as many catalogued
/// names that have no spec): more than the navigation lists around a page,
/// and more names than one category page lists.
const LARGE_CATEGORY: usize = 120;

/// What each test returns: any error (of the driver, or a wait that timed out) fails it.
type TestResult = Result<(), Box<dyn Error>>;

async fn browser() -> Browser {
    Browser::start(1280, 1600)
        .await
        .unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"))
}

/// Collapses runs of whitespace, as a reader sees text.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn text_of(b: &Browser, script: &str) -> Result<String, Box<dyn Error>> {
    Ok(squash(
        b.execute(script, vec![])
            .await?
            .as_str()
            .unwrap_or_default(),
    ))
}

async fn assert_no_console_errors(b: &Browser, page: &str) -> TestResult {
    let errors = b.console_errors().await?;
    assert!(errors.is_empty(), "console errors on {page}: {errors:#?}");
    Ok(())
}

const SEED_PAGE: &str = "/site/docs/functions/validate_login_token.html";

/// Every fact of the seed page (shared/seed/validate_login_token.txt), as a
/// reader sees it in the rendered page. The scrape's `whmapil` is `whmapi1`.
#[tokio::test]
async fn seed_page_shows_every_fact_of_the_seed() -> TestResult {
    let s = served();
    let b = browser().await;
    b.goto(&s.server.url(SEED_PAGE)).await?;
    let body = text_of(&b, "return document.body.innerText;").await?;

    let facts = [
        "WHM API 1 Functions - validate_login_token",
        "This function validates a login token with the cPanel Store or a cPanel Market provider, and then returns access tokens.",
        "JSON API",
        "https://hostname.example.com:2087/cpsess#####/json-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
        "XML API",
        "https://hostname.example.com:2087/cpsess#####/xml-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
        "Command Line",
        "whmapi1 validate_login_token 'url_after_login=http://hostname.example.com/redirectionlocation.cgi?state' provider=cPStore login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
        "Unless otherwise noted, you must URI-encode values in the JSON API and XML API URLs.",
        "This project's whmapi1 encodes values itself: pass them unencoded",
        "For more information and additional output options, read our Guide to WHM API 1 documentation or run the whmapi1 --help command.",
        "If you run CloudLinux™, you must use the full path of the whmapi1 command: /usr/local/cpanel/bin/whmapi1",
        "Parameters",
        "Returns",
        "Output (JSON)",
        "Output (XML)",
        "Use WHM's API Shell interface (WHM >> Home >> Development >> API Shell) to directly test WHM API calls.",
        "Function information",
        "About WHM API 1",
        "WHM API 1 performs functions and accesses data in WHM.",
        "cPanel & WHM version 62",
    ];
    let mut at = 0;
    for fact in facts {
        match body[at..].find(fact) {
            Some(i) => at += i + fact.len(),
            None => panic!("the page lacks (or misorders) {fact:?}\n--- page text ---\n{body}"),
        }
    }
    assert_eq!(
        body.matches("API Shell interface").count(),
        1,
        "the API Shell note shows once"
    );

    // The tables, row by row: parameter, type, description, possible values, example, required.
    let rows = [
        (
            "param-provider",
            vec![
                "provider",
                "string",
                "The cPanel Store or cPanel Market provider's name.",
                "cPStore",
                "Any valid provider name.",
                "Required",
            ],
        ),
        (
            "param-url_after_login",
            vec![
                "url_after_login",
                "string",
                "The location to which the cPanel Store or cPanel Market provider redirects the user's browser after they log in.",
                "Any valid URL that includes a query component.",
                "http://hostname.example.com/redirectlocation.cgi?state",
                "Required",
            ],
        ),
        (
            "param-login_token",
            vec![
                "login_token",
                "string",
                "The login token to validate.",
                "A valid login token.",
                "1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
                "Required",
            ],
        ),
        (
            "return-payload",
            vec![
                "payload",
                "array of hashes",
                "An array of hashes of token information.",
                "This hash includes the access_token and refresh_token returns.",
            ],
        ),
        (
            "return-payload-access_token",
            vec![
                "payload › access_token",
                "string",
                "The access token that the cPanel Store or cPanel Market provider returns after you log in. The function returns this value in the payload array of hashes.",
                "A valid access token.",
                "b7a6f029-99fc-11e6-a0bd-87581cb027ac",
            ],
        ),
        (
            "return-payload-refresh_token",
            vec![
                "payload › refresh_token",
                "string",
                "The refresh token that the cPanel Store or cPanel Market provider returns after you log in. The function returns this value in the payload array of hashes.",
                "A valid refresh token.",
                "b7a7107f-99fc-11e6-a0bd-b46329164206",
            ],
        ),
    ];
    for (id, cells) in rows {
        let row = b
            .execute(
                "const r = document.getElementById(arguments[0]); if (!r) return null; \
                 const link = r.querySelector('a.permalink'); \
                 return { text: r.innerText, tag: r.tagName, permalink: link && link.getAttribute('href') };",
                vec![json!(id)],
            )
            .await?;
        assert_eq!(row["tag"], json!("TR"), "no table row with id {id}");
        assert_eq!(
            row["permalink"],
            json!(format!("#{id}")),
            "row {id} has no permalink"
        );
        let text = squash(row["text"].as_str().unwrap_or_default());
        for cell in cells {
            assert!(text.contains(cell), "row {id} lacks {cell:?}: {text}");
        }
    }

    // The outputs, compared as data with the seed's (the scrape broke the XML across lines).
    let blocks = b
        .execute(
            "return Array.from(document.querySelectorAll('#output pre code')).map(c => c.textContent);",
            vec![],
        )
        .await?;
    let blocks: Vec<String> = blocks
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    let seed_json = json!({
        "data": {
            "payload": [{
                "access_token": "b7a6f029-99fc-11e6-a0bd-87581cb027ac",
                "refresh_token": "b7a7107f-99fc-11e6-a0bd-b46329164206"
            }],
            "metadata": { "command": "validate_login_token", "version": 1, "reason": "OK", "result": 1 }
        }
    });
    assert!(
        blocks
            .iter()
            .any(|b| serde_json::from_str::<Value>(b).ok().as_ref() == Some(&seed_json)),
        "no JSON output equal to the seed's among {blocks:#?}"
    );
    let seed_xml = "<result><metadata><version>1</version><reason>OK</reason><result>1</result><data><payload>\
        <access_token>b7a6f029-99fc-11e6-a0bd-87581cb027ac</access_token>\
        <refresh_token>b7a7107f-99fc-11e6-a0bd-b46329164206</refresh_token></payload></data>\
        <command>validate_login_token</command></metadata></result>";
    assert!(
        blocks
            .iter()
            .any(|b| b.split_whitespace().collect::<String>() == seed_xml),
        "no XML output equal to the seed's among {blocks:#?}"
    );

    // Navigation: every category is listed and links to its page; only the
    // current page's category lists its functions, with the page marked.
    let nav = b
        .execute(
            "const a = document.querySelector('nav.side-nav a[aria-current=page]'); \
             const li = a && a.closest('li.nav-category'); \
             const title = li && li.querySelector(':scope > a'); \
             return a && { name: a.textContent, open: li.classList.contains('open'), \
             category: title.textContent, href: title.pathname, \
             listed: Array.from(li.querySelectorAll('ul a')).map(l => l.textContent), \
             categories: document.querySelectorAll('nav.side-nav li.nav-category > a[href*=\"/categories/\"]').length, \
             lists: document.querySelectorAll('nav.side-nav li.nav-category ul').length, \
             openCount: document.querySelectorAll('nav.side-nav li.nav-category.open').length };",
            vec![],
        )
        .await?;
    assert_eq!(nav["name"], json!("validate_login_token"), "{nav}");
    assert_eq!(nav["open"], json!(true), "{nav}");
    assert!(
        nav["category"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Authentication"),
        "{nav}"
    );
    assert_eq!(
        nav["href"],
        json!("/site/docs/categories/authentication.html"),
        "{nav}"
    );
    let listed: Vec<&str> = nav["listed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for name in ["api_token_create", "get_login_url", "validate_login_token"] {
        assert!(
            listed.contains(&name),
            "{name} not in the open category: {nav}"
        );
    }
    // The entry for the category's unspecified names is there exactly when it has some.
    assert_eq!(
        listed.iter().any(|l| l.ends_with("not yet specified")),
        !unspecified_in("Authentication").is_empty(),
        "{nav}"
    );
    assert!(
        nav["categories"].as_u64().unwrap_or(0) >= 27,
        "every catalogue category is listed: {nav}"
    );
    assert_eq!(nav["openCount"], json!(1), "one category is open: {nav}");
    assert_eq!(
        nav["lists"],
        json!(1),
        "one category lists functions: {nav}"
    );

    // A copy button on every example and output.
    let copy = b
        .execute(
            "return [document.querySelectorAll('pre.copyable').length, document.querySelectorAll('pre.copyable > button.copy-button').length];",
            vec![],
        )
        .await?;
    assert!(copy[0].as_u64().unwrap_or(0) >= 5, "{copy}");
    assert_eq!(copy[0], copy[1], "every copyable block has a copy button");

    // Both themes: the toggle switches the page's colours.
    let toggled = b
        .execute(
            "const bg = () => getComputedStyle(document.body).backgroundColor; const before = bg(); \
             document.getElementById('theme-toggle').click(); const after = bg(); \
             document.getElementById('theme-toggle').click(); return [before, after, bg()];",
            vec![],
        )
        .await?;
    assert_ne!(
        toggled[0], toggled[1],
        "the theme toggle changes the background"
    );
    assert_eq!(toggled[0], toggled[2], "toggling twice restores the theme");

    // The screenshot README.md shows, taken at the top of the page.
    b.execute(
        "window.scrollTo(0, 0); document.activeElement.blur();",
        vec![],
    )
    .await?;
    let path = save_screenshot("validate_login_token.png", &b.screenshot().await?)?;
    eprintln!("screenshot: {}", path.display());

    assert_no_console_errors(&b, SEED_PAGE).await?;
    b.close().await
}

/// The search box finds the seed function by its name and by a parameter
/// name, and its results can be reached and followed with the keyboard.
#[tokio::test]
async fn search_finds_functions_by_name_and_parameter() -> TestResult {
    let s = served();
    let b = browser().await;
    b.goto(&s.server.url("/site/docs/index.html")).await?;
    let input = b.find(Locator::Css("#search-input")).await?;

    for (query, why) in [
        ("validate_login_token", ""),
        ("login_token", ""),
        ("url_after_login", "parameter url_after_login"),
    ] {
        b.execute(
            "document.getElementById('search-input').value = '';",
            vec![],
        )
        .await?;
        input.click().await?;
        input.send_keys(query).await?;
        let hit = b
            .wait_for(
                &format!("a search result for {query}"),
                "const links = Array.from(document.querySelectorAll('#search-results a')); \
                 const hit = links.find(a => a.pathname.endsWith('/functions/validate_login_token.html')); \
                 return hit ? hit.innerText : null;",
            )
            .await?;
        let hit = squash(hit.as_str().unwrap_or_default());
        assert!(
            hit.contains(why),
            "result for {query} does not say why: {hit}"
        );
    }

    // Keyboard: arrow down into the results, again to the next, Enter follows it.
    input.click().await?;
    let focused_result = "const a = document.activeElement; \
        return a && a.closest('#search-results') ? a.pathname : null;";
    b.press(Key::Down).await?;
    let first = b.execute(focused_result, vec![]).await?;
    assert!(
        first.is_string(),
        "arrow down does not focus the first result"
    );
    b.press(Key::Down).await?;
    let second = b.execute(focused_result, vec![]).await?;
    assert!(
        second.is_string() && second != first,
        "arrow down does not move to the next result: {first} {second}"
    );
    b.press(Key::Enter).await?;
    b.wait_for(
        "the chosen result's page",
        &format!("return window.location.pathname === {second};"),
    )
    .await?;
    assert_no_console_errors(&b, "the search box").await?;

    // A catalogued name with no spec yet is found too, and Enter opens the
    // top hit: its entry on its category page.
    let (todo, todo_category) = an_unspecified_function();
    let todo_path = format!("/site/docs/categories/{todo_category}.html");
    let todo_hash = format!("#todo-{todo}");
    for (query, path, hash) in [
        (todo.as_str(), todo_path.as_str(), todo_hash.as_str()),
        ("gethostname", "/site/docs/functions/gethostname.html", ""),
    ] {
        b.goto(&s.server.url("/site/docs/index.html")).await?;
        let input = b.find(Locator::Css("#search-input")).await?;
        input.click().await?;
        input.send_keys(query).await?;
        let top = b
            .wait_for(
                &format!("results for {query}"),
                "const a = document.querySelector('#search-results a'); return a && a.innerText;",
            )
            .await?;
        assert!(
            top.as_str().unwrap_or_default().starts_with(query),
            "the top hit for {query}: {top}"
        );
        b.press(Key::Enter).await?;
        b.wait_for(
            &format!("the page of {query}"),
            &format!(
                "return location.pathname === {path:?} && location.hash === {hash:?} \
                 && document.readyState === 'complete';"
            ),
        )
        .await?;
    }
    // With no hit, Enter opens the results page.
    let input = b.find(Locator::Css("#search-input")).await?;
    input.click().await?;
    input.send_keys("zzzz nothing").await?;
    b.press(Key::Enter).await?;
    b.wait_for(
        "the results page",
        "return location.pathname === '/site/docs/search.html' \
         && /nothing matches/i.test(document.getElementById('search-page-status').textContent);",
    )
    .await?;

    // The full results page, from the query string.
    b.goto(&s.server.url("/site/docs/search.html?q=login_token"))
        .await?;
    b.wait_for(
        "search page results",
        "return Array.from(document.querySelectorAll('#search-page-results a')).some(a => a.pathname.endsWith('/functions/validate_login_token.html'));",
    )
    .await?;
    assert_no_console_errors(&b, "search.html").await?;
    b.close().await
}

/// Starting from the index, every page is reachable, and every link, stylesheet
/// and script on every page resolves: to a served file and, for a fragment,
/// to an element with that id. No page logs a console error.
#[tokio::test]
async fn every_internal_link_resolves() -> TestResult {
    let s = served();
    let b = browser().await;
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut queue = VecDeque::from(["/site/docs/index.html".to_string()]);
    let origin = s.server.url("");
    while let Some(page) = queue.pop_front() {
        if ids.contains_key(&page) {
            continue;
        }
        b.goto(&s.server.url(&page)).await?;
        let found = b
            .execute(
                "return { ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id), \
                 links: Array.from(document.querySelectorAll('a[href], link[href], script[src], form[action]')) \
                 .map(e => e.href || e.src || e.action) };",
                vec![],
            )
            .await?;
        assert_no_console_errors(&b, &page).await?;
        // Nothing is loaded from outside the site: no CDN, web font or analytics.
        let foreign = b
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name) \
                 .filter(n => !n.startsWith(location.origin + '/'));",
                vec![],
            )
            .await?;
        assert_eq!(foreign, json!([]), "{page} loads from outside the site");
        ids.insert(
            page.clone(),
            found["ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        );
        for link in found["links"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            // Only the site's own links; `data:` (the empty favicon) loads nothing.
            let Some(rest) = link.strip_prefix(&origin) else {
                assert!(
                    link.starts_with("data:") || link.starts_with("https://"),
                    "{page}: unexpected link {link}"
                );
                continue;
            };
            let (path, fragment) = match rest.split_once('#') {
                Some((p, f)) => (p.to_string(), f.to_string()),
                None => (rest.to_string(), String::new()),
            };
            let path = path.split('?').next().unwrap_or_default().to_string();
            if path.ends_with(".html") {
                queue.push_back(path.clone());
            }
            links.push((page.clone(), format!("{path}#{fragment}")));
        }
    }
    for (page, link) in &links {
        let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
        let file = s.root.join(path.trim_start_matches('/'));
        assert!(
            file.is_file(),
            "{page} links to {link}, which does not exist"
        );
        if !fragment.is_empty() {
            let target = ids
                .get(path)
                .unwrap_or_else(|| panic!("{page} links to {link}, a page not visited"));
            assert!(
                target.contains(fragment),
                "{page} links to {link}, but there is no id {fragment:?}"
            );
        }
    }
    let all = html_pages(&s.root, &s.root.join("site/docs"));
    let categories = all.iter().filter(|p| p.contains("/categories/")).count();
    assert!(
        categories >= 27,
        "a page for every catalogue category, not {categories}"
    );
    let unreached: Vec<_> = all
        .iter()
        .filter(|p| !ids.contains_key(&format!("/{p}")))
        .collect();
    assert!(unreached.is_empty(), "pages no link reaches: {unreached:?}");
    assert!(ids.len() > 5, "crawled only {:?}", ids.keys());
    let missed: Vec<_> = s
        .server
        .missed()
        .into_iter()
        .filter(|m| m.starts_with("/site/"))
        .collect();
    assert!(missed.is_empty(), "requests for missing files: {missed:?}");
    b.close().await
}

/// From a function page, the keyboard reaches its category's link in the
/// side navigation and Enter follows it, without script; the category page
/// lists every function of the category with its summary, then the
/// catalogue's names that have no spec yet, and marks itself in the
/// navigation.
#[tokio::test]
async fn category_pages_list_their_functions_and_are_reached_by_keyboard() -> TestResult {
    let s = served();
    let b = browser().await;
    b.goto(&s.server.url(SEED_PAGE)).await?;
    let on_category_link = "const a = document.activeElement; \
        return !!a && a.matches('nav.side-nav li.nav-category.open > a');";
    let mut reached = false;
    for _ in 0..400 {
        b.press(Key::Tab).await?;
        if b.execute(on_category_link, vec![]).await? == json!(true) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reaches the category's link");
    b.press(Key::Enter).await?;
    b.wait_for(
        "the category page",
        "return location.pathname === '/site/docs/categories/authentication.html' \
         && document.readyState === 'complete';",
    )
    .await?;

    let page = b
        .execute(
            "const cur = document.querySelector('nav.side-nav a[aria-current=page]'); \
             return { h1: document.querySelector('main h1').textContent, \
             functions: Array.from(document.querySelectorAll('#functions dt')).map(dt => ({ \
               name: dt.textContent, href: dt.querySelector('a').pathname, id: dt.id, \
               summary: dt.nextElementSibling.textContent })), \
             missing: Array.from(document.querySelectorAll('#not-yet-specified li code')).map(c => c.textContent), \
             current: cur && cur.pathname, \
             lists: document.querySelectorAll('nav.side-nav li.nav-category ul').length };",
            vec![],
        )
        .await?;
    assert_eq!(page["h1"], json!("Authentication"), "{page}");
    assert_eq!(
        page["current"],
        json!("/site/docs/categories/authentication.html"),
        "the category marks itself: {page}"
    );
    assert_eq!(
        page["lists"],
        json!(0),
        "the navigation opens nothing: {page}"
    );
    let functions = page["functions"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = functions
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    let specs = std::fs::read_dir(workspace_root().join("spec/authentication"))?;
    let mut expected: Vec<String> = specs
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".yaml")
                .map(String::from)
        })
        .collect();
    expected.sort();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "every specified function, once: {page}");
    for f in &functions {
        let name = f["name"].as_str().unwrap_or_default();
        assert_eq!(
            f["href"],
            json!(format!("/site/docs/functions/{name}.html")),
            "{f}"
        );
        assert_eq!(f["id"], json!(format!("fn-{name}")), "{f}");
        assert!(
            f["summary"].as_str().is_some_and(|s| s.len() > 10),
            "{name} has no summary: {f}"
        );
    }
    let missing: Vec<&str> = page["missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let expected = unspecified_in("Authentication");
    let mut sorted_missing = missing.clone();
    sorted_missing.sort_unstable();
    let mut sorted_expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    sorted_expected.sort_unstable();
    assert_eq!(
        sorted_missing, sorted_expected,
        "the page lists the catalogue's names that have no spec: {page}"
    );
    assert!(
        !missing.iter().any(|m| names.contains(m)),
        "a specified function listed as missing: {page}"
    );
    assert_no_console_errors(&b, "categories/authentication.html").await?;

    // The navigation's "not yet specified" link lands on that list.
    if expected.is_empty() {
        return b.close().await;
    }
    b.goto(&s.server.url(SEED_PAGE)).await?;
    let href = b
        .execute(
            "return document.querySelector('nav.side-nav li.nav-category.open li.missing a').getAttribute('href');",
            vec![],
        )
        .await?;
    assert_eq!(
        href,
        json!("../categories/authentication.html#not-yet-specified")
    );
    b.close().await
}

/// A catalogued function with no spec, in a category that has specs (so its
/// category page is `categories/ID.html`): `(name, category id)`. Taken from
/// the specs, so specifying more functions never breaks these tests.
fn an_unspecified_function() -> (String, String) {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let api = whm_codegen::front::load_api(&spec).unwrap_or_else(|d| panic!("{}", d.render(false)));
    api.catalog
        .iter()
        .find_map(|c| {
            let id = api
                .categories
                .iter()
                .find(|k| k.title == c.title)?
                .id
                .clone();
            let entry = c.functions.iter().find(|e| e.specified_in.is_none())?;
            Some((entry.name.clone(), id))
        })
        .expect("a catalogued function without a spec")
}

/// The catalogue's names in the category titled `title` that no spec holds, in catalogue order.
fn unspecified_in(title: &str) -> Vec<String> {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let api = whm_codegen::front::load_api(&spec).unwrap_or_else(|d| panic!("{}", d.render(false)));
    api.catalog
        .iter()
        .filter(|c| c.title == title)
        .flat_map(|c| c.functions.iter())
        .filter(|e| e.specified_in.is_none())
        .map(|e| e.name.clone())
        .collect()
}

/// A corpus whose every text field carries script tags, event-handler
/// attributes and `javascript:` links: no page runs any of it, every payload
/// shows as text, and the console stays clean (a blocked inline script would
/// log a Content-Security-Policy error).
#[tokio::test]
async fn hostile_spec_runs_no_script() -> TestResult {
    let s = served();
    let b = browser().await;
    let pages = html_pages(&s.root, &s.root.join("hostile/docs"));
    assert!(
        pages
            .iter()
            .any(|p| p.ends_with("functions/hostile_function.html")),
        "{pages:?}"
    );
    for page in &pages {
        b.goto(&s.server.url(&format!("/{page}"))).await?;
        // Use the page as a reader would: search (rendering index text), focus, wait a moment.
        b.execute(
            "const i = document.getElementById('search-input'); i.focus(); i.value = 'pwned'; \
             i.dispatchEvent(new Event('input'));",
            vec![],
        )
        .await?;
        b.wait_for(
            "search results",
            "return !document.getElementById('search-results').hidden;",
        )
        .await?;
        let report = b
            .execute(
                "const all = Array.from(document.querySelectorAll('*')); \
                 return { \
                   pwned: window.__pwned === undefined ? null : String(window.__pwned), \
                   handlers: all.flatMap(e => Array.from(e.attributes).filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name)), \
                   unsafeUrls: Array.from(document.querySelectorAll('a[href], iframe, img, form[action]')).map(e => e.href || e.src || e.action || '').filter(u => !/^(https?:|mailto:|#)/i.test(u)), \
                   foreign: Array.from(document.querySelectorAll('iframe, object, embed, img, svg, style, script:not([src])')).map(e => e.outerHTML), \
                   scripts: Array.from(document.scripts).map(s => s.src ? new URL(s.src).pathname : 'inline ' + s.textContent.slice(0, 80)), \
                   hidden: getComputedStyle(document.body).display === 'none', \
                   text: document.body.innerText };",
                vec![],
            )
            .await?;
        assert_eq!(report["pwned"], Value::Null, "{page}: a payload ran");
        assert_eq!(
            report["handlers"],
            json!([]),
            "{page}: event handler attributes"
        );
        assert_eq!(report["unsafeUrls"], json!([]), "{page}: unsafe URLs");
        assert_eq!(
            report["foreign"],
            json!([]),
            "{page}: elements from spec text"
        );
        assert_eq!(
            report["hidden"],
            json!(false),
            "{page}: a spec <style> applied"
        );
        for script in report["scripts"].as_array().into_iter().flatten() {
            let path = script.as_str().unwrap_or_default();
            assert!(
                path.ends_with("/assets/site.js")
                    || path.ends_with("/assets/nav.js")
                    || path.ends_with("/assets/search-index.js"),
                "{page}: unexpected script {path}"
            );
        }
        assert_no_console_errors(&b, page).await?;
        if page.ends_with("functions/hostile_function.html") {
            let text = squash(report["text"].as_str().unwrap_or_default());
            for payload in [
                "<script>window.__pwned = \"description script\"</script>",
                "<img src=x onerror=\"window.__pwned = 'description onerror'\">",
                "<b onmouseover=\"window.__pwned = 'param'\">bold</b>",
                "</code><script>window.__pwned = \"param example\"</script>",
                "<script>window.__pwned = 'xml output'</script>",
                "javascript link",
            ] {
                assert!(
                    text.contains(payload),
                    "{page}: {payload:?} is not shown as text:\n{text}"
                );
            }
        }
    }
    b.close().await
}

async fn phone() -> Browser {
    Browser::start_phone(PHONE_WIDTH, 844)
        .await
        .unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"))
}

/// The width of the phone the tests emulate (CSS pixels).
const PHONE_WIDTH: u32 = 390;

const CREATEACCT_PAGE: &str = "/site/docs/functions/createacct.html";

/// How far the page and its tables reach past the viewport, and the widest
/// box of the parameters table: 0 or less when nothing scrolls sideways.
const OVERFLOW: &str = "const vw = document.documentElement.clientWidth; \
    const tables = Array.from(document.querySelectorAll('table.fields')); \
    const cells = tables.flatMap(t => Array.from(t.querySelectorAll('tr, th, td'))); \
    return { width: window.innerWidth, vw, \
      page: document.documentElement.scrollWidth - vw, \
      tables: tables.length, \
      wraps: Math.max(0, ...Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.querySelector('table.fields')).map(w => w.scrollWidth - w.clientWidth)), \
      cells: Math.max(0, ...cells.map(c => c.getBoundingClientRect().right - vw)), \
      columns: tables.length ? getComputedStyle(tables[0].querySelector('tbody td')).display : null, \
      label: tables.length ? getComputedStyle(tables[0].querySelector('tbody td'), '::before').content : null };";

/// Example values whose line breaks fall between two letters or digits
/// (`unlimite|d`), measured character by character with ranges.
const BROKEN_WORDS: &str = "const bad = []; const r = document.createRange(); \
    for (const code of document.querySelectorAll('code.example-value')) { \
      let prevTop = null, prev = ''; \
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT); \
      for (let n; (n = walker.nextNode());) for (let i = 0; i < n.length; i++) { \
        r.setStart(n, i); r.setEnd(n, i + 1); const rect = r.getClientRects()[0]; if (!rect) continue; \
        const ch = n.data[i]; \
        if (prevTop !== null && rect.top > prevTop + 2 && /[A-Za-z0-9]/.test(ch) && /[A-Za-z0-9]/.test(prev)) bad.push(code.textContent); \
        prevTop = rect.top; prev = ch; } } \
    return bad;";

/// At 390 px the parameters tables fit the viewport without sideways
/// scrolling, as labelled cards, and no example value breaks inside a word;
/// on the desktop neither does any. The phone screenshot README.md can show
/// is written next to the desktop one.
#[tokio::test]
async fn tables_read_on_a_phone() -> TestResult {
    let s = served();
    let b = phone().await;
    for page in [SEED_PAGE, CREATEACCT_PAGE] {
        b.goto(&s.server.url(page)).await?;
        let o = b.execute(OVERFLOW, vec![]).await?;
        assert_eq!(
            o["width"],
            json!(PHONE_WIDTH),
            "not a phone-sized viewport: {o}"
        );
        assert!(
            o["tables"].as_u64().unwrap_or(0) >= 1,
            "{page}: no field table: {o}"
        );
        for key in ["page", "wraps", "cells"] {
            assert!(
                o[key].as_f64().unwrap_or(f64::MAX) <= 0.5,
                "{page}: {key} reach past the {PHONE_WIDTH} px viewport: {o}"
            );
        }
        assert_eq!(
            o["columns"],
            json!("block"),
            "{page}: cells are not stacked: {o}"
        );
        assert_eq!(
            o["label"],
            json!("\"Type\""),
            "{page}: cells carry no label: {o}"
        );
        assert_eq!(
            b.execute(BROKEN_WORDS, vec![]).await?,
            json!([]),
            "{page}: example values broken inside a word"
        );
        assert_no_console_errors(&b, page).await?;
    }
    // The phone screenshot shows the parameters, as cards.
    b.goto(&s.server.url(SEED_PAGE)).await?;
    b.execute(
        "document.getElementById('parameters').scrollIntoView();",
        vec![],
    )
    .await?;
    let path = save_screenshot("validate_login_token-phone.png", &b.screenshot().await?)?;
    eprintln!("screenshot: {}", path.display());
    b.close().await?;

    let b = browser().await;
    b.goto(&s.server.url(CREATEACCT_PAGE)).await?;
    assert_eq!(
        b.execute(BROKEN_WORDS, vec![]).await?,
        json!([]),
        "desktop: example values broken inside a word"
    );
    let columns = b.execute(OVERFLOW, vec![]).await?;
    assert_eq!(
        columns["columns"],
        json!("table-cell"),
        "desktop keeps the table: {columns}"
    );
    b.close().await
}

/// At 390 px the navigation is behind a Menu button, which opens it as a
/// panel inside the viewport whose links work; Escape closes it. Search finds
/// a catalogued function that has no spec yet and Enter opens its entry.
#[tokio::test]
async fn on_a_phone_the_menu_opens_the_navigation_and_search_opens_the_top_hit() -> TestResult {
    let s = served();
    let b = phone().await;
    b.goto(&s.server.url(SEED_PAGE)).await?;
    let state = "const nav = document.getElementById('side-nav'); const r = nav.getBoundingClientRect(); \
        const button = document.getElementById('nav-toggle'); \
        const link = nav.querySelector('li.nav-category.open > a'); \
        const lr = link && link.getBoundingClientRect(); \
        const hit = lr && document.elementFromPoint(lr.left + 5, lr.top + lr.height / 2); \
        return { shown: getComputedStyle(nav).display !== 'none', left: r.left, right: r.right, \
          vw: document.documentElement.clientWidth, expanded: button.getAttribute('aria-expanded'), \
          button: getComputedStyle(button).display, \
          linkOnTop: !!hit && (hit === link || link.contains(hit)), \
          links: nav.querySelectorAll('li.nav-category > a').length };";
    let closed = b.execute(state, vec![]).await?;
    assert_eq!(
        closed["shown"],
        json!(false),
        "the navigation shows before the menu: {closed}"
    );
    assert_ne!(closed["button"], json!("none"), "no Menu button: {closed}");
    b.find(Locator::Css("#nav-toggle")).await?.click().await?;
    let open = b.execute(state, vec![]).await?;
    assert_eq!(open["shown"], json!(true), "the menu does not open: {open}");
    assert_eq!(open["expanded"], json!("true"), "{open}");
    assert!(
        open["left"].as_f64().unwrap_or(-1.0) >= 0.0
            && open["right"].as_f64().unwrap_or(f64::MAX) <= open["vw"].as_f64().unwrap_or(0.0),
        "the panel is not inside the viewport: {open}"
    );
    assert!(
        open["links"].as_u64().unwrap_or(0) >= 27,
        "every category: {open}"
    );
    assert_eq!(
        open["linkOnTop"],
        json!(true),
        "the category link is covered: {open}"
    );
    b.press(Key::Escape).await?;
    let shut = b.execute(state, vec![]).await?;
    assert_eq!(
        shut["shown"],
        json!(false),
        "Escape does not close the menu: {shut}"
    );
    b.find(Locator::Css("#nav-toggle")).await?.click().await?;
    b.find(Locator::Css("#side-nav li.nav-category.open > a"))
        .await?
        .click()
        .await?;
    b.wait_for(
        "the category page from the menu",
        "return location.pathname === '/site/docs/categories/authentication.html' \
         && document.readyState === 'complete';",
    )
    .await?;

    let (todo, todo_category) = an_unspecified_function();
    let input = b.find(Locator::Css("#search-input")).await?;
    input.click().await?;
    input.send_keys(&todo).await?;
    let top = b
        .wait_for(
            "a result for the unspecified function",
            "const a = document.querySelector('#search-results a'); \
             return a && { text: a.innerText, href: a.getAttribute('href') };",
        )
        .await?;
    assert!(
        top["text"]
            .as_str()
            .unwrap_or_default()
            .contains("not yet specified"),
        "{top}"
    );
    b.press(Key::Enter).await?;
    let landed = b
        .wait_for(
            "the unspecified function's entry",
            &format!(
                "const e = document.getElementById('todo-{todo}'); \
                 if (location.pathname !== '/site/docs/categories/{todo_category}.html' || !e) return null; \
                 const r = e.getBoundingClientRect(); \
                 return {{ hash: location.hash, top: r.top, bottom: r.bottom, h: window.innerHeight, text: e.innerText }};"
            ),
        )
        .await?;
    assert_eq!(landed["hash"], json!(format!("#todo-{todo}")), "{landed}");
    assert!(
        landed["top"].as_f64().unwrap_or(-1.0) >= 0.0
            && landed["bottom"].as_f64().unwrap_or(f64::MAX) <= landed["h"].as_f64().unwrap_or(0.0),
        "the entry is not in view: {landed}"
    );
    assert_no_console_errors(&b, "categories/accounts.html").await?;
    b.close().await
}

/// createacct's long page has a jump list of its parameters at the top; a
/// link in it brings that parameter's row into view.
#[tokio::test]
async fn long_pages_have_a_jump_list() -> TestResult {
    let s = served();
    let b = phone().await;
    b.goto(&s.server.url(CREATEACCT_PAGE)).await?;
    let list = b
        .execute(
            "const d = document.querySelector('nav.on-page details.jump-list'); \
             return d && { links: Array.from(d.querySelectorAll('a')).map(a => a.getAttribute('href')), \
             rows: document.querySelectorAll('#parameters tbody tr.depth-0').length, \
             top: d.getBoundingClientRect().top, h: window.innerHeight };",
            vec![],
        )
        .await?;
    assert!(list.is_object(), "no jump list on createacct");
    let links = list["links"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        json!(links.len()),
        list["rows"],
        "one link per parameter: {list}"
    );
    assert!(links.len() >= 40, "{list}");
    assert!(
        list["top"].as_f64().unwrap_or(f64::MAX) < list["h"].as_f64().unwrap_or(0.0),
        "the jump list is not on the first screen: {list}"
    );
    b.find(Locator::Css("details.jump-list summary"))
        .await?
        .click()
        .await?;
    let last = links
        .last()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    b.find(Locator::Css(&format!("details.jump-list a[href='{last}']")))
        .await?
        .click()
        .await?;
    let row = b
        .wait_for(
            "the parameter's row in view",
            &format!(
                "const r = document.getElementById({:?}).getBoundingClientRect(); \
                 return location.hash === {last:?} && r.top > -2 && r.top < window.innerHeight \
                 && window.scrollY > 2000 && window.scrollY;",
                last.trim_start_matches('#')
            ),
        )
        .await?;
    eprintln!("jumped to {last} at scrollY {row}");
    assert_no_console_errors(&b, CREATEACCT_PAGE).await?;
    b.close().await
}

/// On a phone-sized screen the function page needs no sideways scrolling; from
/// the keyboard, Tab reaches the skip link first, Enter on it moves to the
/// content, and `/` focuses the search box.
#[tokio::test]
async fn function_page_reads_on_a_phone_and_from_the_keyboard() -> TestResult {
    let s = served();
    let b = phone().await;
    b.goto(&s.server.url(SEED_PAGE)).await?;
    let layout = b
        .execute(
            "return { width: window.innerWidth, overflow: document.documentElement.scrollWidth - window.innerWidth };",
            vec![],
        )
        .await?;
    assert!(
        layout["width"].as_i64().unwrap_or(0) <= 400,
        "not a phone-sized viewport: {layout}"
    );
    assert!(
        layout["overflow"].as_i64().unwrap_or(1) <= 0,
        "the page scrolls sideways on a phone: {layout}"
    );

    let focused = "const a = document.activeElement; return a.id || a.className || a.tagName;";
    b.press(Key::Tab).await?;
    assert_eq!(b.execute(focused, vec![]).await?, json!("skip-link"));
    b.press(Key::Enter).await?;
    b.wait_for(
        "focus on the content",
        "return document.activeElement.id === 'main';",
    )
    .await?;
    b.press('/').await?;
    assert_eq!(b.execute(focused, vec![]).await?, json!("search-input"));
    assert_no_console_errors(&b, SEED_PAGE).await?;
    b.close().await
}

/// A category larger than the navigation's window and than one page: on a
/// function page in its middle, the navigation's "earlier", "more" and "not
/// yet specified" links land on elements that exist, on the category's
/// pages by first letter; search finds a catalogued name of it that has no
/// spec, and Enter opens the letter's page at its entry.
#[tokio::test]
async fn a_large_category_is_split_and_its_links_land() -> TestResult {
    let s = served();
    let b = browser().await;
    let middle = format!("/large/docs/functions/alpha_{:04}.html", LARGE_CATEGORY / 2);
    b.goto(&s.server.url(&middle)).await?;
    let nav = b
        .execute(
            "const open = document.querySelector('nav.side-nav li.nav-category.open'); \
             return open && { functions: open.querySelectorAll(':scope > ul > li:not(.more):not(.missing) > a').length, \
             links: Array.from(open.querySelectorAll('li.more a, li.missing a')).map(a => a.href) };",
            vec![],
        )
        .await?;
    assert_eq!(
        nav["functions"],
        json!(60),
        "the navigation's window: {nav}"
    );
    let links: Vec<String> = nav["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    assert_eq!(links.len(), 3, "earlier, more, not yet specified: {nav}");
    for link in &links {
        b.goto(link).await?;
        let found = b
            .execute(
                "return !!document.getElementById(location.hash.slice(1)) && document.title;",
                vec![],
            )
            .await?;
        assert!(found.is_string(), "{link} lands on no element");
        assert_no_console_errors(&b, link).await?;
    }
    assert!(
        links.iter().any(|l| l.contains("/categories/big--")),
        "no link to a letter's page: {links:?}"
    );

    let input = b.find(Locator::Css("#search-input")).await?;
    input.click().await?;
    input.send_keys("zz_0007").await?;
    b.wait_for(
        "a result for zz_0007",
        "return !!document.querySelector('#search-results a.todo');",
    )
    .await?;
    b.press(Key::Enter).await?;
    b.wait_for(
        "zz_0007 on its letter's page",
        "return location.pathname === '/large/docs/categories/big--z.html' \
         && location.hash === '#todo-zz_0007' && !!document.getElementById('todo-zz_0007');",
    )
    .await?;
    assert_no_console_errors(&b, "big--z.html").await?;
    b.close().await
}
