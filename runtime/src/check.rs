//! Checks on parameter values that a type alone does not say: numeric
//! ranges, lengths, patterns, and parameters required only when another has
//! some value.
//!
//! Each generated request type lists its checks once, as data
//! ([`ApiFunction::CHECKS`](crate::ApiFunction::CHECKS)); its `from_params`
//! runs them first, so the server, the mock and `whmapi1` (which reads its
//! words through `from_params` before sending) refuse the same values with
//! the same reason, naming the parameter and the bound.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::query::{ParamError, Params, Problem};

/// One check of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// The parameter's wire name. The check applies to every value sent under
    /// it and its numbered forms (`name-1`, ...).
    pub param: &'static str,
    /// Whether the parameter travels as one comma-joined list, each piece checked.
    pub joined: bool,
    /// What must hold.
    pub rule: Rule,
}

impl Check {
    /// A check of the single value(s) of `param`.
    pub const fn new(param: &'static str, rule: Rule) -> Self {
        Check {
            param,
            joined: false,
            rule,
        }
    }

    /// A check of each piece of the comma-joined list `param`.
    pub const fn joined(param: &'static str, rule: Rule) -> Self {
        Check {
            param,
            joined: true,
            rule,
        }
    }
}

/// What a [`Check`] requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A whole number of at least this (other values, such as `unlimited`, are the type's to judge).
    Minimum(i64),
    /// A whole number of at most this.
    Maximum(i64),
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters.
    MaxLength(usize),
    /// The whole value matches this regular expression (`regex-lite` syntax, anchored here).
    Pattern(&'static str),
    /// The parameter must be sent when `param` has one of `values`.
    RequiredIf {
        /// The other parameter.
        param: &'static str,
        /// Its values that make this one required.
        values: &'static [&'static str],
    },
}

impl Rule {
    /// What the rule asks for, in the words of an error message ("at least 1").
    pub fn expected(&self) -> String {
        match self {
            Rule::Minimum(n) => format!("at least {n}"),
            Rule::Maximum(n) => format!("at most {n}"),
            Rule::MinLength(1) => "at least 1 character long".to_owned(),
            Rule::MinLength(n) => format!("at least {n} characters long"),
            Rule::MaxLength(1) => "at most 1 character long".to_owned(),
            Rule::MaxLength(n) => format!("at most {n} characters long"),
            Rule::Pattern(p) => format!("text matching the pattern “{p}”"),
            Rule::RequiredIf { param, values } => {
                format!("sent when “{param}” is “{}”", values.join("” or “"))
            }
        }
    }

    /// Whether one value passes (a [`Rule::RequiredIf`] is about presence, so any value passes).
    pub fn accepts(&self, value: &str) -> bool {
        match *self {
            Rule::Minimum(n) => value.trim().parse::<i64>().map_or(true, |v| v >= n),
            Rule::Maximum(n) => value.trim().parse::<i64>().map_or(true, |v| v <= n),
            Rule::MinLength(n) => value.chars().count() >= n,
            Rule::MaxLength(n) => value.chars().count() <= n,
            Rule::Pattern(p) => matches_pattern(p, value),
            Rule::RequiredIf { .. } => true,
        }
    }
}

/// Runs every check on `params`, answering with the first that fails.
pub fn apply(checks: &[Check], params: &Params) -> Result<(), ParamError> {
    for check in checks {
        if let Rule::RequiredIf { param, values } = check.rule {
            let trigger = params
                .values_of(param)
                .find(|(_, v)| values.contains(v))
                .map(|(_, v)| v);
            if let Some(value) = trigger
                && params.values_of(check.param).next().is_none()
            {
                return Err(ParamError {
                    param: check.param.to_owned(),
                    problem: Problem::RequiredWhen {
                        other: param.to_owned(),
                        value: value.to_owned(),
                    },
                });
            }
            continue;
        }
        for (key, raw) in params.values_of(check.param) {
            // A joined piece loses the spaces around it (`80, 443`); a single
            // value is judged whole, spaces and any `%00` included.
            let bad = if check.joined {
                raw.split(',')
                    .find(|piece| !check.rule.accepts(piece.trim_matches(' ')))
            } else {
                Some(raw).filter(|value| !check.rule.accepts(value))
            };
            if let Some(bad) = bad {
                return Err(ParamError::invalid(key, check.rule.expected(), bad));
            }
        }
    }
    Ok(())
}

/// Whether `pattern` compiles in the syntax checks use: the front end calls
/// this to refuse a bad `pattern:` in a spec with its location.
pub fn pattern_error(pattern: &str) -> Option<String> {
    regex_lite::Regex::new(&anchored(pattern))
        .err()
        .map(|e| e.to_string())
}

/// Whether the whole of `value` matches `pattern`, compiling it for this one
/// call (the compiler checks spec examples with this); a pattern that does
/// not compile matches nothing.
pub fn matches_uncached(pattern: &str, value: &str) -> bool {
    regex_lite::Regex::new(&anchored(pattern)).is_ok_and(|r| r.is_match(value))
}

/// Whether the whole of `value` matches `pattern`.
///
/// Patterns come from specs (`'static`), so each is compiled once and kept.
pub fn matches_pattern(pattern: &'static str, value: &str) -> bool {
    static COMPILED: OnceLock<Mutex<HashMap<&'static str, Option<regex_lite::Regex>>>> =
        OnceLock::new();
    let cache = COMPILED.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked while inserting: the map is still usable.
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    let regex = cache
        .entry(pattern)
        .or_insert_with(|| regex_lite::Regex::new(&anchored(pattern)).ok());
    // A pattern the front end let through always compiles; if one does not, refuse nothing.
    regex.as_ref().is_none_or(|r| r.is_match(value))
}

/// `pattern` anchored at both ends, so it must match the whole value.
fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Check = Check {
        param: "ttl",
        joined: false,
        rule: Rule::Minimum(1),
    };
    const NAME: [Check; 2] = [
        Check {
            param: "token_name",
            joined: false,
            rule: Rule::MaxLength(50),
        },
        Check {
            param: "token_name",
            joined: false,
            rule: Rule::Pattern("[A-Za-z0-9_-]+"),
        },
    ];

    #[test]
    fn ranges_name_the_parameter_and_the_bound() {
        let err = apply(&[TTL], &Params::parse("ttl=0").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The “ttl” parameter must be at least 1; received “0”."
        );
        assert!(apply(&[TTL], &Params::parse("ttl=1").unwrap()).is_ok());
        // Not a number: the type check, not the range, refuses it.
        assert!(apply(&[TTL], &Params::parse("ttl=unlimited").unwrap()).is_ok());
    }

    #[test]
    fn lengths_and_patterns() {
        let long = format!("token_name={}", "a".repeat(51));
        let err = apply(&NAME, &Params::parse(&long).unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("at most 50 characters long"),
            "{err}"
        );
        let err = apply(&NAME, &Params::parse("token_name=a%20b").unwrap()).unwrap_err();
        assert!(err.to_string().contains("[A-Za-z0-9_-]+"), "{err}");
        assert!(apply(&NAME, &Params::parse("token_name=my-token_1").unwrap()).is_ok());
    }

    /// Found by `tests/check_properties.rs`: a single value was checked without
    /// the spaces around it, and split at `%00`, so `" my-token"` matched the
    /// pattern and `abc%00def` was at most 3 characters long.
    #[test]
    fn a_single_value_is_checked_whole() {
        let err = apply(&NAME, &Params::parse("token_name=+my-token").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The “token_name” parameter must be text matching the pattern “[A-Za-z0-9_-]+”; \
             received “ my-token”."
        );
        let short = Check::new("code", Rule::MaxLength(3));
        let err = apply(&[short], &Params::parse("code=abc%00def").unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("at most 3 characters long"),
            "{err}"
        );
        // A number may still have spaces around it.
        assert!(apply(&[TTL], &Params::parse("ttl=+5+").unwrap()).is_ok());
    }

    #[test]
    fn joined_lists_check_every_piece() {
        let check = Check {
            param: "ports",
            joined: true,
            rule: Rule::Maximum(65535),
        };
        assert!(apply(&[check], &Params::parse("ports=80,443").unwrap()).is_ok());
        let err = apply(&[check], &Params::parse("ports=80,70000").unwrap()).unwrap_err();
        assert!(err.to_string().contains("received “70000”"), "{err}");
    }

    #[test]
    fn conditional_requirements() {
        let check = Check {
            param: "domain",
            joined: false,
            rule: Rule::RequiredIf {
                param: "type",
                values: &["addon", "sub"],
            },
        };
        assert!(apply(&[check], &Params::parse("type=parked").unwrap()).is_ok());
        let err = apply(&[check], &Params::parse("type=addon").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The “domain” parameter is required when “type” is “addon”."
        );
        assert!(apply(&[check], &Params::parse("type=addon&domain=x").unwrap()).is_ok());
        let err = apply(&[check], &Params::parse("type=sub").unwrap()).unwrap_err();
        assert!(err.to_string().contains("when “type” is “sub”"), "{err}");
    }

    #[test]
    fn bad_patterns_are_reported() {
        assert!(pattern_error("[a-").is_some());
        assert!(pattern_error("[a-z]+").is_none());
    }
}
