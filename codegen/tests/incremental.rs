//! The build cache (`target/whm-codegen/cache`) through the real binary: an
//! unchanged tree is up to date without emitting, and whatever the cache
//! decides, the result is byte for byte what a fresh full build makes.

mod scratch;

use std::fs;
use std::path::Path;

use scratch::{Lcg, codegen, copy_dir, differences, outputs, scratch, text};

/// Builds a fresh copy of `root`'s specs with no cache and returns its outputs.
fn fresh_full_build(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let fresh = tempfile::tempdir().expect("temp dir");
    copy_dir(&root.join("spec"), &fresh.path().join("spec"));
    // The copy's schema.json is an output: the fresh build must make its own.
    let _ = fs::remove_file(fresh.path().join("spec/schema.json"));
    let out = codegen(fresh.path(), &["build", "--no-cache"]);
    assert!(out.status.success(), "{}", text(&out));
    outputs(fresh.path())
}

/// The spec files of a scratch tree, sorted.
fn spec_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in fs::read_dir(root.join("spec")).expect("spec").flatten() {
        if dir.path().is_dir() && dir.file_name() != "guides" {
            for f in fs::read_dir(dir.path()).expect("category").flatten() {
                files.push(f.path());
            }
        }
    }
    files.sort();
    files
}

/// One random edit of the specs: a summary reworded, a guide or the
/// catalogue extended, a spec removed or copied under a new name, or nothing.
/// Returns what it did.
fn random_edit(root: &Path, rng: &mut Lcg, round: usize) -> String {
    let specs = spec_files(root);
    let pick = &specs[rng.below(specs.len())];
    let name = pick
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    match rng.below(6) {
        0 => {
            let text = fs::read_to_string(pick).expect("spec");
            let edited = text.replacen("\nsummary: ", &format!("\nsummary: Round {round}: "), 1);
            fs::write(pick, edited).expect("write");
            format!("reworded the summary of {name}")
        }
        1 => {
            let guide = root.join("spec/guides/01-introduction.md");
            let mut text = fs::read_to_string(&guide).expect("guide");
            text.push_str(&format!("\nA paragraph added in round {round}.\n"));
            fs::write(&guide, text).expect("write");
            "extended a guide".to_owned()
        }
        2 => {
            let catalog = root.join("spec/catalog.yaml");
            let text = fs::read_to_string(&catalog).expect("catalog");
            let edited = text.replacen(
                "    functions:\n",
                &format!("    functions:\n      - made_up_function_{round}\n"),
                1,
            );
            fs::write(&catalog, edited).expect("write");
            "catalogued a new name".to_owned()
        }
        3 if specs.len() > 3 => {
            fs::remove_file(pick).expect("remove");
            format!("removed {name}")
        }
        4 => {
            let copy = format!("{name}copy{round}");
            let text = fs::read_to_string(pick)
                .expect("spec")
                .replace(&format!("name: {name}\n"), &format!("name: {copy}\n"));
            fs::write(pick.with_file_name(format!("{copy}.yaml")), text).expect("write");
            format!("copied {name} as {copy}")
        }
        _ => "nothing".to_owned(),
    }
}

#[test]
fn incremental_builds_equal_fresh_full_builds_on_random_edits() {
    let dir = scratch();
    let root = dir.path();
    let first = codegen(root, &["build"]);
    assert!(first.status.success(), "{}", text(&first));
    let mut rng = Lcg(0x5eed_0014);
    let mut hits = 0;
    for round in 0..10 {
        let before = outputs(root);
        let spec_copy = tempfile::tempdir().expect("temp dir");
        copy_dir(&root.join("spec"), spec_copy.path());
        // schema.json is an output: the undo below leaves it alone.
        fs::remove_file(spec_copy.path().join("schema.json")).expect("schema");
        let edit = random_edit(root, &mut rng, round);
        eprintln!("round {round}: {edit}");
        let build = codegen(root, &["build"]);
        if !build.status.success() {
            // An edit the front end refuses (a copy whose examples name the
            // original, say) writes nothing; undo it and carry on.
            assert!(before == outputs(root), "a refused build wrote");
            for entry in fs::read_dir(root.join("spec")).expect("spec").flatten() {
                if entry.file_name() == "schema.json" {
                    continue;
                } else if entry.path().is_dir() {
                    fs::remove_dir_all(entry.path()).expect("remove");
                } else {
                    fs::remove_file(entry.path()).expect("remove");
                }
            }
            copy_dir(spec_copy.path(), &root.join("spec"));
            let again = codegen(root, &["build"]);
            assert!(again.status.success(), "{}", text(&again));
            assert!(
                text(&again).contains("nothing changed since the last build"),
                "undoing a refused edit restores the cached state: {}",
                text(&again)
            );
            continue;
        }
        if edit == "nothing" {
            assert!(
                text(&build).contains("nothing changed since the last build"),
                "round {round}: {}",
                text(&build)
            );
            hits += 1;
        } else {
            assert!(
                !text(&build).contains("nothing changed"),
                "round {round}, {edit}: the cache hid a change: {}",
                text(&build)
            );
        }
        let reference = fresh_full_build(root);
        let diff = differences(&outputs(root), &reference);
        assert!(
            diff.is_empty(),
            "round {round}, after {edit}:\n{}",
            diff.join("\n")
        );
        let check = codegen(root, &["check"]);
        assert!(check.status.success(), "round {round}: {}", text(&check));
    }
    // The seed makes at least one round edit nothing; keep it that way.
    assert!(hits >= 1, "no round exercised a cache hit");
}

#[test]
fn an_unchanged_tree_is_up_to_date_without_emitting() {
    let dir = scratch();
    let root = dir.path();
    assert!(codegen(root, &["build"]).status.success());
    let check = codegen(root, &["check", "--timings"]);
    assert!(check.status.success(), "{}", text(&check));
    let said = text(&check);
    assert!(said.contains("up to date: "), "{said}");
    // Neither the front end nor any emitter ran.
    assert!(
        !said.contains("front:") && !said.contains("types:"),
        "{said}"
    );
    // Touching a spec without changing it keeps the tree up to date: the key is the content.
    let spec = root.join("spec/updates/version.yaml");
    let bytes = fs::read(&spec).expect("spec");
    fs::write(&spec, &bytes).expect("rewrite");
    let build = codegen(root, &["build"]);
    assert!(
        text(&build).contains("nothing changed since the last build"),
        "{}",
        text(&build)
    );
    // --no-cache does the whole work and agrees.
    let full = codegen(root, &["check", "--no-cache", "--timings"]);
    assert!(full.status.success(), "{}", text(&full));
    assert!(text(&full).contains("front:"), "{}", text(&full));
}

#[test]
fn outputs_edited_or_deleted_by_hand_are_never_trusted() {
    let dir = scratch();
    let root = dir.path();
    assert!(codegen(root, &["build"]).status.success());
    let reference = outputs(root);

    // Same length, different bytes, right after the build (within the clock
    // tick the cache was recorded in).
    let page = root.join("docs/functions/version.html");
    let mut bytes = fs::read(&page).expect("page");
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    fs::write(&page, &bytes).expect("edit");
    let check = codegen(root, &["check"]);
    assert!(!check.status.success(), "an edited output passed check");
    assert!(
        text(&check).contains("stale: docs/functions/version.html"),
        "{}",
        text(&check)
    );
    assert!(codegen(root, &["build"]).status.success());
    assert!(differences(&outputs(root), &reference).is_empty());

    // Deleted.
    fs::remove_file(root.join("generated/src/lib.rs")).expect("delete");
    let check = codegen(root, &["check"]);
    assert!(
        text(&check).contains("missing: generated/src/lib.rs"),
        "{}",
        text(&check)
    );
    assert!(codegen(root, &["build"]).status.success());
    assert!(differences(&outputs(root), &reference).is_empty());

    // spec/schema.json, the output outside generated/ and docs/.
    fs::write(root.join("spec/schema.json"), "{}").expect("edit");
    let check = codegen(root, &["check"]);
    assert!(
        text(&check).contains("stale: spec/schema.json"),
        "{}",
        text(&check)
    );

    // A stale generated file copied in by hand is deleted, as without a cache.
    assert!(codegen(root, &["build"]).status.success());
    fs::copy(
        root.join("docs/functions/version.html"),
        root.join("docs/functions/gone.html"),
    )
    .expect("copy");
    let check = codegen(root, &["check"]);
    assert!(
        text(&check).contains("no longer generated: docs/functions/gone.html"),
        "{}",
        text(&check)
    );
    assert!(codegen(root, &["build"]).status.success());
    assert!(differences(&outputs(root), &reference).is_empty());
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let dir = scratch();
    let root = dir.path();
    assert!(codegen(root, &["build"]).status.success());
    let cache = root.join("target/whm-codegen/cache");
    for garbage in ["", "whm-codegen cache 1\nkey zz\n", "not a cache\n"] {
        fs::write(&cache, garbage).expect("corrupt");
        let check = codegen(root, &["check", "--timings"]);
        assert!(check.status.success(), "{}", text(&check));
        assert!(text(&check).contains("front:"), "{}", text(&check));
    }
}
