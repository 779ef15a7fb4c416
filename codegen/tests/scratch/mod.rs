//! Scratch repositories for tests that run the real `whm-codegen` binary:
//! a copy of `spec/` in a temporary folder, the binary run on it, and every
//! output file read back.
//!
//! `mod scratch;` in a test file includes this module; not every test uses
//! every helper, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `whm-codegen --root ROOT ARGS...` to completion.
pub fn codegen(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("whm-codegen runs")
}

/// Its standard output and error, as text.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// The repository's own `spec/`.
pub fn real_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// A scratch repository holding a copy of the real specs.
pub fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&real_spec(), &dir.path().join("spec"));
    dir
}

/// Every file under `generated/` and `docs/` (temporary files too) and
/// `spec/schema.json`, with its bytes.
pub fn outputs(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.join("generated"), root.join("docs")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(root).expect("inside").to_path_buf(),
                    fs::read(&path).expect("read"),
                );
            }
        }
    }
    if let Ok(schema) = fs::read(root.join("spec/schema.json")) {
        out.insert("spec/schema.json".into(), schema);
    }
    out
}

/// The paths (relative to `root`) of the writer's temporary files among the outputs.
pub fn temp_files(root: &Path) -> Vec<String> {
    let mut found: Vec<String> = outputs(root)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| {
            p.rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with(".whm-codegen-"))
        })
        .collect();
    if let Ok(entries) = fs::read_dir(root.join("spec")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".whm-codegen-") {
                found.push(format!("spec/{name}"));
            }
        }
    }
    found.sort();
    found
}

/// The paths where two output maps differ, for a readable failure.
pub fn differences(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in a {
        match b.get(path) {
            None => out.push(format!("only in the first: {}", path.display())),
            Some(other) if other != bytes => out.push(format!("differs: {}", path.display())),
            Some(_) => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        out.push(format!("only in the second: {}", path.display()));
    }
    out
}

/// A small deterministic pseudo-random sequence (a 64-bit LCG), so a failing
/// run can be repeated exactly.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}
