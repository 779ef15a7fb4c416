//! The machinery of the `whmapi1` command line, the same for every function.
//!
//! The generated crate describes each function once, as a [`Function`]: a
//! clap [`Command`] with one argument per parameter (built from the spec with
//! [`param`], [`list_param`] and [`values`]) and the generated request type,
//! whose `from_params` checks the arguments before anything is sent. This
//! module does the rest:
//!
//! - [`args`]: reads `key=value` words (as cPanel's `whmapi1` takes them) and
//!   `--key value` flags into [`Params`] in the order given,
//!   passes WHM's generic output options through (`api.filter.*`,
//!   `api.sort.*`, `api.chunk.*`, `api.columns.*`) and refuses unknown or
//!   ill-typed arguments with a message that names them;
//! - [`settings`]: finds the server and credentials in flags, environment
//!   variables and a config file, in that order of precedence;
//! - [`output`]: prints the response as YAML (the default, as `whmapi1`
//!   does), JSON, pretty JSON or XML;
//! - [`app`]: the top-level command, the listing of functions by category,
//!   shell completions and [`run`] itself, with the [`Exit`] codes.
//!
//! The generated binary is one line: `whm_runtime::cli::main(functions())`.

pub mod app;
pub mod args;
pub mod output;
pub mod settings;

use std::borrow::Cow;
use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, Command};

use crate::{ApiFunction, ParamError, Params};

pub use app::{EXIT_STATUSES, Exit, main, run};
/// The clap version the generated argument definitions are written against.
pub use clap;

/// The id of the positional argument that takes `key=value` words.
pub(crate) const PAIRS_ID: &str = "whmapi1.pairs";
/// The id of a function's own `--output`.
pub(crate) const OUTPUT_ID: &str = "whmapi1.output";
/// The id of a function's own `--dry-run`.
pub(crate) const DRY_RUN_ID: &str = "whmapi1.dry-run";
/// The help heading of a function's parameters.
const PARAMETERS_HEADING: &str = "Parameters";
/// The value name the generated code gives a boolean parameter (see [`param`]):
/// `whmapi1` sends `true`, `yes` and `on` as `1`, `false`, `no` and `off` as `0`.
pub const BOOLEAN_VALUE_NAME: &str = "1|0";

/// One WHM API 1 function as the command line knows it.
#[derive(Debug, Clone)]
pub struct Function {
    /// The wire name: the command's own name, except for a function outside
    /// the registry, known only at run time, whose command has a fixed name
    /// (clap command names are `&'static str` without its `string` feature).
    name: Cow<'static, str>,
    category: &'static str,
    command: Command,
    check: fn(&Params) -> Result<(), ParamError>,
    generic_options: bool,
    numbered: &'static [&'static str],
    /// The numbered list parameters whose numbering starts at 0 (`whitelist_ip-0`).
    numbered_from_zero: &'static [&'static str],
    /// The fixed parts of parameters named by a pattern (`MXCHECK-` of `MXCHECK-*`).
    patterns: &'static [&'static str],
    /// The sensitive parameters kept out of URLs: sent in a POST body, masked in dry runs.
    secret: &'static [&'static str],
    /// False for a WHM function that has no spec: its words are sent unchecked.
    checked: bool,
    /// Whether the call is a POST with a form body ([`ApiFunction::POST`]).
    post: bool,
    /// False for a name outside the registry (neither specified nor in the catalogue).
    known: bool,
}

impl Function {
    /// The function of request type `R`, in the category titled `category`.
    ///
    /// `command` carries one argument per parameter; this adds the trailing
    /// `KEY=VALUE` words and names the command after `R::NAME`, so the
    /// command and the request that checks it cannot disagree.
    pub fn new<R: ApiFunction>(category: &'static str, command: Command) -> Self {
        // A parameter called `help` keeps only its `help=value` form: `--help` is help.
        let command = if command
            .get_arguments()
            .any(|a| a.get_long() == Some("help"))
        {
            command.mut_arg("help", |a| a.long(None))
        } else {
            command
        };
        Function {
            name: Cow::Borrowed(R::NAME),
            category,
            command: finish(command.name(R::NAME), true),
            check: check::<R>,
            generic_options: false,
            numbered: &[],
            numbered_from_zero: &[],
            patterns: &[],
            secret: if R::POST { R::SENSITIVE } else { &[] },
            checked: true,
            post: R::POST,
            known: true,
        }
    }

    /// A WHM API 1 function that has no spec yet, so that `whmapi1` can call
    /// it as cPanel's does: its `key=value` words are sent as given, unchecked,
    /// generic output options included.
    pub fn unchecked(category: &'static str, name: &'static str) -> Self {
        let command = Command::new(name)
            .about(UNCHECKED_SUMMARY)
            .long_about(format!(
                "{name} is a WHM API 1 function that has no spec here yet, so whmapi1 cannot \
                 check its arguments: it sends the key=value words as given, in the order \
                 given. WHM's documentation of {name} says which parameters it takes."
            ))
            .override_usage(format!("whmapi1 [OPTIONS] {name} [KEY=VALUE]..."))
            // `whmapi1 --help` lists the specified functions; `--list` lists all.
            .hide(true);
        Function {
            name: Cow::Borrowed(name),
            category,
            command: finish(command, false),
            check: |_| Ok(()),
            generic_options: true,
            numbered: &[],
            numbered_from_zero: &[],
            patterns: &[],
            secret: &[],
            checked: false,
            post: false,
            known: true,
        }
    }

    /// A name that is neither specified nor in the catalogue: a function newer
    /// than the catalogue, or a typo. As cPanel's `whmapi1` does, it is sent
    /// with its `key=value` words unchecked (`run` warns first).
    pub(crate) fn unknown(name: &str) -> Self {
        let command = Command::new(UNKNOWN_ID)
            .about(format!(
                "{name} is not a function whmapi1 knows: it is neither specified nor in \
                 its catalogue of WHM API 1 functions."
            ))
            .long_about(format!(
                "{name} is not a function whmapi1 knows: it is neither specified nor in its \
                 catalogue of WHM API 1 functions (“whmapi1 --list” lists them). As cPanel's \
                 whmapi1 does, whmapi1 sends it to the server anyway, with its key=value words \
                 unchecked, in the order given; a server that has no such function answers \
                 result 0."
            ))
            .override_usage(format!("whmapi1 [OPTIONS] {name} [KEY=VALUE]..."));
        Function {
            name: Cow::Owned(name.to_owned()),
            category: "",
            command: finish(command, false),
            check: |_| Ok(()),
            generic_options: true,
            numbered: &[],
            numbered_from_zero: &[],
            patterns: &[],
            secret: &[],
            checked: false,
            post: false,
            known: false,
        }
    }

    /// Marks the function as accepting WHM's generic output options
    /// (`api.filter.*`, `api.sort.*`, `api.chunk.*`, `api.columns.*`).
    pub fn generic_options(mut self) -> Self {
        self.generic_options = true;
        // Before the spec's example, in both the short and the long help.
        let long = match self.command.get_after_long_help() {
            Some(example) => format!("{GENERIC_OPTIONS_HELP}\n\n{example}"),
            None => GENERIC_OPTIONS_HELP.to_owned(),
        };
        self.command = self
            .command
            .after_help(GENERIC_OPTIONS_HELP)
            .after_long_help(long);
        self
    }

    /// Names the list parameters sent as numbered keys (`acl-1=a&acl-2=b`):
    /// repeated `--acl` flags are numbered in the order given.
    pub fn numbered_lists(mut self, names: &'static [&'static str]) -> Self {
        self.numbered = names;
        self
    }

    /// Names the numbered list parameters whose keys count from 0
    /// (`whitelist_ip-0`, `whitelist_ip-1`); the others count from 1.
    pub fn numbered_from_zero(mut self, names: &'static [&'static str]) -> Self {
        self.numbered_from_zero = names;
        self
    }

    /// Names the fixed parts of the parameters named by a pattern: with
    /// `MXCHECK-`, any word `MXCHECK-example.com=local` is a parameter.
    pub fn pattern_params(mut self, prefixes: &'static [&'static str]) -> Self {
        self.patterns = prefixes;
        self
    }

    /// Whether `key` is one of the parameters named by a pattern (`MXCHECK-example.com`).
    pub fn matches_pattern(&self, key: &str) -> bool {
        self.patterns
            .iter()
            .any(|prefix| key.len() > prefix.len() && key.starts_with(prefix))
    }

    /// The number of the first key of the numbered list parameter `name`.
    pub fn first_index(&self, name: &str) -> usize {
        usize::from(!self.numbered_from_zero.contains(&name))
    }

    /// The function's wire name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The title of the function's category.
    pub fn category(&self) -> &'static str {
        self.category
    }

    /// The one-line summary, as the function listing shows it.
    pub fn summary(&self) -> String {
        self.command
            .get_about()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// The clap command: the function's arguments and help.
    pub fn command(&self) -> &Command {
        &self.command
    }

    /// Whether the function has a spec, so that its arguments are checked.
    pub fn is_checked(&self) -> bool {
        self.checked
    }

    /// Whether the function accepts WHM's generic output options.
    pub fn accepts_generic_options(&self) -> bool {
        self.generic_options
    }

    /// Checks decoded parameters with the request type's `from_params`.
    pub fn check(&self, params: &Params) -> Result<(), ParamError> {
        (self.check)(params)
    }

    /// The wire names of the function's parameters, in spec order.
    pub fn param_names(&self) -> impl Iterator<Item = &str> {
        self.params().map(|arg| arg.get_id().as_str())
    }

    /// Whether the function is sent as a POST with a form body ([`ApiFunction::POST`]):
    /// it has sensitive parameters that must stay out of URLs.
    pub fn posts(&self) -> bool {
        self.post
    }

    /// Whether the function is in the registry: specified, or in the catalogue.
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// Whether `key` is a boolean parameter, or a numbered value (`name-2`) of a
    /// list of booleans: its value is sent as `1` or `0`.
    pub fn is_boolean(&self, key: &str) -> bool {
        let boolean = |name: &str| {
            self.params().any(|arg| {
                arg.get_id() == name
                    && arg
                        .get_value_names()
                        .is_some_and(|names| names.iter().any(|n| n == BOOLEAN_VALUE_NAME))
            })
        };
        boolean(key)
            || key.rsplit_once('-').is_some_and(|(name, n)| {
                !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && self.is_list(name)
                    && boolean(name)
            })
    }

    /// Whether `name` is a sensitive parameter that `--dry-run` prints as `<redacted>`.
    pub fn is_secret(&self, name: &str) -> bool {
        self.secret.contains(&name)
    }

    /// Whether `name` is a list parameter sent as numbered keys.
    pub fn is_numbered(&self, name: &str) -> bool {
        self.numbered.contains(&name)
    }

    /// The arguments that stand for parameters (not `--help`, not the words).
    pub(crate) fn params(&self) -> impl Iterator<Item = &Arg> {
        self.command
            .get_arguments()
            .filter(|arg| arg.get_help_heading() == Some(PARAMETERS_HEADING))
    }

    /// Whether the parameter `name` takes a list.
    pub(crate) fn is_list(&self, name: &str) -> bool {
        self.params()
            .any(|arg| arg.get_id() == name && matches!(arg.get_action(), ArgAction::Append))
    }
}

/// The clap name of the command of a function outside the registry.
const UNKNOWN_ID: &str = "whmapi1.unknown";

/// The summary of a function that has no spec, as the listing shows it.
const UNCHECKED_SUMMARY: &str = "(no spec yet: key=value words sent unchecked)";

/// Adds what every function's command has: the `KEY=VALUE` words and `--help`.
fn finish(command: Command, checked: bool) -> Command {
    let long_help = if checked {
        "Parameters as cPanel's whmapi1 takes them: key=value, unencoded \
         (whmapi1 encodes them). They may be mixed with --key value flags; \
         they are sent in the order given."
    } else {
        "Parameters as cPanel's whmapi1 takes them: key=value, unencoded \
         (whmapi1 encodes them). They are sent in the order given."
    };
    let pairs = Arg::new(PAIRS_ID)
        .value_name("KEY=VALUE")
        .num_args(0..)
        .action(ArgAction::Append)
        .help("Parameters as cPanel's whmapi1 takes them: key=value, unencoded")
        .long_help(long_help);
    // Help after the parameters, so that `--help` shows them first.
    let help = Arg::new("whmapi1.help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help_heading("Options")
        .help("Print help (a summary with -h)");
    let mut command = command.arg(pairs);
    // `--output` and `--dry-run` may also follow the function, as long as no
    // parameter has their name.
    let free = |long: &str| !command.get_arguments().any(|a| a.get_long() == Some(long));
    let (output_free, dry_run_free) = (free("output"), free("dry-run"));
    if output_free {
        command = command.arg(
            Arg::new(OUTPUT_ID)
                .long("output")
                .value_name("FORMAT")
                .value_parser(output::OutputFormat::NAMES)
                .help_heading("Options")
                .help("How to print the response, as before the function"),
        );
    }
    if dry_run_free {
        command = command.arg(
            Arg::new(DRY_RUN_ID)
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help_heading("Options")
                .help("Print the request instead of sending it, as before the function"),
        );
    }
    command
        .arg(help)
        .disable_help_flag(true)
        .disable_version_flag(true)
}

/// What `--help` says after a list function's parameters.
const GENERIC_OPTIONS_HELP: &str = "This function also takes WHM's generic output options as \
key=value words: api.filter.*, api.sort.*, api.chunk.* and api.columns.* \
(for example api.chunk.enable=1 api.chunk.size=10).";

/// Checks parameters by reading them into `R`; the request itself is not kept,
/// since what is sent is the user's own words, in the user's order.
fn check<R: ApiFunction>(params: &Params) -> Result<(), ParamError> {
    R::from_params(params).map(drop)
}

/// A parameter that takes one value: `--name VALUE_NAME`.
///
/// `value_name` shows the type (`STRING`, `INTEGER`, `URL`, `1|0`). The
/// argument is never marked required for clap, since a `key=value` word may
/// give it instead; the request's `from_params` checks presence.
pub fn param(name: &'static str, value_name: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value_name)
        .action(ArgAction::Set)
        .allow_hyphen_values(true)
        .help_heading(PARAMETERS_HEADING)
}

/// A list parameter: `--name VALUE` given once per value.
pub fn list_param(name: &'static str, value_name: &'static str) -> Arg {
    param(name, value_name).action(ArgAction::Append)
}

/// The documented values of a parameter as (value, meaning) pairs, for help and completions.
///
/// Unlike clap's own possible values these refuse nothing: the request's
/// `from_params` checks every argument, flag or `key=value` word, the same
/// way and with the same message.
pub fn values(values: &'static [(&'static str, &'static str)]) -> DocumentedValues {
    DocumentedValues { values }
}

/// A value parser that accepts any UTF-8 text and reports documented values; see [`values`].
#[derive(Debug, Clone, Copy)]
pub struct DocumentedValues {
    values: &'static [(&'static str, &'static str)],
}

impl TypedValueParser for DocumentedValues {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        utf8(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().map(|(value, meaning)| {
            let value = PossibleValue::new(*value);
            if meaning.is_empty() {
                value
            } else {
                value.help(*meaning)
            }
        })))
    }
}

/// The text of an argument, refusing bytes that are not UTF-8 (WHM takes UTF-8 only).
fn utf8(cmd: &Command, _arg: Option<&Arg>, value: &OsStr) -> Result<String, clap::Error> {
    match value.to_str() {
        Some(text) => Ok(text.to_owned()),
        None => Err(clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{ApiFunction, NoData, ParamError, Params, QueryBuilder};

    /// A hand-written stand-in for a generated request type: one required
    /// string, one optional integer, one boolean and one numbered list.
    #[derive(Debug)]
    pub(crate) struct Sample;

    impl ApiFunction for Sample {
        const NAME: &'static str = "sample";
        const OUTPUT_RAW: bool = false;
        type Data = NoData;

        fn to_query(&self, _query: &mut QueryBuilder) {}

        fn from_params(p: &Params) -> Result<Self, ParamError> {
            p.required::<String>("user")?;
            p.optional::<i64>("count")?;
            p.optional::<bool>("enabled")?;
            p.list::<String>("acl")?;
            Ok(Sample)
        }
    }

    /// The sample function as the generated code would describe it.
    pub(crate) fn sample() -> Function {
        let command = Command::new("sample")
            .about("Does a sample thing.")
            .arg(param("user", "USERNAME").help("Required. The user."))
            .arg(param("count", "INTEGER").help("How many."))
            .arg(
                param("enabled", "1|0")
                    .value_parser(values(&[("1", ""), ("0", "")]))
                    .default_value("1"),
            )
            .arg(list_param("acl", "STRING").help("ACL names."));
        Function::new::<Sample>("Samples", command)
            .generic_options()
            .numbered_lists(&["acl"])
    }

    #[test]
    fn knows_its_parameters_and_lists() {
        let f = sample();
        assert_eq!(f.name(), "sample");
        assert_eq!(
            f.param_names().collect::<Vec<_>>(),
            ["user", "count", "enabled", "acl"]
        );
        assert!(f.is_list("acl") && !f.is_list("user"));
        assert!(f.is_numbered("acl"));
        assert_eq!(f.summary(), "Does a sample thing.");
    }

    #[test]
    fn a_parameter_called_help_is_a_word_only() {
        let command = Command::new("sample")
            .arg(param("help", "STRING"))
            .arg(param("user", "STRING"));
        let function = Function::new::<Sample>("Samples", command);
        let mut cmd = function.command().clone();
        cmd.build();
        let matches = cmd.try_get_matches_from(["sample", "help=x", "user=u"]);
        assert!(matches.is_ok(), "{matches:?}");
        assert!(function.param_names().any(|name| name == "help"));
    }

    #[test]
    fn generic_options_are_explained_before_the_example() {
        let command = Command::new("sample").after_long_help("Example:\n  whmapi1 sample user=u");
        let mut cmd = Function::new::<Sample>("Samples", command)
            .generic_options()
            .command()
            .clone();
        let help = cmd.render_long_help().to_string();
        let generic = help.find("api.filter.*").unwrap_or(usize::MAX);
        assert!(generic < help.find("Example:").unwrap_or(0), "{help}");
    }

    #[test]
    fn documented_values_show_in_help_but_refuse_nothing() {
        let mut cmd = sample().command().clone();
        let help = cmd.render_long_help().to_string();
        assert!(help.contains("[possible values: 1, 0]"), "{help}");
        let parameters = help.find("Parameters:").unwrap_or(usize::MAX);
        assert!(parameters < help.find("Options:").unwrap_or(0), "{help}");
        let m = cmd.try_get_matches_from(["sample", "--enabled", "maybe"]);
        assert!(m.is_ok(), "the request type checks values, not clap");
    }
}
