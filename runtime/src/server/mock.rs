//! Answers from the spec's examples, for the generated mock server.
//!
//! The generated mock holds, for each function, its documented examples
//! (parameters and the JSON and XML bodies exactly as the spec holds them)
//! and a `data` tree assembled from the returned fields' examples. A request
//! whose typed parameters equal an example's is answered with that example;
//! any other valid request gets the assembled data.
//!
//! Two request extensions, set with an axum layer on the router, change what
//! any router of [`super::ApiRouter`] answers (the `whm-mock` binary sets both):
//!
//! - a [`MockScript`]: fixed answers, failures and delays per function, for
//!   the tests of code that calls WHM;
//! - [`MockSessions`]: `create_user_session` starts a real session of an
//!   [`InMemoryAuthenticator`] and answers its login URL, which the router
//!   serves at `/cpsess##########/login/?session=…` and which sets WHM's
//!   `whostmgrsession` cookie.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::Value;

use super::answer::{ApiError, OutputFormat, Reply};
use super::auth::{InMemoryAuthenticator, LoginSession, SESSION_IDLE_TIMEOUT};
use crate::function::ApiFunction;
use crate::query::Params;

/// The mock server binary's command line (its code is in the private module `mock_bin`).
pub use super::mock_bin::run;

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

/// What a scripted function answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ScriptAnswer {
    /// The usual answer (the examples'), only later: a rule with a delay alone.
    Usual,
    /// Success with this `data`, in WHM's envelope with the function's success metadata.
    Data(Value),
    /// This body exactly, whatever the format the path asked for.
    Body(String),
    /// A failure in WHM's envelope: HTTP 200, `result` 0 and this reason.
    Failure(String),
}

/// A scripted function: its answer, and how long to wait before giving it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptRule {
    /// What to answer.
    pub answer: ScriptAnswer,
    /// How long to wait first; `None`: no wait.
    pub delay: Option<Duration>,
}

/// Scripted answers for a mock, by function: set and changed while it serves.
///
/// Add it to a router as a layer ([`MockScript::layer`]); every router of
/// [`super::ApiRouter`] then answers a scripted function from its rule once a
/// request has passed the checks every call gets (credentials, privileges,
/// `api.version`, the function's own parameters), so a bad request is still
/// refused as WHM refuses it. Clones share the rules: keep one to change them.
///
/// ```
/// # use whm_runtime::server::mock::MockScript;
/// let script = MockScript::new();
/// script.answer_data("version", serde_json::json!({"version": "11.130.0.1"}));
/// script.fail("createacct", "Sorry, a group for that username already exists.");
/// script.delay("listaccts", std::time::Duration::from_millis(200));
/// // let router = whm_api::server::mock::mock_router(auth).layer(script.layer());
/// ```
#[derive(Debug, Clone, Default)]
pub struct MockScript {
    rules: Arc<Mutex<BTreeMap<String, ScriptRule>>>,
}

impl MockScript {
    /// A script with no rule: every function answers as usual.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `function`'s rule, replacing any it had.
    pub fn set(&self, function: impl Into<String>, rule: ScriptRule) {
        self.lock().insert(function.into(), rule);
    }

    /// Makes `function` succeed with `data`, keeping any delay it had.
    pub fn answer_data(&self, function: impl Into<String>, data: Value) {
        self.change(function.into(), |rule| {
            rule.answer = ScriptAnswer::Data(data)
        });
    }

    /// Makes `function` answer `body` exactly, keeping any delay it had.
    pub fn answer_body(&self, function: impl Into<String>, body: impl Into<String>) {
        let body = body.into();
        self.change(function.into(), |rule| {
            rule.answer = ScriptAnswer::Body(body)
        });
    }

    /// Makes `function` fail with `reason`, keeping any delay it had.
    pub fn fail(&self, function: impl Into<String>, reason: impl Into<String>) {
        let reason = reason.into();
        self.change(function.into(), |rule| {
            rule.answer = ScriptAnswer::Failure(reason);
        });
    }

    /// Makes `function` wait `delay` before answering, keeping its answer.
    pub fn delay(&self, function: impl Into<String>, delay: Duration) {
        self.change(function.into(), |rule| rule.delay = Some(delay));
    }

    /// Removes `function`'s rule: it answers as usual again.
    pub fn clear(&self, function: &str) {
        self.lock().remove(function);
    }

    /// Removes every rule.
    pub fn reset(&self) {
        self.lock().clear();
    }

    /// `function`'s rule, if it has one.
    pub fn rule(&self, function: &str) -> Option<ScriptRule> {
        self.lock().get(function).cloned()
    }

    /// The layer that gives a router this script: `router.layer(script.layer())`.
    pub fn layer(&self) -> axum::Extension<MockScript> {
        axum::Extension(self.clone())
    }

    /// Reads a script file (YAML, or JSON, which is YAML too):
    ///
    /// ```yaml
    /// functions:
    ///   version:
    ///     data: {version: "11.130.0.1"}   # success with this data
    ///   createacct:
    ///     fail: "Sorry, that domain is taken."   # result 0 with this reason
    ///   listaccts:
    ///     delay: 2.5                     # seconds, before the usual answer
    ///   gethostname:
    ///     body: '{"metadata":{"result":1}}'   # this body exactly
    /// ```
    ///
    /// Each function takes at most one of `data`, `body` and `fail`, and a
    /// `delay` with or without one.
    pub fn from_file(path: &Path) -> Result<MockScript, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the script {}: {e}", path.display()))?;
        MockScript::from_yaml(&text)
            .map_err(|why| format!("the script {} is not valid: {why}", path.display()))
    }

    /// Reads a script from the text of a script file ([`MockScript::from_file`]).
    pub fn from_yaml(text: &str) -> Result<MockScript, String> {
        let file: ScriptFile = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let script = MockScript::new();
        for (function, entry) in file.functions {
            if function.is_empty() {
                return Err("a function name is empty".to_owned());
            }
            let delay = match entry.delay {
                Some(s) if s.is_finite() && (0.0..1e6).contains(&s) => {
                    Some(Duration::from_secs_f64(s))
                }
                Some(s) => {
                    return Err(format!(
                        "“{function}”: delay takes seconds from 0 to 1000000; received {s}"
                    ));
                }
                None => None,
            };
            let answer = match (entry.data, entry.body, entry.fail) {
                (None, None, None) => ScriptAnswer::Usual,
                (Some(data), None, None) => ScriptAnswer::Data(data),
                (None, Some(body), None) => ScriptAnswer::Body(body),
                (None, None, Some(reason)) => ScriptAnswer::Failure(reason),
                _ => {
                    return Err(format!(
                        "“{function}” takes only one of data, body and fail"
                    ));
                }
            };
            if answer == ScriptAnswer::Usual && delay.is_none() {
                return Err(format!(
                    "“{function}” says nothing: give it data, body, fail or delay"
                ));
            }
            script.set(function, ScriptRule { answer, delay });
        }
        Ok(script)
    }

    fn change(&self, function: String, edit: impl FnOnce(&mut ScriptRule)) {
        let mut rules = self.lock();
        let rule = rules.entry(function).or_insert(ScriptRule {
            answer: ScriptAnswer::Usual,
            delay: None,
        });
        edit(rule);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, ScriptRule>> {
        // A poisoned lock only means a thread panicked holding it; the map is whole.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A script file: rules by function name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptFile {
    functions: BTreeMap<String, ScriptEntry>,
}

/// One function of a script file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptEntry {
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    fail: Option<String>,
    #[serde(default)]
    delay: Option<f64>,
}

/// Real sessions for `create_user_session`, as WHM starts them.
///
/// Add it to a router as a layer ([`MockSessions::layer`]): a valid call of
/// `create_user_session` then starts a session of the requested `user` in
/// `authenticator` and answers its `cp_security_token`, `session`, `expires`,
/// `service` and a `url` on this server (the request's `Host`, or
/// `preferred_domain` with the request's port, under `scheme`); the router
/// serves that URL, `/cpsess##########/login/?session=…`, setting the
/// session's cookie (`whostmgrsession` for `whostmgrd`).
///
/// WHM answers cPanel and Webmail sessions with URLs on ports 2083 and 2096;
/// a mock serves one port, so every URL points at it. As on WHM, only a
/// `whostmgrd` session's cookie can call WHM API 1.
#[derive(Debug, Clone)]
pub struct MockSessions {
    authenticator: Arc<InMemoryAuthenticator>,
    scheme: &'static str,
}

impl MockSessions {
    /// Sessions of `authenticator`, with login URLs under `scheme` (`http` or `https`).
    pub fn new(authenticator: Arc<InMemoryAuthenticator>, scheme: &'static str) -> Self {
        MockSessions {
            authenticator,
            scheme,
        }
    }

    /// The layer that gives a router these sessions: `router.layer(sessions.layer())`.
    pub fn layer(&self) -> axum::Extension<MockSessions> {
        axum::Extension(self.clone())
    }

    /// The authenticator the sessions are started in.
    pub fn authenticator(&self) -> &InMemoryAuthenticator {
        &self.authenticator
    }

    /// Starts the session that `params` (a valid `create_user_session` call) asks
    /// for and returns the function's `data`; `host` is the request's `Host`.
    pub(crate) fn start(&self, params: &Params, host: &str) -> Result<Value, ApiError> {
        let text = |name: &str| params.get(name).ok().flatten().filter(|v| !v.is_empty());
        let user = text("user")
            .ok_or_else(|| ApiError::from(crate::query::ParamError::missing("user")))?;
        let service = text("service").unwrap_or("whostmgrd");
        let LoginSession {
            security_token,
            session,
        } = self
            .authenticator
            .create_login_session(user, service)
            .map_err(|e| ApiError::new(format!("The session could not be created: {e}.")))?;
        let host = match text("preferred_domain") {
            // The request's port, so the URL still reaches this server.
            Some(domain) => match host
                .rsplit_once(':')
                .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
            {
                Some((_, port)) => format!("{domain}:{port}"),
                None => domain.to_owned(),
            },
            None => host.to_owned(),
        };
        let mut url = format!(
            "{}://{host}/{security_token}/login/?session={}",
            self.scheme,
            encode_query_value(&session)
        );
        for name in ["app", "locale"] {
            if let Some(value) = text(name) {
                url.push_str(&format!("&{name}={}", encode_query_value(value)));
            }
        }
        let expires = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            + SESSION_IDLE_TIMEOUT.as_secs();
        Ok(serde_json::json!({
            "cp_security_token": format!("/{security_token}"),
            "expires": expires,
            "service": service,
            "session": session,
            "url": url,
        }))
    }
}

/// Percent-encodes a query value, leaving `:` and `@` as WHM's URLs show them.
fn encode_query_value(value: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b':')
        .remove(b'@');
    utf8_percent_encode(value, KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{ParamError, QueryBuilder};

    #[test]
    fn reads_a_script_file_and_refuses_a_bad_one() {
        let script = MockScript::from_yaml(
            "functions:\n  version:\n    data: {version: '11.1'}\n  createacct:\n    fail: Taken.\n    delay: 0.5\n  listaccts:\n    delay: 2\n  gethostname:\n    body: '{}'\n",
        )
        .unwrap();
        assert_eq!(
            script.rule("version").map(|r| r.answer),
            Some(ScriptAnswer::Data(serde_json::json!({"version": "11.1"})))
        );
        assert_eq!(
            script.rule("createacct"),
            Some(ScriptRule {
                answer: ScriptAnswer::Failure("Taken.".into()),
                delay: Some(Duration::from_millis(500))
            })
        );
        assert_eq!(
            script.rule("listaccts"),
            Some(ScriptRule {
                answer: ScriptAnswer::Usual,
                delay: Some(Duration::from_secs(2))
            })
        );
        assert_eq!(
            script.rule("gethostname").map(|r| r.answer),
            Some(ScriptAnswer::Body("{}".into()))
        );
        for (text, why) in [
            (
                "functions:\n  a:\n    data: 1\n    fail: x\n",
                "only one of",
            ),
            ("functions:\n  a: {}\n", "says nothing"),
            ("functions:\n  a:\n    delay: -1\n", "delay takes seconds"),
            ("functions:\n  a:\n    wait: 1\n", "unknown field"),
            ("nothing: 1\n", "unknown field"),
        ] {
            let err = MockScript::from_yaml(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
        let err = MockScript::from_file(Path::new("/nonexistent/script.yaml")).unwrap_err();
        assert!(err.contains("cannot read the script"), "{err}");
    }

    #[test]
    fn script_rules_change_in_place_and_clones_share_them() {
        let script = MockScript::new();
        let shared = script.clone();
        script.delay("version", Duration::from_secs(1));
        script.fail("version", "No.");
        assert_eq!(
            shared.rule("version"),
            Some(ScriptRule {
                answer: ScriptAnswer::Failure("No.".into()),
                delay: Some(Duration::from_secs(1))
            })
        );
        shared.clear("version");
        assert_eq!(script.rule("version"), None);
        script.answer_body("a", "x");
        script.reset();
        assert_eq!(script.rule("a"), None);
    }

    #[test]
    fn sessions_answer_a_login_url_on_this_server() {
        let auth = Arc::new(InMemoryAuthenticator::new());
        let sessions = MockSessions::new(Arc::clone(&auth), "https");
        let params = Params::parse("user=bob%40example.com&service=whostmgrd&locale=fr").unwrap();
        let data = sessions.start(&params, "127.0.0.1:2087").unwrap();
        let token = data["cp_security_token"]
            .as_str()
            .unwrap()
            .trim_start_matches('/');
        let session = data["session"].as_str().unwrap();
        assert!(
            session.starts_with("bob@example.com:") && session.len() == 16 + 64,
            "{session}"
        );
        assert_eq!(
            data["url"],
            format!("https://127.0.0.1:2087/{token}/login/?session={session}&locale=fr")
        );
        assert_eq!(data["service"], "whostmgrd");
        assert_eq!(
            auth.login(token, session),
            Some(("bob@example.com".to_owned(), "whostmgrd".to_owned()))
        );
        assert_eq!(auth.login(token, "bob@example.com:wrong"), None);
        let params = Params::parse("user=bob&service=cpaneld&preferred_domain=localhost").unwrap();
        let data = sessions.start(&params, "127.0.0.1:4000").unwrap();
        assert!(
            data["url"]
                .as_str()
                .unwrap()
                .starts_with("https://localhost:4000/cpsess"),
            "{data}"
        );
    }

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
}
