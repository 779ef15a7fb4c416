//! `whm-bench`: the generation benchmark of whm-codegen, and the synthetic
//! corpus it runs on.
//!
//! ```sh
//! cargo build --release -p whm-codegen --bins
//! target/release/whm-bench run --functions 100,500,2000
//! target/release/whm-bench corpus --functions 500 --out /tmp/corpus --openapi /tmp/corpus.json
//! target/release/whm-bench bridge --operations 2000 --rounds 5
//! ```
//!
//! `run` makes, for each N, a corpus of N synthetic WHM-shaped functions
//! (see `corpus.rs`) and times, round after round so that load on the
//! machine hits every step alike: a clean build (no outputs, no cache), a
//! no-op build, `check`, a build after one spec changed, and progenitor's
//! client generation from the same functions as OpenAPI. It prints medians,
//! ranges, peak memory (from `/usr/bin/time`) and the ratios. cargo-progenitor
//! 0.15.1 is installed into `target/tools/progenitor/` when missing.
//!
//! `bridge` times `export openapi`, `compare openapi` and `import openapi --all`
//! on the description the exporter writes for a corpus of each size.

mod corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

/// The generation benchmark of whm-codegen.
#[derive(Parser)]
#[command(about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a synthetic corpus: DIR/spec/... and, with --openapi, the same functions as OpenAPI.
    Corpus {
        /// How many functions.
        #[arg(long)]
        functions: usize,
        /// The folder to write `spec/` into (a repository root for `whm-codegen --root`).
        #[arg(long)]
        out: PathBuf,
        /// Also write the functions as an OpenAPI 3 document here.
        #[arg(long)]
        openapi: Option<PathBuf>,
    },
    /// Time whm-codegen and progenitor on corpora of each size.
    Run {
        /// Corpus sizes, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "100,500,2000")]
        functions: Vec<usize>,
        /// Rounds per size; medians are over these.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// The whm-codegen binary (default: the one beside this binary).
        #[arg(long)]
        codegen: Option<PathBuf>,
        /// Where corpora and outputs go (default: target/bench beside the binary's target folder).
        #[arg(long)]
        work: Option<PathBuf>,
        /// Skip progenitor.
        #[arg(long)]
        no_progenitor: bool,
    },
    /// Time the OpenAPI bridge on descriptions of each size: export, compare, import.
    Bridge {
        /// Description sizes (operations), comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "2000")]
        operations: Vec<usize>,
        /// Rounds per size; medians are over these.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// The whm-codegen binary (default: the one beside this binary).
        #[arg(long)]
        codegen: Option<PathBuf>,
        /// Where corpora and descriptions go (default: target/bench-bridge).
        #[arg(long)]
        work: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Cmd::Corpus {
            functions,
            out,
            openapi,
        } => match write_corpus(functions, &out, openapi.as_deref()) {
            Ok(()) => {
                println!("wrote {functions} functions under {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Cmd::Run {
            functions,
            rounds,
            codegen,
            work,
            no_progenitor,
        } => match run(&functions, rounds.max(1), codegen, work, !no_progenitor) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Cmd::Bridge {
            operations,
            rounds,
            codegen,
            work,
        } => match bridge(&operations, rounds.max(1), codegen, work) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// The whm-codegen binary: `given`, else the one beside this binary.
fn codegen_binary(given: Option<PathBuf>) -> Result<PathBuf, String> {
    let codegen = given.unwrap_or_else(|| {
        std::env::current_exe()
            .map(|p| p.with_file_name("whm-codegen"))
            .unwrap_or_else(|_| PathBuf::from("whm-codegen"))
    });
    if !codegen.exists() {
        return Err(format!(
            "{} is missing: run `cargo build --release -p whm-codegen --bins` first",
            codegen.display()
        ));
    }
    Ok(codegen)
}

/// The bridge benchmark: for each size, the synthetic corpus exported as a
/// description (what cPanel's would be for that many operations), compared
/// with the same specs (no drift expected), and imported into an empty
/// spec tree that has only the categories and the catalogue.
fn bridge(
    sizes: &[usize],
    rounds: usize,
    codegen: Option<PathBuf>,
    work: Option<PathBuf>,
) -> Result<(), String> {
    const BRIDGE_STEPS: [&str; 3] = ["export openapi", "compare openapi", "import openapi"];
    let codegen = codegen_binary(codegen)?;
    let work = work.unwrap_or_else(|| target_dir().join("bench-bridge"));
    for &n in sizes {
        let root = work.join(format!("n{n}"));
        remove(&root)?;
        let corpus = root.join("corpus");
        write_corpus(n, &corpus, None)?;
        let corpus_arg = corpus.to_string_lossy().into_owned();
        let empty = root.join("empty");
        let description = root.join("description.json");
        let description_arg = description.to_string_lossy().into_owned();
        let mut samples: Vec<Vec<Measured>> = vec![Vec::new(); BRIDGE_STEPS.len()];
        for round in 0..rounds {
            let export = timed(
                &codegen,
                &[
                    "--root",
                    &corpus_arg,
                    "export",
                    "openapi",
                    "-o",
                    &description_arg,
                ],
                &root,
            )?;
            let compare = timed(
                &codegen,
                &[
                    "--root",
                    &corpus_arg,
                    "compare",
                    "openapi",
                    &description_arg,
                ],
                &root,
            )?;
            if !compare
                .stdout
                .contains(&format!("{n} functions compared: 0 differences"))
            {
                return Err(format!(
                    "compare found drift in an exported corpus: {}",
                    compare.stdout
                ));
            }
            remove(&empty)?;
            fs::create_dir_all(empty.join("spec")).map_err(|e| e.to_string())?;
            for file in ["categories.yaml", "catalog.yaml"] {
                fs::copy(
                    corpus.join("spec").join(file),
                    empty.join("spec").join(file),
                )
                .map_err(|e| format!("{file}: {e}"))?;
            }
            let empty_arg = empty.to_string_lossy().into_owned();
            let import = timed(
                &codegen,
                &[
                    "--root",
                    &empty_arg,
                    "import",
                    "openapi",
                    &description_arg,
                    "--all",
                ],
                &root,
            )?;
            if !import.stdout.contains(&format!("{n} specs written")) {
                return Err(format!(
                    "import did not write every spec: {}",
                    import.stdout
                ));
            }
            for (step, s) in [export, compare, import].into_iter().enumerate() {
                samples[step].push((s.wall.as_secs_f64(), s.peak_kib, s.cpu));
            }
            eprintln!("N = {n}: round {} of {rounds} done", round + 1);
        }
        let size = fs::metadata(&description).map(|m| m.len()).unwrap_or(0);
        println!(
            "\nN = {n} operations ({:.1} MB of description), {rounds} rounds (wall median, min-max; peak memory; CPU median):",
            size as f64 / 1e6
        );
        for (step, name) in BRIDGE_STEPS.iter().enumerate() {
            print_step(name, &samples[step]);
        }
    }
    Ok(())
}

/// One step's line: wall median and range, peak memory, CPU median; the median.
fn print_step(name: &str, s: &[Measured]) -> f64 {
    let secs: Vec<f64> = s.iter().map(|x| x.0).collect();
    let lo = secs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = secs.iter().copied().fold(0.0, f64::max);
    let m = median(secs);
    let peak = s.iter().filter_map(|x| x.1).max();
    let cpu: Vec<f64> = s.iter().filter_map(|x| x.2).collect();
    let cpu = (!cpu.is_empty()).then(|| median(cpu));
    println!(
        "  {name:<17} {:>9.1} ms  ({:.1}-{:.1})  {}  CPU {}",
        m * 1e3,
        lo * 1e3,
        hi * 1e3,
        peak.map_or("-".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        cpu.map_or("-".into(), |c| format!("{:.0} ms", c * 1e3))
    );
    m
}

/// Writes the corpus of `n` functions under `out` (and its OpenAPI form).
fn write_corpus(n: usize, out: &Path, openapi: Option<&Path>) -> Result<(), String> {
    for file in corpus::spec_tree(n) {
        let path = out.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::write(&path, file.text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = openapi {
        fs::write(path, corpus::openapi(n)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// One timed run of a process.
struct Sample {
    wall: Duration,
    /// Peak resident memory in KiB, when `/usr/bin/time` is there to say.
    peak_kib: Option<u64>,
    /// User plus system CPU seconds (children included), likewise.
    cpu: Option<f64>,
    stdout: String,
}

/// Runs `program args` to completion, timing it and reading its peak memory.
fn timed(program: &Path, args: &[&str], dir: &Path) -> Result<Sample, String> {
    let time = Path::new("/usr/bin/time");
    let report = dir.join(".bench-time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f")
            .arg("%M %U %S")
            .arg("-o")
            .arg(&report)
            .arg(program);
        c
    } else {
        Command::new(program)
    };
    let started = Instant::now();
    let out = cmd
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let wall = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "{} {} failed:\n{}{}",
            program.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let last = fs::read_to_string(&report)
        .ok()
        .and_then(|t| t.lines().last().map(str::to_owned))
        .unwrap_or_default();
    let fields: Vec<&str> = last.split_whitespace().collect();
    let peak_kib = fields.first().and_then(|f| f.parse().ok());
    let cpu = match (fields.get(1), fields.get(2)) {
        (Some(u), Some(s)) => u
            .parse::<f64>()
            .ok()
            .zip(s.parse::<f64>().ok())
            .map(|(u, s)| u + s),
        _ => None,
    };
    let _ = fs::remove_file(&report);
    Ok(Sample {
        wall,
        peak_kib,
        cpu,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    })
}

/// The workspace's `target/` folder, from this binary's place in it.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().and_then(Path::parent).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// cargo-progenitor 0.15.1 under `target/tools/progenitor/`, installed when missing.
fn progenitor() -> Result<PathBuf, String> {
    let root = target_dir().join("tools/progenitor");
    let bin = root.join("bin/cargo-progenitor");
    if !bin.exists() {
        eprintln!("installing cargo-progenitor 0.15.1 into {}", root.display());
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["install", "--locked", "--root"])
            .arg(&root)
            .args(["cargo-progenitor", "--version", "0.15.1"])
            .status()
            .map_err(|e| format!("cargo install: {e}"))?;
        if !status.success() {
            return Err("cargo install cargo-progenitor failed".into());
        }
    }
    Ok(bin)
}

fn remove(path: &Path) -> Result<(), String> {
    let result = if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", path.display()))
        }
        _ => Ok(()),
    }
}

/// One step's figures in one round: wall seconds, peak KiB, CPU seconds.
type Measured = (f64, Option<u64>, Option<f64>);

/// The steps of one round, in the order they run.
const STEPS: [&str; 5] = [
    "clean build",
    "no-op build",
    "check",
    "one spec changed",
    "progenitor",
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn run(
    sizes: &[usize],
    rounds: usize,
    codegen: Option<PathBuf>,
    work: Option<PathBuf>,
    with_progenitor: bool,
) -> Result<(), String> {
    let codegen = codegen_binary(codegen)?;
    let progenitor = if with_progenitor {
        Some(progenitor()?)
    } else {
        None
    };
    let work = work.unwrap_or_else(|| target_dir().join("bench"));
    let mut clean_medians = Vec::new();
    for &n in sizes {
        let root = work.join(format!("n{n}"));
        remove(&root)?;
        let openapi = root.join("openapi.json");
        fs::create_dir_all(&root).map_err(|e| e.to_string())?;
        write_corpus(n, &root, Some(&openapi))?;
        let root_arg = root.to_string_lossy().into_owned();
        // samples[step] = (wall seconds, peak KiB, CPU seconds) per round
        let mut samples: Vec<Vec<Measured>> = vec![Vec::new(); STEPS.len()];
        let mut written = Vec::new();
        for round in 0..rounds {
            for out in [
                "generated",
                "docs",
                "spec/schema.json",
                "target/whm-codegen",
            ] {
                remove(&root.join(out))?;
            }
            let clean = timed(&codegen, &["--root", &root_arg, "build"], &root)?;
            let noop = timed(&codegen, &["--root", &root_arg, "build"], &root)?;
            if !noop.stdout.contains("nothing changed") {
                return Err(format!("the no-op build did work: {}", noop.stdout));
            }
            let check = timed(&codegen, &["--root", &root_arg, "check"], &root)?;
            let target = (round * 7919 + 13) % n;
            let spec = root.join(format!(
                "spec/synthetic-{:02}/{}.yaml",
                target / 50,
                corpus::function_name(target)
            ));
            let text = fs::read_to_string(&spec).map_err(|e| e.to_string())?;
            let text = text.replacen(
                "\nsummary: ",
                &format!("\nsummary: Changed in round {round}. "),
                1,
            );
            fs::write(&spec, text).map_err(|e| e.to_string())?;
            let one = timed(&codegen, &["--root", &root_arg, "build"], &root)?;
            written.push(
                one.stdout
                    .split(" written")
                    .next()
                    .and_then(|s| s.rsplit(' ').next())
                    .and_then(|s| s.parse::<usize>().ok())
                    .unwrap_or(0),
            );
            let prog = match &progenitor {
                Some(bin) => {
                    let out = root.join("progenitor-client");
                    remove(&out)?;
                    let s = timed(
                        bin,
                        &[
                            "progenitor",
                            "-i",
                            "openapi.json",
                            "-o",
                            "progenitor-client",
                            "-n",
                            "synthetic-client",
                            "-v",
                            "0.1.0",
                        ],
                        &root,
                    )?;
                    Some(s)
                }
                None => None,
            };
            let mut all = vec![clean, noop, check, one];
            all.extend(prog);
            for (step, s) in all.into_iter().enumerate() {
                samples[step].push((s.wall.as_secs_f64(), s.peak_kib, s.cpu));
            }
            eprintln!("N = {n}: round {} of {rounds} done", round + 1);
        }
        println!(
            "\nN = {n} functions, {rounds} rounds (wall median, min-max; peak memory; CPU median):"
        );
        let mut medians = Vec::new();
        let mut peaks = Vec::new();
        for (step, name) in STEPS.iter().enumerate() {
            let s = &samples[step];
            if s.is_empty() {
                medians.push(f64::NAN);
                peaks.push(None);
                continue;
            }
            medians.push(print_step(name, s));
            peaks.push(s.iter().filter_map(|x| x.1).max());
        }
        println!(
            "  files written by the one-spec build: median {}",
            median(written.iter().map(|&w| w as f64).collect())
        );
        if progenitor.is_some() {
            println!(
                "  clean build / progenitor: time {:.2}, peak memory {}",
                medians[0] / medians[4],
                match (peaks[0], peaks[4]) {
                    (Some(a), Some(b)) => format!("{:.2}", a as f64 / b as f64),
                    _ => "-".into(),
                }
            );
        }
        clean_medians.push((n, medians[0]));
    }
    for pair in clean_medians.windows(2) {
        let ((a, ta), (b, tb)) = (pair[0], pair[1]);
        println!(
            "clean build growth from N = {a} to N = {b} ({:.1}x the functions): {:.2}x the time",
            b as f64 / a as f64,
            tb / ta
        );
    }
    Ok(())
}
