//! The server emitter (being written): see the module list in [`super`].

use super::crate_files::CrateFeature;
use super::{FileKind, OutputFile};
use crate::ir::Api;

/// The `server` feature of the generated crate.
pub fn feature() -> CrateFeature {
    CrateFeature {
        name: "server",
        summary: "not yet generated",
        enables: vec![],
        dependencies: vec![],
        bins: vec![],
    }
}

/// The files of `generated/src/server/`.
pub fn emit(_api: &Api) -> Vec<OutputFile> {
    vec![OutputFile::text("generated/src/server/mod.rs", FileKind::Rust, "//! Not yet generated.\n")]
}
