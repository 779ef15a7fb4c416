//! The OpenAPI 3.0 export read by a third-party generator: Python's
//! `openapi-python-client` (from PyPI; `.ci/run` installs it) turns the
//! export of spec/ into a client package without a warning, the package has
//! one operation per specified function, and its code calls a running
//! `whm-mock` on 127.0.0.1 and reads WHM's envelope back.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use whm_codegen::bridge::export::{OpenApiVersion, export};

const GENERATOR: &str = "openapi-python-client";
const INSTALL: &str = "python3 -m pip install openapi-python-client";
/// The package the generator writes (its folder's name is its import name).
const PACKAGE: &str = "whm_api_client";
const TOKEN: &str = "GENERATORTESTTOKEN0123456789ABCD";

fn spec_api() -> whm_codegen::ir::Api {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    whm_codegen::front::load_api(&spec).expect("spec/ builds")
}

/// The generator's command, or a failure that says how to install it.
fn generator() -> Command {
    let found = Command::new(GENERATOR)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{GENERATOR}` is not installed (or not on PATH); install it with `{INSTALL}` (bash .ci/run does)"
    );
    Command::new(GENERATOR)
}

/// Exports spec/ as OpenAPI 3.0 into `dir` and runs the generator on it; the package's folder.
fn generate(api: &whm_codegen::ir::Api, dir: &Path) -> PathBuf {
    let description = dir.join("whm-api-3.0.json");
    let text = serde_json::to_string_pretty(&export(api, OpenApiVersion::V3_0)).unwrap();
    std::fs::write(&description, text).unwrap();
    let package = dir.join(PACKAGE);
    let output = generator()
        .arg("generate")
        .arg("--path")
        .arg(&description)
        .arg("--output-path")
        .arg(&package)
        .args(["--meta", "none", "--fail-on-warning"])
        .output()
        .expect("the generator runs");
    assert!(
        output.status.success(),
        "{GENERATOR} refused the 3.0 export:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    package
}

/// Every `/json-api/NAME` path the generated operation modules call, one per module.
fn generated_operations(package: &Path) -> Vec<String> {
    let mut modules = Vec::new();
    let mut folders = vec![package.join("api")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the generated api/ folder") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "py")
                && path.file_name().is_some_and(|n| n != "__init__.py")
            {
                modules.push(path);
            }
        }
    }
    modules
        .iter()
        .map(|module| {
            let code = std::fs::read_to_string(module).unwrap();
            let urls: Vec<&str> = code
                .match_indices("\"url\": \"/json-api/")
                .map(|(at, m)| {
                    let rest = &code[at + m.len()..];
                    &rest[..rest.find('"').unwrap_or(rest.len())]
                })
                .collect();
            assert_eq!(urls.len(), 1, "{} calls {urls:?}", module.display());
            urls[0].to_owned()
        })
        .collect()
}

#[test]
fn the_generator_accepts_the_3_0_export_with_one_operation_per_function() {
    let api = spec_api();
    let dir = tempfile::tempdir().unwrap();
    let package = generate(&api, dir.path());
    let operations = generated_operations(&package);
    let unique: BTreeSet<&str> = operations.iter().map(String::as_str).collect();
    assert_eq!(
        unique.len(),
        operations.len(),
        "an operation generated twice"
    );
    let specified: BTreeSet<&str> = api.functions().map(|f| f.name.as_str()).collect();
    assert_eq!(unique, specified);
    assert!(specified.len() > 100, "spec/ has {}", specified.len());

    // The generated client, against the real mock: a GET function that needs no parameter.
    let function = api
        .functions()
        .find(|f| {
            !f.post()
                && f.params.iter().all(|p| !p.required)
                && f.examples.first().is_some_and(|e| e.params.is_empty())
        })
        .expect("a function without required parameters");
    let mock = Mock::start();
    let out = Command::new("python3")
        .arg("-c")
        .arg(CALL)
        .args([&mock.http_url, &function.name, "root", TOKEN])
        .env("PYTHONPATH", dir.path())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the generated client failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), format!("200 {} 1", function.name));
}

/// Finds the module that calls `/json-api/NAME`, calls it with API token
/// auth and prints the status, `metadata.command` and `metadata.result`.
const CALL: &str = r#"
import importlib, pathlib, sys, typing
import whm_api_client
from whm_api_client import AuthenticatedClient
base, name, user, token = sys.argv[1:]
root = pathlib.Path(whm_api_client.__file__).parent
for path in sorted((root / "api").rglob("*.py")):
    if f'"url": "/json-api/{name}"' in path.read_text():
        module = importlib.import_module(".".join(("whm_api_client",) + path.relative_to(root).with_suffix("").parts))
        break
else:
    sys.exit(f"no module calls /json-api/{name}")
version = typing.get_type_hints(module.sync_detailed)["api_version"](1)
client = AuthenticatedClient(base_url=base, token=f"{user}:{token}", prefix="whm", timeout=10.0)
answer = module.sync_detailed(client=client, api_version=version)
print(answer.status_code.value, answer.parsed.metadata.command.value, answer.parsed.metadata.result.value)
"#;

/// A running `whm-mock` serving plain HTTP on a free loopback port; killed when dropped.
struct Mock {
    child: Child,
    http_url: String,
}

impl Mock {
    fn start() -> Mock {
        let mut child = Command::new(whm_tests::binary("whm-mock"))
            .args(["--listen", "127.0.0.1:0", "--user", "root"])
            .args(["--token", TOKEN])
            .env_remove("WHM_MOCK_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("whm-mock starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut http_url = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("whm-mock's output");
            if let Some(url) = line.strip_prefix("whm-mock listening on ") {
                http_url = Some(url.to_owned());
            }
            if line.starts_with("session: ") {
                break;
            }
        }
        let http_url = http_url.expect("whm-mock printed where it listens");
        Mock { child, http_url }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
