//! Placeholder text of the skeleton that `whm-codegen new` writes: `build`
//! refuses a spec that still carries it, naming the key to fill in, so an
//! unedited skeleton never reaches the docs or the generated crate.
//!
//! The skeleton ([`crate::skeleton`]) writes its placeholders from the
//! constants here, so the two cannot drift apart.

use marked_yaml::Node;

use super::yaml::Ctx;

/// The skeleton's `summary`, for function `function`.
pub fn summary(function: &str) -> String {
    format!("{SUMMARY_START}{function} does.")
}

/// How the skeleton's `summary` starts, whatever the function's name.
pub const SUMMARY_START: &str = "One plain sentence saying what ";

/// The skeleton's `description`.
pub const DESCRIPTION: &str = "What the function does, in Markdown, in our own words.";

/// The placeholder sentences, each with what to write instead.
const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        SUMMARY_START,
        "one plain sentence, no Markdown, saying what the function does",
    ),
    (
        DESCRIPTION,
        "what the function does, in Markdown, in your own words",
    ),
];

/// Reports every value in the spec `root` that still holds a placeholder
/// sentence, located at the sentence and naming its key (`summary`,
/// `parameters[0].description`, ...).
pub(super) fn check(ctx: &mut Ctx, root: &Node) {
    walk(ctx, root, "");
}

fn walk(ctx: &mut Ctx, node: &Node, key: &str) {
    match node {
        Node::Scalar(s) => {
            for (sentence, instead) in PLACEHOLDERS {
                let Some(start) = s.as_str().find(sentence) else {
                    continue;
                };
                // The summary's placeholder names the function: underline it to its end.
                let rest = &s.as_str()[start..];
                let needle = match rest.find(" does.") {
                    Some(end) if *sentence == SUMMARY_START && !rest[..end].contains('\n') => {
                        &rest[..end + " does.".len()]
                    }
                    _ => sentence,
                };
                let value = ctx.scalar_loc(s);
                let at = ctx.find_after(&value, needle).unwrap_or(value);
                ctx.error(
                    at,
                    format!("`{key}` still holds the placeholder text of `whm-codegen new`"),
                    "placeholder",
                    Some(format!("replace it with {instead}")),
                );
            }
        }
        Node::Mapping(map) => {
            for (k, value) in map.iter() {
                let path = if key.is_empty() {
                    k.as_str().to_owned()
                } else {
                    format!("{key}.{}", k.as_str())
                };
                walk(ctx, value, &path);
            }
        }
        Node::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(ctx, item, &format!("{key}[{i}]"));
            }
        }
    }
}
