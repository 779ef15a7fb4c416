//! `whm-codegen new`: a spec skeleton for a maintainer to fill in.

use std::path::{Path, PathBuf};

use crate::front;
use crate::write::write_atomically;

/// Writes `spec_dir/CATEGORY/FUNCTION.yaml`; refuses to overwrite a spec or use an unknown category.
pub fn write_new(spec_dir: &Path, function: &str, category: &str) -> Result<PathBuf, String> {
    if function.is_empty()
        || !function
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(format!(
            "`{function}` is not a WHM function name: use ASCII letters, digits, `_`, `.` and `-`, as in /json-api/listaccts"
        ));
    }
    let ids = front::category_ids(spec_dir).map_err(|d| d.render(false))?;
    if !ids.iter().any(|id| id == category) {
        let hint = match front::nearest_category(category, ids.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "add it to spec/categories.yaml first, or use one of: {}",
                ids.join(", ")
            ),
        };
        return Err(format!("unknown category `{category}`: {hint}"));
    }
    let path = spec_dir.join(category).join(format!("{function}.yaml"));
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    write_atomically(&path, skeleton(function, category).as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The text of a new spec: every key a maintainer usually fills in, with the format's hints.
pub fn skeleton(function: &str, category: &str) -> String {
    format!(
        r#"# yaml-language-server: $schema=../schema.json
#
# Sources: name the documentation this spec was written from.
name: {function}
category: {category}
summary: One plain sentence saying what {function} does.
description: |
  What the function does, in Markdown, in our own words.
# since: cPanel & WHM version NN

parameters: []
# parameters:
#   - name: user
#     type: username        # string, integer, float, boolean, timestamp, limit, url, email,
#                           # ipv4, domain, username, array, hash, map, any
#     required: true
#     description: The account's username.
#     example: username

returns: []
# returns:
#   - name: acct
#     type: array
#     items: hash
#     description: The accounts.
#     fields:
#       - name: user
#         type: string
#         description: The account's username.

examples: []
# examples:
#   - title: Do the thing
#     params:
#       user: username
#     json: |
#       {{"data": {{}}, "metadata": {{"command": "{function}", "version": 1, "reason": "OK", "result": 1}}}}
"#
    )
}
