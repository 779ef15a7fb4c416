//! From a function's command-line arguments to checked query parameters.
//!
//! cPanel's `whmapi1` takes parameters as `key=value` words, unencoded; this
//! command line takes those and `--key value` flags, in any mix. What is sent
//! is what the user typed, in the order typed (the client encodes it), after
//! three checks: every key is a parameter of the function (or one of WHM's
//! generic output options, for a function that returns a list), and the
//! function's generated request type reads the whole set without error.
//! A WHM function that has no spec yet takes any `key=value` words, unchecked.

use std::ffi::OsString;
use std::fmt;

use clap::ArgMatches;
use clap::parser::ValueSource;

use super::{Function, PAIRS_ID};
use crate::{ParamError, Params};

/// The families of WHM's generic output options: filter, sort, paginate, columns.
pub const GENERIC_OPTION_PREFIXES: [&str; 4] =
    ["api.filter.", "api.sort.", "api.chunk.", "api.columns."];

/// Why a function's arguments were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// A word that is neither a flag nor `key=value`.
    NotAPair(String),
    /// A key that is not one of the function's parameters.
    Unknown {
        /// The key as given.
        key: String,
        /// The closest parameter name, when one is close.
        suggestion: Option<String>,
        /// The function's parameters, in spec order.
        known: Vec<String>,
    },
    /// A generic output option given to a function that returns no list.
    GenericOptionRefused(String),
    /// A value the function's request type refused (missing, ill-typed, repeated).
    Invalid(ParamError),
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::NotAPair(word) => {
                write!(
                    f,
                    "“{word}” is not a parameter: give parameters as key=value or --key value."
                )
            }
            ArgError::Unknown {
                key,
                suggestion,
                known,
            } => {
                write!(f, "There is no “{key}” parameter.")?;
                if let Some(suggestion) = suggestion {
                    write!(f, " Did you mean “{suggestion}”?")?;
                }
                let quoted: Vec<String> = known.iter().map(|k| format!("“{k}”")).collect();
                match quoted.split_last() {
                    None => write!(f, " This function takes no parameters."),
                    Some((only, [])) => write!(f, " The only parameter is {only}."),
                    Some((last, rest)) => {
                        write!(f, " The parameters are {} and {last}.", rest.join(", "))
                    }
                }
            }
            ArgError::GenericOptionRefused(key) => write!(
                f,
                "“{key}” is one of WHM's generic output options (api.filter.*, api.sort.*, \
                 api.chunk.*, api.columns.*), which this function does not take: it returns no list."
            ),
            ArgError::Invalid(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ArgError {}

/// Turns `--api.X=value` and `--api.X value` flags into `api.X=value` words.
///
/// Generic output options have open-ended names (`api.filter.a.field`), so
/// they cannot be clap arguments; as words they pass through like any other.
pub fn lift_generic_flags(args: Vec<OsString>) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let generic = arg
            .to_str()
            .and_then(|text| text.strip_prefix("--"))
            .filter(|name| GENERIC_OPTION_PREFIXES.iter().any(|p| name.starts_with(p)))
            .map(str::to_owned);
        match generic {
            Some(pair) if pair.contains('=') => out.push(OsString::from(pair)),
            Some(key) => match args.next() {
                Some(value) => {
                    let mut word = OsString::from(format!("{key}="));
                    word.push(value);
                    out.push(word);
                }
                // No value: left as it was, for clap to refuse.
                None => out.push(arg),
            },
            None => out.push(arg),
        }
    }
    out
}

/// The parameters given to `function`, flags and `key=value` words, in the order given.
///
/// Repeated flags of a numbered list parameter become `name-1`, `name-2`, ...;
/// values clap filled in from a documented default are not sent.
pub fn collect(
    function: &Function,
    matches: &ArgMatches,
) -> Result<Vec<(String, String)>, ArgError> {
    let mut given: Vec<(usize, String, String)> = Vec::new();
    for name in function.param_names() {
        if matches.value_source(name) != Some(ValueSource::CommandLine) {
            continue;
        }
        let (Some(indices), Some(values)) =
            (matches.indices_of(name), matches.get_many::<String>(name))
        else {
            continue;
        };
        let numbered = function.is_numbered(name);
        let first = function.first_index(name);
        for (n, (index, value)) in indices.zip(values).enumerate() {
            let key = if numbered {
                format!("{name}-{}", n + first)
            } else {
                name.to_owned()
            };
            given.push((index, key, value.clone()));
        }
    }
    if let (Some(indices), Some(words)) = (
        matches.indices_of(PAIRS_ID),
        matches.get_many::<String>(PAIRS_ID),
    ) {
        for (index, word) in indices.zip(words) {
            match word.split_once('=') {
                Some((key, value)) if !key.is_empty() => {
                    given.push((index, key.to_owned(), value.to_owned()))
                }
                _ => return Err(ArgError::NotAPair(word.clone())),
            }
        }
    }
    given.sort_by_key(|(index, _, _)| *index);
    Ok(given
        .into_iter()
        .map(|(_, key, value)| (key, value))
        .collect())
}

/// Checks the keys and values of `pairs` against `function`'s spec.
pub fn check(function: &Function, pairs: &[(String, String)]) -> Result<(), ArgError> {
    for (key, _) in pairs {
        check_key(function, key)?;
    }
    function
        .check(&Params::from_pairs(pairs.to_vec()))
        .map_err(ArgError::Invalid)
}

fn check_key(function: &Function, key: &str) -> Result<(), ArgError> {
    if !function.is_checked()
        || function.param_names().any(|name| name == key)
        || function.matches_pattern(key)
    {
        return Ok(());
    }
    // `acl-2`: a numbered value of the list parameter `acl`.
    let numbered_of_list = key
        .rsplit_once('-')
        .is_some_and(|(name, n)| n.parse::<u32>().is_ok() && function.is_list(name));
    if numbered_of_list {
        return Ok(());
    }
    if GENERIC_OPTION_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return if function.accepts_generic_options() {
            Ok(())
        } else {
            Err(ArgError::GenericOptionRefused(key.to_owned()))
        };
    }
    let known: Vec<String> = function.param_names().map(str::to_owned).collect();
    let suggestion = known
        .iter()
        .map(|name| (strsim::jaro(key, name), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.clone());
    Err(ArgError::Unknown {
        key: key.to_owned(),
        suggestion,
        known,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::tests::sample;
    use crate::query::Problem;

    fn parse(words: &[&str]) -> Result<Vec<(String, String)>, ArgError> {
        let function = sample();
        let args = lift_generic_flags(
            std::iter::once("sample")
                .chain(words.iter().copied())
                .map(OsString::from)
                .collect(),
        );
        let matches = function
            .command()
            .clone()
            .try_get_matches_from(args)
            .map_err(|e| ArgError::NotAPair(e.to_string()))?;
        let pairs = collect(&function, &matches)?;
        check(&function, &pairs)?;
        Ok(pairs)
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn keeps_words_and_flags_in_the_order_given() {
        assert_eq!(
            parse(&["count=3", "--user", "bob", "acl=x", "--enabled=0"]).unwrap(),
            pairs(&[
                ("count", "3"),
                ("user", "bob"),
                ("acl", "x"),
                ("enabled", "0")
            ])
        );
    }

    #[test]
    fn values_are_taken_as_typed() {
        assert_eq!(
            parse(&["user=a b&c=d?e", "count=1"]).unwrap(),
            pairs(&[("user", "a b&c=d?e"), ("count", "1")])
        );
    }

    #[test]
    fn repeated_list_flags_are_numbered_and_defaults_not_sent() {
        assert_eq!(
            parse(&["--user", "bob", "--acl", "a", "--acl", "b"]).unwrap(),
            pairs(&[("user", "bob"), ("acl-1", "a"), ("acl-2", "b")])
        );
    }

    #[test]
    fn generic_options_pass_through_as_words_or_flags() {
        assert_eq!(
            parse(&[
                "user=bob",
                "api.chunk.enable=1",
                "--api.chunk.size",
                "10",
                "--api.sort.a.field=user"
            ])
            .unwrap(),
            pairs(&[
                ("user", "bob"),
                ("api.chunk.enable", "1"),
                ("api.chunk.size", "10"),
                ("api.sort.a.field", "user")
            ])
        );
    }

    #[test]
    fn refuses_generic_options_where_the_spec_has_no_list() {
        let mut function = sample();
        function.generic_options = false;
        let err = check(
            &function,
            &pairs(&[("user", "bob"), ("api.filter.enable", "1")]),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ArgError::GenericOptionRefused("api.filter.enable".into())
        );
    }

    #[test]
    fn names_unknown_parameters_with_a_suggestion() {
        let err = parse(&["usr=bob"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "There is no “usr” parameter. Did you mean “user”? \
             The parameters are “user”, “count”, “enabled” and “acl”."
        );
        assert!(matches!(
            parse(&["api.version=0", "user=bob"]),
            Err(ArgError::Unknown { .. })
        ));
        assert!(matches!(parse(&["bob"]), Err(ArgError::NotAPair(_))));
        assert!(matches!(parse(&["=bob"]), Err(ArgError::NotAPair(_))));
    }

    #[test]
    fn the_request_type_checks_presence_and_types() {
        let Err(ArgError::Invalid(missing)) = parse(&["count=3"]) else {
            panic!("accepted")
        };
        assert_eq!(missing.param, "user");
        assert_eq!(missing.problem, Problem::Missing);
        let Err(ArgError::Invalid(typed)) = parse(&["user=bob", "--count", "three"]) else {
            panic!("accepted")
        };
        assert_eq!(
            typed.to_string(),
            "The “count” parameter must be an integer; received “three”."
        );
        let Err(ArgError::Invalid(twice)) = parse(&["user=bob", "--user", "al"]) else {
            panic!("accepted")
        };
        assert_eq!(twice.problem, Problem::Repeated);
    }
}
