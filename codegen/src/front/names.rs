//! Unique Rust type names across the whole corpus.
//!
//! Generated types are re-exported flat from `whm_api::types`, so every type
//! name must be unique across categories. Request and data types are named
//! after their function and must not clash (a clash is reported: it means two
//! function names fold to one Rust name); nested structs and enums are named
//! after their path and get a number when two paths fold to one name.

use std::collections::{HashMap, HashSet};

use super::yaml::Ctx;
use crate::diagnostics::Location;

/// The type names claimed so far.
#[derive(Debug, Default)]
pub struct TypeNames {
    /// Name -> the function that claimed it and where.
    claimed: HashMap<String, (String, Option<Location>, Option<String>)>,
    /// Names of functions' own types, which nested types must avoid.
    reserved: HashSet<String>,
}

impl TypeNames {
    /// Claims a function's own type name; reports a clash with another function.
    pub fn claim_exact(
        &mut self,
        ctx: &mut Ctx,
        name: &str,
        function: &str,
        at: &Location,
    ) -> String {
        match self.claimed.get(name) {
            Some((other, _, file)) if other != function => {
                let other_file = file.clone().unwrap_or_default();
                ctx.error(
                    at.clone(),
                    format!("functions `{function}` and `{other}` both become the Rust type `{name}`"),
                    "same Rust identifier",
                    Some(format!(
                        "Rust names drop case and punctuation; rename one of the functions (the other is in {other_file})"
                    )),
                );
            }
            _ => {
                let file = ctx.diags.file_name(ctx.file).to_owned();
                self.claimed.insert(
                    name.to_owned(),
                    (function.to_owned(), Some(at.clone()), Some(file)),
                );
            }
        }
        name.to_owned()
    }

    /// Reserves a function's own type name before any file is lowered, so a
    /// nested type of an earlier file never takes it.
    pub fn reserve(&mut self, name: String) {
        self.reserved.insert(name);
    }

    /// Claims a nested type's name, numbering it when taken or reserved.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 2;
        while self.claimed.contains_key(&name) || self.reserved.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.claimed
            .insert(name.clone(), (String::new(), None, None));
        name
    }
}
