//! The `whmapi1` command: its options, one subcommand per function, and [`run`].
//!
//! ```text
//! whmapi1 [OPTIONS] FUNCTION [KEY=VALUE | --key value]...
//! whmapi1 help FUNCTION
//! whmapi1 --list
//! whmapi1 --completions SHELL
//! ```

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use clap_complete::Shell;

use super::args;
use super::output::{OutputFormat, failure_tree, render};
use super::settings::{self, Credential, Layer, Settings, WHM_HTTP_PORT, WHM_PORT};
use super::{DRY_RUN_ID, Function, OUTPUT_ID};
use crate::QueryBuilder;
use crate::client::{self, Client};

/// How `whmapi1` ends; its exit status is the discriminant. What each means
/// is said once, in [`EXIT_STATUSES`], which `whmapi1 --help` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// The call succeeded, or nothing was to be called.
    Success = 0,
    /// WHM answered `result` 0.
    CallFailed = 1,
    /// Nothing was sent: the command line, settings or credential are wrong or missing.
    Usage = 2,
    /// No WHM answer: the server could not be reached, or answered something else.
    Unavailable = 3,
    /// The server refused the credential (HTTP 401 or 403).
    Denied = 4,
}

/// Every exit status of `whmapi1`, in code order, with what it means: the
/// table `whmapi1 --help` prints (and the tests read).
pub const EXIT_STATUSES: [(Exit, &str); 5] = [
    (
        Exit::Success,
        "success (also after help, a listing, completions or a dry run)",
    ),
    (
        Exit::CallFailed,
        "WHM answered result 0: the answer is printed, its reason repeated on stderr",
    ),
    (
        Exit::Usage,
        "wrong arguments, settings or config file, or no credential: nothing was sent",
    ),
    (
        Exit::Unavailable,
        "could not reach the server (connection, TLS, timeout), or its answer is not a WHM answer",
    ),
    (
        Exit::Denied,
        "the server refused the credential: HTTP 401 or 403",
    ),
];

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// What the status means, from [`EXIT_STATUSES`].
    pub fn meaning(self) -> &'static str {
        EXIT_STATUSES
            .iter()
            .find(|(exit, _)| *exit == self)
            .map_or("", |(_, meaning)| meaning)
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// What `whmapi1 --help` says after the options, before the exit statuses.
const LONG_HELP_FOOTER: &str = "\
Parameters follow the function as key=value words, unencoded, as cPanel's whmapi1 takes them, \
or as --key value flags; whmapi1 checks them against the function's spec, encodes them and sends \
them in the order given. Boolean parameters take 1, true, yes or on, sent as 1, and 0, false, no \
or off, sent as 0. Functions that return lists also take WHM's generic output options: \
api.filter.*, api.sort.*, api.chunk.* and api.columns.*. A function whmapi1 does not know \
(newer than its catalogue) is sent as given, unchecked, with a warning.

Each setting comes from the first of these that gives it:
  1. the options above;
  2. the environment: WHM_HOST, WHM_USER, WHM_API_TOKEN, WHM_PASSWORD, WHM_SESSION, WHM_INSECURE
     (1 or 0), WHM_TIMEOUT (seconds);
  3. the config file: --config PATH, else $WHMAPI1_CONFIG, else $XDG_CONFIG_HOME/whmapi1/config.yaml
     or ~/.config/whmapi1/config.yaml; YAML with the keys host, user, token, password, session,
     insecure and timeout;
  4. defaults: user root, certificates checked.
An API token or a password is taken whole, with the user given beside it (root when none is), from \
the first place that gives either: --token is sent as root or as --user, never as the config \
file's user. A user given in an earlier place than the credential (--user bob, the token in \
WHM_API_TOKEN) must be the credential's own user. A call needs a credential; a dry run does not. \
--no-insecure checks certificates even when WHM_INSECURE or the config file says not to.";

/// The help text after the options: [`LONG_HELP_FOOTER`], then [`EXIT_STATUSES`].
fn long_help_footer() -> String {
    let mut text = format!("{LONG_HELP_FOOTER}\n\nExit status:\n");
    for (exit, meaning) in EXIT_STATUSES {
        text.push_str(&format!("  {}  {meaning}\n", exit.code()));
    }
    text.truncate(text.trim_end().len());
    text
}

/// The top-level command with one subcommand per function.
pub fn command(functions: &[Function]) -> Command {
    Command::new("whmapi1")
        .about("Calls WHM API 1 functions on a WHM server, as cPanel's whmapi1 does.")
        .version(env!("CARGO_PKG_VERSION"))
        .override_usage(
            "whmapi1 [OPTIONS] FUNCTION [KEY=VALUE]...\n       whmapi1 help FUNCTION\n       \
             whmapi1 --list\n       whmapi1 --completions SHELL",
        )
        .subcommand_value_name("FUNCTION")
        .subcommand_help_heading("Functions")
        .disable_help_subcommand(true)
        // A function outside the registry is sent anyway, as cPanel's whmapi1 sends any
        // name; `run` reads its words with [`Function::unknown`]. So is `help`.
        .allow_external_subcommands(true)
        .args(options())
        .subcommands(functions.iter().map(|f| f.command().clone()))
        .after_long_help(long_help_footer())
}

/// The options before the function.
fn options() -> Vec<Arg> {
    vec![
        Arg::new("output")
            .long("output")
            .value_name("FORMAT")
            .value_parser(OutputFormat::NAMES)
            .default_value(OutputFormat::default().name())
            .help("How to print the response"),
        Arg::new("host")
            .long("host")
            .value_name("HOST")
            .help("The WHM server: HOST (port 2087 over HTTPS), HOST:PORT or a URL (http://HOST:2086 for plain HTTP) [env: WHM_HOST]"),
        Arg::new("user").long("user").value_name("USER").help("The WHM user to authenticate as [default: root] [env: WHM_USER]"),
        Arg::new("token").long("token").value_name("TOKEN").help("An API token [env: WHM_API_TOKEN]"),
        Arg::new("password")
            .long("password")
            .value_name("PASSWORD")
            .conflicts_with("token")
            .help("A password, for HTTP basic authentication [env: WHM_PASSWORD]"),
        Arg::new("session")
            .long("session")
            .value_name("CPSESS")
            .help("A session's security token (cpsess…), the URL's first path segment [env: WHM_SESSION]"),
        Arg::new("insecure")
            .long("insecure")
            .action(ArgAction::SetTrue)
            .overrides_with("no-insecure")
            .help("Accept an invalid TLS certificate, such as WHM's self-signed one [env: WHM_INSECURE]"),
        Arg::new("no-insecure")
            .long("no-insecure")
            .action(ArgAction::SetTrue)
            .overrides_with("insecure")
            .help("Check TLS certificates, even when WHM_INSECURE or the config file says not to (the last of --insecure and --no-insecure wins)"),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .value_parser(value_parser!(u64))
            .help("Give up on the call after this many seconds [env: WHM_TIMEOUT]"),
        Arg::new("config")
            .long("config")
            .value_name("PATH")
            .value_parser(value_parser!(PathBuf))
            .help("The config file [env: WHMAPI1_CONFIG]"),
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("Check the arguments and print the request that would be sent (method, URL, any form body), without credentials; send nothing"),
        Arg::new("list")
            .long("list")
            .action(ArgAction::SetTrue)
            .exclusive(true)
            .help("List the functions by category"),
        Arg::new("completions")
            .long("completions")
            .value_name("SHELL")
            .value_parser(value_parser!(Shell))
            .exclusive(true)
            .help("Print a completion script for a shell"),
    ]
}

/// Runs `whmapi1` with the process's arguments, environment and standard streams.
pub fn main(functions: Vec<Function>) -> ExitCode {
    let env = |name: &str| std::env::var(name).ok();
    let (stdout, stderr) = (io::stdout(), io::stderr());
    run(
        functions,
        std::env::args_os(),
        &env,
        &mut stdout.lock(),
        &mut stderr.lock(),
    )
    .into()
}

/// Runs `whmapi1`: `args` starts with the program's name; `env` reads environment variables.
///
/// The response goes to `out`; messages, prefixed `whmapi1:`, go to `err`.
/// Output that cannot be written (a closed pipe) is dropped silently.
pub fn run<I, T>(
    functions: Vec<Function>,
    args: I,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args = args::lift_generic_flags(args.into_iter().map(Into::into).collect());
    let mut top = command(&functions);
    let matches = match top.try_get_matches_from_mut(args) {
        Ok(matches) => matches,
        Err(e) => return clap_exit(&e, out, err),
    };
    if let Some(shell) = matches.get_one::<Shell>("completions") {
        // Written whole here: clap_complete panics when its writer fails (a closed pipe).
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut top, "whmapi1", &mut script);
        let _ = out.write_all(&script);
        return Exit::Success;
    }
    if matches.get_flag("list") {
        let _ = out.write_all(listing(&functions).as_bytes());
        return Exit::Success;
    }
    let Some((name, sub)) = matches.subcommand() else {
        let _ = writeln!(
            err,
            "whmapi1: no function given. “whmapi1 --list” lists them; “whmapi1 --help” explains the options."
        );
        return Exit::Usage;
    };
    let registered = functions.iter().find(|f| f.name() == name);
    if registered.is_none() && name == "help" {
        return help(functions, sub, env, out, err);
    }
    // A function outside the registry: its words are read by a command of its own.
    let unknown;
    let unknown_matches;
    let (function, sub) = match registered {
        Some(function) => (function, sub),
        None => {
            if let Err(message) = check_function_name(name) {
                let _ = writeln!(err, "whmapi1: {message}");
                return Exit::Usage;
            }
            unknown = Function::unknown(name);
            let words = sub
                .try_get_many::<OsString>("")
                .ok()
                .flatten()
                .into_iter()
                .flatten()
                .cloned();
            let argv = std::iter::once(OsString::from(name)).chain(words);
            unknown_matches = match unknown.command().clone().try_get_matches_from(argv) {
                Ok(matches) => matches,
                Err(e) => return clap_exit(&e, out, err),
            };
            (&unknown, &unknown_matches)
        }
    };
    let pairs = match args::prepare(function, sub) {
        Ok(pairs) => pairs,
        Err(e) => {
            let _ = writeln!(err, "whmapi1: {name}: {e}");
            let _ = writeln!(err, "“whmapi1 {name} --help” describes its parameters.");
            return Exit::Usage;
        }
    };
    // After the function (when the function has them), else before it.
    let format = sub
        .try_get_one::<String>(OUTPUT_ID)
        .ok()
        .flatten()
        .or_else(|| matches.get_one::<String>("output"))
        .and_then(|name| name.parse().ok())
        .unwrap_or_default();
    let dry_run = sub.try_get_one::<bool>(DRY_RUN_ID).ok().flatten() == Some(&true)
        || matches.get_flag("dry-run");
    let settings = match resolve_settings(&matches, env, err) {
        Ok(settings) => settings,
        Err(message) => {
            let _ = writeln!(err, "whmapi1: {message}");
            return Exit::Usage;
        }
    };
    if settings.credential.is_none() && !dry_run {
        let _ = writeln!(err, "whmapi1: {NO_CREDENTIAL}");
        return Exit::Usage;
    }
    let client = match build_client(&settings) {
        Ok(client) => client,
        Err(e) => {
            let _ = writeln!(err, "whmapi1: {e}");
            return Exit::Usage;
        }
    };
    if !function.is_known() {
        let _ = writeln!(
            err,
            "whmapi1: warning: {}",
            unknown_warning(&functions, name)
        );
    }
    if dry_run {
        let _ = out.write_all(dry_run_request(&client, function, &pairs, format).as_bytes());
        return Exit::Success;
    }
    let mut query = QueryBuilder::new();
    for (key, value) in &pairs {
        query.push(key, value.as_str());
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = writeln!(err, "whmapi1: cannot start the HTTP client: {e}");
            return Exit::Unavailable;
        }
    };
    let outcome = runtime.block_on(call(&client, name, &query, format, function.posts()));
    report(outcome, format, &settings, out, err)
}

/// What a call without a credential says: nothing is sent.
const NO_CREDENTIAL: &str = "no credential given, so nothing was sent. Give an API token \
with --token or the WHM_API_TOKEN environment variable (or a password with --password or \
WHM_PASSWORD, or token: in the config file); --dry-run prints the request without one.";

/// Prints clap's help, version or error, and says how to exit.
fn clap_exit(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let text = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = out.write_all(text.as_bytes());
            Exit::Success
        }
        _ => {
            let _ = err.write_all(text.as_bytes());
            Exit::Usage
        }
    }
}

/// `whmapi1 help [FUNCTION]`: the same as `whmapi1 FUNCTION --help` (or `whmapi1 --help`).
fn help(
    functions: Vec<Function>,
    sub: &ArgMatches,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let words: Vec<OsString> = sub
        .try_get_many::<OsString>("")
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let args: Vec<OsString> = match words.as_slice() {
        [] => vec!["whmapi1".into(), "--help".into()],
        [function] => vec!["whmapi1".into(), function.clone(), "--help".into()],
        _ => {
            let _ = writeln!(
                err,
                "whmapi1: “help” takes one function's name: whmapi1 help FUNCTION (or whmapi1 FUNCTION --help)."
            );
            return Exit::Usage;
        }
    };
    run(functions, args, env, out, err)
}

/// Refuses a name that cannot be a WHM API 1 function (which are letters, digits and `_`).
fn check_function_name(name: &str) -> Result<(), String> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Ok(());
    }
    Err(if name.contains('=') {
        format!(
            "“{name}” is a parameter, but no function was given before it: whmapi1 [OPTIONS] FUNCTION [KEY=VALUE]... (“whmapi1 --list” lists the functions)."
        )
    } else {
        format!(
            "“{name}” is not a WHM API 1 function name: those are letters, digits and underscores (“whmapi1 --list” lists them)."
        )
    })
}

/// The warning before a function outside the registry is sent, with the closest known name.
fn unknown_warning(functions: &[Function], name: &str) -> String {
    let mut warning = format!(
        "“{name}” is not a function whmapi1 knows (“whmapi1 --list” lists them); it is sent \
         unchecked, as cPanel's whmapi1 sends any name."
    );
    let closest = functions
        .iter()
        .map(|f| (strsim::jaro_winkler(name, f.name()), f.name()))
        .filter(|(score, _)| *score >= SUGGESTION_SCORE)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, suggestion)) = closest {
        warning.push_str(&format!(" Did you mean “{suggestion}”?"));
    }
    warning
}

/// How alike (Jaro-Winkler) a known name must be to an unknown one to be suggested:
/// `listacct` suggests `listaccts`; a short word suggests nothing unrelated.
const SUGGESTION_SCORE: f64 = 0.9;

/// The function listing: each category's title (in the order categories first
/// appear), then its functions by name with their summaries.
pub fn listing(functions: &[Function]) -> String {
    // Names longer than this push their summary along rather than everything.
    const MAX_WIDTH: usize = 28;
    let width = functions
        .iter()
        .map(|f| f.name().len())
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH);
    let mut categories: Vec<(&str, Vec<&Function>)> = Vec::new();
    for function in functions {
        match categories
            .iter_mut()
            .find(|(title, _)| *title == function.category())
        {
            Some((_, members)) => members.push(function),
            None => categories.push((function.category(), vec![function])),
        }
    }
    let mut text = String::new();
    for (i, (title, mut members)) in categories.into_iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(title);
        text.push('\n');
        members.sort_by(|a, b| a.name().cmp(b.name()));
        for function in members {
            text.push_str(&format!(
                "  {:width$}  {}\n",
                function.name(),
                function.summary()
            ));
        }
    }
    text
}

/// Settings from the flags, the environment and the config file, in that order.
fn resolve_settings(
    matches: &ArgMatches,
    env: &dyn Fn(&str) -> Option<String>,
    err: &mut dyn Write,
) -> Result<Settings, String> {
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    let flags = Layer {
        host: text("host"),
        user: text("user"),
        token: text("token"),
        password: text("password"),
        session: text("session"),
        // The last of --insecure and --no-insecure given wins (they override each other).
        insecure: if matches.get_flag("insecure") {
            Some(true)
        } else if matches.get_flag("no-insecure") {
            Some(false)
        } else {
            None
        },
        timeout: matches.get_one::<u64>("timeout").copied(),
    };
    let environment = settings::from_environment(env)?;
    let mut layers = vec![flags, environment];
    let config = matches.get_one::<PathBuf>("config").map(PathBuf::as_path);
    let file = match settings::config_path(config, env) {
        Some((path, required)) => {
            settings::read_config(&path, required)?.map(|layer| (path, layer))
        }
        None => None,
    };
    if let Some((path, layer)) = file {
        if settings::readable_by_others(&path, &layer) {
            let _ = writeln!(
                err,
                "whmapi1: warning: {} holds a credential and other users can read it (chmod 600 it).",
                path.display()
            );
        }
        layers.push(layer);
    }
    Settings::resolve(&layers)
}

/// The client for `settings`.
fn build_client(settings: &Settings) -> Result<Client, client::Error> {
    let mut builder =
        Client::builder(settings.base_url.as_str()).danger_accept_invalid_certs(settings.insecure);
    builder = match &settings.credential {
        Some(Credential::Token(token)) => builder.api_token(settings.user.as_str(), token.as_str()),
        Some(Credential::Password(password)) => {
            builder.basic_auth(settings.user.as_str(), password.as_str())
        }
        None => builder,
    };
    if let Some(session) = &settings.session {
        builder = builder.session(session.as_str());
    }
    if let Some(timeout) = settings.timeout {
        builder = builder.timeout(timeout);
    }
    builder.build()
}

/// The API the call goes to: XML output is the XML API's answer; the others come from JSON.
fn wire_format(format: OutputFormat) -> client::Format {
    match format {
        OutputFormat::Xml => client::Format::Xml,
        _ => client::Format::Json,
    }
}

/// What a call printed: the text to print, or the client's error.
type Outcome = Result<String, client::Error>;

/// What `--dry-run` prints: the request as it would be sent, without
/// credentials. A GET is its method and URL, as the documentation writes it;
/// a POST ([`Function::posts`]) is its method, URL, content type and form body.
///
/// The values of sensitive parameters that the function keeps out of URLs
/// ([`Function::is_secret`]; the call sends them in a POST body) are shown as
/// `<redacted>`; all others, including sensitive ones that WHM's documentation
/// shows in its URLs (`secrets_in_url: true` in the spec), as given.
fn dry_run_request(
    client: &Client,
    function: &Function,
    pairs: &[(String, String)],
    format: OutputFormat,
) -> String {
    const MARK: &str = "whmapi1-redacted-value";
    let mut query = QueryBuilder::new();
    for (key, value) in pairs {
        let value = if function.is_secret(key) {
            MARK
        } else {
            value.as_str()
        };
        query.push(key, value);
    }
    let mut url = client.url(function.name(), &query, wire_format(format));
    for (key, _) in pairs.iter().filter(|(key, _)| function.is_secret(key)) {
        // Parameter names are plain words: encoding leaves them as they are.
        url = url.replace(
            &format!("&{key}={MARK}"),
            &format!("&{key}={}", crate::redact::REDACTED),
        );
    }
    if !function.posts() {
        return format!("GET {url}\n");
    }
    // The client posts the whole query, `api.version=1` first, as the body.
    let (path, body) = url.split_once('?').unwrap_or((url.as_str(), ""));
    format!("POST {path}\nContent-Type: application/x-www-form-urlencoded\n\n{body}\n")
}

/// Calls the function (as a POST with a form body when `post`) and renders a
/// successful answer in `format`.
async fn call(
    client: &Client,
    name: &str,
    query: &QueryBuilder,
    format: OutputFormat,
    post: bool,
) -> Outcome {
    let text = |format| async move {
        if post {
            client.post_text(name, query, format).await
        } else {
            client.call_text(name, query, format).await
        }
    };
    match format {
        OutputFormat::Xml => text(client::Format::Xml).await.map(|mut body| {
            if !body.ends_with('\n') {
                body.push('\n');
            }
            body
        }),
        _ => {
            // The body as the server sent it (the client has checked that it is a
            // WHM answer with result 1), printed in the chosen notation.
            let body = text(client::Format::Json).await?;
            let tree = serde_json::from_str(&body).map_err(|e| {
                client::Error::Decode(Box::new(client::DecodeError::whole(
                    name,
                    e.to_string(),
                    body.as_bytes(),
                )))
            })?;
            Ok(render(&tree, format))
        }
    }
}

/// Prints the outcome of a call and decides the exit status.
fn report(
    outcome: Outcome,
    format: OutputFormat,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let e = match outcome {
        Ok(text) => {
            let _ = out.write_all(text.as_bytes());
            return Exit::Success;
        }
        Err(e) => e,
    };
    if let Some(metadata) = e.metadata() {
        // result 0: print the answer as a successful one would be, then say why.
        let _ = out.write_all(render(&failure_tree(metadata), format).as_bytes());
        let _ = writeln!(err, "whmapi1: {e}");
        return Exit::CallFailed;
    }
    let _ = writeln!(err, "whmapi1: {e}");
    match &e {
        client::Error::Status {
            status: 401 | 403, ..
        } => {
            let credential = match settings.credential {
                Some(Credential::Password(_)) => "password (--password, WHM_PASSWORD)",
                _ => "API token (--token, WHM_API_TOKEN)",
            };
            let _ = writeln!(
                err,
                "whmapi1: the server refused the credential: check the {credential} and that it is \
                 the user “{}”'s (--user, WHM_USER; root by default).",
                settings.user
            );
            Exit::Denied
        }
        client::Error::Transport { source, .. } if speaks_plain_http(source) => {
            if let Some(hint) = plain_http_hint(&settings.base_url) {
                let _ = writeln!(err, "whmapi1: {hint}");
            }
            Exit::Unavailable
        }
        _ => Exit::Unavailable,
    }
}

/// Whether a transport error is TLS meeting a server that answered in plain
/// HTTP: rustls reads the HTTP answer's first byte as a record of an invalid
/// content type (“received corrupt message of type InvalidContentType”).
fn speaks_plain_http(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        // An io::Error's `source` skips the error it wraps (which may be another
        // io::Error, as tokio-rustls wraps rustls's): look inside it instead.
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            next = Some(inner);
            continue;
        }
        if matches!(
            e.downcast_ref::<rustls::Error>(),
            Some(rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType
            ))
        ) {
            return true;
        }
        next = e.source();
    }
    false
}

/// What to do when an `https://` server speaks plain HTTP: give its `http://` URL.
fn plain_http_hint(base_url: &str) -> Option<String> {
    let authority = base_url.strip_prefix("https://")?;
    let default = format!(":{WHM_PORT}");
    let suggestion = match authority.strip_suffix(&default) {
        // WHM itself: its plain-HTTP port.
        Some(host) => format!("--host http://{host}:{WHM_HTTP_PORT}"),
        None => format!("--host http://{authority}"),
    };
    Some(format!(
        "hint: the server answered in plain HTTP, not HTTPS. To call it over plain HTTP, give \
         an http:// URL: {suggestion} (WHM serves plain HTTP on port {WHM_HTTP_PORT}, HTTPS on {WHM_PORT})."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::tests::sample;

    fn run_with(args: &[&str], env: &[(&str, &str)]) -> (Exit, String, String) {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = std::iter::once("whmapi1").chain(args.iter().copied());
        let exit = run(vec![sample()], args, &lookup, &mut out, &mut err);
        (
            exit,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn dry_run_prints_the_url_in_the_order_given_without_credentials() {
        let (exit, out, err) = run_with(
            &[
                "--dry-run",
                "--token",
                "SECRET",
                "--session",
                "cpsess0123456789",
                "sample",
                "user=a b",
                "--count",
                "2",
            ],
            &[("WHM_HOST", "whm.example.com")],
        );
        assert_eq!(exit, Exit::Success, "{err}");
        assert_eq!(
            out,
            "GET https://whm.example.com:2087/cpsess#####/json-api/sample?api.version=1&user=a%20b&count=2\n"
        );
        let (_, xml, _) = run_with(
            &[
                "--dry-run",
                "--host",
                "h",
                "--output=xml",
                "sample",
                "user=u",
            ],
            &[],
        );
        assert_eq!(
            xml,
            "GET https://h:2087/xml-api/sample?api.version=1&user=u\n"
        );
    }

    #[test]
    fn output_and_dry_run_may_follow_the_function() {
        let (exit, out, err) = run_with(
            &[
                "--host",
                "h",
                "sample",
                "user=u",
                "--output=xml",
                "--dry-run",
            ],
            &[],
        );
        assert_eq!(exit, Exit::Success, "{err}");
        assert_eq!(
            out,
            "GET https://h:2087/xml-api/sample?api.version=1&user=u\n"
        );
    }

    #[test]
    fn wrong_arguments_exit_2_naming_them() {
        let (exit, out, err) = run_with(&["--host", "h", "sample", "count=x"], &[]);
        assert_eq!((exit, out.as_str()), (Exit::Usage, ""));
        assert!(
            err.starts_with("whmapi1: sample: The “user” parameter is required."),
            "{err}"
        );
        let (exit, _, err) = run_with(&["--host", "h", "sample", "user=u", "count=x"], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(
            err.contains("The “count” parameter must be an integer; received “x”."),
            "{err}"
        );
        let (exit, _, err) = run_with(&["--host", "h", "sample", "user=u"], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(
            err.contains("--token") && err.contains("WHM_API_TOKEN"),
            "{err}"
        );
        let (exit, _, err) = run_with(&["--host", "h", "--token", "T", "user=u"], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(err.contains("no function was given"), "{err}");
    }

    #[test]
    fn unknown_functions_are_sent_with_a_warning() {
        let (exit, out, err) = run_with(&["--host", "h", "--dry-run", "sampel", "a=b c"], &[]);
        assert_eq!(exit, Exit::Success, "{err}");
        assert_eq!(
            out,
            "GET https://h:2087/json-api/sampel?api.version=1&a=b%20c\n"
        );
        assert!(
            err.starts_with("whmapi1: warning: “sampel” is not a function whmapi1 knows")
                && err.contains("Did you mean “sample”?"),
            "{err}"
        );
        let (exit, out, _) = run_with(&["sampel", "--help"], &[]);
        assert_eq!(exit, Exit::Success);
        assert!(
            out.contains("whmapi1 [OPTIONS] sampel [KEY=VALUE]..."),
            "{out}"
        );
        let (exit, _, err) = run_with(&["--host", "h", "--dry-run", "a/b"], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(
            err.contains("“a/b” is not a WHM API 1 function name"),
            "{err}"
        );
    }

    #[test]
    fn help_function_is_function_help() {
        let (exit, out, _) = run_with(&["help", "sample"], &[]);
        let (_, expected, _) = run_with(&["sample", "--help"], &[]);
        assert_eq!((exit, out.as_str()), (Exit::Success, expected.as_str()));
        let (exit, out, _) = run_with(&["help"], &[]);
        let (_, expected, _) = run_with(&["--help"], &[]);
        assert_eq!((exit, out.as_str()), (Exit::Success, expected.as_str()));
        let (exit, _, err) = run_with(&["help", "sample", "more"], &[]);
        assert_eq!(exit, Exit::Usage, "{err}");
    }

    #[test]
    fn the_exit_table_holds_every_status_in_code_order_and_help_prints_it() {
        for (i, (exit, meaning)) in EXIT_STATUSES.iter().enumerate() {
            assert_eq!(usize::from(exit.code()), i);
            assert_eq!(exit.meaning(), *meaning);
        }
        let (_, help, _) = run_with(&["--help"], &[]);
        let table: String = EXIT_STATUSES
            .iter()
            .map(|(exit, meaning)| format!("  {}  {meaning}\n", exit.code()))
            .collect();
        assert!(help.contains(&format!("Exit status:\n{table}")), "{help}");
    }

    #[test]
    fn plain_http_hint_names_the_http_url() {
        let hint = plain_http_hint("https://whm.example.com:2087").unwrap_or_default();
        assert!(
            hint.contains("--host http://whm.example.com:2086"),
            "{hint}"
        );
        let hint = plain_http_hint("https://127.0.0.1:8080").unwrap_or_default();
        assert!(hint.contains("--host http://127.0.0.1:8080 "), "{hint}");
        assert_eq!(plain_http_hint("http://127.0.0.1:8080"), None);
    }

    #[test]
    fn a_server_must_be_given() {
        let (exit, _, err) = run_with(&["--dry-run", "sample", "user=u"], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(err.contains("No WHM server given"), "{err}");
    }

    #[test]
    fn lists_functions_by_category_and_prints_completions() {
        let (exit, out, _) = run_with(&["--list"], &[]);
        assert_eq!(
            (exit, out.as_str()),
            (Exit::Success, "Samples\n  sample  Does a sample thing.\n")
        );
        let (exit, out, _) = run_with(&["--completions", "bash"], &[]);
        assert_eq!(exit, Exit::Success);
        assert!(out.contains("whmapi1") && out.contains("sample"), "{out}");
    }

    #[test]
    fn functions_without_a_spec_send_their_words_unchecked() {
        let functions = || {
            vec![
                sample(),
                Function::unchecked("Samples", "accountsummary"),
                Function::unchecked("Other", "zzz"),
            ]
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = [
            "whmapi1",
            "--host",
            "h",
            "--dry-run",
            "accountsummary",
            "anything=1",
            "api.chunk.enable=1",
        ];
        let exit = run(functions(), args, &|_| None, &mut out, &mut err);
        assert_eq!(exit, Exit::Success, "{}", String::from_utf8_lossy(&err));
        let url = String::from_utf8_lossy(&out);
        assert_eq!(
            url,
            "GET https://h:2087/json-api/accountsummary?api.version=1&anything=1&api.chunk.enable=1\n"
        );
        let listing = listing(&functions());
        assert!(
            listing.starts_with("Samples\n  accountsummary  (no spec yet"),
            "{listing}"
        );
        assert!(
            listing.contains("  sample          Does a sample thing.\n\nOther\n  zzz"),
            "{listing}"
        );
    }

    /// The settings `whmapi1 ARGS sample user=u` would call with.
    fn settings_for(args: &[&str], env: &[(&str, &str)]) -> Result<Settings, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let args = std::iter::once("whmapi1")
            .chain(args.iter().copied())
            .chain(["sample", "user=u"]);
        let matches = command(&[sample()])
            .try_get_matches_from(args)
            .map_err(|e| e.to_string())?;
        resolve_settings(&matches, &lookup, &mut Vec::new())
    }

    #[test]
    fn no_insecure_switches_off_an_insecure_setting_for_one_call() {
        let host = ("WHM_HOST", "h");
        let insecure =
            |args: &[&str], env: &[(&str, &str)]| settings_for(args, env).map(|s| s.insecure);
        assert_eq!(insecure(&[], &[host]), Ok(false));
        assert_eq!(insecure(&[], &[host, ("WHM_INSECURE", "1")]), Ok(true));
        assert_eq!(
            insecure(&["--no-insecure"], &[host, ("WHM_INSECURE", "1")]),
            Ok(false)
        );
        assert_eq!(insecure(&["--insecure"], &[host]), Ok(true));
        // The last one given wins.
        assert_eq!(
            insecure(&["--insecure", "--no-insecure"], &[host]),
            Ok(false)
        );
        assert_eq!(
            insecure(&["--no-insecure", "--insecure"], &[host]),
            Ok(true)
        );

        // A config file's `insecure: true`, switched off per call.
        let dir = std::env::temp_dir().join(format!("whmapi1-no-insecure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.yaml");
        std::fs::write(&path, "host: h\ninsecure: true\n").unwrap();
        let config = path.to_str().unwrap();
        assert_eq!(insecure(&["--config", config], &[]), Ok(true));
        assert_eq!(
            insecure(&["--config", config, "--no-insecure"], &[]),
            Ok(false)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_token_flag_is_not_sent_as_the_config_files_user() {
        let dir = std::env::temp_dir().join(format!("whmapi1-user-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.yaml");
        std::fs::write(&path, "host: h\nuser: reseller\n").unwrap();
        let config = path.to_str().unwrap();
        let s = settings_for(&["--config", config, "--token", "SECRET"], &[]).unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("root", Some(Credential::Token("SECRET".into())))
        );
        let s = settings_for(&["--config", config], &[("WHM_API_TOKEN", "SECRET")]).unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("root", Some(Credential::Token("SECRET".into())))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn help_goes_to_stdout_and_exits_0() {
        let (exit, out, _) = run_with(&["sample", "--help"], &[]);
        assert_eq!(exit, Exit::Success);
        assert!(
            out.contains("Does a sample thing.") && out.contains("--user <USERNAME>"),
            "{out}"
        );
        let (exit, _, err) = run_with(&[], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(err.contains("no function given"), "{err}");
    }
}
