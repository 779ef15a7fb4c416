//! `whm-codegen`: compiles `spec/` into `generated/`, `docs/` and `spec/schema.json`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
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
    },
    /// Write nothing; exit 1 and name every file that `build` would change.
    Check {
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
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
        /// The id of a category in spec/categories.yaml.
        #[arg(long)]
        category: String,
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
        Command::Build { timings } => build(&root, false, timings),
        Command::Check { timings } => build(&root, true, timings),
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
        Command::New { function, category } => {
            match skeleton::write_new(&root.join("spec"), &function, &category) {
                Ok(path) => {
                    println!(
                        "wrote {}; fill it in, then run `{}`",
                        path.display(),
                        write::COMMAND
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `export openapi`: the description on stdout or into a file (written atomically).
fn export(root: &Path, version: &str, output: Option<&Path>) -> ExitCode {
    use whm_codegen::bridge::export::{OpenApiVersion, export};
    let api = match front::load_api(&root.join("spec")) {
        Ok(api) => api,
        Err(diags) => {
            eprint!("{}", diags.render(std::io::stderr().is_terminal()));
            return ExitCode::FAILURE;
        }
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
            print!("{text}");
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
    let api = match front::load_api(&root.join("spec")) {
        Ok(api) => api,
        Err(diags) => {
            eprint!("{}", diags.render(std::io::stderr().is_terminal()));
            return ExitCode::FAILURE;
        }
    };
    let mut descriptions = Vec::new();
    for file in files {
        match whm_codegen::bridge::openapi::read(file) {
            Ok(d) => descriptions.push(d),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let report = whm_codegen::bridge::compare::compare(&api, &descriptions);
    print!("{}", report.render());
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

fn build(root: &Path, check_only: bool, timings: bool) -> ExitCode {
    let started = Instant::now();
    // Messages name files relative to the current folder when they can.
    let spec_dir = root.join("spec");
    let cwd = std::env::current_dir().unwrap_or_default();
    let spec_dir = spec_dir
        .strip_prefix(&cwd)
        .map(Path::to_path_buf)
        .unwrap_or(spec_dir);
    let api = match front::load_api(&spec_dir) {
        Ok(api) => api,
        Err(diags) => {
            eprint!("{}", diags.render(std::io::stderr().is_terminal()));
            return ExitCode::FAILURE;
        }
    };
    let mut stage = |name: &str, took: std::time::Duration| {
        if timings {
            eprintln!("{name:>8}: {:>7.1} ms", took.as_secs_f64() * 1e3);
        }
    };
    stage("front", started.elapsed());
    let files = emit::emit_all_timed(&api, &mut stage);
    let write_started = Instant::now();
    let pending = match write::plan(root, &files) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let functions = api.functions().count();
    stage("compare", write_started.elapsed());
    if check_only {
        if pending.is_empty() {
            println!(
                "up to date: {} files from {functions} functions",
                files.len()
            );
            return ExitCode::SUCCESS;
        }
        for p in &pending {
            let what = match p.change {
                Change::Create => "missing",
                Change::Update => "stale",
                Change::Delete => "no longer generated",
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
    if let Err(e) = write::apply(root, &pending) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "{functions} functions: {} files, {} written, {} deleted, in {} ms",
        files.len(),
        pending
            .iter()
            .filter(|p| p.change != Change::Delete)
            .count(),
        pending
            .iter()
            .filter(|p| p.change == Change::Delete)
            .count(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}
