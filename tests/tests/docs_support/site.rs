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
