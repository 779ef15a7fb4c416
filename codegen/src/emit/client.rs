//! The client emitter (being written): see the module list in [`super`].

use super::crate_files::CrateFeature;
use super::{FileKind, OutputFile};
use crate::ir::Api;

/// The `client` feature of the generated crate.
pub fn feature() -> CrateFeature {
    CrateFeature {
        name: "client",
        summary: "not yet generated",
        enables: vec![],
        dependencies: vec![],
        bins: vec![],
    }
}

/// The files of `generated/src/client/`.
pub fn emit(_api: &Api) -> Vec<OutputFile> {
    vec![OutputFile::text("generated/src/client/mod.rs", FileKind::Rust, "//! Not yet generated.\n")]
}
