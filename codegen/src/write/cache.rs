//! The build cache: lets `build` and `check` of an unchanged tree finish
//! without running the front end or any emitter.
//!
//! After a build (or a `check` that found everything up to date) the writer
//! records, in `target/whm-codegen/cache` under the root (outside the
//! committed tree; `/target` is ignored by git), two things:
//!
//! - a key: a hash of every file under `spec/` (path and bytes; outputs such as
//!   `spec/schema.json` excepted) and of the compiler binary's size,
//!   modification time and inode (templates and assets are compiled into it,
//!   so a rebuilt compiler is a new key);
//! - the state of every file the compiler's outputs live among: each file
//!   under `generated/` and `docs/` (produced or hand-written) and each
//!   produced file elsewhere, as size, modification and change times and inode.
//!
//! The next run computes the key again and compares every one of those
//! states with the file system (no file under the outputs is read). Only
//! when the key and every state are the same, and no file was added or
//! removed, is the tree up to date without emitting; anything else (a spec
//! edit, an output edited or deleted by hand, a leftover temporary file, a
//! symlink anywhere under `spec/`, a missing or unreadable cache) falls back to
//! the full build, which is the reference the cache must agree with.
//!
//! A file changed within the same clock tick as the recording could keep its
//! recorded times ("racy" files, as git calls them). Produced files whose
//! change time is not older than the recording's tick are kept with a hash of
//! their bytes and read back and compared on the next run; such a
//! hand-written file makes the cache untrusted. The state of each output is
//! the one the writer saw when it compared or wrote that file; an output
//! whose state changed since is not vouched for. What remains unseen is an
//! edit within the same clock tick right after the writer stated the file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::Path;

use super::{MANAGED_DIRS, TEMP_PREFIX, is_temp, relative, walk};

/// Where the cache lives, relative to the root.
pub const CACHE_PATH: &str = "target/whm-codegen/cache";

/// The first line of a cache file; a new layout gets a new number.
const MAGIC: &str = "whm-codegen cache 2";

/// The state of a file that a content change would alter: size,
/// modification and change times, inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    ino: u64,
}

/// The states of files, by path relative to the root, as the writer saw them
/// when it read or wrote them.
pub type Stamps = BTreeMap<String, Stamp>;

impl Stamp {
    /// The state of the file at `path` (not following a symlink), `None` when there is none.
    pub fn of_path(path: &Path) -> io::Result<Option<Stamp>> {
        match fs::symlink_metadata(path) {
            Ok(meta) => Ok(Some(Stamp::of(&meta))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn of(meta: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                size: meta.len(),
                mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
                ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128);
            Stamp {
                size: meta.len(),
                mtime_ns,
                ctime_ns: mtime_ns,
                ino: 0,
            }
        }
    }

    /// The latest of its times: what the racy test compares.
    fn latest(&self) -> i128 {
        self.mtime_ns.max(self.ctime_ns)
    }
}

/// One recorded file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    stamp: Stamp,
    /// Whether the compiler produces it (else it is a hand-written neighbour).
    produced: bool,
    /// For a racy produced file: the hash of its bytes, checked on load.
    racy_hash: Option<u64>,
}

/// What the last successful build recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    key: u64,
    /// The inputs' states key, when no input was racy at the recording.
    states: Option<u64>,
    /// How many functions the specs held.
    pub functions: usize,
    entries: BTreeMap<String, Entry>,
}

/// A 64-bit hash of bytes (SipHash with fixed keys: the same in every run of
/// one compiler binary, which is part of the key anyway).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// The key of the inputs: a hash of the compiler binary's identity and of
/// every file under `spec/` (path and bytes) except `outputs`, plus a cheaper
/// one of their states, which lets the next run skip reading them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputKey {
    key: u64,
    states: u64,
    stamps: Vec<Stamp>,
}

/// The compiler binary's identity, `None` when it cannot be found.
fn exe_stamp() -> Option<Stamp> {
    let exe = std::env::current_exe().ok()?;
    fs::metadata(exe).ok().map(|m| Stamp::of(&m))
}

fn hash_stamp(h: &mut std::hash::DefaultHasher, s: &Stamp) {
    h.write_u64(s.size);
    h.write_i128(s.mtime_ns);
    h.write_i128(s.ctime_ns);
    h.write_u64(s.ino);
}

/// Every input file under `spec/` except `outputs`, sorted, with its state
/// (taken before any read). `None` when the inputs cannot be trusted to a
/// cache: a symlink, a FIFO or device, or a leftover temporary file.
fn input_files(
    root: &Path,
    outputs: &BTreeSet<String>,
) -> io::Result<Option<Vec<(String, Stamp)>>> {
    let mut stack = vec![root.join("spec")];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && !is_temp(&path) {
                let rel = relative(root, &path);
                if !outputs.contains(&rel) {
                    files.push((rel, Stamp::of(&entry.metadata()?)));
                }
            } else {
                // A symlink, a FIFO (reading it could block), a device, a
                // leftover: the full build deals with those.
                return Ok(None);
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Some(files))
}

/// The hash of the inputs' states (and the binary's): equal states mean
/// equal contents, unless a file was racy when recorded.
fn states_key(exe: &Stamp, files: &[(String, Stamp)]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(MAGIC.as_bytes());
    hash_stamp(&mut h, exe);
    for (rel, stamp) in files {
        h.write(rel.as_bytes());
        h.write_u8(0);
        hash_stamp(&mut h, stamp);
    }
    h.finish()
}

/// Reads every input and computes its [`InputKey`]; `None` when the inputs
/// cannot be trusted to a cache (see [`input_files`]) or there is no binary.
pub fn input_key(root: &Path, outputs: &BTreeSet<String>) -> io::Result<Option<InputKey>> {
    let Some(exe) = exe_stamp() else {
        return Ok(None);
    };
    let Some(files) = input_files(root, outputs)? else {
        return Ok(None);
    };
    let mut h = std::hash::DefaultHasher::new();
    h.write(MAGIC.as_bytes());
    hash_stamp(&mut h, &exe);
    for (rel, _) in &files {
        let bytes = fs::read(root.join(rel))?;
        h.write(rel.as_bytes());
        h.write_u8(0);
        h.write_usize(bytes.len());
        h.write(&bytes);
    }
    Ok(Some(InputKey {
        key: h.finish(),
        states: states_key(&exe, &files),
        stamps: files.into_iter().map(|(_, s)| s).collect(),
    }))
}

/// Every file among the outputs now, with its state: all files under the
/// managed folders, and the files of `outside` (produced elsewhere). `None`
/// when a temporary file is among them or an `outside` file is missing.
fn scan(root: &Path, outside: &BTreeSet<String>) -> io::Result<Option<BTreeMap<String, Stamp>>> {
    let mut out = BTreeMap::new();
    for dir in MANAGED_DIRS {
        for path in walk(&root.join(dir))? {
            if is_temp(&path) {
                return Ok(None);
            }
            let meta = fs::symlink_metadata(&path)?;
            out.insert(relative(root, &path), Stamp::of(&meta));
        }
    }
    for rel in outside {
        let path = root.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(meta) => {
                out.insert(rel.clone(), Stamp::of(&meta));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
        // A leftover beside an outside output (spec/.whm-codegen-*) is found
        // by `input_key` for spec/; other folders are read here.
        if let Some(dir) = path.parent()
            && !dir.starts_with(root.join("spec"))
        {
            for entry in fs::read_dir(dir)? {
                if is_temp(&entry?.path()) {
                    return Ok(None);
                }
            }
        }
    }
    Ok(Some(out))
}

fn is_outside(path: &str) -> bool {
    !MANAGED_DIRS
        .iter()
        .any(|m| path.starts_with(&format!("{m}/")))
}

impl Cache {
    /// Reads the cache of `root`; `None` when there is none or it is not one
    /// this compiler wrote.
    pub fn load(root: &Path) -> Option<Cache> {
        let text = fs::read_to_string(root.join(CACHE_PATH)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let key = u64::from_str_radix(lines.next()?.strip_prefix("key ")?, 16).ok()?;
        let states = match lines.next()?.strip_prefix("states ")? {
            "-" => None,
            h => Some(u64::from_str_radix(h, 16).ok()?),
        };
        let functions = lines.next()?.strip_prefix("functions ")?.parse().ok()?;
        let mut entries = BTreeMap::new();
        for line in lines {
            // f PRODUCED SIZE MTIME CTIME INO HASH PATH (the path last: it may hold spaces)
            let mut parts = line.splitn(8, ' ');
            if parts.next()? != "f" {
                return None;
            }
            let produced = parts.next()? == "1";
            let stamp = Stamp {
                size: parts.next()?.parse().ok()?,
                mtime_ns: parts.next()?.parse().ok()?,
                ctime_ns: parts.next()?.parse().ok()?,
                ino: parts.next()?.parse().ok()?,
            };
            let racy_hash = match parts.next()? {
                "-" => None,
                h => Some(u64::from_str_radix(h, 16).ok()?),
            };
            entries.insert(
                parts.next()?.to_owned(),
                Entry {
                    stamp,
                    produced,
                    racy_hash,
                },
            );
        }
        Some(Cache {
            key,
            states,
            functions,
            entries,
        })
    }

    /// The files the compiler produced.
    pub fn produced_paths(&self) -> BTreeSet<String> {
        self.entries
            .iter()
            .filter(|(_, e)| e.produced)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// How many files the compiler produced.
    pub fn produced(&self) -> usize {
        self.entries.values().filter(|e| e.produced).count()
    }

    /// Whether the tree is exactly as recorded: same inputs, same compiler,
    /// every output and neighbour in the same state, nothing added or removed.
    /// Racy files are read back and compared with their recorded hash.
    pub fn is_fresh(&self, root: &Path) -> io::Result<bool> {
        let produced = self.produced_paths();
        let skipped: BTreeSet<String> = produced
            .iter()
            .filter(|p| p.starts_with("spec/"))
            .cloned()
            .collect();
        // Inputs in the recorded states hold the recorded bytes; otherwise
        // (a touch, a racy recording) their bytes decide.
        let Some(exe) = exe_stamp() else {
            return Ok(false);
        };
        let Some(files) = input_files(root, &skipped)? else {
            return Ok(false);
        };
        if self.states != Some(states_key(&exe, &files))
            && input_key(root, &skipped)?.map(|k| k.key) != Some(self.key)
        {
            return Ok(false);
        }
        let outside: BTreeSet<String> = produced.into_iter().filter(|p| is_outside(p)).collect();
        let Some(now) = scan(root, &outside)? else {
            return Ok(false);
        };
        if now.len() != self.entries.len() {
            return Ok(false);
        }
        for (path, stamp) in &now {
            let Some(entry) = self.entries.get(path) else {
                return Ok(false);
            };
            if entry.stamp != *stamp {
                return Ok(false);
            }
            if let Some(hash) = entry.racy_hash {
                match fs::read(root.join(path)) {
                    Ok(bytes) if hash_bytes(&bytes) == hash => {}
                    _ => return Ok(false),
                }
            }
        }
        Ok(true)
    }

    /// Records the tree under `root` as just built from `files` (the rendered
    /// outputs, `(path, bytes)`), from inputs whose key is `key` and which
    /// held `functions` functions. `seen` holds the state of each output
    /// when the writer compared or wrote it: an output whose state changed
    /// since (someone edited it during the build) is not vouched for. A tree
    /// that cannot be cached (see [`input_key`], an output changed during
    /// the build, a neighbour changed just now) removes the cache instead.
    pub fn record(
        root: &Path,
        functions: usize,
        files: &[(String, Vec<u8>)],
        key: Option<&InputKey>,
        seen: &Stamps,
    ) -> io::Result<()> {
        let path = root.join(CACHE_PATH);
        let dir = path.parent().unwrap_or(root).to_path_buf();
        fs::create_dir_all(&dir)?;
        let remove = || match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
        let Some(key) = key else {
            return remove();
        };
        // The file system's "now", read from a file made for the purpose.
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&dir)?;
        tmp.write_all(MAGIC.as_bytes())?;
        tmp.flush()?;
        // A file whose latest time is at or after this tick may change again
        // within the tick without its times showing it (file times are
        // coarse: a clock tick of a few milliseconds, or whole seconds on
        // some file systems, which then floor "now" alike).
        let racy_from = Stamp::of(&tmp.as_file().metadata()?).latest();

        let bytes_of: BTreeMap<&str, &[u8]> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let outside: BTreeSet<String> = files
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| is_outside(p))
            .collect();
        let Some(states) = scan(root, &outside)? else {
            return remove();
        };
        // An input changed in the recording's tick may change again unseen.
        let input_states = if key.stamps.iter().any(|s| s.latest() >= racy_from) {
            "-".to_owned()
        } else {
            format!("{:016x}", key.states)
        };
        let mut text = format!(
            "{MAGIC}\nkey {:016x}\nstates {input_states}\nfunctions {functions}\n",
            key.key
        );
        for (rel, stamp) in &states {
            let produced = bytes_of.get(rel.as_str());
            if produced.is_some() && seen.get(rel) != Some(stamp) {
                return remove();
            }
            let racy = stamp.latest() >= racy_from;
            let hash = match (produced, racy) {
                (Some(bytes), true) => format!("{:016x}", hash_bytes(bytes)),
                // A hand-written file changed during the build: not cached.
                (None, true) => return remove(),
                (_, false) => "-".to_owned(),
            };
            text.push_str(&format!(
                "f {} {} {} {} {} {hash} {rel}\n",
                u8::from(produced.is_some()),
                stamp.size,
                stamp.mtime_ns,
                stamp.ctime_ns,
                stamp.ino,
            ));
        }
        drop(tmp);
        let mut staged = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&dir)?;
        staged.write_all(text.as_bytes())?;
        staged.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A root with one spec file and one output, recorded.
    fn recorded() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::create_dir_all(root.join("spec")).expect("mkdir");
        fs::write(root.join("spec/categories.yaml"), "categories: []\n").expect("write");
        fs::create_dir_all(root.join("docs")).expect("mkdir");
        let files = vec![("docs/x.html".to_owned(), b"<p>x</p>\n".to_vec())];
        fs::write(root.join("docs/x.html"), &files[0].1).expect("write");
        let mut seen = Stamps::new();
        let stamp = Stamp::of_path(&root.join("docs/x.html"))
            .expect("stat")
            .expect("exists");
        seen.insert("docs/x.html".to_owned(), stamp);
        let key = input_key(root, &BTreeSet::new()).expect("key");
        Cache::record(root, 1, &files, key.as_ref(), &seen).expect("record");
        (dir, files)
    }

    /// Sets the recorded hash of every entry (as if each were racy).
    fn set_hash(root: &Path, hash: u64) {
        let path = root.join(CACHE_PATH);
        let text = fs::read_to_string(&path).expect("cache");
        let text: String = text
            .lines()
            .map(|l| {
                let mut parts: Vec<String> = l.splitn(8, ' ').map(str::to_owned).collect();
                if parts.len() == 8 && parts[0] == "f" {
                    parts[6] = format!("{hash:016x}");
                }
                parts.join(" ") + "\n"
            })
            .collect();
        fs::write(path, text).expect("write");
    }

    #[test]
    fn a_recorded_tree_is_fresh_until_an_input_changes() {
        let (dir, _) = recorded();
        let cache = Cache::load(dir.path()).expect("a cache");
        assert!(cache.is_fresh(dir.path()).expect("scan"));
        // Same size, right after the recording: its bytes still decide.
        fs::write(dir.path().join("spec/categories.yaml"), "categories:[] \n").expect("edit");
        assert!(!cache.is_fresh(dir.path()).expect("scan"));
        fs::write(dir.path().join("spec/categories.yaml"), "categories: []\n").expect("undo");
        assert!(
            cache.is_fresh(dir.path()).expect("scan"),
            "same bytes again"
        );
    }

    #[test]
    fn racy_outputs_are_compared_with_their_hash() {
        let (dir, files) = recorded();
        set_hash(dir.path(), hash_bytes(&files[0].1));
        let cache = Cache::load(dir.path()).expect("a cache");
        assert!(cache.is_fresh(dir.path()).expect("scan"), "same bytes");
        set_hash(dir.path(), hash_bytes(b"something else"));
        let cache = Cache::load(dir.path()).expect("a cache");
        assert!(!cache.is_fresh(dir.path()).expect("scan"), "other bytes");
    }

    #[test]
    fn an_output_changed_during_the_build_is_not_vouched_for() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::create_dir_all(root.join("spec")).expect("mkdir");
        fs::create_dir_all(root.join("docs")).expect("mkdir");
        fs::write(root.join("docs/x.html"), "a").expect("write");
        let mut seen = Stamps::new();
        let mut stale = Stamp::of_path(&root.join("docs/x.html"))
            .expect("stat")
            .expect("exists");
        // The state the writer saw differs from the file's state now.
        stale.size += 1;
        seen.insert("docs/x.html".to_owned(), stale);
        let files = vec![("docs/x.html".to_owned(), b"a".to_vec())];
        let key = input_key(root, &BTreeSet::new()).expect("key");
        Cache::record(root, 1, &files, key.as_ref(), &seen).expect("record");
        assert!(Cache::load(root).is_none(), "no cache recorded");
    }
}
