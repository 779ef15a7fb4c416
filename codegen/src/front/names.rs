//! Rust type names: the one place that decides what every generated type is called.
//!
//! Two namespaces:
//!
//! - **Flat names** (`whm_api::types::ListacctsRequest`, `ListacctsData`, the
//!   named types of `spec/types/`): unique across the whole corpus. A clash is
//!   reported: it means two function names fold to one Rust name.
//! - **A function's nested types** (the structs and enums its parameters,
//!   returns and metadata need) live in the function's own module,
//!   `whm_api::types::<category>::<function>::Acct`, and are named by
//!   [`FunctionTypes::resolve`] from that function's spec alone, so no other
//!   spec can ever rename them.

use std::collections::{HashMap, HashSet};

use super::yaml::Ctx;
use crate::diagnostics::Location;
use crate::ir::{Field, Function, Type};

/// The flat type names claimed so far.
#[derive(Debug, Default)]
pub struct TypeNames {
    /// Name -> the function that claimed it and where.
    claimed: HashMap<String, (String, Option<Location>, Option<String>)>,
    /// Names of functions' own types, which named types' nested types must avoid.
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
    /// nested type of a named type never takes it.
    pub fn reserve(&mut self, name: String) {
        self.reserved.insert(name);
    }

    /// Claims a name for a nested type of a named type (`spec/types/`), which
    /// lives in the flat `types::shared` module: the type's name followed by
    /// the field path (`ContactAddress`), numbered if two paths fold to one.
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

/// Names a nested type must not take: the prelude names the generated code
/// uses unqualified (`Option<String>`, `Vec<..>`), which a type of the same
/// name in the function's module would shadow.
pub const RESERVED: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToOwned",
    "ToString",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "FromIterator",
];

/// Whether `name` may be written as a `type_name:`: an ASCII `UpperCamelCase`
/// identifier that shadows nothing the generated code uses.
pub fn valid_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name != "Self"
        && !RESERVED.contains(&name)
}

/// A nested type of one function, as the lowering met it.
#[derive(Debug, Clone)]
pub struct NestedType {
    /// The path from the function to the type, one `UpperCamelCase` segment
    /// each: the role (`Request`, `Data`, `Metadata`), then the field names
    /// (`["Data", "Acct", "MailboxFormat"]`).
    pub path: Vec<String>,
    /// The same path as the spec writes it (`returns.acct.mailbox_format`), for messages.
    pub wire_path: String,
    /// The name a field's `type_name:` chooses, if it does.
    pub chosen: Option<String>,
    /// Where to point a message about the name: the `type_name:` or the field's `name:`.
    pub at: Location,
}

/// A function's nested types, collected while its fields are lowered. Each
/// gets a placeholder name, replaced by its real one in [`Self::resolve`]
/// once the whole function is known.
#[derive(Debug, Default)]
pub struct FunctionTypes {
    types: Vec<NestedType>,
}

/// The prefix of placeholder names: no Rust identifier starts with it.
const PLACEHOLDER: &str = "\u{0}nested-";

impl FunctionTypes {
    /// Records a nested type; returns the placeholder to put in the IR.
    pub fn add(&mut self, nested: NestedType) -> String {
        self.types.push(nested);
        format!("{PLACEHOLDER}{}", self.types.len() - 1)
    }

    /// Names every nested type of `function` and writes the names into its IR;
    /// reports, located, any two types that would get the same name.
    pub fn resolve(self, ctx: &mut Ctx, function: &mut Function) {
        let (names, clashes) = choose(&self.types);
        for (first, second) in clashes {
            let (a, b) = (&self.types[first], &self.types[second]);
            let name = &names[second];
            let suggestion = suggest(b, &names);
            let line = ctx.line_of(&a.at);
            ctx.error(
                b.at.clone(),
                format!(
                    "`{}` and `{}` (line {line}) both become the Rust type `{name}` in the module of `{}`",
                    b.wire_path, a.wire_path, function.name
                ),
                "same Rust type name",
                Some(format!(
                    "choose this type's name with `type_name: {suggestion}` on the field (or another name on either field)"
                )),
            );
        }
        let rename = |name: &mut String| {
            if let Some(i) = name.strip_prefix(PLACEHOLDER)
                && let Ok(i) = i.parse::<usize>()
                && let Some(real) = names.get(i)
            {
                *name = real.clone();
            }
        };
        for field in function
            .params
            .iter_mut()
            .chain(function.returns.iter_mut())
            .chain(function.metadata.iter_mut())
        {
            rename_field(field, &rename);
        }
    }
}

fn rename_field(field: &mut Field, rename: &impl Fn(&mut String)) {
    rename_type(&mut field.ty, rename);
}

fn rename_type(ty: &mut Type, rename: &impl Fn(&mut String)) {
    match ty {
        // A named type is named already, and so are the types inside it.
        Type::Hash(s) if s.shared => {}
        Type::Enum(e) if e.shared => {}
        Type::Hash(s) => {
            rename(&mut s.rust_name);
            for f in &mut s.fields {
                rename_field(f, rename);
            }
        }
        Type::Enum(e) => rename(&mut e.rust_name),
        Type::Array(a) => rename_type(&mut a.items, rename),
        Type::Map(v) => rename_type(v, rename),
        _ => {}
    }
}

/// The naming rule for a function's nested types.
//
// A type is named after the last segment of its path: `returns.acct` is
// `Acct`, `returns.acct.child_nodes.workload` is `Workload`. Where two types of
// the same function would get one name (or a name in [`RESERVED`]), each of
// them takes one more segment of its path, until the names differ:
// `parameters.searchtype` and `returns.searchtype` become `RequestSearchtype`
// and `DataSearchtype`. A `type_name:` fixes a type's name and never grows.
// Names depend on nothing but the function's own spec, so adding or changing
// one spec never renames another function's types; within a function, a new
// field can lengthen a sibling's name, which the public-path snapshot shows.
// Distinct paths always end up with distinct names (sibling fields cannot
// fold to one name), so what can still clash is a `type_name` equal to
// another type's name: a clash, reported by the caller, never a silent number.
fn choose(types: &[NestedType]) -> (Vec<String>, Vec<(usize, usize)>) {
    let mut take: Vec<usize> = vec![1; types.len()];
    let name_of = |i: usize, take: &[usize]| -> String {
        let t = &types[i];
        match &t.chosen {
            Some(chosen) => chosen.clone(),
            None => t.path[t.path.len().saturating_sub(take[i])..].concat(),
        }
    };
    let can_grow =
        |i: usize, take: &[usize]| types[i].chosen.is_none() && take[i] < types[i].path.len();
    loop {
        let names: Vec<String> = (0..types.len()).map(|i| name_of(i, &take)).collect();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            by_name.entry(name).or_default().push(i);
        }
        let mut grew = false;
        for i in 0..types.len() {
            let shared = by_name[names[i].as_str()].len() > 1;
            if (shared || RESERVED.contains(&names[i].as_str())) && can_grow(i, &take) {
                take[i] += 1;
                grew = true;
            }
        }
        if grew {
            continue;
        }
        // Nothing can grow any more: what still shares a name is a clash,
        // reported at the later type, naming the first.
        let mut clashes = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            match seen.get(name.as_str()) {
                Some(&first) => clashes.push((first, i)),
                None => {
                    seen.insert(name, i);
                }
            }
        }
        return (names, clashes);
    }
}

/// A `type_name` to suggest for a type whose name clashes: its whole path, or
/// that with `Type` appended when the whole path is taken.
fn suggest(t: &NestedType, names: &[String]) -> String {
    let taken: HashSet<&str> = names.iter().map(String::as_str).collect();
    let full = t.path.concat();
    if !taken.contains(full.as_str()) && valid_type_name(&full) {
        full
    } else {
        let mut n = 2;
        loop {
            let candidate = format!("{full}Type{n}");
            if !taken.contains(candidate.as_str()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(path: &[&str], chosen: Option<&str>) -> NestedType {
        NestedType {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            wire_path: path.join("."),
            chosen: chosen.map(str::to_owned),
            at: Location {
                file: 0,
                bytes: 0..0,
            },
        }
    }

    fn names(types: &[NestedType]) -> Vec<String> {
        let (names, clashes) = choose(types);
        assert!(clashes.is_empty(), "unexpected clashes {clashes:?}");
        names
    }

    #[test]
    fn a_type_is_named_after_its_field() {
        let types = [
            nested(&["Data", "Acct"], None),
            nested(&["Data", "Acct", "ChildNodes"], None),
            nested(&["Data", "Acct", "ChildNodes", "Workload"], None),
        ];
        assert_eq!(names(&types), ["Acct", "ChildNodes", "Workload"]);
    }

    #[test]
    fn types_sharing_a_name_take_more_of_their_paths() {
        let types = [
            nested(&["Request", "Searchtype"], None),
            nested(&["Data", "Searchtype"], None),
            nested(&["Data", "Acct", "Status"], None),
            nested(&["Data", "Pkg", "Status"], None),
            nested(&["Data", "Other"], None),
        ];
        assert_eq!(
            names(&types),
            [
                "RequestSearchtype",
                "DataSearchtype",
                "AcctStatus",
                "PkgStatus",
                "Other"
            ]
        );
    }

    #[test]
    fn prelude_names_are_avoided() {
        let types = [nested(&["Data", "String"], None)];
        assert_eq!(names(&types), ["DataString"]);
    }

    #[test]
    fn a_chosen_name_is_kept_and_others_make_way() {
        let types = [
            nested(&["Data", "Acct"], Some("Account")),
            nested(&["Data", "Account"], None),
        ];
        assert_eq!(names(&types), ["Account", "DataAccount"]);
    }

    #[test]
    fn equal_chosen_names_are_a_clash() {
        let types = [
            nested(&["Data", "A"], Some("Same")),
            nested(&["Data", "B"], Some("Same")),
        ];
        let (_, clashes) = choose(&types);
        assert_eq!(clashes, [(0, 1)]);
        let (names, _) = choose(&types);
        assert_eq!(suggest(&types[1], &names), "DataB");
    }

    #[test]
    fn a_chosen_name_equal_to_a_whole_path_is_a_clash() {
        let types = [
            nested(&["Data", "Other"], Some("DataAcct")),
            nested(&["Data", "Acct"], None),
            nested(&["Request", "Acct"], None),
        ];
        let (names, clashes) = choose(&types);
        assert_eq!(names, ["DataAcct", "DataAcct", "RequestAcct"]);
        assert_eq!(clashes, [(0, 1)]);
    }
}
