//! The skeleton's placeholder text, refused by the front end with the exact
//! message, file, line and column of each placeholder and the key to fill in.

use std::fs;

use whm_codegen::front::load_api;
use whm_codegen::skeleton::skeleton;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("categories.yaml"),
        "categories:\n  - id: accounts\n    title: Accounts\n    order: 10\n",
    )
    .expect("write");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

/// (file suffix, line, column, message, help) of every problem.
fn problems(dir: &std::path::Path) -> Vec<(String, usize, usize, String, Option<String>)> {
    match load_api(dir) {
        Ok(_) => panic!("the placeholders were accepted"),
        Err(d) => d
            .list()
            .iter()
            .map(|p| {
                let file = p.file.rsplit("accounts/").next().unwrap_or("").to_owned();
                (file, p.line, p.column, p.message.clone(), p.help.clone())
            })
            .collect(),
    }
}

#[test]
fn the_unedited_skeleton_is_refused_at_both_placeholders() {
    let dir = tree(&[("accounts/listpkgs.yaml", &skeleton("listpkgs", "accounts"))]);
    assert_eq!(
        problems(dir.path()),
        vec![
            (
                "listpkgs.yaml".to_owned(),
                6,
                10,
                "`summary` still holds the placeholder text of `whm-codegen new`".to_owned(),
                Some(
                    "replace it with one plain sentence, no Markdown, saying what the function does"
                        .to_owned()
                )
            ),
            (
                "listpkgs.yaml".to_owned(),
                8,
                3,
                "`description` still holds the placeholder text of `whm-codegen new`".to_owned(),
                Some("replace it with what the function does, in Markdown, in your own words".to_owned())
            ),
        ]
    );
}

#[test]
fn a_placeholder_left_among_real_text_or_deeper_in_the_spec_is_found() {
    let spec = "\
name: listpkgs
category: accounts
summary: Lists the hosting packages.
description: |
  This function lists the packages.

  What the function does, in Markdown, in our own words.
parameters:
  - name: want
    type: string
    description: One plain sentence saying what listpkgs does.
";
    let dir = tree(&[("accounts/listpkgs.yaml", spec)]);
    let found = problems(dir.path());
    let at: Vec<(usize, usize, &str)> = found
        .iter()
        .map(|(_, l, c, m, _)| (*l, *c, m.as_str()))
        .collect();
    assert_eq!(
        at,
        vec![
            (
                7,
                3,
                "`description` still holds the placeholder text of `whm-codegen new`"
            ),
            (
                11,
                18,
                "`parameters[0].description` still holds the placeholder text of `whm-codegen new`"
            ),
        ]
    );
}

#[test]
fn a_filled_in_skeleton_loads() {
    let filled = skeleton("listpkgs", "accounts")
        .replace(
            "One plain sentence saying what listpkgs does.",
            "Lists the hosting packages.",
        )
        .replace(
            "What the function does, in Markdown, in our own words.",
            "This function lists the packages.",
        );
    let dir = tree(&[("accounts/listpkgs.yaml", &filled)]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(api.functions().count(), 1);
}
