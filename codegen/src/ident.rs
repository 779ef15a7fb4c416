//! Rust identifiers from WHM's names.
//!
//! WHM names are not Rust identifiers: `leave-ftp-accts-enabled`,
//! `2fa_enabled`, `type`, `Ünïcode`. These functions turn any name into a
//! valid identifier of the right case, keeping only ASCII (non-ASCII
//! identifiers trip rustc's confusable-script lints), so that generated code
//! always compiles; the wire name is kept beside it in the IR.

/// Words rustc reserves in every edition we target; they become raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a name into lowercase ASCII words at separators, case changes and digit boundaries.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_ascii_alphanumeric() => {
                (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                    // "HTTPServer" -> "http", "server"
                    || (p.is_ascii_uppercase()
                        && c.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A `snake_case` identifier (fields, methods, modules): `leave-ftp-accts-enabled` -> `leave_ftp_accts_enabled`,
/// `type` -> `r#type`, `self` -> `self_`, `2fa_enabled` -> `_2fa_enabled`.
///
/// Returns `None` when the name has no ASCII letter or digit to build on.
pub fn snake_case(name: &str) -> Option<String> {
    let joined = words(name).join("_");
    if joined.is_empty() {
        return None;
    }
    Some(escape(
        if joined.starts_with(|c: char| c.is_ascii_digit()) {
            format!("_{joined}")
        } else {
            joined
        },
    ))
}

/// An `UpperCamelCase` identifier (types, variants): `validate_login_token` -> `ValidateLoginToken`,
/// `2fa` -> `N2fa`, `self` -> `SelfValue`.
///
/// Returns `None` when the name has no ASCII letter or digit to build on.
pub fn upper_camel_case(name: &str) -> Option<String> {
    let mut out = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    // `Self` cannot be a type name, and `Self_` trips the camel-case lint.
    Some(if out == "Self" {
        "SelfValue".to_owned()
    } else {
        out
    })
}

/// Makes a keyword usable: raw where Rust allows it, a trailing underscore where it does not.
fn escape(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The identifier without a raw prefix, for building longer names from it.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(
            snake_case("leave-ftp-accts-enabled").as_deref(),
            Some("leave_ftp_accts_enabled")
        );
        assert_eq!(snake_case("type").as_deref(), Some("r#type"));
        assert_eq!(snake_case("self").as_deref(), Some("self_"));
        assert_eq!(snake_case("Self").as_deref(), Some("self_"));
        assert_eq!(snake_case("2fa_enabled").as_deref(), Some("_2fa_enabled"));
        assert_eq!(snake_case("api.thing").as_deref(), Some("api_thing"));
        assert_eq!(
            snake_case("retain-service-proxies").as_deref(),
            Some("retain_service_proxies")
        );
        assert_eq!(snake_case("maxLength").as_deref(), Some("max_length"));
        assert_eq!(snake_case("Ünïcode").as_deref(), Some("n_code"));
        assert_eq!(snake_case("ÜÜ"), None);
    }

    #[test]
    fn camel_names() {
        assert_eq!(
            upper_camel_case("validate_login_token").as_deref(),
            Some("ValidateLoginToken")
        );
        assert_eq!(upper_camel_case("self").as_deref(), Some("SelfValue"));
        assert_eq!(upper_camel_case("1").as_deref(), Some("N1"));
        assert_eq!(upper_camel_case("a b").as_deref(), Some("AB"));
        assert_eq!(
            upper_camel_case("HTTPServer").as_deref(),
            Some("HttpServer")
        );
    }
}
