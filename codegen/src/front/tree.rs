//! Where the front end reads a spec tree from: a folder on disk, or files
//! held in memory (the fuzz harness and tests, which must not pay for a
//! file system per input).
//!
//! Paths are relative to the spec root and use `/`: `categories.yaml`,
//! `accounts/listaccts.yaml`, `guides/01-introduction.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostics, FileId, Location};

/// A spec tree: `spec/` on disk, or its files in memory.
#[derive(Debug, Clone, Copy)]
pub enum SpecTree<'a> {
    /// The folder holding `categories.yaml`.
    Disk(&'a Path),
    /// Relative path to file text.
    Memory(&'a BTreeMap<String, String>),
}

impl SpecTree<'_> {
    /// How messages name the file at `rel`: the path on disk, or `spec/REL`.
    pub fn display(&self, rel: &str) -> String {
        match self {
            SpecTree::Disk(root) => root.join(rel).to_string_lossy().replace('\\', "/"),
            SpecTree::Memory(_) => format!("spec/{rel}"),
        }
    }

    /// Whether a file or folder exists at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            SpecTree::Disk(root) => root.join(rel).exists(),
            SpecTree::Memory(files) => {
                let folder = format!("{rel}/");
                files.contains_key(rel) || files.keys().any(|k| k.starts_with(&folder))
            }
        }
    }

    /// Reads the file at `rel` into the store; an I/O error or a file that is
    /// not UTF-8 becomes a problem located at the file.
    pub fn read(&self, diags: &mut Diagnostics, rel: &str) -> Option<FileId> {
        let display = self.display(rel);
        let bytes = match self {
            SpecTree::Disk(root) => fs::read(root.join(rel)),
            SpecTree::Memory(files) => files
                .get(rel)
                .map(|t| t.clone().into_bytes())
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound)),
        };
        let problem = match bytes {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => return Some(diags.add_file(display, text)),
                Err(_) => ("the file is not UTF-8".to_owned(), Some("save it as UTF-8")),
            },
            Err(err) => (format!("cannot read the file: {err}"), None),
        };
        let file = diags.add_file(display, "");
        diags.error(
            Location { file, bytes: 0..0 },
            problem.0,
            "here",
            problem.1.map(str::to_owned),
        );
        None
    }

    /// The names of the folders directly under the root, sorted.
    pub fn folders(&self, diags: &mut Diagnostics) -> Vec<String> {
        match self {
            SpecTree::Disk(root) => sorted_entries(diags, self, root, "")
                .into_iter()
                .filter(|name| root.join(name).is_dir())
                .collect(),
            SpecTree::Memory(files) => {
                let mut out: Vec<String> = files
                    .keys()
                    .filter_map(|k| k.split_once('/').map(|(dir, _)| dir.to_owned()))
                    .collect();
                out.dedup();
                out
            }
        }
    }

    /// The files of `folder` whose names end in one of `extensions`, as
    /// relative paths, sorted. On disk, an entry with such a name that is not
    /// a regular file (a folder, a FIFO, a broken or looping link) is
    /// reported, never read and never skipped in silence.
    pub fn files(&self, diags: &mut Diagnostics, folder: &str, extensions: &[&str]) -> Vec<String> {
        let wanted = |name: &str| {
            Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        };
        match self {
            SpecTree::Disk(root) => {
                let dir = root.join(folder);
                let mut out = Vec::new();
                for name in sorted_entries(diags, self, &dir, folder) {
                    if !wanted(&name) {
                        continue;
                    }
                    let rel = format!("{folder}/{name}");
                    match fs::metadata(dir.join(&name)) {
                        Ok(meta) if meta.is_file() => out.push(rel),
                        Ok(meta) => {
                            let what = if meta.is_dir() {
                                "a folder"
                            } else {
                                "not a regular file"
                            };
                            self.path_error(diags, &rel, format!("this spec path is {what}"));
                        }
                        Err(err) => self.path_error(
                            diags,
                            &rel,
                            format!("cannot read this spec path: {err}"),
                        ),
                    }
                }
                out
            }
            SpecTree::Memory(files) => {
                let prefix = format!("{folder}/");
                files
                    .keys()
                    .filter(|k| {
                        k.strip_prefix(&prefix)
                            .is_some_and(|name| !name.contains('/') && wanted(name))
                    })
                    .cloned()
                    .collect()
            }
        }
    }

    /// A problem with a path itself, located at the (empty) file.
    fn path_error(&self, diags: &mut Diagnostics, rel: &str, message: String) {
        let file = diags.add_file(self.display(rel), "");
        diags.error(
            Location { file, bytes: 0..0 },
            message,
            "here",
            Some("a spec is a regular `.yaml` file; move or delete this one".into()),
        );
    }
}

/// The entry names of a folder on disk, sorted, so output order never
/// depends on the file system; an unreadable folder is reported.
fn sorted_entries(diags: &mut Diagnostics, tree: &SpecTree, dir: &Path, rel: &str) -> Vec<String> {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect();
            names.sort();
            names
        }
        Err(err) => {
            let file = diags.add_file(tree.display(rel), "");
            diags.error(
                Location { file, bytes: 0..0 },
                format!("cannot read the folder: {err}"),
                "here",
                None,
            );
            Vec::new()
        }
    }
}
