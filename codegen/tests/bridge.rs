//! `compare openapi`: a description with known, planted drift against a
//! spec tree finds each planted difference and no other. Both sides are
//! written here, in the project's own words, modelled on the constructs of
//! cPanel's description (integer-or-unlimited `oneOf`s, 0/1 enums, `type:
//! [T, 'null']`, `$ref` component schemas, UAPI operations in a WHM file).

use std::collections::BTreeMap;

use whm_codegen::bridge::{compare, openapi};
use whm_codegen::front::load_api_in_memory;

const DESCRIPTION: &str = r#"openapi: 3.1.0
info: {title: Widgets, version: "11.137"}
paths:
  /set_widget:
    get:
      x-cpanel-api-version: WHM API 1
      x-cpanel-available-version: '11.40'
      parameters:
        - name: widget
          in: query
          required: true
          schema: {type: string, format: domain, maxLength: 64, example: gizmo.example}
        - name: size
          in: query
          required: false
          schema:
            oneOf:
              - {type: integer, minimum: 0}
              - {type: string, enum: [unlimited]}
        - name: enabled
          in: query
          schema: {type: integer, enum: [0, 1], default: 1}
        - name: color
          in: query
          schema: {type: string, enum: [red, green, blue]}
        - name: turns
          in: query
          required: true
          schema: {type: integer, minimum: 1, example: 3}
      responses:
        '200':
          content:
            application/json:
              schema:
                properties:
                  data: {$ref: '#/components/schemas/Widget'}
  /list_widgets:
    get:
      x-cpanel-api-version: WHM API 1
      x-cpanel-available-version: 98
      responses:
        '200':
          content:
            application/json:
              schema:
                properties:
                  data:
                    type: object
                    properties:
                      widgets:
                        type: array
                        items: {$ref: '#/components/schemas/Widget'}
  /drop_widget:
    post:
      x-cpanel-api-version: WHM API 1
      parameters:
        - {name: widget, in: query, required: true, schema: {type: string, example: gizmo}}
        - {name: user, in: query, schema: {type: string, format: username}}
        - {name: id, in: query, schema: {type: integer}}
        - {name: note, in: query, schema: {type: string, default: ''}}
  /only_here:
    get:
      x-cpanel-api-version: WHM API 1
      summary: Tune every widget
      description: Changes how each widget behaves, one parameter per widget.
      x-cpanel-available-version: cPanel 56
      deprecated: true
      parameters:
        - name: TUNE-*
          in: query
          description: How to tune the widget named after the hyphen.
          schema: {type: string, enum: [fast, slow]}
        - name: mode
          in: query
          description: |
            How the change is made.

            * `now` — At once.
            * `later` — At the next restart.
          examples:
            soon: {summary: At once, value: now}
          schema: {type: string, enum: [now, later]}
        - name: ids
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: integer}}
        - name: folder
          in: query
          description: A folder inside the home directory.
          schema: {type: string, format: path, example: public_html/site}
        - name: shape
          in: query
          schema:
            oneOf:
              - {type: object, properties: {a: {type: string}}}
              - {type: object, properties: {b: {type: string}}}
      responses:
        '200':
          content:
            application/json:
              schema:
                anyOf:
                  - properties:
                      data:
                        type: object
                        properties:
                          tuned:
                            type: object
                            additionalProperties: {type: integer}
                  - properties:
                      metadata: {type: object}
      x-codeSamples:
        - {label: CLI, lang: Shell, source: "whmapi1 only_here mode=now ids=1,2"}
        - {label: URL, lang: HTTP, source: "https://host:2087/cpsess##########/json-api/only_here?api.version=1&mode=now&ids=1%2C2&TUNE-gizmo=fast"}
  /uapi_thing:
    get:
      x-cpanel-api-version: UAPI
components:
  schemas:
    Widget:
      type: object
      properties:
        name: {type: string}
        owner: {type: [string, 'null'], format: username}
        created: {type: integer, format: unix_timestamp}
"#;

const CATEGORIES: &str = "categories:\n  - {id: widgets, title: Widgets, order: 10}\n";

const SET_WIDGET: &str = r#"name: set_widget
category: widgets
summary: Sets a widget.
description: Sets a widget.
since: cPanel & WHM version 11.40
parameters:
  - name: widget
    type: domain
    required: true
    description: The widget.
    max_length: 64
  - name: size
    type: limit
    description: How big.
  - name: enabled
    type: boolean
    description: Whether it runs.
    default: 1
  - name: color
    type: string
    description: Its color.
    enum: [red, green]
  - name: turns
    type: integer
    description: How many turns.
    minimum: 2
    differs: WHM refuses a single turn in practice.
  - name: extra
    type: string
    description: A parameter the description does not know.
returns:
  - name: name
    type: string
    description: Its name.
  - name: created
    type: integer
    description: When it was made.
"#;

const LIST_WIDGETS: &str = r#"name: list_widgets
category: widgets
summary: Lists widgets.
description: Lists widgets.
since: cPanel & WHM version 98
returns:
  - name: widgets
    type: array
    items: hash
    description: The widgets.
    fields:
      - name: name
        type: string
        description: Its name.
      - name: owner
        type: username
        nullable: true
        description: Who owns it.
      - name: created
        type: timestamp
        description: When it was made.
"#;

const DROP_WIDGET: &str = r#"name: drop_widget
category: widgets
summary: Drops a widget.
description: Drops a widget.
parameters:
  - name: widget
    type: string
    required: true
    description: The widget.
  # Several values, sent as repeated keys: compared item by item with the
  # description's scalar, so `user` matches and `id` differs.
  - name: user
    type: array
    items: username
    list_style: repeated
    description: The users.
  - name: id
    type: array
    items: string
    description: The widgets' ids.
  # The description's empty default says there is none.
  - name: note
    type: string
    description: A note.
"#;

const NOT_DESCRIBED: &str = r#"name: not_described
category: widgets
summary: Exists only here.
description: Exists only here.
"#;

#[test]
fn compare_finds_each_planted_difference_and_no_other() {
    let files: BTreeMap<String, String> = [
        ("categories.yaml", CATEGORIES),
        ("widgets/set_widget.yaml", SET_WIDGET),
        ("widgets/list_widgets.yaml", LIST_WIDGETS),
        ("widgets/drop_widget.yaml", DROP_WIDGET),
        ("widgets/not_described.yaml", NOT_DESCRIBED),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let api = load_api_in_memory(&files).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let description = openapi::parse("widgets.yml", DESCRIPTION).expect("the description reads");
    assert_eq!(description.version, "3.1.0");
    assert_eq!(
        description
            .operations
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["set_widget", "list_widgets", "drop_widget", "only_here"],
        "UAPI operations are left out"
    );
    let report = compare::compare(&api, &[description]);
    let lines: Vec<String> = report
        .differences
        .iter()
        .map(|d| format!("{} {}: {}", d.spec_at, d.function, d.what))
        .collect();
    let planted = vec![
        "spec/widgets/drop_widget.yaml:1 drop_widget: method: spec GET, description POST",
        "spec/widgets/drop_widget.yaml:17 drop_widget: parameter `id`: type: spec string, description integer",
        "spec/widgets/set_widget.yaml:19 set_widget: parameter `color`: values: spec red|green, description red|green|blue",
        "spec/widgets/set_widget.yaml:23 set_widget: parameter `turns`: minimum: spec 2, description 1",
        "spec/widgets/set_widget.yaml:23 set_widget: parameter `turns`: required: spec false, description true",
        "spec/widgets/set_widget.yaml:28 set_widget: parameter `extra` is in the spec, not in the description",
        "spec/widgets/set_widget.yaml:32 set_widget: return `data.owner` is in the description, not in the spec",
        "spec/widgets/set_widget.yaml:35 set_widget: return `data.created`: type: spec integer, description integer (unix_timestamp)",
    ];
    let mut got: Vec<&str> = lines.iter().map(String::as_str).collect();
    got.sort_unstable();
    let mut want = planted.clone();
    want.sort_unstable();
    assert_eq!(got, want, "\n{}", report.render());
    // The deliberate one is listed apart; the rest is drift.
    let deliberate: Vec<&str> = report
        .differences
        .iter()
        .filter(|d| d.deliberate.is_some())
        .map(|d| d.what.as_str())
        .collect();
    assert_eq!(
        deliberate,
        [
            "parameter `turns`: required: spec false, description true",
            "parameter `turns`: minimum: spec 2, description 1"
        ]
    );
    assert_eq!(report.drift().count(), planted.len() - 2);
    assert_eq!(
        report.only_in_description,
        [("only_here".to_owned(), "widgets.yml:61".to_owned())]
    );
    assert_eq!(report.only_in_specs, ["not_described"]);
    assert_eq!(report.compared, 3);
    let text = report.render();
    assert!(
        text.contains("Differences the specs make on purpose:"),
        "{text}"
    );
    assert!(text.ends_with("3 functions compared: 8 differences (6 drift, 2 on purpose); 1 only in the description, 1 only in the specs\n"), "{text}");
}

#[test]
fn a_malformed_description_is_an_error_not_a_panic() {
    for text in [
        "",
        "- a list",
        "openapi: 3.1.0\npaths: [1, 2]",
        "paths: {}",
        "openapi: [\n",
    ] {
        let result = openapi::parse("bad.yml", text);
        if let Ok(d) = result {
            assert!(d.operations.is_empty(), "{text:?}");
        }
    }
    // References that loop or lead nowhere end, with a shape that says so.
    let looping = "openapi: 3.1.0\npaths:\n  /f:\n    get:\n      x-cpanel-api-version: WHM API 1\n      parameters:\n        - {name: p, in: query, schema: {$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n";
    let d = openapi::parse("loop.yml", looping).expect("reads");
    assert_eq!(d.operations[0].params.len(), 1);
}

/// Every spec of `dir` exported, read back and compared: no difference at all.
fn assert_round_trip(dir: &std::path::Path) {
    use whm_codegen::bridge::export::{OpenApiVersion, export};
    let api = whm_codegen::front::load_api(dir).unwrap_or_else(|d| panic!("{}", d.render(false)));
    for version in [OpenApiVersion::V3_1, OpenApiVersion::V3_0] {
        let text = serde_json::to_string_pretty(&export(&api, version)).expect("JSON");
        let description = openapi::parse("export.json", &text).expect("the export reads");
        assert_eq!(description.operations.len(), api.functions().count());
        let report = compare::compare(&api, &[description]);
        assert!(
            report.differences.is_empty()
                && report.only_in_description.is_empty()
                && report.only_in_specs.is_empty(),
            "{} ({version:?}):\n{}",
            dir.display(),
            report.render()
        );
    }
}

#[test]
fn export_then_compare_finds_no_drift_for_every_spec() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert_round_trip(&root.join("spec"));
    // The snapshot corpus uses every key of the format.
    assert_round_trip(&root.join("tests/fixtures/snapshot-corpus"));
}

#[test]
fn import_writes_specs_that_build_and_reports_what_it_could_not_map() {
    use whm_codegen::bridge::import::{Selection, import};
    let catalog = "categories:\n  - title: Widgets\n    functions: [set_widget, list_widgets, drop_widget, only_here]\n";
    let mut files: BTreeMap<String, String> =
        [("categories.yaml", CATEGORIES), ("catalog.yaml", catalog)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    let api = load_api_in_memory(&files).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let description = openapi::parse("widgets.yml", DESCRIPTION).expect("reads");
    let selection = Selection {
        all: true,
        ..Selection::default()
    };
    let report = import(&api, &[description], &selection);
    assert_eq!(report.specs.len(), 4, "{}", report.render());
    for spec in &report.specs {
        files.insert(spec.path.clone(), spec.text.clone());
    }
    // The written specs compile as they are.
    let imported = load_api_in_memory(&files).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(imported.functions().count(), 4);
    let all: String = report
        .specs
        .iter()
        .map(|s| format!("==> {} <==\n{}\n", s.path, s.text))
        .collect();
    // Kept apart from the emitters' snapshots, which must all be emitted files.
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/bridge");
    settings.bind(|| {
        insta::assert_snapshot!("import_specs", all);
        insta::assert_snapshot!("import_report", report.render());
    });
    // Importing again keeps what exists.
    let again = import(
        &imported,
        &[openapi::parse("widgets.yml", DESCRIPTION).expect("reads")],
        &selection,
    );
    assert!(again.specs.is_empty());
    assert_eq!(again.existing.len(), 4);
}

/// Every file of `from`, copied under `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every prose text of a spec tree (summaries, descriptions,
/// example titles and descriptions), keyed by where it is.
fn prose(api: &whm_codegen::ir::Api) -> BTreeMap<String, String> {
    fn fields(out: &mut BTreeMap<String, String>, at: &str, list: &[whm_codegen::ir::Field]) {
        for f in list {
            let at = format!("{at}.{}", f.name);
            out.insert(at.clone(), f.description.clone());
            if let Some(nested) = match &f.ty {
                whm_codegen::ir::Type::Hash(h) => Some(&h.fields),
                _ => None,
            } {
                fields(out, &at, nested);
            }
        }
    }
    let mut out = BTreeMap::new();
    for f in api.functions() {
        out.insert(format!("{}.summary", f.name), f.summary.clone());
        out.insert(format!("{}.description", f.name), f.description.clone());
        for (i, e) in f.examples.iter().enumerate() {
            out.insert(
                format!("{}.example{i}", f.name),
                format!("{:?}", (&e.title, &e.description)),
            );
        }
        fields(&mut out, &format!("{}.params", f.name), &f.params);
        fields(&mut out, &format!("{}.returns", f.name), &f.returns);
    }
    out
}

#[test]
fn import_update_merges_new_facts_and_keeps_prose_comments_and_order() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/update");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture, dir.path());
    let spec_file = dir.path().join("spec/widgets/tune_widget.yaml");
    let before_text = std::fs::read_to_string(&spec_file).unwrap();
    let before = whm_codegen::front::load_api(&dir.path().join("spec"))
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    let description_file = dir.path().join("widgets.yml");
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
            .arg("--root")
            .arg(dir.path())
            .args(["import", "openapi"])
            .arg(&description_file)
            .args(["--function", "tune_widget", "--update"])
            .output()
            .expect("whm-codegen runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = run();
    assert!(
        first.contains("updated spec/widgets/tune_widget.yaml:"),
        "{first}"
    );
    assert!(first.contains("1 specs updated (8 changes)"), "{first}");
    assert!(
        first.contains("not merged: spec/widgets/tune_widget.yaml:35: parameter `color`: type: spec string, description integer"),
        "{first}"
    );

    // The spec builds and holds the description's facts: only what no line
    // can fix (a type), what the spec has that the description lacks, and
    // the deliberate difference remain.
    let after = whm_codegen::front::load_api(&dir.path().join("spec"))
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    let description =
        openapi::read(&description_file).unwrap_or_else(|e| panic!("the fixture reads: {e}"));
    let report = compare::compare(&after, std::slice::from_ref(&description));
    let drift: Vec<&str> = report.drift().map(|d| d.what.as_str()).collect();
    assert_eq!(
        drift,
        [
            "parameter `color`: type: spec string, description integer",
            "parameter `extra` is in the spec, not in the description",
        ],
        "{}",
        report.render()
    );
    let deliberate: Vec<&str> = report
        .differences
        .iter()
        .filter(|d| d.deliberate.is_some())
        .map(|d| d.what.as_str())
        .collect();
    assert_eq!(
        deliberate,
        ["parameter `turns`: minimum: spec 2, description 1"]
    );
    // Before, the same comparison found each planted fact.
    let planted = compare::compare(&before, std::slice::from_ref(&description));
    assert_eq!(
        planted.drift().count(),
        drift.len() + 8,
        "{}",
        planted.render()
    );

    // The prose is ours, not the description's; new fields bring theirs.
    let (old, new) = (prose(&before), prose(&after));
    for (at, text) in &old {
        assert_eq!(new.get(at), Some(text), "{at}");
    }
    assert_eq!(
        new.len(),
        old.len() + 2,
        "label and state.stalled are new: {new:#?}"
    );
    // Every line of the old text is still there, in order, with its
    // comments; the four replaced lines keep their keys (and the trailing comment).
    let after_text = std::fs::read_to_string(&spec_file).unwrap();
    let mut new_lines = after_text.lines();
    let mut replaced = Vec::new();
    for line in before_text.lines() {
        if !new_lines.clone().any(|l| l == line) {
            replaced.push(line);
            continue;
        }
        assert!(new_lines.any(|l| l == line), "{line:?} moved");
    }
    assert_eq!(
        replaced,
        [
            "since: cPanel & WHM version 11.40",
            "    default: 1   # the old default; the description says 2"
        ]
    );
    assert!(after_text.contains("    default: 2   # the old default; the description says 2\n"));
    assert!(after_text.contains("    maximum: 360\n"));
    assert!(after_text.contains("  - name: label\n"));

    // A second update changes nothing.
    let second = run();
    assert!(second.contains("unchanged: tune_widget"), "{second}");
    assert!(second.contains("0 specs updated (0 changes)"), "{second}");
    assert_eq!(std::fs::read_to_string(&spec_file).unwrap(), after_text);
}

/// Every `.yaml` file under `dir`, by its path relative to `top`.
fn yaml_files(top: &std::path::Path, dir: &std::path::Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(top, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let rel = path
                .strip_prefix(top)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn update_puts_back_every_fact_taken_out_of_every_spec() {
    use whm_codegen::bridge::export::{OpenApiVersion, export};
    use whm_codegen::bridge::import::Selection;
    use whm_codegen::bridge::update::update;
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut files = BTreeMap::new();
    yaml_files(&spec, &spec, &mut files);
    let api = load_api_in_memory(&files).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let text = serde_json::to_string(&export(&api, OpenApiVersion::V3_1)).expect("JSON");
    let description = openapi::parse("export.json", &text).expect("the export reads");

    // Out of every function's spec: its `since` and every field's
    // `required`, `minimum` and `max_length` line.
    let mut removed = 0;
    for (path, text) in files.iter_mut() {
        if !path.contains('/') || path.starts_with("types/") {
            continue;
        }
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| {
                let key = line.trim_start();
                let nested = key.len() < line.len();
                let drop = (!nested && key.starts_with("since: "))
                    || (nested
                        && ["required: ", "minimum: ", "max_length: "]
                            .iter()
                            .any(|k| key.starts_with(k)));
                removed += usize::from(drop);
                !drop
            })
            .collect();
        *text = kept.join("\n") + "\n";
    }
    assert!(removed > 300, "{removed} lines taken out");
    let stripped = load_api_in_memory(&files).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let selection = Selection {
        all: true,
        ..Selection::default()
    };
    let read = |rel: &str| Ok(files[rel].clone());
    let report = update(
        &stripped,
        std::slice::from_ref(&description),
        &selection,
        &read,
    )
    .expect("the update reads every spec");
    let changes: usize = report.updated.iter().map(|s| s.changes.len()).sum();
    let mut updated = files.clone();
    for spec in &report.updated {
        updated.insert(spec.path.clone(), spec.text.clone());
    }
    let api_after = load_api_in_memory(&updated).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let drift = compare::compare(&api_after, std::slice::from_ref(&description));
    assert_eq!(drift.drift().count(), 0, "{}", drift.render());
    // One change per fact that was drift (a function with `differs:` is left
    // alone, and `compare` reads no facts of parameters named by a pattern).
    let before = compare::compare(&stripped, std::slice::from_ref(&description));
    assert_eq!(changes, before.drift().count(), "{}", report.render());
    assert!(
        changes > 300 && changes <= removed,
        "{changes} of {removed}"
    );
    // Once more: nothing to change.
    let read_updated = |rel: &str| Ok(updated[rel].clone());
    let again = update(&api_after, &[description], &selection, &read_updated).expect("reads");
    assert!(again.updated.is_empty(), "{}", again.render());
}
