//! The `whm-mock` binary: its command line, credentials and listeners.

/// How the mock server binary was asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MockOptions {
    listen: String,
    user: String,
    token: Option<String>,
}

const MOCK_USAGE: &str = "\
usage: {program} [--listen ADDRESS] [--user NAME] [--token TOKEN]

Serves WHM API 1 over plain HTTP, answering every function from the spec's examples.

  --listen ADDRESS  the address to listen on (default 127.0.0.1:2087; port 0 picks a free one)
  --user NAME       the WHM account the token belongs to (default root)
  --token TOKEN     the API token clients must send as “Authorization: whm NAME:TOKEN”
                    (default: $WHM_MOCK_TOKEN, else a new random token, printed)

It prints the address it listens on, the user, the token when it made one, and a
cpsess security token for URLs of the form /cpsess##########/json-api/FUNCTION.";

fn parse_mock_args(
    args: impl IntoIterator<Item = String>,
    env_token: Option<String>,
) -> Result<MockOptions, String> {
    let mut options = MockOptions {
        listen: "127.0.0.1:2087".to_owned(),
        user: "root".to_owned(),
        token: env_token,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let slot = match flag.as_str() {
            "--listen" => &mut options.listen,
            "--user" => &mut options.user,
            "--token" => options.token.get_or_insert_with(String::new),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument “{other}”")),
        };
        let value = match inline.or_else(|| args.next()) {
            Some(value) if !value.is_empty() => value,
            _ => return Err(format!("{flag} needs a value")),
        };
        *slot = value;
    }
    Ok(options)
}

/// Runs the mock server binary: reads its command line, makes the
/// credentials, listens, prints where, and serves `make_router`'s router
/// until the process is stopped. Returns the process's exit code.
pub fn run<F>(program: &str, make_router: F) -> std::process::ExitCode
where
    F: FnOnce(std::sync::Arc<super::InMemoryAuthenticator>) -> axum::Router,
{
    use std::io::Write;
    use std::process::ExitCode;

    let usage = MOCK_USAGE.replace("{program}", program);
    let options = match parse_mock_args(
        std::env::args().skip(1),
        std::env::var("WHM_MOCK_TOKEN").ok(),
    ) {
        Ok(options) => options,
        Err(why) if why.is_empty() => {
            println!("{usage}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("{program}: {why}\n\n{usage}");
            return ExitCode::from(2);
        }
    };
    let (token, made) = match options.token.clone() {
        Some(token) => (token, false),
        None => match super::InMemoryAuthenticator::generate_token() {
            Ok(token) => (token, true),
            Err(err) => {
                eprintln!("{program}: cannot make a random token: {err}");
                return ExitCode::FAILURE;
            }
        },
    };
    let authenticator = std::sync::Arc::new(
        super::InMemoryAuthenticator::new().with_token(options.user.clone(), token.clone()),
    );
    let session = match authenticator.create_session(&options.user) {
        Ok(session) => session,
        Err(err) => {
            eprintln!("{program}: cannot make a session token: {err}");
            return ExitCode::FAILURE;
        }
    };
    let router = make_router(authenticator);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("{program}: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&options.listen).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("{program}: cannot listen on {}: {err}", options.listen);
                return ExitCode::FAILURE;
            }
        };
        let address = listener.local_addr().map_or_else(|_| options.listen.clone(), |a| a.to_string());
        let mut out = std::io::stdout().lock();
        let token_line = if made { token.as_str() } else { "(as given)" };
        // Tests and scripts read these lines to find the server; flush them at once.
        let printed = writeln!(
            out,
            "{program} listening on http://{address}\nuser: {}\ntoken: {token_line}\nsession: {session}",
            options.user
        )
        .and_then(|()| out.flush());
        drop(out);
        if printed.is_err() {
            // Nobody reads stdout any more; serving on is still what was asked.
        }
        match axum::serve(listener, router).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("{program}: the server stopped: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_mock_command_line() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let o = parse_mock_args(args(&["--listen", "127.0.0.1:0", "--token=ABC"]), None).unwrap();
        assert_eq!(
            o,
            MockOptions {
                listen: "127.0.0.1:0".into(),
                user: "root".into(),
                token: Some("ABC".into())
            }
        );
        let o = parse_mock_args(args(&["--user", "reseller"]), Some("ENV".into())).unwrap();
        assert_eq!(
            (o.user.as_str(), o.token.as_deref()),
            ("reseller", Some("ENV"))
        );
        assert_eq!(parse_mock_args(args(&["--help"]), None), Err(String::new()));
        assert!(
            parse_mock_args(args(&["--token"]), None)
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse_mock_args(args(&["--bogus"]), None)
                .unwrap_err()
                .contains("unknown argument")
        );
    }
}
