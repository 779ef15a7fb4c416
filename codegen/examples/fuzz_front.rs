//! An in-process fuzz harness for the front end and every emitter, on stable Rust.
//!
//! ```text
//! cargo run --release -p whm-codegen --example fuzz_front -- [--iterations N] [--seed S] [--threads T]
//! ```
//!
//! Each input is a small spec tree held in memory: `categories.yaml`, one to
//! three real specs from `spec/`, half the time the catalogue, each mutated one
//! to four times (lines deleted, duplicated, swapped or re-indented; values
//! replaced with hostile text: control characters, huge numbers, deep
//! nesting, format keys in the wrong place). The front end must answer every
//! input with an API or diagnostics, and the emitters must turn every API it
//! accepts into files, without a panic. A panicking input is written to
//! `target/fuzz-front/panic-N/` (the first ten of each thread) and the run exits 1.
//!
//! The mutations are driven by a seeded generator, so a run is reproducible
//! from its `--seed`.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use whm_codegen::{emit, front};

/// Text that a mutation may put where a value or a line was.
const HOSTILE: &[&str] = &[
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[[[[[[[[[[[[[[[[[[[[",
    "{a: {b: {c: {d: {e: 1}}}}}",
    "-1",
    "99999999999999999999999999",
    "1e308",
    "0x10",
    "\u{202E}evil",
    "\"\\u202e\"",
    "\"\\r\\0\"",
    "a\rb",
    "\u{0}",
    "\u{1F600}",
    "*anchor",
    "&anchor x",
    "!!str x",
    "---",
    "...",
    "'unterminated",
    "\"unterminated",
    "|",
    ">-",
    "MXCHECK-*",
    "a*b",
    "string",
    "integer",
    "yes_no",
    "string_or_integer",
    "dns_name",
    "array",
    "hash",
    "map",
    "any",
    "limit",
    "POST",
    "comma",
    "numbered",
    "[A-Za-z",
    "(a+)+$",
    "true",
    "false",
    "0",
    "1",
    "y",
];

/// Keys that a mutation may insert, with a value, on a new line.
const KEYS: &[&str] = &[
    "name",
    "type",
    "description",
    "required",
    "default",
    "example",
    "enum",
    "items",
    "values",
    "fields",
    "list_style",
    "first_index",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "pattern",
    "unit",
    "required_if",
    "deprecated",
    "deprecated_since",
    "replaced_by",
    "nullable",
    "sensitive",
    "method",
    "success_reason",
    "source",
    "params",
    "json",
    "xml",
    "see_also",
    "possible_values",
    "secrets_in_url",
    "list_output",
    "metadata",
    "output_raw",
    "returns",
    "parameters",
    "examples",
];

/// A small, seeded generator (xorshift64*): enough to choose mutations reproducibly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One mutation of `text`, line-based so that most results still parse as YAML.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let i = rng.below(lines.len());
    match rng.below(9) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        2 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
        }
        3 => {
            // Re-indent: one level in or out.
            if rng.below(2) == 0 {
                lines[i] = format!("  {}", lines[i]);
            } else {
                lines[i] = lines[i].trim_start_matches(' ').to_owned();
            }
        }
        4 | 5 => {
            // Replace the value after `key:`.
            if let Some((key, _)) = lines[i].split_once(':') {
                lines[i] = format!("{key}: {}", rng.pick(HOSTILE));
            } else {
                lines[i] = rng.pick(HOSTILE).to_string();
            }
        }
        6 => {
            let indent = lines[i].len() - lines[i].trim_start().len();
            let line = format!(
                "{}{}: {}",
                " ".repeat(indent),
                rng.pick(KEYS),
                rng.pick(HOSTILE)
            );
            lines.insert(i + 1, line);
        }
        7 => {
            // A character-level edit somewhere in the line.
            let mut chars: Vec<char> = lines[i].chars().collect();
            let at = rng.below(chars.len() + 1);
            let insert = rng.pick(HOSTILE).chars().next().unwrap_or('x');
            chars.insert(at.min(chars.len()), insert);
            lines[i] = chars.into_iter().collect();
        }
        _ => {
            // A big value: long names and deep lists cost time, never a crash.
            let repeat = 1 + rng.below(2000);
            lines[i] = format!("{}{}", lines[i], "x".repeat(repeat));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Every `.yaml` spec of the real tree, and the shared files, as seeds.
struct Seeds {
    categories: String,
    catalog: String,
    specs: Vec<(String, String)>,
}

fn load_seeds(spec_dir: &Path) -> Seeds {
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut specs = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(spec_dir)
        .expect("spec/ is readable")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir() && !p.ends_with("guides"))
        .collect();
    folders.sort();
    for folder in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .expect("a category folder is readable")
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for file in files {
            let rel = file
                .strip_prefix(spec_dir)
                .expect("inside spec/")
                .to_string_lossy()
                .into_owned();
            specs.push((rel, read(file)));
        }
    }
    Seeds {
        categories: read(spec_dir.join("categories.yaml")),
        catalog: read(spec_dir.join("catalog.yaml")),
        specs,
    }
}

/// One input: a small tree built from the seeds, mutated.
fn input(seeds: &Seeds, rng: &mut Rng) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert("categories.yaml".to_owned(), seeds.categories.clone());
    // With the catalogue, `see_also` names resolve and more inputs reach the emitters.
    if rng.below(2) == 0 {
        files.insert("catalog.yaml".to_owned(), seeds.catalog.clone());
    }
    for _ in 0..1 + rng.below(3) {
        let (path, text) = rng.pick(&seeds.specs);
        files.insert(path.clone(), text.clone());
    }
    let paths: Vec<String> = files.keys().cloned().collect();
    for _ in 0..1 + rng.below(4) {
        // Mostly the specs; sometimes the shared files.
        let path = if rng.below(10) == 0 {
            rng.pick(&paths).clone()
        } else {
            paths
                .iter()
                .filter(|p| p.contains('/'))
                .nth(rng.below(paths.len()))
                .cloned()
                .unwrap_or_else(|| rng.pick(&paths).clone())
        };
        if let Some(text) = files.get_mut(&path) {
            *text = mutate(text, rng);
        }
    }
    files
}

/// How many panicking inputs each thread saves.
const MAX_SAVED: u64 = 10;

/// What one thread saw.
#[derive(Default)]
struct Tally {
    inputs: u64,
    accepted: u64,
    panics: u64,
}

fn save(dir: &Path, files: &BTreeMap<String, String>) {
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, text);
    }
}

fn main() -> std::process::ExitCode {
    let mut iterations: u64 = 100_000;
    let mut seed: u64 = 0x5EED;
    let mut threads: u64 = std::thread::available_parallelism().map_or(2, |n| n.get() as u64);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--iterations", Some(v)) => iterations = v,
            ("--seed", Some(v)) => seed = v,
            ("--threads", Some(v)) => threads = v.max(1),
            _ => {
                eprintln!("usage: fuzz_front [--iterations N] [--seed S] [--threads T]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seeds = load_seeds(&root.join("spec"));
    let out_dir = root.join("target/fuzz-front");
    // Panics are counted and their inputs saved; the default hook's output would drown the report.
    std::panic::set_hook(Box::new(|_| {}));
    let next = AtomicU64::new(0);
    let started = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (seeds, next, out_dir) = (&seeds, &next, &out_dir);
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut rng = Rng(seed ^ (t + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                    while next.fetch_add(1, Ordering::Relaxed) < iterations {
                        let files = input(seeds, &mut rng);
                        tally.inputs += 1;
                        let outcome = catch_unwind(AssertUnwindSafe(|| {
                            match front::load_api_in_memory(&files) {
                                Ok(api) => {
                                    let outputs = emit::emit_all(&api);
                                    assert!(!outputs.is_empty());
                                    true
                                }
                                Err(diags) => {
                                    // Rendering is part of the front end's answer.
                                    let _ = diags.render(false);
                                    false
                                }
                            }
                        }));
                        match outcome {
                            Ok(accepted) => tally.accepted += u64::from(accepted),
                            Err(_) => {
                                tally.panics += 1;
                                // The first few are enough to reproduce; all of them could fill a disk.
                                if tally.panics <= MAX_SAVED {
                                    save(
                                        &out_dir.join(format!("panic-{t}-{}", tally.inputs)),
                                        &files,
                                    );
                                }
                            }
                        }
                    }
                    tally
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let inputs: u64 = tallies.iter().map(|t| t.inputs).sum();
    let accepted: u64 = tallies.iter().map(|t| t.accepted).sum();
    let panics: u64 = tallies.iter().map(|t| t.panics).sum();
    println!(
        "{inputs} inputs ({accepted} accepted and emitted, {} refused with diagnostics), \
         {panics} panics, in {:.1} s with {threads} threads, seed {seed}",
        inputs - accepted - panics,
        started.elapsed().as_secs_f64()
    );
    if panics > 0 {
        println!("panicking inputs: {}", out_dir.display());
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
