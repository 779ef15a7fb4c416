//! From a function's command-line arguments to checked query parameters.
//!
//! cPanel's `whmapi1` takes parameters as `key=value` words, unencoded; this
//! command line takes those and `--key value` flags, in any mix. What is sent
//! is what the user typed, in the order typed (the client encodes it), with
//! booleans written `1` or `0` (from `true`, `yes`, `on`, `false`, `no`, `off`),
//! after these checks: every key is a parameter of the function (or one of
//! WHM's generic output options, for a function that returns a list), and the
//! function's generated request type reads the whole set without error; every
//! parameter it refuses is named, not only the first. A WHM function that has
//! no spec takes any `key=value` words, unchecked.

use std::ffi::OsString;
use std::fmt;

use clap::ArgMatches;
use clap::parser::ValueSource;

use super::{Function, PAIRS_ID};
use crate::query::Problem;
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
    /// The values the function's request type refused (missing, ill-typed,
    /// repeated), in the order it reads its parameters; never empty.
    Invalid(Vec<ParamError>),
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
            ArgError::Invalid(errors) => write_problems(f, errors),
        }
    }
}

impl std::error::Error for ArgError {}

/// Writes the request type's problems as sentences, the missing parameters in one:
/// “The “a” and “b” parameters are required.”
fn write_problems(f: &mut fmt::Formatter<'_>, errors: &[ParamError]) -> fmt::Result {
    let missing: Vec<String> = errors
        .iter()
        .filter(|e| e.problem == Problem::Missing)
        .map(|e| format!("“{}”", e.param))
        .collect();
    let mut sentences = Vec::new();
    let mut missing_said = false;
    for error in errors {
        if error.problem != Problem::Missing {
            sentences.push(error.to_string());
        } else if !missing_said {
            missing_said = true;
            sentences.push(match missing.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!(
                        "The {} and {last} parameters are required.",
                        rest.join(", ")
                    )
                }
                _ => error.to_string(),
            });
        }
    }
    f.write_str(&sentences.join(" "))
}

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

/// The parameters `whmapi1` sends: [`collect`]ed, booleans [`normalise_booleans`]d,
/// then [`check`]ed.
pub fn prepare(
    function: &Function,
    matches: &ArgMatches,
) -> Result<Vec<(String, String)>, ArgError> {
    let mut pairs = collect(function, matches)?;
    normalise_booleans(function, &mut pairs);
    check(function, &pairs)?;
    Ok(pairs)
}

/// Writes the values of boolean parameters as WHM takes them: `true`, `yes`
/// and `on` as `1`, `false`, `no` and `off` as `0`, in any case. Other values
/// are left for [`check`] to refuse, naming the parameter.
pub fn normalise_booleans(function: &Function, pairs: &mut [(String, String)]) {
    for (key, value) in pairs.iter_mut() {
        if !function.is_boolean(key) {
            continue;
        }
        let word = value.trim().to_ascii_lowercase();
        if let Some(bit) = match word.as_str() {
            "1" | "true" | "yes" | "on" => Some("1"),
            "0" | "false" | "no" | "off" => Some("0"),
            _ => None,
        } {
            *value = bit.to_owned();
        }
    }
}

/// Checks the keys and values of `pairs` against `function`'s spec.
pub fn check(function: &Function, pairs: &[(String, String)]) -> Result<(), ArgError> {
    for (key, _) in pairs {
        check_key(function, key)?;
    }
    let problems = problems(function, pairs);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ArgError::Invalid(problems))
    }
}

/// Every parameter the request type refuses, not only the first it reports.
///
/// The request type stops at the first problem, so each one found is set
/// aside: the parameter is given a stand-in value its type accepts (one of
/// its documented values, else the first of [`STAND_INS`] it takes), and
/// the request read again, until it reads or no stand-in fits.
fn problems(function: &Function, pairs: &[(String, String)]) -> Vec<ParamError> {
    let mut pairs = pairs.to_vec();
    let mut found: Vec<ParamError> = Vec::new();
    // Each round sets one parameter aside, so there are at most this many.
    let rounds = pairs.len() + function.param_names().count() + 1;
    for _ in 0..rounds {
        let Err(error) = function.check(&Params::from_pairs(pairs.clone())) else {
            break;
        };
        if found.iter().any(|f| f.param == error.param) {
            break;
        }
        let fixed = stand_in(function, &pairs, &error.param);
        found.push(error);
        match fixed {
            Some(fixed) => pairs = fixed,
            None => break,
        }
    }
    found
}

/// Values that one parameter type or another accepts, tried in order by [`problems`].
const STAND_INS: [&str; 10] = [
    "0",
    "user",
    "https://example.com/",
    "user@example.com",
    "192.0.2.1",
    "example.com",
    "unlimited",
    "{}",
    "[]",
    "x",
];

/// `pairs` with `key` given one stand-in value that the request type no longer refuses.
fn stand_in(
    function: &Function,
    pairs: &[(String, String)],
    key: &str,
) -> Option<Vec<(String, String)>> {
    let base = key
        .rsplit_once('-')
        .filter(|(name, _)| function.is_list(name))
        .map_or(key, |(name, _)| name);
    let documented: Vec<String> = function
        .params()
        .find(|arg| arg.get_id() == base)
        .map(|arg| {
            arg.get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let candidates = documented
        .iter()
        .map(String::as_str)
        .chain(STAND_INS.iter().copied());
    for candidate in candidates {
        let mut tried: Vec<(String, String)> =
            pairs.iter().filter(|(k, _)| k != key).cloned().collect();
        tried.push((key.to_owned(), candidate.to_owned()));
        match function.check(&Params::from_pairs(tried.clone())) {
            Err(e) if e.param == key => continue,
            _ => return Some(tried),
        }
    }
    None
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
        prepare(&function, &matches)
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
        assert_eq!(missing, [ParamError::missing("user")]);
        let Err(typed) = parse(&["user=bob", "--count", "three"]) else {
            panic!("accepted")
        };
        assert_eq!(
            typed.to_string(),
            "The “count” parameter must be an integer; received “three”."
        );
        let Err(ArgError::Invalid(twice)) = parse(&["user=bob", "--user", "al"]) else {
            panic!("accepted")
        };
        assert_eq!(twice[0].problem, Problem::Repeated);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let Err(e) = parse(&["count=x", "enabled=maybe", "acl-2=a"]) else {
            panic!("accepted")
        };
        assert_eq!(
            e.to_string(),
            "The “user” parameter is required. The “count” parameter must be an integer; \
             received “x”. The “enabled” parameter must be 1 or 0; received “maybe”."
        );
    }

    #[test]
    fn booleans_are_sent_as_1_or_0() {
        for (given, sent) in [
            ("true", "1"),
            ("Yes", "1"),
            ("on", "1"),
            ("1", "1"),
            ("false", "0"),
            ("NO", "0"),
            ("off", "0"),
            ("0", "0"),
        ] {
            assert_eq!(
                parse(&["user=bob", &format!("enabled={given}")]).unwrap(),
                pairs(&[("user", "bob"), ("enabled", sent)]),
                "{given}"
            );
            assert_eq!(
                parse(&["user=bob", "--enabled", given]).unwrap(),
                pairs(&[("user", "bob"), ("enabled", sent)]),
                "--enabled {given}"
            );
        }
        // Strings are not booleans: sent as typed.
        assert_eq!(parse(&["user=yes"]).unwrap(), pairs(&[("user", "yes")]));
        let Err(e) = parse(&["user=bob", "enabled=maybe"]) else {
            panic!("accepted")
        };
        assert_eq!(
            e.to_string(),
            "The “enabled” parameter must be 1 or 0; received “maybe”."
        );
    }
}
