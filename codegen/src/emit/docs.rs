//! The docs emitter (being written): the HTML documentation site in `docs/`.

use super::OutputFile;
use crate::ir::Api;

/// The files of `docs/`.
pub fn emit(_api: &Api) -> Vec<OutputFile> {
    Vec::new()
}
