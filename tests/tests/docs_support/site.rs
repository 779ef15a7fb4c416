//! Building documentation sites with the compiler, into a temporary directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Loads the specs in `spec_dir`, emits the docs and writes them, with the
/// writer's headers, under `out` (so `out/docs/index.html`). Returns how long
/// loading and emitting took.
pub fn build_docs(spec_dir: &Path, out: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let api = whm_codegen::front::load_api(spec_dir)
        .map_err(|d| format!("{} does not load:\n{}", spec_dir.display(), d.render(false)))?;
    let files = whm_codegen::emit::docs::emit(&api);
    let elapsed = started.elapsed();
    for file in &files {
        let path = out.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::write(&path, whm_codegen::write::render(file))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(elapsed)
}

/// Writes a spec tree with one category too large for one page: `count`
/// functions named `NAME_NNNN` after the initials `a`, `b` and `c` in turn,
/// and as many catalogued names with no spec (`todo_NNNN`, `zz_NNNN`).
pub fn write_large_corpus(dir: &Path, count: usize) -> Result<(), String> {
    let spec = dir.join("big");
    fs::create_dir_all(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let write = |path: PathBuf, text: String| {
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(
        dir.join("categories.yaml"),
        "categories:\n  - id: big\n    title: Big\n    order: 10\n    description: A large category.\n".into(),
    )?;
    let mut catalog = String::from("categories:\n  - title: Big\n    functions:\n");
    for i in 0..count {
        let name = format!("{}_{i:04}", ["alpha", "beta", "cappa"][i % 3]);
        catalog.push_str(&format!(
            "      - {name}\n      - todo_{i:04}\n      - zz_{i:04}\n"
        ));
        write(
            spec.join(format!("{name}.yaml")),
            format!(
                "name: {name}\ncategory: big\nsummary: Does {name}.\ndescription: |\n  Does {name}.\n"
            ),
        )?;
    }
    write(dir.join("catalog.yaml"), catalog)
}

/// Every `.html` file under `dir`, as `/`-separated paths relative to `base`, sorted.
pub fn html_pages(base: &Path, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(rel) = p
                .extension()
                .is_some_and(|e| e == "html")
                .then(|| p.strip_prefix(base).ok())
                .flatten()
            {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}
