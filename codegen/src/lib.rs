//! The WHM API 1 spec compiler.
//!
//! ```text
//! spec/*.yaml --front::load--> located YAML --front::validate/lower--> ir::Api
//!             --emit::*--> files --write--> generated/, docs/, spec/schema.json
//! ```
//!
//! The front end never panics on input and reports every problem it finds in
//! one run ([`diagnostics`]). Emitters are pure functions of the IR
//! ([`emit`]). The writer writes only files whose bytes changed, atomically,
//! and `check` compares instead of writing ([`write`]).

pub mod bridge;
pub mod diagnostics;
pub mod emit;
pub mod front;
pub mod ident;
pub mod ir;
pub mod skeleton;
pub mod write;
