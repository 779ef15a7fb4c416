//! The cli emitter (being written): see the module list in [`super`].

use super::crate_files::CrateFeature;
use super::{FileKind, OutputFile};
use crate::ir::Api;

/// The `cli` feature of the generated crate.
pub fn feature() -> CrateFeature {
    CrateFeature {
        name: "cli",
        summary: "not yet generated",
        enables: vec![],
        dependencies: vec![],
        bins: vec![],
    }
}

/// The files of `generated/src/cli/`.
pub fn emit(_api: &Api) -> Vec<OutputFile> {
    vec![OutputFile::text("generated/src/cli/mod.rs", FileKind::Rust, "//! Not yet generated.\n")]
}
