//! Answers from the spec's examples, for the generated mock server.
//!
//! The generated mock holds, for each function, its documented examples
//! (parameters and the JSON and XML bodies exactly as the spec holds them)
//! and a `data` tree assembled from the returned fields' examples. A request
//! whose typed parameters equal an example's is answered with that example;
//! any other valid request gets the assembled data.

use serde_json::Value;

use super::answer::{ApiError, OutputFormat, Reply};
use crate::function::ApiFunction;
use crate::query::Params;

/// One documented call of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockExample {
    /// The parameters the example sends, unencoded, in order.
    pub params: &'static [(&'static str, &'static str)],
    /// The documented JSON output, exactly as the spec holds it.
    pub json: Option<&'static str>,
    /// The documented XML output, exactly as the spec holds it.
    pub xml: Option<&'static str>,
}

impl MockExample {
    /// The example's parameters read as a request of `F`; `None` when they do not fit `F`.
    pub fn request<F: ApiFunction>(&self) -> Option<F> {
        let pairs = self
            .params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        F::from_params(&Params::from_pairs(pairs)).ok()
    }

    /// The documented body in `format`.
    pub fn body(&self, format: OutputFormat) -> Option<&'static str> {
        match format {
            OutputFormat::Json => self.json,
            OutputFormat::Xml => self.xml,
        }
    }
}

/// Everything the mock knows about one function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockFunction {
    /// The documented examples.
    pub examples: &'static [MockExample],
    /// `data` assembled from the returned fields' examples, as JSON; `None` when the function returns no data.
    pub field_examples: Option<&'static str>,
    /// An example of `metadata.output.raw`, for functions that report text there.
    pub raw_output: Option<&'static str>,
}

/// The mock's typed answer to `request`.
///
/// When the request equals an example's and the example documents JSON
/// output, the answer is that output's `data` and `metadata.output.raw`
/// (or its failure, when the example documents `result` 0). Otherwise it is
/// the data assembled from field examples. Data that does not read as
/// `F::Data` is left out rather than failing the call.
pub fn answer<F>(request: &F, function: &MockFunction) -> Result<Reply<F::Data>, ApiError>
where
    F: ApiFunction + PartialEq,
{
    let documented = function
        .examples
        .iter()
        .filter(|ex| ex.json.is_some())
        .find(|ex| ex.request::<F>().is_some_and(|r| r == *request))
        .and_then(|ex| ex.json)
        .and_then(|json| serde_json::from_str::<Value>(json).ok());
    if let Some(output) = documented {
        let metadata = output
            .get("metadata")
            .or_else(|| output.get("data").and_then(|d| d.get("metadata")));
        if let Some(meta) = metadata.filter(|m| is_failure(m.get("result"))) {
            let reason = meta
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("The call failed.");
            return Err(ApiError::new(reason));
        }
        let data = output
            .get("data")
            .and_then(|d| serde_json::from_value::<F::Data>(d.clone()).ok());
        let raw = metadata
            .and_then(|m| m.pointer("/output/raw"))
            .and_then(Value::as_str)
            .or(function.raw_output);
        if data.is_some() || function.field_examples.is_none() {
            // Metadata the example documents beyond the usual keys is answered too.
            let extra = metadata
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(key, _)| {
                    !matches!(
                        key.as_str(),
                        "command" | "version" | "reason" | "result" | "output"
                    )
                })
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            // A documented success reason other than the function's usual one is answered too.
            let reason = metadata
                .and_then(|m| m.get("reason"))
                .and_then(Value::as_str)
                .filter(|r| *r != F::SUCCESS_REASON)
                .map(str::to_owned);
            return Ok(with_raw(
                Reply {
                    data,
                    metadata: extra,
                    reason,
                    ..Reply::empty()
                },
                raw,
            ));
        }
    }
    let data = function
        .field_examples
        .and_then(|json| serde_json::from_str::<F::Data>(json).ok());
    Ok(with_raw(
        Reply {
            data,
            ..Reply::empty()
        },
        function.raw_output,
    ))
}

fn with_raw<D>(reply: Reply<D>, raw: Option<&str>) -> Reply<D> {
    match raw {
        Some(raw) => reply.with_raw_output(raw),
        None => reply,
    }
}

/// Whether a documented `metadata.result` says the call failed (`0`, `"0"`, `false`).
fn is_failure(result: Option<&Value>) -> bool {
    match result {
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        Some(Value::String(s)) => s.trim() == "0",
        Some(Value::Bool(b)) => !b,
        _ => false,
    }
}

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
    use crate::query::{ParamError, QueryBuilder};

    /// A function with one optional parameter whose data is any JSON.
    #[derive(Debug, PartialEq)]
    struct Lookup {
        user: Option<String>,
    }

    impl ApiFunction for Lookup {
        const NAME: &'static str = "lookup";
        const OUTPUT_RAW: bool = true;
        type Data = Value;
        fn to_query(&self, query: &mut QueryBuilder) {
            query.push_opt("user", &self.user);
        }
        fn from_params(params: &Params) -> Result<Self, ParamError> {
            Ok(Lookup {
                user: params.optional("user")?,
            })
        }
    }

    static FUNCTION: MockFunction = MockFunction {
        examples: &[
            MockExample {
                params: &[("user", "bob")],
                json: Some(
                    r#"{"data":{"found":"bob"},"metadata":{"result":1,"output":{"raw":"looked up bob"}}}"#,
                ),
                xml: None,
            },
            MockExample {
                params: &[("user", "nobody")],
                json: Some(r#"{"metadata":{"result":0,"reason":"No such user."}}"#),
                xml: Some("<result/>"),
            },
        ],
        field_examples: Some(r#"{"found":"example"}"#),
        raw_output: Some("raw example"),
    };

    #[test]
    fn a_matching_example_answers_with_its_documented_output() {
        let reply = answer(
            &Lookup {
                user: Some("bob".into()),
            },
            &FUNCTION,
        )
        .unwrap();
        assert_eq!(reply.data, Some(serde_json::json!({"found": "bob"})));
        assert_eq!(reply.raw_output.as_deref(), Some("looked up bob"));
    }

    #[test]
    fn a_documented_failure_is_answered_as_a_failure() {
        let err = answer(
            &Lookup {
                user: Some("nobody".into()),
            },
            &FUNCTION,
        )
        .unwrap_err();
        assert_eq!(err.reason(), "No such user.");
    }

    #[test]
    fn other_requests_get_the_field_examples() {
        let reply = answer(
            &Lookup {
                user: Some("carol".into()),
            },
            &FUNCTION,
        )
        .unwrap();
        assert_eq!(reply.data, Some(serde_json::json!({"found": "example"})));
        assert_eq!(reply.raw_output.as_deref(), Some("raw example"));
        let none = MockFunction {
            field_examples: None,
            raw_output: None,
            ..FUNCTION
        };
        let reply = answer(&Lookup { user: None }, &none).unwrap();
        assert_eq!((reply.data, reply.raw_output), (None, None));
    }

    #[test]
    fn examples_read_as_requests_and_bodies_by_format() {
        assert_eq!(
            FUNCTION.examples[0].request::<Lookup>(),
            Some(Lookup {
                user: Some("bob".into())
            })
        );
        assert_eq!(
            FUNCTION.examples[1].body(OutputFormat::Xml),
            Some("<result/>")
        );
        assert_eq!(FUNCTION.examples[0].body(OutputFormat::Xml), None);
    }

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
