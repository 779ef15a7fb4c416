//! `whm-codegen new` through the real binary, in a scratch copy of `spec/`:
//! which names it refuses, which category it picks and says, and that
//! `build` refuses the skeleton until its placeholders are replaced.

mod scratch;

use std::fs;
use std::path::Path;

use scratch::{codegen, scratch, text};

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
    // The catalogue files accountsummary under Accounts, the title of `accounts`.
    let out = new(dir.path(), &["accountsummary"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("note: spec/catalog.yaml files `accountsummary` under `Accounts`"),
        "{}",
        text(&out)
    );
    let written = fs::read_to_string(dir.path().join("spec/accounts/accountsummary.yaml"))
        .expect("written under accounts");
    assert!(written.contains("category: accounts\n"), "{written}");

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
    let out = new(
        dir.path(),
        &["getdomainowner", "--category", "authentication"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("note: spec/catalog.yaml files `getdomainowner` under `Accounts`"),
        "{said}"
    );
    assert!(
        said.contains(
            "warning: `authentication` is not the catalogue's `Accounts` (category `accounts`); writing it under `authentication` as asked"
        ),
        "{said}"
    );
    assert!(
        dir.path()
            .join("spec/authentication/getdomainowner.yaml")
            .exists()
    );

    let typo = new(dir.path(), &["listpkgs", "--category", "acounts"]);
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
    let out = new(dir.path(), &["accountsummary"]);
    assert!(out.status.success(), "{}", text(&out));
    let spec = dir.path().join("spec/accounts/accountsummary.yaml");

    let build = codegen(dir.path(), &["build"]);
    assert!(!build.status.success(), "the skeleton built");
    let said = text(&build);
    for expected in [
        "error: `summary` still holds the placeholder text of `whm-codegen new`",
        "spec/accounts/accountsummary.yaml:6:10",
        "error: `description` still holds the placeholder text of `whm-codegen new`",
        "spec/accounts/accountsummary.yaml:8:3",
        "error: 2 problems in the specs; nothing was written",
    ] {
        assert!(said.contains(expected), "missing {expected:?} in:\n{said}");
    }
    assert!(
        !dir.path()
            .join("docs/functions/accountsummary.html")
            .exists(),
        "nothing was published"
    );

    let filled = fs::read_to_string(&spec)
        .expect("skeleton")
        .replace(
            "One plain sentence saying what accountsummary does.",
            "Returns a summary of one cPanel account.",
        )
        .replace(
            "What the function does, in Markdown, in our own words.",
            "This function returns the account's settings and usage.",
        );
    fs::write(&spec, filled).expect("fill in");
    let build = codegen(dir.path(), &["build"]);
    assert!(build.status.success(), "{}", text(&build));
    let page = fs::read_to_string(dir.path().join("docs/functions/accountsummary.html"))
        .expect("the filled-in spec is published");
    assert!(page.contains("Returns a summary of one cPanel account."));
    assert!(!page.contains("One plain sentence"));
}
