//! One test per kind of spec mistake: the exact message, file, line and column
//! a maintainer sees, and the help that says what to write instead.

use std::fs;
use std::path::Path;

use whm_codegen::diagnostics::Diagnostic;
use whm_codegen::front::load_api;

const CATEGORIES: &str = "\
categories:
  - id: accounts
    title: Accounts
    order: 10
";

/// A spec tree in a temporary folder: categories.yaml plus the given files.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("categories.yaml"), CATEGORIES).expect("write");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

/// The problems the front end reports for a tree (it must report some).
fn problems(dir: &Path) -> Vec<Diagnostic> {
    match load_api(dir) {
        Ok(_) => panic!("expected problems, the specs were accepted"),
        Err(diags) => diags.list().to_vec(),
    }
}

/// The one problem reported, checked against file suffix, line, column and message.
fn only(dir: &Path) -> Diagnostic {
    let list = problems(dir);
    assert_eq!(list.len(), 1, "expected one problem, got: {list:#?}");
    list.into_iter().next().expect("one")
}

fn assert_at(d: &Diagnostic, file: &str, line: usize, column: usize, message: &str) {
    assert!(
        d.file.ends_with(file),
        "file {} should end with {file}",
        d.file
    );
    assert_eq!(
        (d.line, d.column),
        (line, column),
        "position of {:?}",
        d.message
    );
    assert_eq!(d.message, message);
}

const GOOD: &str = "\
name: listaccts
category: accounts
summary: Lists accounts.
description: Lists the accounts.
parameters:
  - name: searchtype
    type: string
    description: What to search.
    enum: [domain, owner, user]
  - name: want
    type: integer
    description: How many.
examples:
  - title: List
    params:
      searchtype: user
      want: 10
";

#[test]
fn a_good_spec_is_accepted() {
    let dir = tree(&[("accounts/listaccts.yaml", GOOD)]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(api.functions().count(), 1);
}

#[test]
fn yaml_syntax_error() {
    let text = GOOD.replace("    type: integer\n", "    type: [integer\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert!(d.file.ends_with("accounts/listaccts.yaml"));
    assert!(d.message.starts_with("YAML syntax error:"), "{}", d.message);
    assert_eq!(d.line, 12, "{d:?}");
    assert!(d.help.is_some());
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let text = GOOD.replace("    type: integer\n", "    tpye: integer\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let list = problems(dir.path());
    let d = list
        .iter()
        .find(|d| d.message.starts_with("unknown key"))
        .expect("unknown key reported");
    assert_at(
        d,
        "accounts/listaccts.yaml",
        11,
        5,
        "unknown key `tpye` in field",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `type`?"));
    // The same mistake also leaves `type` missing: both are reported in one run.
    assert!(
        list.iter()
            .any(|d| d.message == "missing key `type` in field"),
        "{list:#?}"
    );
}

#[test]
fn missing_required_key() {
    let text = GOOD.replace("summary: Lists accounts.\n", "");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        1,
        1,
        "missing key `summary` in function",
    );
    assert_eq!(d.help.as_deref(), Some("add `summary: Returns ...`"));
}

#[test]
fn unknown_type() {
    let text = GOOD.replace("type: integer", "type: integr");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        11,
        11,
        "unknown type `integr`",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `integer`?"));
}

#[test]
fn duplicate_parameter() {
    let text = GOOD.replace(
        "  - name: want\n",
        "  - name: want\n    type: string\n    description: Again.\n  - name: want\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        11,
        "duplicate parameter `want`",
    );
    assert_eq!(d.label, "`want` is already defined on line 10");
}

#[test]
fn example_value_of_the_wrong_type() {
    let text = GOOD.replace("      want: 10\n", "      want: ten\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        17,
        13,
        "example value `ten` of `want` is not an integer",
    );
    assert_eq!(d.help.as_deref(), Some("write a value that is an integer"));
}

#[test]
fn example_value_outside_the_value_set() {
    let text = GOOD.replace("      searchtype: user\n", "      searchtype: domian\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        16,
        19,
        "example value `domian` of `searchtype` is not one of `domain`, `owner`, `user`",
    );
}

#[test]
fn example_parameter_that_does_not_exist() {
    let text = GOOD.replace("      want: 10\n", "      wnat: 10\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        17,
        7,
        "example sends `wnat`, which is not a parameter",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `want`?"));
}

#[test]
fn unknown_category() {
    let text = GOOD.replace("category: accounts", "category: acounts");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        2,
        11,
        "unknown category `acounts`",
    );
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `accounts`? Categories are listed in spec/categories.yaml")
    );
}

#[test]
fn function_name_differs_from_file_name() {
    let dir = tree(&[("accounts/list_accounts.yaml", GOOD)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/list_accounts.yaml",
        1,
        7,
        "function name `listaccts` differs from its file name `list_accounts.yaml`",
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write `name: list_accounts`, or rename the file to `listaccts.yaml`")
    );
}

#[test]
fn two_names_that_become_one_rust_identifier() {
    let text = GOOD.replace(
        "  - name: want\n",
        "  - name: want\n    type: string\n    description: Lower.\n  - name: Want\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        11,
        "`Want` and `want` (line 10) both become the Rust name `want`",
    );
    assert_eq!(d.label, "same Rust identifier");
}

#[test]
fn two_functions_that_become_one_rust_type() {
    let other = GOOD.replace("name: listaccts", "name: LISTACCTS");
    let dir = tree(&[
        ("accounts/listaccts.yaml", GOOD),
        ("accounts/LISTACCTS.yaml", &other),
    ]);
    let list = problems(dir.path());
    assert_eq!(list.len(), 2, "{list:#?}");
    assert_at(
        &list[0],
        "accounts/listaccts.yaml",
        1,
        7,
        "functions `listaccts` and `LISTACCTS` both become the Rust type `ListacctsRequest`",
    );
    assert_eq!(
        list[1].message,
        "functions `listaccts` and `LISTACCTS` both become the Rust type `ListacctsData`"
    );
}

#[test]
fn every_mistake_in_one_run() {
    let bad_type = GOOD.replace("type: integer", "type: integr");
    let bad_key = GOOD
        .replace("name: listaccts", "name: other")
        .replace("summary:", "sumary:");
    let dir = tree(&[
        ("accounts/listaccts.yaml", &bad_type),
        ("accounts/other.yaml", &bad_key),
    ]);
    let list = problems(dir.path());
    let messages: Vec<&str> = list.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"unknown type `integr`"), "{messages:?}");
    assert!(
        messages.contains(&"unknown key `sumary` in function"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"missing key `summary` in function"),
        "{messages:?}"
    );
}

#[test]
fn rendered_like_rustc() {
    let text = GOOD.replace("type: integer", "type: integr");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let Err(diags) = load_api(dir.path()) else {
        panic!("accepted")
    };
    let out = diags.render(false);
    assert!(out.contains("error: unknown type `integr`"), "{out}");
    assert!(out.contains("accounts/listaccts.yaml:11:11"), "{out}");
    assert!(out.contains("11 │     type: integr"), "{out}");
    assert!(out.contains("^^^^^^ not a type"), "{out}");
    assert!(out.contains("= help: did you mean `integer`?"), "{out}");
    assert!(
        out.ends_with("error: 1 problem in the specs; nothing was written\n"),
        "{out}"
    );
}

#[test]
fn names_equal_after_case_folding_are_refused_with_a_location() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-clash");
    let list = problems(&fixture);
    assert!(
        list.iter()
            .any(|d| d.message.contains("both become the Rust name `user`")
                && d.line > 0
                && d.column > 0),
        "{list:#?}"
    );
}

/// No input makes the front end panic: every truncation of a real spec, and
/// a spec with its bytes shuffled line by line, gives problems or an API.
#[test]
fn never_panics_on_damaged_input() {
    let real = include_str!("../../spec/authentication/validate_login_token.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("categories.yaml"),
        "categories:\n  - id: authentication\n    title: A\n    order: 1\n",
    )
    .expect("write");
    fs::create_dir_all(dir.path().join("authentication")).expect("mkdir");
    let file = dir.path().join("authentication/validate_login_token.yaml");
    let cuts: Vec<usize> = (0..real.len())
        .step_by(7)
        .filter(|i| real.is_char_boundary(*i))
        .collect();
    for cut in cuts {
        fs::write(&file, &real[..cut]).expect("write");
        let _ = load_api(dir.path());
    }
    let lines: Vec<&str> = real.lines().collect();
    for i in 0..lines.len() {
        let mut shuffled = lines.clone();
        shuffled.swap(i, (i * 7 + 3) % lines.len());
        fs::write(&file, shuffled.join("\n")).expect("write");
        let _ = load_api(dir.path());
    }
}

#[test]
fn a_parameter_cannot_be_a_hash() {
    let text = GOOD.replace("    type: integer\n", "    type: hash\n    fields: []\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        11,
        11,
        "a parameter cannot be a `hash`",
    );
}

/// Nesting deep enough to exhaust a recursive compiler's stack is refused with a location.
#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let mut hash = String::from("returns:\n");
    let mut indent = String::new();
    for level in 0..40 {
        hash.push_str(&format!(
            "{indent}  - name: f{level}\n{indent}    type: hash\n{indent}    description: Level {level}.\n{indent}    fields:\n"
        ));
        indent.push_str("    ");
    }
    hash.push_str(&format!(
        "{indent}  - name: leaf\n{indent}    type: string\n{indent}    description: Leaf.\n"
    ));
    let deep = "[".repeat(100) + &"]".repeat(100);
    let text = format!(
        "{}  - name: deep\n    type: any\n    description: Deep.\n    example: {deep}\n{hash}",
        GOOD.split("examples:").next().expect("head")
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let list = problems(dir.path());
    assert!(
        list.iter()
            .any(|d| d.message == "hashes nested more than 32 levels deep"),
        "{list:#?}"
    );
    assert!(
        list.iter()
            .any(|d| d.message == "example of `deep` is nested more than 64 levels deep"),
        "{list:#?}"
    );
    // Absurd block nesting is refused before the (recursive) YAML parser sees it.
    let deeper = text.replace(
        "type: string\n",
        &format!("type: string\n{}x: 1\n", " ".repeat(300)),
    );
    let dir = tree(&[("accounts/listaccts.yaml", &deeper)]);
    assert!(
        problems(dir.path())
            .iter()
            .any(|d| d.message == "indented more than 256 columns")
    );
    // YAML itself refuses absurd flow nesting with a located error.
    let absurd = text.replace(&deep, &("[".repeat(20_000) + &"]".repeat(20_000)));
    let dir = tree(&[("accounts/listaccts.yaml", &absurd)]);
    assert!(
        problems(dir.path())
            .iter()
            .any(|d| d.message.starts_with("YAML syntax error"))
    );
}

#[test]
fn example_output_with_an_undocumented_field_or_a_wrong_value() {
    let text = GOOD.to_owned()
        + "    json: |\n      {\"data\": {\"acct\": [{\"usr\": \"bob\", \"uid\": \"x\"}]}, \"metadata\": {}}\n"
        + "returns:\n  - name: acct\n    type: array\n    items: hash\n    description: Accounts.\n    fields:\n      - name: user\n        type: string\n        description: Name.\n      - name: uid\n        type: integer\n        description: Id.\n";
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let list = problems(dir.path());
    assert_eq!(list.len(), 2, "{list:#?}");
    assert_at(
        &list[0],
        "accounts/listaccts.yaml",
        19,
        27,
        "example JSON output: `data.acct[0].usr` is not in the spec's returns",
    );
    assert_eq!(
        list[0].help.as_deref(),
        Some("did you mean `user`? Otherwise document `usr` in the returns")
    );
    assert_eq!(
        list[1].message,
        "example JSON output: `data.acct[0].uid` is \"x\", which is not an integer"
    );
}

#[test]
fn see_also_must_name_a_known_function() {
    let text = GOOD.to_owned() + "see_also:\n  - name: listacct\n";
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        19,
        11,
        "`see_also` names `listacct`, which is no known WHM API 1 function",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `listaccts`?"));
}

#[test]
fn sensitive_must_be_true_or_false() {
    let text = GOOD.replace(
        "    description: How many.\n",
        "    description: How many.\n    sensitive: maybe\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        16,
        "`sensitive` must be true or false, not `maybe`",
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write `sensitive: true` or `sensitive: false`")
    );
}

#[test]
fn secrets_in_url_needs_a_sensitive_parameter() {
    let text = GOOD.replace("parameters:\n", "secrets_in_url: true\nparameters:\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        5,
        1,
        "`secrets_in_url` applies only to functions with a sensitive parameter",
    );
    // With one, it is accepted.
    let text = text.replace(
        "    description: How many.\n",
        "    description: How many.\n    sensitive: true\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let f = api.functions().next().expect("one function");
    assert_eq!(f.sensitive_params(), ["want"]);
    assert!(f.secrets_in_url && !f.post());
}

/// GOOD with `extra` lines added to the `want` parameter (after its description, line 12).
fn with_want(extra: &str) -> String {
    GOOD.replace(
        "    description: How many.\n",
        &format!("    description: How many.\n{extra}"),
    )
}

#[test]
fn every_new_key_is_accepted_and_lowered() {
    let text = GOOD
        .replace(
            "summary: Lists accounts.\n",
            "summary: Lists accounts.\nmethod: POST\nsuccess_reason: Listed\ndeprecated: true\n\
             deprecated_since: cPanel & WHM version 90\nreplaced_by: listaccts\n\
             source:\n  document: cpanel-accounts-api-openapi.yml\n  version: '11.137'\n  operation: /listaccts\n",
        )
        .replace(
            "    description: How many.\n",
            "    description: How many.\n    minimum: 1\n    maximum: 100\n    unit: days\n\
             \x20 - name: token\n    type: string\n    description: A name.\n    max_length: 50\n\
             \x20   pattern: '[A-Za-z0-9_-]+'\n    required_if: { param: want, value: 5 }\n\
             \x20 - name: ips\n    type: array\n    items: ipv6\n    first_index: 0\n    description: IPs.\n\
             \x20 - name: names\n    type: array\n    items: dns_name\n    list_style: comma\n    description: Names.\n\
             \x20 - name: MXCHECK-*\n    type: yes_no\n    description: One per domain.\n\
             \x20 - name: quota\n    type: string_or_integer\n    description: A quota.\n",
        )
        .replace("      want: 10\n", "      want: 10\n      MXCHECK-example.com: y\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let f = api.functions().next().expect("one function");
    assert!(f.post() && f.deprecated);
    assert_eq!(f.success_reason(), "Listed");
    assert_eq!(f.deprecation.replaced_by.as_deref(), Some("listaccts"));
    assert_eq!(
        f.origin.as_ref().map(|o| o.document.as_str()),
        Some("cpanel-accounts-api-openapi.yml")
    );
    let param = |name: &str| f.params.iter().find(|p| p.name == name).expect(name);
    use whm_codegen::ir::{Constraint, ListStyle, StringFormat, Type};
    assert_eq!(
        param("want").constraints,
        [Constraint::Minimum(1), Constraint::Maximum(100)]
    );
    assert_eq!(param("want").unit.as_deref(), Some("days"));
    assert_eq!(param("token").constraints.len(), 3);
    assert!(
        matches!(&param("ips").ty, Type::Array(a) if a.first_index == 0
        && *a.items == Type::String(Some(StringFormat::Ipv6)))
    );
    assert!(matches!(&param("names").ty, Type::Array(a) if a.style == ListStyle::Comma));
    assert_eq!(
        param("MXCHECK-*").pattern_prefix.as_deref(),
        Some("MXCHECK-")
    );
    assert_eq!(param("MXCHECK-*").rust_name, "mxcheck");
    assert_eq!(param("quota").ty, Type::StringOrInteger);
}

#[test]
fn an_example_outside_a_range_names_the_bound() {
    let dir = tree(&[("accounts/listaccts.yaml", &with_want("    minimum: 20\n"))]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        18,
        13,
        "example value `10` of `want` is not within the field's constraints (at least 20)",
    );
}

#[test]
fn an_empty_range_is_refused() {
    let text = with_want("    minimum: 5\n    maximum: 2\n").replace("      want: 10\n", "");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        14,
        14,
        "`maximum: 2` is below `minimum: 5`",
    );
}

#[test]
fn a_range_on_text_or_a_length_on_a_number_does_not_apply() {
    let dir = tree(&[("accounts/listaccts.yaml", &with_want("    max_length: 3\n"))]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        5,
        "`max_length` applies only to strings",
    );
    assert_eq!(
        d.help.as_deref(),
        Some("remove it, or use `maximum` for numbers")
    );
}

#[test]
fn a_pattern_that_does_not_compile() {
    let text = with_want(
        "  - name: token\n    type: string\n    description: A name.\n    pattern: '[a-'\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        16,
        14,
        "`pattern` is not a regular expression the server can use",
    );
}

#[test]
fn an_unknown_method_and_a_bad_first_index() {
    let text = with_want(
        "  - name: ips\n    type: array\n    items: string\n    first_index: 2\n    description: IPs.\n",
    )
    .replace("summary: Lists accounts.\n", "summary: Lists accounts.\nmethod: PATCH\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let list = problems(dir.path());
    assert_eq!(list.len(), 2, "{list:#?}");
    assert_at(
        &list[1],
        "accounts/listaccts.yaml",
        4,
        9,
        "`method` cannot be `PATCH`",
    );
    assert_eq!(list[1].help.as_deref(), Some("write one of: GET, POST"));
    assert_at(
        &list[0],
        "accounts/listaccts.yaml",
        17,
        18,
        "`first_index: 2`: WHM numbers lists from 0 or from 1",
    );
}

#[test]
fn required_if_must_name_a_sibling() {
    let dir = tree(&[(
        "accounts/listaccts.yaml",
        &with_want("    required_if: { param: serchtype, value: user }\n"),
    )]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        27,
        "`required_if` names `serchtype`, which is not a parameter",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `searchtype`?"));
}

#[test]
fn a_pattern_name_only_at_the_end_of_a_parameter() {
    let text = with_want("  - name: MX*CHECK\n    type: string\n    description: Odd.\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        11,
        "`MX*CHECK` is not a name WHM sends",
    );
}

#[test]
fn replacement_without_deprecation() {
    let dir = tree(&[(
        "accounts/listaccts.yaml",
        &with_want("    replaced_by: count\n"),
    )]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        5,
        "`replaced_by` applies only to what is deprecated",
    );
}

#[test]
fn control_characters_are_refused_where_they_are() {
    // Written literally, and as an escape of a double-quoted string.
    for (description, line, column, name) in [
        (
            "Lists the\u{202E} accounts.",
            4,
            23,
            "RIGHT-TO-LEFT OVERRIDE (U+202E)",
        ),
        (
            "Lists\r accounts.",
            4,
            19,
            "carriage return (U+000D) not followed by a line feed",
        ),
        ("Lists\0 accounts.", 4, 19, "NUL (U+0000)"),
        (
            "\"Lists \\u202e accounts.\"",
            4,
            14,
            "RIGHT-TO-LEFT OVERRIDE (U+202E)",
        ),
        (
            "\"Lists \\r accounts.\"",
            4,
            14,
            "carriage return (U+000D) not followed by a line feed",
        ),
    ] {
        let text = GOOD.replace(
            "description: Lists the accounts.",
            &format!("description: {description}"),
        );
        let dir = tree(&[("accounts/listaccts.yaml", &text)]);
        let d = only(dir.path());
        assert_at(
            &d,
            "accounts/listaccts.yaml",
            line,
            column,
            &format!("the control character {name} is not allowed in a spec"),
        );
    }
    // Windows line endings are fine.
    let dir = tree(&[("accounts/listaccts.yaml", &GOOD.replace('\n', "\r\n"))]);
    load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
}

#[test]
fn a_second_yaml_document_is_refused() {
    let text = format!("---\n{GOOD}---\nname: [broken\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        19,
        1,
        "a spec file holds one YAML document",
    );
}

#[test]
fn spec_paths_that_are_not_files_are_reported() {
    let dir = tree(&[("accounts/listaccts.yaml", GOOD)]);
    fs::create_dir(dir.path().join("accounts/folder.yaml")).expect("mkdir");
    std::os::unix::fs::symlink("loop.yaml", dir.path().join("accounts/loop.yaml"))
        .expect("symlink");
    let fifo = dir.path().join("accounts/fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let list = problems(dir.path());
    let messages: Vec<(String, &str)> = list
        .iter()
        .map(|d| {
            (
                d.file.rsplit('/').next().unwrap_or_default().to_owned(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(list.len(), 3, "{list:#?}");
    assert!(messages.contains(&(
        "fifo.yaml".to_owned(),
        "this spec path is not a regular file"
    )));
    assert!(messages.contains(&("folder.yaml".to_owned(), "this spec path is a folder")));
    assert!(
        messages
            .iter()
            .any(|(f, m)| f == "loop.yaml" && m.starts_with("cannot read this spec path")),
        "{messages:?}"
    );
}

#[test]
fn an_over_long_title_or_name_is_a_diagnostic() {
    let long = "T".repeat(275);
    let catalog = format!("categories:\n  - title: {long}\n    functions: [listaccts]\n");
    let dir = tree(&[
        ("accounts/listaccts.yaml", GOOD),
        ("catalog.yaml", &catalog),
    ]);
    let d = only(dir.path());
    assert_at(
        &d,
        "catalog.yaml",
        2,
        12,
        "a category title of 275 characters is too long",
    );
    let name = "f".repeat(101);
    let text = GOOD.replace("name: listaccts", &format!("name: {name}"));
    let dir = tree(&[(&format!("accounts/{name}.yaml"), &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        &format!("{name}.yaml"),
        1,
        7,
        "a function name of 101 bytes is too long",
    );
}

#[test]
fn a_huge_unknown_name_gets_no_suggestion_rather_than_a_slow_one() {
    let huge = "x".repeat(1 << 20);
    let text = format!("{GOOD}see_also:\n  - name: {huge}\n");
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert!(
        d.message.starts_with("`see_also` names `xxx"),
        "{}",
        &d.message[..40]
    );
    assert_eq!(
        d.help.as_deref(),
        Some("name a specified function or one in spec/catalog.yaml")
    );
}

const CONTACT: &str = "\
name: Contact
type: hash
description: Who to write to.
fields:
  - name: email
    type: email
    description: An address.
";

#[test]
fn a_named_type_is_shared_and_a_misspelt_one_suggests_it() {
    let uses = with_want("  - name: contact\n    type: Contact\n    description: Who.\n");
    let dir = tree(&[
        ("accounts/listaccts.yaml", &uses),
        ("types/Contact.yaml", CONTACT),
    ]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(api.named_types.len(), 1);
    let f = api.functions().next().expect("one function");
    let contact = f
        .params
        .iter()
        .find(|p| p.name == "contact")
        .expect("contact");
    assert!(
        matches!(&contact.ty, whm_codegen::ir::Type::Hash(s) if s.shared && s.rust_name == "Contact")
    );

    let misspelt = uses.replace("type: Contact", "type: Contct");
    let dir = tree(&[
        ("accounts/listaccts.yaml", &misspelt),
        ("types/Contact.yaml", CONTACT),
    ]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        14,
        11,
        "unknown type `Contct`",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `Contact`?"));
}

#[test]
fn a_named_type_is_named_like_a_rust_type_after_its_file() {
    let dir = tree(&[
        ("accounts/listaccts.yaml", GOOD),
        (
            "types/contact.yaml",
            &CONTACT.replace("name: Contact", "name: contact"),
        ),
    ]);
    let d = only(dir.path());
    assert_at(
        &d,
        "types/contact.yaml",
        1,
        7,
        "a named type is called `contact`",
    );
    assert_eq!(
        d.help.as_deref(),
        Some("name it like a Rust type, `Contact`, in spec/types/Contact.yaml")
    );
}

/// GOOD with `type_name: NAME` on the `searchtype` parameter (line 10) and a
/// returned closed set `status` whose `type_name: Kind` is on line 19.
fn with_type_names(param_name: &str) -> String {
    GOOD.replace(
        "    enum: [domain, owner, user]\n",
        &format!("    enum: [domain, owner, user]\n    type_name: {param_name}\n"),
    )
    .replace(
        "examples:\n",
        "returns:\n  - name: status\n    type: string\n    description: How it went.\n    enum: [ok, failed]\n    type_name: Kind\nexamples:\n",
    )
}

#[test]
fn two_types_of_one_function_with_one_name_are_refused_with_a_suggestion() {
    let dir = tree(&[("accounts/listaccts.yaml", &with_type_names("Kind"))]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        19,
        16,
        "`returns.status` and `parameters.searchtype` (line 10) both become the Rust type `Kind` in the module of `listaccts`",
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "choose this type's name with `type_name: DataStatus` on the field (or another name on either field)"
        )
    );
}

#[test]
fn type_names_choose_the_nested_types_names() {
    let dir = tree(&[("accounts/listaccts.yaml", &with_type_names("SearchKind"))]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let f = api.functions().next().expect("one function");
    let name = |ty: &whm_codegen::ir::Type| match ty {
        whm_codegen::ir::Type::Enum(e) => e.rust_name.clone(),
        other => panic!("not an enum: {other:?}"),
    };
    assert_eq!(name(&f.params[0].ty), "SearchKind");
    assert_eq!(name(&f.returns[0].ty), "Kind");
}

#[test]
fn a_type_name_that_is_no_rust_type_name() {
    let dir = tree(&[("accounts/listaccts.yaml", &with_type_names("search kind"))]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        10,
        16,
        "`type_name: search kind` is not a Rust type name the generated code can use",
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write it like a Rust type, `type_name: SearchKind`")
    );
    // A prelude name would shadow what the generated code means by it.
    let dir = tree(&[("accounts/listaccts.yaml", &with_type_names("Option"))]);
    assert_eq!(
        only(dir.path()).message,
        "`type_name: Option` is not a Rust type name the generated code can use"
    );
}

#[test]
fn a_type_name_on_a_field_without_a_type_of_its_own() {
    let text = GOOD.replace(
        "    description: How many.\n",
        "    description: How many.\n    type_name: Count\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        13,
        16,
        "`type_name` applies only to a hash or a closed set",
    );
}

#[test]
fn a_type_name_inside_a_named_type_is_refused() {
    let contact = format!(
        "{CONTACT}  - name: address\n    type: hash\n    description: Where.\n    type_name: Address\n    fields:\n      - name: city\n        type: string\n        description: The city.\n"
    );
    let dir = tree(&[
        ("accounts/listaccts.yaml", GOOD),
        ("types/Contact.yaml", &contact),
    ]);
    let d = only(dir.path());
    assert_at(
        &d,
        "types/Contact.yaml",
        11,
        16,
        "`type_name` applies only to the fields of a function",
    );
}

#[test]
fn a_named_type_that_a_function_type_already_holds_is_refused_not_numbered() {
    // `ListacctsRequest` is listaccts' own request type: the named type may not take it.
    let taken = CONTACT.replace("name: Contact", "name: ListacctsRequest");
    let dir = tree(&[
        ("accounts/listaccts.yaml", GOOD),
        ("types/ListacctsRequest.yaml", &taken),
    ]);
    let d = only(dir.path());
    assert_at(
        &d,
        "types/ListacctsRequest.yaml",
        1,
        7,
        "the named type `ListacctsRequest` collides with another Rust type of that name",
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "rename spec/types/ListacctsRequest.yaml and its `name:` (as it is, it would become `ListacctsRequest2`)"
        )
    );
}

#[test]
fn list_output_follows_the_shape_of_returns() {
    // No list in `returns`: nothing for the output options to shape.
    let text = GOOD.replace(
        "summary: Lists accounts.\n",
        "summary: Lists accounts.\nlist_output: true\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &text)]);
    let d = only(dir.path());
    assert_at(
        &d,
        "accounts/listaccts.yaml",
        4,
        14,
        "`list_output: true` needs a function that returns one list of records",
    );
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("`items: hash`")),
        "{d:?}"
    );

    // One list of hashes: a list function without the key, and `false` opts out.
    let returns = "returns:\n  - name: acct\n    type: array\n    items: hash\n    \
                   description: The accounts.\n    fields:\n      - name: user\n        \
                   type: string\n        description: A user.\n";
    let listed = format!("{GOOD}{returns}");
    let dir = tree(&[("accounts/listaccts.yaml", &listed)]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let f = api.functions().next().expect("one function");
    assert!(f.list_output);
    assert_eq!(
        f.list_field().map(|(field, _)| field.name.as_str()),
        Some("acct")
    );
    let opted_out = listed.replace(
        "summary: Lists accounts.\n",
        "summary: Lists accounts.\nlist_output: false\n",
    );
    let dir = tree(&[("accounts/listaccts.yaml", &opted_out)]);
    let api = load_api(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let f = api.functions().next().expect("one function");
    assert!(!f.list_output && f.list_field().is_none());
}
