//! Output never depends on threads: `emit_all` runs every emitter on a thread
//! of its own; here the same specs are also emitted on one thread, emitter
//! after emitter, and by several `emit_all` calls at once, and every file
//! must be byte for byte the same.

use std::path::Path;

use whm_codegen::emit::{EMITTERS, OutputFile, emit_all};
use whm_codegen::front::load_api;
use whm_codegen::ir::Api;

fn one_thread(api: &Api) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = EMITTERS.iter().flat_map(|(_, emit)| emit(api)).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn assert_same(a: &[OutputFile], b: &[OutputFile], what: &str) {
    assert_eq!(
        a.iter().map(|f| &f.path).collect::<Vec<_>>(),
        b.iter().map(|f| &f.path).collect::<Vec<_>>(),
        "{what}: different file lists"
    );
    for (x, y) in a.iter().zip(b) {
        assert!(x == y, "{what}: {} differs", x.path);
    }
}

fn check_tree(spec: &Path) {
    let api = load_api(spec).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let sequential = one_thread(&api);
    assert!(sequential.len() > 20, "a real corpus");
    assert_same(
        &sequential,
        &emit_all(&api),
        "one thread vs one per emitter",
    );
    // Four builds at once, competing for two cores: scheduling differs every time.
    let concurrent: Vec<Vec<OutputFile>> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4).map(|_| scope.spawn(|| emit_all(&api))).collect();
        runs.into_iter()
            .map(|r| r.join().expect("emit_all does not panic"))
            .collect()
    });
    for (i, files) in concurrent.iter().enumerate() {
        assert_same(&sequential, files, &format!("concurrent run {i}"));
    }
    // Loading again gives the same IR and so the same files.
    let again = load_api(spec).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_same(&sequential, &emit_all(&again), "a second load");
}

#[test]
fn the_real_specs_emit_the_same_bytes_on_one_thread_and_on_many() {
    check_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"));
}

#[test]
fn a_synthetic_corpus_of_120_functions_emits_the_same_bytes_on_one_thread_and_on_many() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_whm-bench"))
        .args(["corpus", "--functions", "120", "--out"])
        .arg(dir.path())
        .output()
        .expect("whm-bench runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_tree(&dir.path().join("spec"));
}
