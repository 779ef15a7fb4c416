//! The `whmapi1` binary, run as a process against the `whm-mock` binary (the
//! generated mock server) on a loopback socket: the seed page's command line
//! and outputs, argument errors and exit codes, `--dry-run`, generic options,
//! settings precedence, the listing, completions and `--help`.
//!
//! Both binaries belong to `whm-api`, so `CARGO_BIN_EXE_*` do not exist here;
//! the tests build them once with cargo (same profile) and run them from
//! `target/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The user the mock knows.
const USER: &str = "root";
/// The mock's API token for [`USER`].
const TOKEN: &str = "CL1T3STT0KEN0123456789ABCDEFGHIJ";

/// The seed's command line, without `whmapi1`: values unencoded, as the page gives them.
const SEED_ARGS: [&str; 4] = [
    "validate_login_token",
    "url_after_login=http://hostname.example.com/redirectionlocation.cgi?state",
    "provider=cPStore",
    "login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
];

/// The seed page's JSON API URL, with its `cpsess#####` placeholder.
const SEED_JSON_URL: &str = "https://hostname.example.com:2087/cpsess#####/json-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc";

/// The seed page's XML API URL.
const SEED_XML_URL: &str = "https://hostname.example.com:2087/cpsess#####/xml-api/validate_login_token?api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc";

/// The path of a generated binary, built once per test run.
fn binary(name: &str) -> PathBuf {
    whm_tests::binary(name)
}

/// The `whm-mock` process, listening on a loopback port until dropped.
struct Mock {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    base_url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `whm-mock` on a free loopback port, knowing [`USER`] by [`TOKEN`].
fn start_mock() -> Mock {
    let mut child = Command::new(binary("whm-mock"))
        .args(["--listen", "127.0.0.1:0", "--user", USER, "--token", TOKEN])
        .stdout(Stdio::piped())
        .spawn()
        .expect("whm-mock starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut lines = BufReader::new(stdout).lines();
    // "whm-mock listening on http://127.0.0.1:PORT", then user, token and session.
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let base_url = first.rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(
        base_url.starts_with("http://127.0.0.1:"),
        "whm-mock said {first:?}"
    );
    Mock { child, base_url }
}

/// A stand-in for a WHM server that answers every request with HTTP 200 and `body`.
fn answering_server(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            // Read the request head, then answer and close.
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://{address}")
}

/// A private directory for one test's files (and its `HOME`, so no user
/// config is read), removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_dir(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("whmapi1-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    Scratch(dir)
}

/// Runs `whmapi1 ARGS` with a clean environment plus `env`, and `HOME` at `home`.
fn whmapi1(args: &[&str], env: &[(&str, &str)], home: &Path) -> Output {
    let mut command = Command::new(binary("whmapi1"));
    command.args(args);
    for name in [
        "WHM_HOST",
        "WHM_USER",
        "WHM_API_TOKEN",
        "WHM_PASSWORD",
        "WHM_SESSION",
        "WHM_INSECURE",
        "WHM_TIMEOUT",
        "WHMAPI1_CONFIG",
        "XDG_CONFIG_HOME",
    ] {
        command.env_remove(name);
    }
    command.env("HOME", home);
    command.envs(env.iter().copied());
    command.output().expect("whmapi1 runs")
}

/// Every function of the specs, with their examples, as the compiler reads them.
fn spec_api() -> whm_codegen::ir::Api {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    whm_codegen::front::load_api(&dir)
        .unwrap_or_else(|_| panic!("the specs in {} load", dir.display()))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `--host URL --token TOKEN` for the mock, then `args`.
fn against<'a>(mock: &'a Mock, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![
        "--host",
        mock.base_url.as_str(),
        "--user",
        USER,
        "--token",
        TOKEN,
    ];
    all.extend_from_slice(args);
    all
}

/// The seed's JSON and XML output, as the spec holds them (the page's own text).
fn seed_outputs() -> (String, String) {
    let api = spec_api();
    let function = api
        .functions()
        .find(|f| f.name == "validate_login_token")
        .expect("the seed function");
    let example = function.examples.first().expect("the seed example");
    (
        example.json.clone().expect("its JSON output"),
        example.xml.clone().expect("its XML output"),
    )
}

#[test]
fn the_seeds_command_line_gives_the_seeds_output_in_every_format() {
    let mock = start_mock();
    let home = scratch_dir("seed-output");
    let (json, xml) = seed_outputs();
    let seed_tree: serde_json::Value = serde_json::from_str(&json).expect("the seed's JSON");

    let pretty = whmapi1(
        &against(&mock, &[&["--output=jsonpretty"][..], &SEED_ARGS].concat()),
        &[],
        &home,
    );
    assert_eq!(pretty.status.code(), Some(0), "{}", stderr(&pretty));
    assert_eq!(
        stdout(&pretty).trim_end(),
        json.trim_end(),
        "jsonpretty prints the seed's output"
    );

    let compact = whmapi1(
        &against(&mock, &[&["--output=json"][..], &SEED_ARGS].concat()),
        &[],
        &home,
    );
    assert_eq!(compact.status.code(), Some(0), "{}", stderr(&compact));
    assert_eq!(
        stdout(&compact).lines().count(),
        1,
        "json is one line: {}",
        stdout(&compact)
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout(&compact)).expect("JSON"),
        seed_tree
    );

    let xml_out = whmapi1(
        &against(&mock, &[&["--output=xml"][..], &SEED_ARGS].concat()),
        &[],
        &home,
    );
    assert_eq!(xml_out.status.code(), Some(0), "{}", stderr(&xml_out));
    assert_eq!(
        stdout(&xml_out).trim_end(),
        xml.trim_end(),
        "xml prints the seed's XML output"
    );

    // YAML is the default, as with cPanel's whmapi1.
    for args in [
        against(&mock, &[&["--output=yaml"][..], &SEED_ARGS].concat()),
        against(&mock, &SEED_ARGS),
    ] {
        let yaml = whmapi1(&args, &[], &home);
        assert_eq!(yaml.status.code(), Some(0), "{}", stderr(&yaml));
        let text = stdout(&yaml);
        assert!(text.starts_with("---\n"), "{text}");
        let tree: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        assert_eq!(tree, seed_tree, "{text}");
    }
}

#[test]
fn flags_and_words_mix_and_are_sent_as_typed() {
    let mock = start_mock();
    let home = scratch_dir("flags");
    let (json, _) = seed_outputs();
    // The seed's parameters as flags, one of them `--key=value`, in the seed's
    // order; `--output` after the function this time.
    let args = [
        "validate_login_token",
        "--output=jsonpretty",
        "--url_after_login",
        "http://hostname.example.com/redirectionlocation.cgi?state",
        "provider=cPStore",
        "--login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc",
    ];
    let output = whmapi1(&against(&mock, &args), &[], &home);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim_end(),
        json.trim_end(),
        "the mock matched the seed's request exactly"
    );
}

#[test]
fn dry_run_prints_the_seeds_urls_without_credentials() {
    let home = scratch_dir("dry-run");
    let base = [
        "--host",
        "hostname.example.com",
        "--token",
        "SECRETTOKEN",
        "--session",
        "cpsess0123456789",
    ];
    let json = whmapi1(
        &[&base[..], &["--dry-run"], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    assert_eq!(stdout(&json), format!("{SEED_JSON_URL}\n"));
    let xml = whmapi1(
        &[&base[..], &["--dry-run", "--output=xml"], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(stdout(&xml), format!("{SEED_XML_URL}\n"));
    for output in [&json, &xml] {
        let all = stdout(output) + &stderr(output);
        assert!(
            !all.contains("SECRETTOKEN") && !all.contains("0123456789"),
            "{all}"
        );
    }
}

#[test]
fn dry_run_masks_passwords_but_prints_the_seeds_login_token() {
    let home = scratch_dir("dry-run-secrets");
    let output = whmapi1(
        &[
            "--host",
            "whm.example.com",
            "--dry-run",
            "createacct",
            "username=bob",
            "password=hunter2",
            "--pass",
            "hunter3",
            "domain=example.com",
        ],
        &[],
        &home,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "https://whm.example.com:2087/json-api/createacct?api.version=1&username=bob\
         &password=<redacted>&pass=<redacted>&domain=example.com\n"
    );
    // validate_login_token keeps its token in the URL, as its page shows it
    // (`secrets_in_url: true`): see dry_run_prints_the_seeds_urls_without_credentials.
}

#[test]
fn a_password_reaches_the_mock_server_in_a_post_body() {
    let mock = start_mock();
    let home = scratch_dir("post");
    let output = whmapi1(
        &[
            "--host",
            &mock.base_url,
            "--user",
            USER,
            "--token",
            TOKEN,
            "--output=json",
            "createacct",
            "username=bob",
            "password=hunter2",
        ],
        &[],
        &home,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("\"createacct\""),
        "{}",
        stdout(&output)
    );
}

#[test]
fn generic_output_options_pass_through_to_list_functions() {
    let home = scratch_dir("generic");
    let output = whmapi1(
        &[
            "--host",
            "whm.example.com",
            "--dry-run",
            "listaccts",
            "searchmethod=exact",
            "api.filter.enable=1",
            "api.filter.a.field=user",
            "--api.chunk.size",
            "5",
            "--api.sort.a.method=numeric",
            "api.columns.a=user",
        ],
        &[],
        &home,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "https://whm.example.com:2087/json-api/listaccts?api.version=1&searchmethod=exact&api.filter.enable=1\
         &api.filter.a.field=user&api.chunk.size=5&api.sort.a.method=numeric&api.columns.a=user\n"
    );
    // A function that returns no list takes none of them.
    let refused = whmapi1(
        &[
            &["--host", "whm.example.com", "--dry-run"][..],
            &SEED_ARGS,
            &["api.chunk.enable=1"],
        ]
        .concat(),
        &[],
        &home,
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("“api.chunk.enable” is one of WHM's generic output options"),
        "{}",
        stderr(&refused)
    );
}

/// Runs `args` against the mock and expects exit status 2, nothing printed
/// and nothing sent (had the call been sent, the mock would have answered).
fn refused(mock: &Mock, home: &Path, args: &[&str]) -> String {
    let output = whmapi1(&against(mock, args), &[], home);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "", "{args:?}");
    stderr(&output)
}

#[test]
fn missing_unknown_and_ill_typed_arguments_exit_2_naming_them() {
    let mock = start_mock();
    let home = scratch_dir("arguments");

    let missing = refused(
        &mock,
        &home,
        &["validate_login_token", "provider=cPStore", "login_token=x"],
    );
    assert!(
        missing.starts_with(
            "whmapi1: validate_login_token: The “url_after_login” parameter is required.\n"
        ),
        "{missing}"
    );
    assert!(
        missing.contains("whmapi1 validate_login_token --help"),
        "{missing}"
    );

    let unknown = refused(
        &mock,
        &home,
        &[&SEED_ARGS[..], &["provder=cPStore"]].concat(),
    );
    assert!(
        unknown.contains("There is no “provder” parameter. Did you mean “provider”?"),
        "{unknown}"
    );
    let unknown_flag = refused(
        &mock,
        &home,
        &["validate_login_token", "--provder", "cPStore"],
    );
    assert!(unknown_flag.contains("--provder"), "{unknown_flag}");
    let not_a_pair = refused(&mock, &home, &["validate_login_token", "cPStore"]);
    assert!(
        not_a_pair.contains("“cPStore” is not a parameter"),
        "{not_a_pair}"
    );
    let unknown_function = refused(&mock, &home, &["validate_login_tokens"]);
    assert!(
        unknown_function.contains("validate_login_tokens"),
        "{unknown_function}"
    );

    let not_a_url = refused(
        &mock,
        &home,
        &[
            "validate_login_token",
            "url_after_login=hostname.example.com",
            "provider=cPStore",
            "login_token=x",
        ],
    );
    assert!(
        not_a_url.contains("The “url_after_login” parameter must be a URL such as “https://example.com/path”; received “hostname.example.com”."),
        "{not_a_url}"
    );
    let not_an_integer = refused(
        &mock,
        &home,
        &["api_token_create", "token_name=t", "expires_at=soon"],
    );
    assert!(
        not_an_integer.contains("The “expires_at” parameter must be an integer; received “soon”."),
        "{not_an_integer}"
    );
    let not_a_value = refused(&mock, &home, &["listaccts", "--searchmethod", "fuzzy"]);
    assert!(
        not_a_value.contains(
            "The “searchmethod” parameter must be one of “exact” or “regex”; received “fuzzy”."
        ),
        "{not_a_value}"
    );
    let twice = refused(
        &mock,
        &home,
        &[&SEED_ARGS[..], &["--provider", "cPStore"]].concat(),
    );
    assert!(
        twice.contains("The “provider” parameter was given more than once."),
        "{twice}"
    );
}

#[test]
fn a_failed_call_prints_the_answer_and_exits_1() {
    let url = answering_server(
        r#"{"metadata":{"command":"validate_login_token","version":1,"reason":"The login token has expired.","result":0}}"#,
    );
    let home = scratch_dir("failed");
    let output = whmapi1(
        &[&["--host", url.as_str(), "--token", "T"][..], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let tree: serde_json::Value = serde_yaml::from_str(&stdout(&output)).expect("YAML");
    assert_eq!(tree["metadata"]["result"], 0);
    assert_eq!(tree["metadata"]["reason"], "The login token has expired.");
    assert!(
        stderr(&output).contains("The login token has expired."),
        "{}",
        stderr(&output)
    );
}

#[test]
fn transport_errors_exit_3() {
    let mock = start_mock();
    let home = scratch_dir("transport");
    let denied = whmapi1(
        &[
            &["--host", mock.base_url.as_str(), "--token", "WRONG"][..],
            &SEED_ARGS,
        ]
        .concat(),
        &[],
        &home,
    );
    assert_eq!(denied.status.code(), Some(3), "{}", stderr(&denied));
    assert!(stderr(&denied).contains("HTTP 403"), "{}", stderr(&denied));

    // A port nothing listens on: bind one, then free it.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let host = format!("http://{free}");
    let refused = whmapi1(
        &[&["--host", host.as_str(), "--token", TOKEN][..], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("could not reach"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn settings_come_from_flags_then_environment_then_config_file() {
    let mock = start_mock();
    let home = scratch_dir("settings");
    let config = home.join("whmapi1.yaml");
    std::fs::write(
        &config,
        format!("host: {}\nuser: {USER}\ntoken: {TOKEN}\n", mock.base_url),
    )
    .expect("config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let config = config.to_str().expect("a UTF-8 path");

    // The config file alone, named by the environment.
    let from_file = whmapi1(&SEED_ARGS, &[("WHMAPI1_CONFIG", config)], &home);
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert_eq!(stderr(&from_file), "");

    // The environment's token wins over the file's.
    let env_wins = whmapi1(
        &SEED_ARGS,
        &[("WHMAPI1_CONFIG", config), ("WHM_API_TOKEN", "WRONG")],
        &home,
    );
    assert_eq!(env_wins.status.code(), Some(3), "{}", stderr(&env_wins));

    // A flag wins over the environment.
    let flag_wins = whmapi1(
        &[&["--config", config, "--token", TOKEN][..], &SEED_ARGS].concat(),
        &[("WHM_API_TOKEN", "WRONG")],
        &home,
    );
    assert_eq!(flag_wins.status.code(), Some(0), "{}", stderr(&flag_wins));

    // A password from a flag replaces the file's token whole (it is not mixed
    // with it): basic auth is sent, which this mock, knowing only the token, refuses.
    let password = whmapi1(
        &[
            &["--config", config, "--password", "secret"][..],
            &SEED_ARGS,
        ]
        .concat(),
        &[],
        &home,
    );
    assert_eq!(password.status.code(), Some(3), "{}", stderr(&password));
    assert!(
        stderr(&password).contains("HTTP 403"),
        "{}",
        stderr(&password)
    );

    // The default config file, under HOME.
    let default_dir = home.join(".config/whmapi1");
    std::fs::create_dir_all(&default_dir).expect("config dir");
    std::fs::copy(config, default_dir.join("config.yaml")).expect("copy");
    let default_file = whmapi1(&SEED_ARGS, &[], &home);
    assert_eq!(
        default_file.status.code(),
        Some(0),
        "{}",
        stderr(&default_file)
    );

    // A named config file that is missing or wrong is a usage error.
    let missing = whmapi1(
        &[&["--config", "/nonexistent/whmapi1.yaml"][..], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("/nonexistent/whmapi1.yaml"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn the_user_and_the_credential_come_from_the_same_place() {
    let mock = start_mock();
    let home = scratch_dir("user-and-credential");
    // A config file for another user, with that user's own (here, wrong) token.
    let config = home.join("reseller.yaml");
    std::fs::write(
        &config,
        format!(
            "host: {}\nuser: reseller\ntoken: RESELLERTOKEN\n",
            mock.base_url
        ),
    )
    .expect("config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let config = config.to_str().expect("a UTF-8 path");

    // `--token` replaces the file's credential whole: it is sent as root, not as reseller.
    let flag = whmapi1(
        &[&["--config", config, "--token", TOKEN][..], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(flag.status.code(), Some(0), "{}", stderr(&flag));

    // So does WHM_API_TOKEN.
    let env = whmapi1(
        &[&["--config", config][..], &SEED_ARGS].concat(),
        &[("WHM_API_TOKEN", TOKEN)],
        &home,
    );
    assert_eq!(env.status.code(), Some(0), "{}", stderr(&env));

    // The file's user with the file's token: sent as reseller, whom the mock does not know.
    let file = whmapi1(
        &[&["--config", config][..], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(file.status.code(), Some(3), "{}", stderr(&file));

    // `--user` alone would be mixed with the environment's token: refused, nothing sent.
    let mixed = whmapi1(
        &[
            &["--host", mock.base_url.as_str(), "--user", USER][..],
            &SEED_ARGS,
        ]
        .concat(),
        &[("WHM_API_TOKEN", TOKEN)],
        &home,
    );
    assert_eq!(mixed.status.code(), Some(2), "{}", stderr(&mixed));
    assert!(
        stderr(&mixed).contains("without a credential beside it"),
        "{}",
        stderr(&mixed)
    );
    assert!(!stderr(&mixed).contains(TOKEN), "{}", stderr(&mixed));
}

#[test]
fn functions_without_a_spec_are_called_with_their_words_unchecked() {
    let (_, name) = whm_api::cli::UNSPECIFIED
        .first()
        .expect("a catalogue function without a spec");
    let home = scratch_dir("unspecified");
    let dry = whmapi1(
        &[
            "--host",
            "whm.example.com",
            "--dry-run",
            name,
            "any_thing=a b",
            "api.chunk.enable=1",
        ],
        &[],
        &home,
    );
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert_eq!(
        stdout(&dry),
        format!(
            "https://whm.example.com:2087/json-api/{name}?api.version=1&any_thing=a%20b&api.chunk.enable=1\n"
        )
    );
    // The mock has no spec for it either, and answers as WHM does: result 0.
    let mock = start_mock();
    let called = whmapi1(&against(&mock, &[name, "user=bob"]), &[], &home);
    assert_eq!(called.status.code(), Some(1), "{}", stderr(&called));
    let tree: serde_json::Value = serde_yaml::from_str(&stdout(&called)).expect("YAML");
    assert_eq!(tree["metadata"]["result"], 0, "{}", stdout(&called));
}

#[test]
fn lists_every_function_under_its_category_and_completes_them() {
    let home = scratch_dir("listing");
    let listing = whmapi1(&["--list"], &[], &home);
    assert_eq!(listing.status.code(), Some(0));
    let text = stdout(&listing);
    let api = spec_api();
    for (category, name) in whm_api::cli::UNSPECIFIED {
        let listed = text.split("\n\n").any(|section| {
            section.lines().next() == Some(*category)
                && section
                    .lines()
                    .any(|line| line.split_whitespace().next() == Some(*name))
        });
        assert!(listed, "{name} not under {category}");
    }
    for category in api.categories.iter().filter(|c| !c.functions.is_empty()) {
        let section = text
            .split("\n\n")
            .find(|section| section.lines().next() == Some(category.title.as_str()))
            .unwrap_or_else(|| panic!("no section {} in\n{text}", category.title));
        for function in &category.functions {
            assert!(
                section
                    .lines()
                    .any(|line| line.split_whitespace().next() == Some(function.name.as_str())),
                "{} not under {}",
                function.name,
                category.title
            );
        }
    }

    let completions = whmapi1(&["--completions", "bash"], &[], &home);
    assert_eq!(completions.status.code(), Some(0));
    let script = stdout(&completions);
    assert!(
        script.contains("validate_login_token") && script.contains("--url_after_login"),
        "{script}"
    );
}

#[test]
fn function_help_shows_the_specs_description_parameters_and_example() {
    let home = scratch_dir("help");
    let help = whmapi1(&["validate_login_token", "--help"], &[], &home);
    assert_eq!(help.status.code(), Some(0), "{}", stderr(&help));
    insta::assert_snapshot!("validate_login_token_help", stdout(&help));
}
