//! The `whmapi1` binary, run as a process against the `whm-mock` binary (the
//! generated mock server) or a recording stand-in for WHM on a loopback
//! socket: the seed page's command line and outputs, argument errors, the
//! exit statuses as `--help` documents them, `--dry-run`, booleans, generic
//! options, functions outside the catalogue, settings precedence, the
//! listing, completions, `help FUNCTION` and output into a closed pipe.

mod cli_support;

use std::path::Path;

use cli_support::*;

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

/// Every function of the specs, with their examples, as the compiler reads them.
fn spec_api() -> whm_codegen::ir::Api {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    whm_codegen::front::load_api(&dir)
        .unwrap_or_else(|_| panic!("the specs in {} load", dir.display()))
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
    assert_eq!(stdout(&json), format!("GET {SEED_JSON_URL}\n"));
    let xml = whmapi1(
        &[&base[..], &["--dry-run", "--output=xml"], &SEED_ARGS].concat(),
        &[],
        &home,
    );
    assert_eq!(stdout(&xml), format!("GET {SEED_XML_URL}\n"));
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
    // createacct is a POST: the dry run shows its form body, not a GET URL.
    assert_eq!(
        stdout(&output),
        "POST https://whm.example.com:2087/json-api/createacct\n\
         Content-Type: application/x-www-form-urlencoded\n\
         \n\
         api.version=1&username=bob&password=<redacted>&pass=<redacted>&domain=example.com\n"
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
        "GET https://whm.example.com:2087/json-api/listaccts?api.version=1&searchmethod=exact&api.filter.enable=1\
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

/// WHM's answer of result 0 to the seed's call.
const EXPIRED: &str = r#"{"metadata":{"command":"validate_login_token","version":1,"reason":"The login token has expired.","result":0}}"#;

/// WHM's answer of result 1 to any call.
const OK_ANSWER: &str =
    r#"{"data":{"answered":1},"metadata":{"command":"any","version":1,"reason":"OK","result":1}}"#;

#[test]
fn help_documents_one_exit_status_per_outcome() {
    let home = scratch_dir("exit-table");
    let statuses = documented_exit_statuses(&home);
    let codes: Vec<i32> = statuses.iter().map(|(code, _)| *code).collect();
    assert_eq!(codes, [0, 1, 2, 3, 4], "{statuses:?}");
    assert_eq!(documented_exit(&statuses, "success"), 0);
    assert_eq!(documented_exit(&statuses, "result 0"), 1);
    assert_eq!(documented_exit(&statuses, "nothing was sent"), 2);
    assert_eq!(documented_exit(&statuses, "could not reach the server"), 3);
    assert_eq!(documented_exit(&statuses, "HTTP 401 or 403"), 4);
}

#[test]
fn a_failed_call_prints_the_answer_and_exits_as_documented() {
    let whm = recorder("200 OK", EXPIRED);
    let home = scratch_dir("failed");
    let statuses = documented_exit_statuses(&home);
    let output = whmapi1(
        &[
            &["--host", whm.base_url.as_str(), "--token", "T"][..],
            &SEED_ARGS,
        ]
        .concat(),
        &[],
        &home,
    );
    assert_eq!(
        output.status.code(),
        Some(documented_exit(&statuses, "result 0")),
        "{}",
        stderr(&output)
    );
    let tree: serde_json::Value = serde_yaml::from_str(&stdout(&output)).expect("YAML");
    assert_eq!(tree["metadata"]["result"], 0);
    assert_eq!(tree["metadata"]["reason"], "The login token has expired.");
    assert!(
        stderr(&output).contains("The login token has expired."),
        "{}",
        stderr(&output)
    );

    let mock = start_mock();
    let success = whmapi1(&against(&mock, &["gethostname"]), &[], &home);
    assert_eq!(
        success.status.code(),
        Some(documented_exit(&statuses, "success")),
        "{}",
        stderr(&success)
    );
}

#[test]
fn without_a_credential_nothing_is_sent_and_the_message_says_what_to_set() {
    let whm = recorder("200 OK", OK_ANSWER);
    let home = scratch_dir("no-credential");
    let statuses = documented_exit_statuses(&home);
    for args in [
        vec!["--host", whm.base_url.as_str(), "gethostname"],
        // A session's security token is not a credential: WHM also wants its cookie.
        vec![
            "--host",
            whm.base_url.as_str(),
            "--session",
            "cpsess0123456789",
            "gethostname",
        ],
    ] {
        let output = whmapi1(&args, &[("WHM_USER", "root")], &home);
        assert_eq!(
            output.status.code(),
            Some(documented_exit(&statuses, "nothing was sent")),
            "{args:?}: {}",
            stderr(&output)
        );
        let message = stderr(&output);
        assert!(
            message.starts_with("whmapi1: no credential given, so nothing was sent.")
                && message.contains("--token")
                && message.contains("WHM_API_TOKEN"),
            "{message}"
        );
        assert_eq!(stdout(&output), "");
    }
    assert_eq!(whm.requests().len(), 0, "{:?}", whm.requests());
    // A dry run needs none.
    let dry = whmapi1(
        &["--host", whm.base_url.as_str(), "--dry-run", "gethostname"],
        &[],
        &home,
    );
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
}

#[test]
fn an_unreachable_server_exits_as_documented() {
    let home = scratch_dir("unreachable");
    let statuses = documented_exit_statuses(&home);
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
    assert_eq!(
        refused.status.code(),
        Some(documented_exit(&statuses, "could not reach the server")),
        "{}",
        stderr(&refused)
    );
    assert!(
        stderr(&refused).contains("could not reach"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn refused_credentials_have_their_own_exit_status() {
    let mock = start_mock();
    let home = scratch_dir("denied");
    let statuses = documented_exit_statuses(&home);
    let denied_code = documented_exit(&statuses, "HTTP 401 or 403");
    // The mock answers a wrong token as WHM does: HTTP 403.
    let denied = whmapi1(
        &[
            &["--host", mock.base_url.as_str(), "--token", "WRONG"][..],
            &SEED_ARGS,
        ]
        .concat(),
        &[],
        &home,
    );
    assert_eq!(
        denied.status.code(),
        Some(denied_code),
        "{}",
        stderr(&denied)
    );
    let message = stderr(&denied);
    assert!(message.contains("HTTP 403"), "{message}");
    assert!(
        message.contains("the server refused the credential: check the API token")
            && message.contains("“root”"),
        "{message}"
    );
    assert!(!message.contains("WRONG"), "{message}");
    // HTTP 401, and a password.
    let whm = recorder("401 Unauthorized", "");
    let unauthorized = whmapi1(
        &[
            "--host",
            whm.base_url.as_str(),
            "--password",
            "hunter2",
            "gethostname",
        ],
        &[],
        &home,
    );
    assert_eq!(
        unauthorized.status.code(),
        Some(denied_code),
        "{}",
        stderr(&unauthorized)
    );
    let message = stderr(&unauthorized);
    assert!(
        message.contains("HTTP 401") && message.contains("check the password"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn tls_against_a_plain_http_server_hints_at_its_http_url() {
    let mock = start_mock();
    let home = scratch_dir("plain-http");
    let statuses = documented_exit_statuses(&home);
    let authority = mock.base_url.trim_start_matches("http://");
    // The https:// URL, and host:port, which whmapi1 calls over HTTPS.
    for host in [format!("https://{authority}"), authority.to_owned()] {
        let output = whmapi1(
            &["--host", host.as_str(), "--token", TOKEN, "gethostname"],
            &[],
            &home,
        );
        assert_eq!(
            output.status.code(),
            Some(documented_exit(&statuses, "could not reach the server")),
            "{}",
            stderr(&output)
        );
        let message = stderr(&output);
        assert!(
            message.contains("InvalidContentType")
                && message.contains("whmapi1: hint: the server answered in plain HTTP, not HTTPS.")
                && message.contains(&format!("--host http://{authority} "))
                && message.contains("port 2086"),
            "{message}"
        );
        // And the hint works.
        let plain = whmapi1(
            &[
                "--host",
                &format!("http://{authority}"),
                "--token",
                TOKEN,
                "gethostname",
            ],
            &[],
            &home,
        );
        assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    }
    // A refused connection is not said to be plain HTTP.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let refused = whmapi1(
        &[
            "--host",
            &format!("https://{free}"),
            "--token",
            TOKEN,
            "gethostname",
        ],
        &[],
        &home,
    );
    assert!(!stderr(&refused).contains("hint"), "{}", stderr(&refused));
}

#[test]
fn root_is_the_default_user_and_may_be_named_beside_an_environment_token() {
    let mock = start_mock();
    let home = scratch_dir("root");
    let token = [("WHM_API_TOKEN", TOKEN)];
    let named = whmapi1(
        &[
            "--host",
            mock.base_url.as_str(),
            "--user",
            "root",
            "gethostname",
        ],
        &token,
        &home,
    );
    assert_eq!(named.status.code(), Some(0), "{}", stderr(&named));
    let default = whmapi1(
        &["--host", mock.base_url.as_str(), "gethostname"],
        &token,
        &home,
    );
    assert_eq!(default.status.code(), Some(0), "{}", stderr(&default));
    // Another user beside root's token is still refused, before anything is sent.
    let other = whmapi1(
        &[
            "--host",
            mock.base_url.as_str(),
            "--user",
            "bob",
            "gethostname",
        ],
        &token,
        &home,
    );
    assert_eq!(other.status.code(), Some(2), "{}", stderr(&other));
    assert!(
        stderr(&other).contains("“bob”") && !stderr(&other).contains(TOKEN),
        "{}",
        stderr(&other)
    );
}

#[test]
fn functions_outside_the_catalogue_are_sent_with_a_warning() {
    let whm = recorder("200 OK", OK_ANSWER);
    let home = scratch_dir("unknown-function");
    let output = whmapi1(
        &[
            "--host",
            whm.base_url.as_str(),
            "--token",
            TOKEN,
            "--output=json",
            "brand_new_function",
            "flag=true",
            "name=a b",
        ],
        &[],
        &home,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("{OK_ANSWER}\n"));
    assert_eq!(
        stderr(&output),
        "whmapi1: warning: “brand_new_function” is not a function whmapi1 knows (“whmapi1 --list” \
         lists them); it is sent unchecked, as cPanel's whmapi1 sends any name.\n"
    );
    let requests = whm.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    // Unchecked, so sent as typed: no boolean is known here.
    assert_eq!(
        requests[0].line,
        "GET /json-api/brand_new_function?api.version=1&flag=true&name=a%20b HTTP/1.1"
    );

    // A typo of a known function is sent too, with a suggestion; the mock answers result 0.
    let mock = start_mock();
    let typo = whmapi1(&against(&mock, &["listacct"]), &[], &home);
    assert_eq!(typo.status.code(), Some(1), "{}", stderr(&typo));
    assert!(
        stderr(&typo).contains("“listacct” is not a function whmapi1 knows")
            && stderr(&typo).contains("Did you mean “listaccts”?"),
        "{}",
        stderr(&typo)
    );
    // Its help says what will happen; a name that cannot be a function is refused.
    let help = whmapi1(&["brand_new_function", "--help"], &[], &home);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        stdout(&help).contains("Usage: whmapi1 [OPTIONS] brand_new_function [KEY=VALUE]..."),
        "{}",
        stdout(&help)
    );
    let bad = whmapi1(
        &[
            "--host",
            whm.base_url.as_str(),
            "--token",
            TOKEN,
            "user=bob",
        ],
        &[],
        &home,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("“user=bob” is a parameter, but no function was given before it"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(whm.requests().len(), 1);
}

#[test]
fn booleans_are_sent_as_1_or_0_or_refused_naming_the_parameter() {
    let whm = recorder("200 OK", OK_ANSWER);
    let home = scratch_dir("booleans");
    let base = [
        "--host",
        whm.base_url.as_str(),
        "--token",
        TOKEN,
        "createacct",
    ];
    let output = whmapi1(
        &[
            &base[..],
            &[
                "username=bob",
                "cgi=true",
                "hasshell=no",
                "--dkim",
                "on",
                "--dmarc=OFF",
                "forcedns=yes",
                "savepkg=false",
                "reseller=1",
                "ownerself=0",
            ],
        ]
        .concat(),
        &[],
        &home,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests = whm.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].line, "POST /json-api/createacct HTTP/1.1");
    assert_eq!(
        requests[0].body,
        "api.version=1&username=bob&cgi=1&hasshell=0&dkim=1&dmarc=0&forcedns=1&savepkg=0\
         &reseller=1&ownerself=0"
    );
    for word in ["cgi=maybe", "cgi=", "cgi=2"] {
        let refused = whmapi1(&[&base[..], &["username=bob", word]].concat(), &[], &home);
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{word}: {}",
            stderr(&refused)
        );
        assert!(
            stderr(&refused).contains("The “cgi” parameter must be 1 or 0; received “"),
            "{}",
            stderr(&refused)
        );
    }
    assert_eq!(whm.requests().len(), 1, "nothing more was sent");
}

#[test]
fn every_missing_required_parameter_is_named_at_once() {
    let mock = start_mock();
    let home = scratch_dir("missing");
    let all = refused(&mock, &home, &["validate_login_token"]);
    assert!(
        all.starts_with(
            "whmapi1: validate_login_token: The “url_after_login”, “provider” and \
             “login_token” parameters are required.\n"
        ),
        "{all}"
    );
    // With a wrong value among them: each problem, in the spec's order.
    let mixed = refused(
        &mock,
        &home,
        &["validate_login_token", "url_after_login=nowhere"],
    );
    assert!(
        mixed.starts_with(
            "whmapi1: validate_login_token: The “url_after_login” parameter must be a URL such \
             as “https://example.com/path”; received “nowhere”. The “provider” and \
             “login_token” parameters are required.\n"
        ),
        "{mixed}"
    );
}

#[test]
fn help_function_is_the_functions_own_help() {
    let home = scratch_dir("help-function");
    for function in ["listaccts", "validate_login_token", "accountsummary"] {
        let help = whmapi1(&["help", function], &[], &home);
        let own = whmapi1(&[function, "--help"], &[], &home);
        assert_eq!(help.status.code(), Some(0), "{}", stderr(&help));
        assert_eq!(stdout(&help), stdout(&own), "{function}");
        assert!(stdout(&help).contains(function), "{}", stdout(&help));
        assert!(!stdout(&help).contains("delip"), "{}", stdout(&help));
    }
    let top = whmapi1(&["help"], &[], &home);
    assert_eq!(stdout(&top), stdout(&whmapi1(&["--help"], &[], &home)));
    let two = whmapi1(&["help", "listaccts", "createacct"], &[], &home);
    assert_eq!(two.status.code(), Some(2));
    assert!(!stderr(&two).contains("delip"), "{}", stderr(&two));
}

#[test]
fn output_into_a_closed_pipe_exits_quietly() {
    let home = scratch_dir("closed-pipe");
    for args in [
        &["--completions", "zsh"][..],
        &["--completions", "bash"],
        &["--completions", "fish"],
        &["--help"],
        &["-h"],
        &["--list"],
        &["--version"],
        &["help", "createacct"],
        &["createacct", "--help"],
        &["--host", "h", "--dry-run", "listaccts"],
    ] {
        let output = whmapi1_into_closed_pipe(args, &home);
        assert_eq!(
            (output.status.code(), stderr(&output).as_str()),
            (Some(0), ""),
            "{args:?}"
        );
    }
    // A call's answer, too.
    let mock = start_mock();
    let call = whmapi1_into_closed_pipe(
        &against(&mock, &["--output=jsonpretty", "listaccts"]),
        &home,
    );
    assert_eq!((call.status.code(), stderr(&call).as_str()), (Some(0), ""));
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
    assert_eq!(env_wins.status.code(), Some(4), "{}", stderr(&env_wins));

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
    assert_eq!(password.status.code(), Some(4), "{}", stderr(&password));
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
    assert_eq!(file.status.code(), Some(4), "{}", stderr(&file));

    // `--user` alone would be mixed with the environment's (root's) token: refused, nothing sent.
    let mixed = whmapi1(
        &[
            &["--host", mock.base_url.as_str(), "--user", "reseller"][..],
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
            "GET https://whm.example.com:2087/json-api/{name}?api.version=1&any_thing=a%20b&api.chunk.enable=1\n"
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
    for (category, name) in whm_api::cli::unspecified() {
        let listed = text.split("\n\n").any(|section| {
            section.lines().next() == Some(category)
                && section
                    .lines()
                    .any(|line| line.split_whitespace().next() == Some(name))
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
