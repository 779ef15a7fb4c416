//! Shared helpers for the end-to-end tests in `tests/tests/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The path of one of the generated crate's binaries (`whmapi1`, `whm-mock`),
/// built once per test process in the test's own profile.
///
/// Cargo does not build a dependency's binaries for a test, so this runs
/// `cargo build` for both (a no-op when they are fresh).
pub fn binary(name: &str) -> PathBuf {
    let path = profile_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "{} was not built", path.display());
    path
}

fn profile_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // target/PROFILE/deps/TEST-HASH -> target/PROFILE
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test runs from target/PROFILE/deps");
        let mut build = Command::new(option_env!("CARGO").unwrap_or("cargo"));
        build.current_dir(env!("CARGO_MANIFEST_DIR")).args([
            "build",
            "--quiet",
            "-p",
            "whm-api",
            "--features",
            "server,client,cli",
            "--bin",
            "whmapi1",
            "--bin",
            "whm-mock",
        ]);
        // `cargo test` sets CARGO_MANIFEST_DIR for the test; ring's build script
        // reruns when it changes, which would rebuild the TLS stack on every run.
        build.env_remove("CARGO_MANIFEST_DIR");
        if profile_dir
            .file_name()
            .is_some_and(|name| name == "release")
        {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(
            status.success(),
            "cargo build of whmapi1 and whm-mock failed"
        );
        profile_dir.to_owned()
    })
}
