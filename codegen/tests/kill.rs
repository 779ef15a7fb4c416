//! Crash safety of the writer through the real binary: builds killed
//! (SIGKILL) at moments spread over a whole build leave every file with its
//! old or its new bytes; the temporary files a kill leaves are reported by
//! `check` and removed by the next build.

mod scratch;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use scratch::{Lcg, codegen, differences, outputs, scratch, temp_files, text};

/// Rewords every summary, so a build rewrites many files.
fn reword(root: &Path, words: &str) {
    for dir in fs::read_dir(root.join("spec")).expect("spec").flatten() {
        if !dir.path().is_dir() || dir.file_name() == "guides" {
            continue;
        }
        for f in fs::read_dir(dir.path()).expect("category").flatten() {
            let text = fs::read_to_string(f.path()).expect("spec");
            let edited = match text.split_once("\nsummary: ") {
                Some((head, tail)) => {
                    let tail = tail.strip_prefix("Reworded. ").unwrap_or(tail);
                    format!("{head}\nsummary: {words}{tail}")
                }
                None => text,
            };
            fs::write(f.path(), edited).expect("write");
        }
    }
}

fn without_temps(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    files
        .iter()
        .filter(|(p, _)| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".whm-codegen-"))
        })
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

#[test]
fn builds_killed_at_any_moment_leave_old_or_new_bytes_and_the_next_build_cleans_up() {
    let dir = scratch();
    let root = dir.path();
    assert!(codegen(root, &["build"]).status.success());
    let old = outputs(root);
    reword(root, "Reworded. ");
    let started = Instant::now();
    let build = codegen(root, &["build"]);
    let took = started.elapsed();
    assert!(build.status.success(), "{}", text(&build));
    let new = outputs(root);
    assert!(
        differences(&old, &new).len() > 10,
        "the edit must rewrite many files"
    );

    let mut rng = Lcg(0x0c0f_fee0);
    let mut leftovers_seen = 0;
    for round in 0..12 {
        // Back to the old state (a complete build), then a build of the new
        // one killed after a delay anywhere within a build's duration.
        reword(root, "");
        let back = codegen(root, &["build"]);
        assert!(back.status.success(), "{}", text(&back));
        assert!(differences(&outputs(root), &old).is_empty());
        reword(root, "Reworded. ");
        let delay =
            Duration::from_micros((rng.below(1200) as u64) * took.as_micros() as u64 / 1000);
        let mut child = Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
            .arg("--root")
            .arg(root)
            .arg("build")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();

        let now = outputs(root);
        for (path, bytes) in without_temps(&now) {
            assert!(
                old.get(&path) == Some(&bytes) || new.get(&path) == Some(&bytes),
                "round {round} (killed after {delay:?}): {} is neither old nor new",
                path.display()
            );
        }
        let temps = temp_files(root);
        eprintln!(
            "round {round}: killed after {delay:?}: {} files new, {} temporary",
            differences(&without_temps(&now), &old).len(),
            temps.len()
        );
        if !temps.is_empty() {
            leftovers_seen += 1;
            let check = codegen(root, &["check"]);
            assert!(!check.status.success(), "check passed with leftovers");
            for t in &temps {
                assert!(
                    text(&check)
                        .contains(&format!("leftover temporary file of a killed build: {t}")),
                    "round {round}: check did not name {t}:\n{}",
                    text(&check)
                );
            }
        }
        let finish = codegen(root, &["build"]);
        assert!(finish.status.success(), "{}", text(&finish));
        assert!(
            temp_files(root).is_empty(),
            "round {round}: temporary files survive a build"
        );
        let diff = differences(&outputs(root), &new);
        assert!(diff.is_empty(), "round {round}:\n{}", diff.join("\n"));
        assert!(codegen(root, &["check"]).status.success());
    }
    eprintln!("{leftovers_seen} of 12 kills left temporary files (build took {took:?})");
}

#[test]
fn leftover_temporary_files_are_reported_by_check_and_removed_by_build() {
    let dir = scratch();
    let root = dir.path();
    assert!(codegen(root, &["build"]).status.success());
    let planted = [
        "generated/src/.whm-codegen-a1B2c3",
        "docs/functions/.whm-codegen-Zz9",
        "spec/.whm-codegen-schema",
    ];
    for p in planted {
        // As a kill leaves them: empty, or with part of a file.
        fs::write(
            root.join(p),
            if p.starts_with("docs") { "<!doc" } else { "" },
        )
        .expect("plant");
    }
    let check = codegen(root, &["check"]);
    assert!(!check.status.success(), "{}", text(&check));
    for p in planted {
        assert!(
            text(&check).contains(&format!("leftover temporary file of a killed build: {p}")),
            "{}",
            text(&check)
        );
    }
    assert!(
        text(&check).contains("error: 3 generated file(s) out of date"),
        "{}",
        text(&check)
    );
    let build = codegen(root, &["build"]);
    assert!(build.status.success(), "{}", text(&build));
    for p in planted {
        assert!(!root.join(p).exists(), "{p} survived the build");
    }
    let check = codegen(root, &["check"]);
    assert!(check.status.success(), "{}", text(&check));
}
