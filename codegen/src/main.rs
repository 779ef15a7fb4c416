//! `whm-codegen`: compiles `spec/` into `generated/`, `docs/` and `spec/schema.json`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use std::collections::BTreeSet;

use whm_codegen::write::cache::{self, Cache};
use whm_codegen::write::{self, Change};
use whm_codegen::{emit, front, skeleton};

/// The WHM API 1 spec compiler.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The repository root (the folder holding spec/); found from the current folder by default.
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile spec/ and write generated/, docs/ and spec/schema.json (only files whose bytes change).
    Build {
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Build even when target/whm-codegen/cache says nothing changed.
        #[arg(long)]
        no_cache: bool,
    },
    /// Write nothing; exit 1 and name every file that `build` would change.
    Check {
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Compare everything even when target/whm-codegen/cache says nothing changed.
        #[arg(long)]
        no_cache: bool,
    },
    /// Write specs from a published description, one per selected function.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Compare spec/ with a published description: one line per fact that differs.
    Compare {
        #[command(subcommand)]
        against: Against,
    },
    /// Write a description of every spec in another format.
    Export {
        #[command(subcommand)]
        to: ExportTo,
    },
    /// Write a spec skeleton, spec/CATEGORY/FUNCTION.yaml, for a maintainer to fill in.
    New {
        /// The WHM function's name, as in /json-api/FUNCTION.
        function: String,
        /// The id of a category in spec/categories.yaml; by default the one
        /// whose title is the category spec/catalog.yaml files the function under.
        #[arg(long)]
        category: Option<String>,
        /// Write it even though spec/catalog.yaml does not list the name.
        #[arg(long)]
        force: bool,
    },
}

/// What `compare` compares spec/ with.
#[derive(Subcommand)]
enum Against {
    /// cPanel's OpenAPI description of WHM API 1, one or more files (split by tag).
    Openapi {
        /// The description's files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Exit 1 when a difference is not marked deliberate in the spec (`differs:`).
        #[arg(long)]
        fail_on_drift: bool,
    },
}

/// What `import` reads.
#[derive(Subcommand)]
enum ImportFrom {
    /// cPanel's OpenAPI description of WHM API 1, one or more files (split by tag).
    Openapi {
        /// The description's files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A function to import (repeat for more).
        #[arg(long = "function")]
        functions: Vec<String>,
        /// Every function of a tag (repeat for more).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Every WHM API 1 function of the files.
        #[arg(long)]
        all: bool,
        /// Also merge the description's new facts into the selected functions
        /// that are specified already, keeping their prose and comments.
        #[arg(long)]
        update: bool,
    },
}

/// What `export` writes.
#[derive(Subcommand)]
enum ExportTo {
    /// An OpenAPI description of every spec: JSON, or YAML when FILE ends in .yaml or .yml.
    Openapi {
        /// The OpenAPI version to write.
        #[arg(long, default_value = "3.1", value_parser = ["3.1", "3.0"])]
        version: String,
        /// Where to write it (default: standard output, as JSON).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match cli.root.clone().or_else(find_root) {
        Some(root) => root,
        None => {
            eprintln!("error: no spec/categories.yaml here or in any parent folder; pass --root");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Import {
            from:
                ImportFrom::Openapi {
                    files,
                    functions,
                    tags,
                    all,
                    update,
                },
        } => import(
            &root,
            &files,
            &whm_codegen::bridge::import::Selection {
                functions,
                tags,
                all,
            },
            update,
        ),
        Command::Export {
            to: ExportTo::Openapi { version, output },
        } => export(&root, &version, output.as_deref()),
        Command::Compare {
            against:
                Against::Openapi {
                    files,
                    fail_on_drift,
                },
        } => compare(&root, &files, fail_on_drift),
        Command::Build { timings, no_cache } => build(&root, false, timings, !no_cache),
        Command::Check { timings, no_cache } => build(&root, true, timings, !no_cache),
        Command::New {
            function,
            category,
            force,
        } => match skeleton::write_new(&root.join("spec"), &function, category.as_deref(), force) {
            Ok(written) => {
                for note in &written.notes {
                    eprintln!("{note}");
                }
                println!(
                    "wrote {}; fill in its summary and description (build refuses the placeholders), then run `{}`",
                    written.path.display(),
                    write::COMMAND
                );
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Writes to standard output; a reader that closed the pipe (`| head`) is no error.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// spec/, or the exit code after printing its problems.
fn load_specs(root: &Path) -> Result<whm_codegen::ir::Api, ExitCode> {
    front::load_api(&root.join("spec")).map_err(|diags| {
        eprint!("{}", diags.render(std::io::stderr().is_terminal()));
        ExitCode::FAILURE
    })
}

/// spec/ and the description files, or the exit code after saying what failed.
fn specs_and_descriptions(
    root: &Path,
    files: &[PathBuf],
) -> Result<
    (
        whm_codegen::ir::Api,
        Vec<whm_codegen::bridge::openapi::Description>,
    ),
    ExitCode,
> {
    let api = load_specs(root)?;
    let descriptions = files
        .iter()
        .map(|file| {
            whm_codegen::bridge::openapi::read(file).map_err(|e| {
                eprintln!("error: {e}");
                ExitCode::from(2)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((api, descriptions))
}

/// `import openapi`: writes the new specs (never over an existing file) and
/// the report; with `update`, also the specs that gain facts.
fn import(
    root: &Path,
    files: &[PathBuf],
    selection: &whm_codegen::bridge::import::Selection,
    update: bool,
) -> ExitCode {
    let (api, descriptions) = match specs_and_descriptions(root, files) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let mut report = whm_codegen::bridge::import::import(&api, &descriptions, selection);
    let updates = if update {
        let spec_dir = root.join("spec");
        let read = |rel: &str| std::fs::read_to_string(spec_dir.join(rel));
        match whm_codegen::bridge::update::update(&api, &descriptions, selection, &read) {
            Ok(updates) => {
                // The updated functions are reported as updated, not as kept.
                report.existing.clear();
                Some(updates)
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    // Every spec file that already exists is named before anything is
    // written: an import writes all its specs or none.
    let existing: Vec<PathBuf> = report
        .specs
        .iter()
        .map(|spec| root.join("spec").join(&spec.path))
        .filter(|path| path.exists())
        .collect();
    if !existing.is_empty() {
        for path in &existing {
            eprintln!("error: {} exists; not overwritten", path.display());
        }
        eprintln!(
            "error: {} of {} specs exist already; nothing was written (leave those functions out, or move the files aside)",
            existing.len(),
            report.specs.len()
        );
        return ExitCode::FAILURE;
    }
    let files: Vec<(String, Vec<u8>)> = report
        .specs
        .iter()
        .map(|spec| {
            (
                format!("spec/{}", spec.path),
                spec.text.clone().into_bytes(),
            )
        })
        .collect();
    if let Some(updates) = &updates {
        // The tree as it would be must build, or nothing is written.
        let mut tree = match spec_texts(&root.join("spec")) {
            Ok(tree) => tree,
            Err(e) => {
                eprintln!("error: reading spec/: {e}");
                return ExitCode::FAILURE;
            }
        };
        for spec in &report.specs {
            tree.insert(spec.path.clone(), spec.text.clone());
        }
        for spec in &updates.updated {
            tree.insert(spec.path.clone(), spec.text.clone());
        }
        if let Err(diags) = front::load_api_in_memory(&tree) {
            eprint!("{}", diags.render(std::io::stderr().is_terminal()));
            eprintln!("error: the updated specs would not build; nothing was written");
            return ExitCode::FAILURE;
        }
        // New and updated specs go through one staged write: all or none.
        let mut all = files.clone();
        all.extend(updates.updated.iter().map(|spec| {
            (
                format!("spec/{}", spec.path),
                spec.text.clone().into_bytes(),
            )
        }));
        let written = write::plan_rendered(root, &all).and_then(|p| write::apply(root, &p));
        if let Err(e) = written {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    } else if let Err(e) = write::create_all(root, &files) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    for (path, _) in &files {
        println!("wrote {}", root.join(path).display());
    }
    if let Some(updates) = &updates {
        print_out(&updates.render());
    }
    print_out(&report.render());
    if !report.specs.is_empty() {
        println!(
            "next: rewrite the prose in your own words, then run `{}`",
            write::COMMAND
        );
    }
    ExitCode::SUCCESS
}

/// Every `.yaml` file under `dir`, by its path relative to it (`/`-separated).
fn spec_texts(dir: &Path) -> std::io::Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml")
                && let Ok(rel) = path.strip_prefix(dir)
            {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), std::fs::read_to_string(&path)?);
            }
        }
    }
    Ok(out)
}

/// `export openapi`: the description on stdout or into a file (written atomically).
fn export(root: &Path, version: &str, output: Option<&Path>) -> ExitCode {
    use whm_codegen::bridge::export::{OpenApiVersion, export};
    let api = match load_specs(root) {
        Ok(api) => api,
        Err(code) => return code,
    };
    let version = if version == "3.0" {
        OpenApiVersion::V3_0
    } else {
        OpenApiVersion::V3_1
    };
    let description = export(&api, version);
    let yaml = output.is_some_and(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    let text = if yaml {
        serde_yaml::to_string(&description).map_err(|e| e.to_string())
    } else {
        serde_json::to_string_pretty(&description)
            .map(|mut t| {
                t.push('\n');
                t
            })
            .map_err(|e| e.to_string())
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot write the description: {e}");
            return ExitCode::FAILURE;
        }
    };
    match output {
        None => {
            print_out(&text);
            ExitCode::SUCCESS
        }
        Some(path) => match write::write_atomically(path, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
    }
}

/// `compare openapi`: the drift report on stdout; exit 1 on drift when asked.
fn compare(root: &Path, files: &[PathBuf], fail_on_drift: bool) -> ExitCode {
    let (api, descriptions) = match specs_and_descriptions(root, files) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let report = whm_codegen::bridge::compare::compare(&api, &descriptions);
    print_out(&report.render());
    if fail_on_drift && report.drift().next().is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn find_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|d| d.join("spec/categories.yaml").is_file())
        .map(Path::to_path_buf)
}

/// Where `build` and `check` spend their time, for `--timings`.
struct Stages {
    print: bool,
}

impl Stages {
    fn report(&self, name: &str, took: std::time::Duration) {
        if self.print {
            eprintln!("{name:>8}: {:>7.1} ms", took.as_secs_f64() * 1e3);
        }
    }
}

/// The produced files under `spec/` that the cache's input key leaves out;
/// `spec/schema.json` until a cache says otherwise.
fn key_outputs(cache: Option<&Cache>) -> BTreeSet<String> {
    match cache {
        Some(cache) => cache.produced_paths(),
        None => BTreeSet::from(["spec/schema.json".to_owned()]),
    }
    .into_iter()
    .filter(|p| p.starts_with("spec/"))
    .collect()
}

fn build(root: &Path, check_only: bool, timings: bool, use_cache: bool) -> ExitCode {
    let started = Instant::now();
    let stages = Stages { print: timings };
    let cache = if use_cache { Cache::load(root) } else { None };
    // Anything the cache cannot vouch for (or an error reading the tree) is built in full.
    if let Some(cache) = &cache
        && let Ok(true) = cache.is_fresh(root)
    {
        stages.report("cache", started.elapsed());
        let (files, functions) = (cache.produced(), cache.functions);
        if check_only {
            println!("up to date: {files} files from {functions} functions");
        } else {
            println!(
                "{functions} functions: {files} files, 0 written, 0 deleted, in {} ms (nothing changed since the last build)",
                started.elapsed().as_millis()
            );
        }
        return ExitCode::SUCCESS;
    }
    // The key is taken before the front end reads the specs: a spec edited
    // during the build then makes the next run miss, never wrongly hit.
    let skipped = key_outputs(cache.as_ref());
    let key = if use_cache {
        cache::input_key(root, &skipped).ok().flatten()
    } else {
        None
    };
    stages.report("cache", started.elapsed());

    // Messages name files relative to the current folder when they can.
    let spec_dir = root.join("spec");
    let cwd = std::env::current_dir().unwrap_or_default();
    let spec_dir = spec_dir
        .strip_prefix(&cwd)
        .map(Path::to_path_buf)
        .unwrap_or(spec_dir);
    let front_started = Instant::now();
    let api = match front::load_api(&spec_dir) {
        Ok(api) => api,
        Err(diags) => {
            eprint!("{}", diags.render(std::io::stderr().is_terminal()));
            return ExitCode::FAILURE;
        }
    };
    stages.report("front", front_started.elapsed());
    let files = emit::emit_all_timed(&api, |name, took| stages.report(name, took));
    let write_started = Instant::now();
    let rendered: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.path.clone(), write::render(f)))
        .collect();
    drop(files);
    let (pending, mut seen) = match write::plan_stamped(root, &rendered) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let functions = api.functions().count();
    stages.report("compare", write_started.elapsed());
    // A key made with another set of skipped outputs would never match.
    let key = key.filter(|_| key_outputs_of(&rendered) == skipped);
    let record = |stages: &Stages, seen: &cache::Stamps| {
        let started = Instant::now();
        if use_cache {
            // The cache is an optimisation: failing to record it only costs the next run.
            if let Err(e) = Cache::record(root, functions, &rendered, key.as_ref(), seen) {
                eprintln!(
                    "warning: cannot record {}: {e}",
                    root.join(cache::CACHE_PATH).display()
                );
            }
        }
        stages.report("record", started.elapsed());
    };
    if check_only {
        if pending.is_empty() {
            record(&stages, &seen);
            println!(
                "up to date: {} files from {functions} functions",
                rendered.len()
            );
            return ExitCode::SUCCESS;
        }
        for p in &pending {
            let what = match p.change {
                Change::Create => "missing",
                Change::Update => "stale",
                Change::Delete => "no longer generated",
                Change::Leftover => "leftover temporary file of a killed build",
            };
            eprintln!("{what}: {}", p.path);
        }
        eprintln!(
            "error: {} generated file(s) out of date; run `{}`",
            pending.len(),
            write::COMMAND
        );
        return ExitCode::FAILURE;
    }
    let apply_started = Instant::now();
    match write::apply_stamped(root, &pending) {
        Ok(written) => seen.extend(written),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    stages.report("write", apply_started.elapsed());
    record(&stages, &seen);
    let count = |f: fn(&Change) -> bool| pending.iter().filter(|p| f(&p.change)).count();
    println!(
        "{functions} functions: {} files, {} written, {} deleted, in {} ms",
        rendered.len(),
        count(|c| matches!(c, Change::Create | Change::Update)),
        count(|c| *c == Change::Delete),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

/// [`key_outputs`] of a build's own outputs.
fn key_outputs_of(rendered: &[(String, Vec<u8>)]) -> BTreeSet<String> {
    rendered
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| p.starts_with("spec/"))
        .collect()
}
