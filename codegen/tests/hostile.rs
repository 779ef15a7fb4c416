//! Compile proof: a fixture corpus of hostile names and shapes is compiled
//! through every emitter into a crate that must build without warnings
//! (`-D warnings`), tests and all. Generated code is never broken code.

mod support;

use whm_codegen::emit::emit_all;

#[test]
fn hostile_fixture_compiles_without_warnings() {
    let api = support::load_fixture("codegen/tests/fixtures/hostile");
    assert!(
        api.functions().any(|f| f.name == "match"),
        "the fixture has a function named `match`"
    );
    if let Err(problem) = support::check_generated_crate("hostile", &emit_all(&api)) {
        panic!("the generated crate for the hostile fixture does not build:\n{problem}");
    }
}
