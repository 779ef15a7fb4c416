//! `whm-codegen new` through the real binary, in a scratch copy of `spec/`:
//! which names it refuses, which category it picks and says, and that
//! `build` refuses the skeleton until its placeholders are replaced.

mod scratch;

use std::fs;
use std::path::Path;

use scratch::{codegen, scratch, text};

/// A function the catalogue lists and no spec holds, in a catalogue category
/// that spec/categories.yaml has: `(name, catalogue title, category id)`.
/// Found in the specs, so that specifying more functions never breaks these tests.
fn unspecified(root: &Path) -> (String, String, String) {
    let api = whm_codegen::front::load_api(&root.join("spec"))
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    api.catalog
        .iter()
        .filter_map(|c| {
            let id = api
                .categories
                .iter()
                .find(|k| k.title == c.title)?
                .id
                .clone();
            let entry = c
                .functions
                .iter()
                .find(|e| e.specified_in.is_none() && !e.unsure)?;
            Some((entry.name.clone(), c.title.clone(), id))
        })
        .next()
        .expect("some catalogued function is not specified yet")
}

/// A category id of spec/categories.yaml other than `id`.
fn another_category(root: &Path, id: &str) -> String {
    let ids = whm_codegen::front::category_ids(&root.join("spec")).expect("categories");
    ids.into_iter()
        .find(|other| other != id)
        .expect("two categories")
}

fn new(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    codegen(root, &all)
}

#[test]
fn a_name_some_spec_already_holds_is_refused_in_any_category() {
    let dir = scratch();
    let out = new(dir.path(), &["listaccts", "--category", "authentication"]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains("error: `listaccts` is already specified in ")
            && said.contains("spec/accounts/listaccts.yaml; edit that file instead"),
        "{said}"
    );
    assert!(
        !dir.path()
            .join("spec/authentication/listaccts.yaml")
            .exists()
    );
}

#[test]
fn a_name_the_catalogue_does_not_know_needs_force() {
    let dir = scratch();
    let out = new(dir.path(), &["listacct", "--category", "accounts"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: `listacct` is not in spec/catalog.yaml (did you mean `listaccts`?): check the name against WHM's documentation, or pass --force to write it anyway\n"
    );
    assert!(!dir.path().join("spec/accounts/listacct.yaml").exists());

    let forced = new(
        dir.path(),
        &["made_up_fn", "--category", "accounts", "--force"],
    );
    assert!(forced.status.success(), "{}", text(&forced));
    assert!(
        text(&forced).contains(
            "warning: `made_up_fn` is not in spec/catalog.yaml; writing it anyway (--force)"
        ),
        "{}",
        text(&forced)
    );
    assert!(dir.path().join("spec/accounts/made_up_fn.yaml").exists());

    // Forced, but no catalogue category to pick from.
    let nowhere = new(dir.path(), &["other_made_up_fn", "--force"]);
    assert!(!nowhere.status.success());
    assert!(
        text(&nowhere).contains(
            "pass --category: spec/catalog.yaml does not say where `other_made_up_fn` belongs"
        ),
        "{}",
        text(&nowhere)
    );
}

#[test]
fn without_category_the_catalogue_s_category_is_picked_and_said() {
    let dir = scratch();
    // The catalogue files NAME under TITLE, the title of the category ID.
    let (name, title, id) = unspecified(dir.path());
    let out = new(dir.path(), &[&name]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "note: spec/catalog.yaml files `{name}` under `{title}`"
        )),
        "{}",
        text(&out)
    );
    let written = fs::read_to_string(dir.path().join(format!("spec/{id}/{name}.yaml")))
        .expect("written under the catalogue's category");
    assert!(written.contains(&format!("category: {id}\n")), "{written}");

    // Account Restoration has no category in spec/categories.yaml yet.
    let out = new(dir.path(), &["restoreaccount"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no category in spec/categories.yaml has the title `Account Restoration`: add one (`- id: account-restoration`, `title: Account Restoration`, `order: N`), or pass --category\n"
    );
    assert!(
        !dir.path()
            .join("spec/accounts/restoreaccount.yaml")
            .exists(),
        "not written into some other category"
    );
}

#[test]
fn an_explicit_category_other_than_the_catalogue_s_is_written_with_a_warning() {
    let dir = scratch();
    let (name, title, id) = unspecified(dir.path());
    let other = another_category(dir.path(), &id);
    let out = new(dir.path(), &[&name, "--category", &other]);
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains(&format!(
            "note: spec/catalog.yaml files `{name}` under `{title}`"
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "warning: `{other}` is not the catalogue's `{title}` (category `{id}`); writing it under `{other}` as asked"
        )),
        "{said}"
    );
    assert!(
        dir.path()
            .join(format!("spec/{other}/{name}.yaml"))
            .exists()
    );

    let typo = new(
        dir.path(),
        &["made_up_fn", "--category", "acounts", "--force"],
    );
    assert!(!typo.status.success());
    assert!(
        text(&typo).contains("did you mean `accounts`?"),
        "{}",
        text(&typo)
    );
}

#[test]
fn build_refuses_the_skeleton_until_its_placeholders_are_replaced() {
    let dir = scratch();
    assert!(codegen(dir.path(), &["build"]).status.success());
    let (name, _, id) = unspecified(dir.path());
    let out = new(dir.path(), &[&name]);
    assert!(out.status.success(), "{}", text(&out));
    let spec = dir.path().join(format!("spec/{id}/{name}.yaml"));

    let build = codegen(dir.path(), &["build"]);
    assert!(!build.status.success(), "the skeleton built");
    let said = text(&build);
    for expected in [
        "error: `summary` still holds the placeholder text of `whm-codegen new`",
        &format!("spec/{id}/{name}.yaml:6:10"),
        "error: `description` still holds the placeholder text of `whm-codegen new`",
        &format!("spec/{id}/{name}.yaml:8:3"),
        "error: 2 problems in the specs; nothing was written",
    ] {
        assert!(said.contains(expected), "missing {expected:?} in:\n{said}");
    }
    assert!(
        !dir.path()
            .join(format!("docs/functions/{name}.html"))
            .exists(),
        "nothing was published"
    );

    let filled = fs::read_to_string(&spec)
        .expect("skeleton")
        .replace(
            &format!("One plain sentence saying what {name} does."),
            "Returns a summary of one cPanel account.",
        )
        .replace(
            "What the function does, in Markdown, in our own words.",
            "This function returns the account's settings and usage.",
        );
    fs::write(&spec, filled).expect("fill in");
    let build = codegen(dir.path(), &["build"]);
    assert!(build.status.success(), "{}", text(&build));
    let page = fs::read_to_string(dir.path().join(format!("docs/functions/{name}.html")))
        .expect("the filled-in spec is published");
    assert!(page.contains("Returns a summary of one cPanel account."));
    assert!(!page.contains("One plain sentence"));
}
