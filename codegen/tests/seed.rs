//! The seed page's related functions ("Find a function") reach the outputs:
//! the docs page links the specified one and names the others, and the
//! request type's rustdoc lists them all.

use std::path::Path;

use whm_codegen::emit::emit_all;
use whm_codegen::front::load_api;

fn output(files: &[whm_codegen::emit::OutputFile], path: &str) -> String {
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is emitted"));
    String::from_utf8(file.contents.clone()).expect("text")
}

#[test]
fn see_also_reaches_the_docs_page_and_the_rustdoc() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let api = load_api(&spec).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let files = emit_all(&api);

    let page = output(&files, "docs/functions/validate_login_token.html");
    assert!(page.contains(r#"<a href="../functions/get_login_url.html">WHM API 1 Functions - get_login_url</a> — This function retrieves the login URL for the cPanel Store or a cPanel Market provider."#), "{page}");
    assert!(page.contains("WHM API 1 Functions - purchase_license (not yet specified) — This function returns the checkout URL to use for a cPanel Store or cPanel Market provider purchase."));
    assert!(page.contains("WHM API 1 Functions - run_cpkeyctl (not yet specified) — This function verifies the system&#39;s license status with cPanel, Inc.&#39;s licensing servers."), "{page}");

    let types = output(&files, "generated/src/types/authentication.rs");
    assert!(
        types.contains("/// - `run_cpkeyctl`: This function verifies the system's license status")
    );
}
