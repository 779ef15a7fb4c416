//! The `whmapi1` command: its options, one subcommand per function, and [`run`].
//!
//! ```text
//! whmapi1 [OPTIONS] FUNCTION [KEY=VALUE | --key value]...
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
use super::settings::{self, Credential, Layer, Settings};
use super::{DRY_RUN_ID, Function, OUTPUT_ID};
use crate::QueryBuilder;
use crate::client::{self, Client};

/// How `whmapi1` ends, and its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the call succeeded (or help, a listing or completions were printed).
    Success,
    /// 1: WHM answered `result` 0; the answer is printed and the reason repeated on stderr.
    CallFailed,
    /// 2: wrong arguments, settings or config file; nothing was sent.
    Usage,
    /// 3: the server could not be reached, refused the request, or answered something unreadable.
    Unavailable,
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::CallFailed => 1,
            Exit::Usage => 2,
            Exit::Unavailable => 3,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// What `whmapi1 --help` says after the options.
const LONG_HELP_FOOTER: &str = "\
Parameters follow the function as key=value words, unencoded, as cPanel's whmapi1 takes them, \
or as --key value flags; whmapi1 checks them against the function's spec, encodes them and sends \
them in the order given. Functions that return lists also take WHM's generic output options: \
api.filter.*, api.sort.*, api.chunk.* and api.columns.*.

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
file's user. A user given in an earlier place than the credential (--user alone, the token in \
WHM_API_TOKEN) is an error, not mixed with it. --no-insecure checks certificates even when \
WHM_INSECURE or the config file says not to.

Exit status: 0 on success; 1 when WHM answers result 0; 2 for wrong arguments, settings or config \
file (nothing is sent); 3 when the server cannot be reached or its answer cannot be read.";

/// The top-level command with one subcommand per function.
pub fn command(functions: &[Function]) -> Command {
    Command::new("whmapi1")
        .about("Calls WHM API 1 functions on a WHM server, as cPanel's whmapi1 does.")
        .version(env!("CARGO_PKG_VERSION"))
        .override_usage(
            "whmapi1 [OPTIONS] FUNCTION [KEY=VALUE]...\n       whmapi1 --list\n       whmapi1 --completions SHELL",
        )
        .subcommand_value_name("FUNCTION")
        .subcommand_help_heading("Functions")
        .disable_help_subcommand(true)
        .args(options())
        .subcommands(functions.iter().map(|f| f.command().clone()))
        .after_long_help(LONG_HELP_FOOTER)
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
            .help("The WHM server: HOST (port 2087 over HTTPS), HOST:PORT or a URL [env: WHM_HOST]"),
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
            .help("Check the arguments and print the URL that would be called, without credentials; call nothing"),
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
        Err(e) => {
            let text = e.render().to_string();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = out.write_all(text.as_bytes());
                    Exit::Success
                }
                _ => {
                    let _ = err.write_all(text.as_bytes());
                    Exit::Usage
                }
            };
        }
    };
    if let Some(shell) = matches.get_one::<Shell>("completions") {
        clap_complete::generate(*shell, &mut top, "whmapi1", out);
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
    // clap matched the name against these very functions.
    let Some(function) = functions.iter().find(|f| f.name() == name) else {
        return Exit::Usage;
    };
    let pairs = match args::collect(function, sub)
        .and_then(|pairs| args::check(function, &pairs).map(|()| pairs))
    {
        Ok(pairs) => pairs,
        Err(e) => {
            let _ = writeln!(err, "whmapi1: {name}: {e}");
            let _ = writeln!(err, "“whmapi1 {name} --help” describes its parameters.");
            return Exit::Usage;
        }
    };
    let settings = match resolve_settings(&matches, env, err) {
        Ok(settings) => settings,
        Err(message) => {
            let _ = writeln!(err, "whmapi1: {message}");
            return Exit::Usage;
        }
    };
    let client = match build_client(&settings) {
        Ok(client) => client,
        Err(e) => {
            let _ = writeln!(err, "whmapi1: {e}");
            return Exit::Usage;
        }
    };
    let mut query = QueryBuilder::new();
    for (key, value) in &pairs {
        query.push(key, value.as_str());
    }
    // After the function (when the function has them), else before it.
    let format = sub
        .try_get_one::<String>(OUTPUT_ID)
        .ok()
        .flatten()
        .or_else(|| matches.get_one::<String>("output"))
        .and_then(|name| name.parse().ok())
        .unwrap_or_default();
    let dry_run = sub.try_get_one::<bool>(DRY_RUN_ID).ok().flatten() == Some(&true);
    if dry_run || matches.get_flag("dry-run") {
        let _ = writeln!(out, "{}", dry_run_url(&client, function, &pairs, format));
        return Exit::Success;
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
    report(outcome, format, settings.credential.is_some(), out, err)
}

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

/// What `--dry-run` prints: the URL as the documentation writes it. The
/// values of sensitive parameters that the function keeps out of URLs
/// ([`Function::is_secret`]; the call sends them in a POST body) are shown as
/// `<redacted>`; all others, including sensitive ones that WHM's documentation
/// shows in its URLs (`secrets_in_url: true` in the spec), as given.
fn dry_run_url(
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
    url
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
    has_credential: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    match outcome {
        Ok(text) => {
            let _ = out.write_all(text.as_bytes());
            Exit::Success
        }
        Err(e) => {
            if let Some(metadata) = e.metadata() {
                // result 0: print the answer as a successful one would be, then say why.
                let _ = out.write_all(render(&failure_tree(metadata), format).as_bytes());
                let _ = writeln!(err, "whmapi1: {e}");
                return Exit::CallFailed;
            }
            let _ = writeln!(err, "whmapi1: {e}");
            let denied = matches!(
                e,
                client::Error::Status {
                    status: 401 | 403,
                    ..
                }
            );
            if denied && !has_credential {
                let _ = writeln!(
                    err,
                    "whmapi1: no credential was given: use --token, WHM_API_TOKEN or `token:` in the config file."
                );
            }
            Exit::Unavailable
        }
    }
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
            "https://whm.example.com:2087/cpsess#####/json-api/sample?api.version=1&user=a%20b&count=2\n"
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
        assert_eq!(xml, "https://h:2087/xml-api/sample?api.version=1&user=u\n");
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
        assert_eq!(out, "https://h:2087/xml-api/sample?api.version=1&user=u\n");
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
        let (exit, _, err) = run_with(&["--host", "h", "nosuch"], &[]);
        assert_eq!(exit, Exit::Usage);
        assert!(err.contains("nosuch"), "{err}");
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
            "https://h:2087/json-api/accountsummary?api.version=1&anything=1&api.chunk.enable=1\n"
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
