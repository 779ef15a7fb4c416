//! The one request path every function shares: path, query length,
//! credentials, method, parameters, `api.version`, the function, the caller's
//! privileges, then a script's or a session's answer, or the function's handler.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::any;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::answer::{self, ApiError, OutputFormat, Reply};
use super::auth::{AuthError, Authenticator, Caller, Credentials, session_cookie_name};
use super::mock::{MockExample, MockScript, MockSessions, ScriptAnswer};
use super::serve::BodyReadTimeout;
use crate::function::ApiFunction;
use crate::output_options::{self, OutputOptions};
use crate::query::{ParamError, Params};

/// The limits a server applies to a request's size.
///
/// A request over a limit is refused with the envelope (`result` 0) and an
/// HTTP status that names the problem: 414 for the query (checked first, before
/// the credentials), 413 for the body or the number of parameters (checked after
/// the credentials and the method, before any parameter is decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest query string accepted, in bytes. Default: 16 KiB.
    pub max_query_bytes: usize,
    /// The largest POST body accepted, in bytes. Default: 1 MiB.
    pub max_body_bytes: usize,
    /// The most parameters (query and body together) accepted. Default: 1,000.
    pub max_params: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_bytes: 16 * 1024,
            max_body_bytes: 1024 * 1024,
            max_params: 1000,
        }
    }
}

/// What a handler learns about the request besides its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// Who called.
    pub caller: Caller,
    /// The `cpsess` security token of the path, when the request had one (already checked).
    pub security_token: Option<String>,
    /// The format the answer will be written in.
    pub format: OutputFormat,
    /// The function called.
    pub function: &'static str,
}

type BoxFuture = Pin<Box<dyn Future<Output = Response> + Send>>;

/// A function's handler with its types erased: reads the request, then answers.
/// A refusal is boxed: it is the rare path, and keeps the `Result` small.
type ErasedHandler<S> =
    Box<dyn Fn(Arc<S>, RequestContext, &Params) -> Result<BoxFuture, Box<Response>> + Send + Sync>;

/// Finds a documented body for a request, when one of the examples matches it.
type DocumentedLookup = Box<dyn Fn(&Params, OutputFormat) -> Option<&'static str> + Send + Sync>;

/// Whether the service offers a function, by name.
type OffersFn<S> = Box<dyn Fn(&S, &str) -> bool + Send + Sync>;

struct Entry<S> {
    handler: ErasedHandler<S>,
    documented: Option<DocumentedLookup>,
    /// Reads the parameters as the function's request, for answers that skip the handler.
    check: fn(&Params) -> Result<(), ParamError>,
    success_reason: &'static str,
    output_raw: bool,
    /// The field of `data` that WHM's output options shape (`ApiFunction::LIST`).
    list: Option<&'static str>,
}

fn check_params<F: ApiFunction>(params: &Params) -> Result<(), ParamError> {
    F::from_params(params).map(drop)
}

/// Builds the axum router of a WHM API 1 server from one handler per function.
///
/// The generated `router` functions fill it in; use it directly to serve a
/// subset of functions or to set [`Limits`].
pub struct ApiRouter<S, A> {
    service: Arc<S>,
    authenticator: A,
    limits: Limits,
    functions: HashMap<&'static str, Entry<S>>,
    offers: Option<OffersFn<S>>,
}

impl<S: Send + Sync + 'static, A: Authenticator> ApiRouter<S, A> {
    /// A router that serves no function yet, for `service`, checking credentials with `authenticator`.
    pub fn new(service: S, authenticator: A) -> Self {
        ApiRouter {
            service: Arc::new(service),
            authenticator,
            limits: Limits::default(),
            functions: HashMap::new(),
            offers: None,
        }
    }

    /// Registers, from now on, only the functions for which `offers` answers
    /// true (it is asked once per function, as the function is registered).
    /// The others are not served: a call answers WHM's “Unknown app”, as for a
    /// name WHM does not know, before the function's parameters are read.
    ///
    /// The generated `api_router` passes `WhmServer::offers` here.
    pub fn offering(mut self, offers: impl Fn(&S, &str) -> bool + Send + Sync + 'static) -> Self {
        self.offers = Some(Box::new(offers));
        self
    }

    /// Replaces the default [`Limits`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Serves the function `F` with `handler`, which gets the service, the
    /// request's context and the typed request.
    ///
    /// A request whose parameters do not fit `F` never reaches the handler:
    /// it is answered with `result` 0 and a reason that names the parameter.
    ///
    /// A function the service does not offer (see [`ApiRouter::offering`]) is
    /// not registered.
    pub fn function<F, H, Fut>(mut self, handler: H) -> Self
    where
        F: ApiFunction,
        H: Fn(Arc<S>, RequestContext, F) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply<F::Data>, ApiError>> + Send + 'static,
    {
        if let Some(offers) = &self.offers
            && !offers(&self.service, F::NAME)
        {
            self.functions.remove(F::NAME);
            return self;
        }
        let erased: ErasedHandler<S> = Box::new(move |service, context, params| {
            let format = context.format;
            let options = shaping(F::LIST, params);
            let request = F::from_params(params).map_err(|err| {
                Box::new(answer::failure(
                    StatusCode::OK,
                    F::NAME,
                    format,
                    &err.to_string(),
                ))
            })?;
            let pending = handler(service, context, request);
            Ok(Box::pin(async move {
                match pending.await {
                    Ok(mut reply) => {
                        // A function documented to report in metadata.output.raw always has the key.
                        if F::OUTPUT_RAW && reply.raw_output.is_none() {
                            reply.raw_output = Some(String::new());
                        }
                        match options {
                            Some((field, options)) => match shape(reply, field, &options) {
                                Ok(shaped) => {
                                    answer::success(F::NAME, format, F::SUCCESS_REASON, shaped)
                                }
                                Err(why) => answer::failure(
                                    StatusCode::OK,
                                    F::NAME,
                                    format,
                                    &format!("The server could not encode its answer: {why}."),
                                ),
                            },
                            None => answer::success(F::NAME, format, F::SUCCESS_REASON, reply),
                        }
                    }
                    Err(err) => answer::failure(StatusCode::OK, F::NAME, format, err.reason()),
                }
            }))
        });
        let documented = self.functions.remove(F::NAME).and_then(|e| e.documented);
        self.functions.insert(
            F::NAME,
            Entry {
                handler: erased,
                documented,
                check: check_params::<F>,
                success_reason: F::SUCCESS_REASON,
                output_raw: F::OUTPUT_RAW,
                list: F::LIST,
            },
        );
        self
    }

    /// Answers `F` with an example's documented JSON or XML body, exactly as
    /// the spec holds it, when a request's typed parameters equal the
    /// example's. Register the function itself first.
    ///
    /// An example whose parameters do not read as an `F` is skipped.
    pub fn documented<F>(mut self, examples: &'static [MockExample]) -> Self
    where
        F: ApiFunction + PartialEq,
    {
        let prepared: Vec<(F, &'static MockExample)> = examples
            .iter()
            .filter_map(|ex| ex.request::<F>().map(|req| (req, ex)))
            .collect();
        if prepared.is_empty() {
            return self;
        }
        let lookup: DocumentedLookup = Box::new(move |params, format| {
            let request = F::from_params(params).ok()?;
            prepared
                .iter()
                .find(|(req, _)| *req == request)
                .and_then(|(_, ex)| ex.body(format))
        });
        if let Some(entry) = self.functions.get_mut(F::NAME) {
            entry.documented = Some(lookup);
        }
        self
    }

    /// The axum router: every registered function at GET and POST
    /// `/json-api/NAME` and `/xml-api/NAME`, also after a `/cpsess##########/` segment.
    /// With [`MockSessions`] as a layer, also the login URLs of its sessions,
    /// `/cpsess##########/login/?session=…`. Other paths get a plain-text 404.
    pub fn into_router(self) -> Router {
        // Each function also gets literal routes: matching them captures no path
        // parameters, which saves axum allocating them on every call.
        let literal: Vec<&'static str> = self
            .functions
            .keys()
            .copied()
            .filter(|name| {
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
            })
            .collect();
        let shared = Arc::new(self);
        let mut router = Router::new();
        for name in literal {
            router = router
                .route(&format!("/json-api/{name}"), any(dispatch::<S, A>))
                .route(&format!("/xml-api/{name}"), any(dispatch::<S, A>));
        }
        router
            .route("/json-api/{function}", any(dispatch::<S, A>))
            .route("/xml-api/{function}", any(dispatch::<S, A>))
            .route("/{session}/json-api/{function}", any(dispatch::<S, A>))
            .route("/{session}/xml-api/{function}", any(dispatch::<S, A>))
            .route("/{session}/login/", any(login))
            .route("/{session}/login", any(login))
            .fallback(not_found)
            .with_state(shared)
    }
}

const NOT_FOUND: &str = "Not found: WHM API 1 is served at /json-api/FUNCTION and /xml-api/FUNCTION, \
                         optionally after a /cpsess##########/ security token.";

async fn not_found() -> Response {
    answer::plain(StatusCode::NOT_FOUND, NOT_FOUND)
}

/// Opens a session's login URL, `/cpsess##########/login/?session=ID`: when the
/// ID is the session's, sets the session's cookie (`whostmgrsession` for WHM).
///
/// WHM then redirects to its interface, which a mock does not have: the answer
/// is a short page instead. Without [`MockSessions`], or for a wrong session,
/// it is refused as WHM refuses a bad security token.
async fn login(request: Request) -> Response {
    let path = request.uri().path();
    let token = path
        .strip_prefix('/')
        .and_then(|rest| rest.split('/').next())
        .filter(|t| is_security_token(t));
    let Some(sessions) = request.extensions().get::<MockSessions>() else {
        return answer::plain(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let Some(token) = token else {
        return answer::plain(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let session = Params::parse(request.uri().query().unwrap_or(""))
        .ok()
        .and_then(|p| p.get("session").ok().flatten().map(str::to_owned));
    let opened = session
        .as_deref()
        .and_then(|session| Some((session, sessions.authenticator().login(token, session)?)));
    let Some((session, (user, service))) = opened else {
        return answer::plain(
            StatusCode::FORBIDDEN,
            "Access denied: the session in this login URL is not valid; create a new one with create_user_session.",
        );
    };
    let mut response = answer::plain(
        StatusCode::OK,
        &format!(
            "Logged in as {user} ({service}). Call /{token}/json-api/FUNCTION with this session's cookie."
        ),
    );
    // WHM's cookie holds the ID percent-encoded (`user%3a…`); HttpOnly as WHM sets it.
    let cookie = format!(
        "{}={}; path=/; HttpOnly",
        session_cookie_name(&service),
        percent_encoding::utf8_percent_encode(session, percent_encoding::NON_ALPHANUMERIC)
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Whether a path segment has the form of a security token: `cpsess` and digits.
fn is_security_token(segment: &str) -> bool {
    segment
        .strip_prefix("cpsess")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The parts of an API path: `/[cpsess##########/]json-api|xml-api/FUNCTION`.
struct ApiPath<'a> {
    security_token: Option<&'a str>,
    format: OutputFormat,
    function: &'a str,
}

fn parse_path(path: &str) -> Option<ApiPath<'_>> {
    let rest = path.strip_prefix('/')?;
    let mut parts = rest.split('/');
    let first = parts.next()?;
    let (security_token, api) = match OutputFormat::from_segment(first) {
        Some(_) => (None, first),
        None => (Some(first), parts.next()?),
    };
    let format = OutputFormat::from_segment(api)?;
    let function = parts.next()?;
    if parts.next().is_some() || function.is_empty() {
        return None;
    }
    if security_token.is_some_and(|token| !is_security_token(token)) {
        return None;
    }
    Some(ApiPath {
        security_token,
        format,
        function,
    })
}

async fn dispatch<S: Send + Sync + 'static, A: Authenticator>(
    State(router): State<Arc<ApiRouter<S, A>>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let Some(path) = parse_path(parts.uri.path()) else {
        return answer::plain(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let (format, command) = (path.format, path.function);
    let refuse =
        |status: StatusCode, reason: &str| answer::failure(status, command, format, reason);
    let limits = router.limits;

    let query = parts.uri.query().unwrap_or("");
    if query.len() > limits.max_query_bytes {
        return refuse(
            StatusCode::URI_TOO_LONG,
            &format!(
                "The query string is {} bytes long; this server accepts at most {} bytes. Send long values in a POST body.",
                query.len(),
                limits.max_query_bytes
            ),
        );
    }

    // Credentials first: nothing else about a request is looked at for a stranger.
    let caller =
        match authenticate(&router.authenticator, &parts.headers, path.security_token).await {
            Ok(caller) => caller,
            Err(err) => {
                let mut response = refuse(err.status(), &err.to_string());
                if err.status() == StatusCode::UNAUTHORIZED {
                    response.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Basic realm=\"WHM\""),
                    );
                }
                return response;
            }
        };

    if parts.method != Method::GET && parts.method != Method::POST {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!(
                "The HTTP method {} is not allowed: call WHM API 1 with GET or POST.",
                parts.method
            ),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    }

    // The body is read (within its limit) and the parameters counted before any is decoded.
    let form = if parts.method == Method::POST {
        match read_form_body(&parts.headers, body, limits.max_body_bytes).await {
            Ok(form) => form,
            Err((status, reason)) => return refuse(status, &reason),
        }
    } else {
        None
    };
    let count = count_params(query) + form.as_deref().map_or(0, count_params);
    if count > limits.max_params {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "The request has {count} parameters; this server accepts at most {}.",
                limits.max_params
            ),
        );
    }
    let mut params = match Params::parse(query) {
        Ok(params) => params,
        Err(err) => return refuse(StatusCode::OK, &err.to_string()),
    };
    if let Some(form) = &form {
        match Params::parse(form) {
            Ok(form) => params.extend(form),
            Err(err) => return refuse(StatusCode::OK, &err.to_string()),
        }
    }

    match params.get("api.version") {
        Ok(Some("1")) => {}
        Ok(Some(other)) => {
            return refuse(
                StatusCode::OK,
                &format!(
                    "This server implements WHM API 1 only: “api.version” must be 1; received “{other}”."
                ),
            );
        }
        Ok(None) => {
            return refuse(
                StatusCode::OK,
                "The “api.version” parameter is required: add “api.version=1” to the query \
                 (without it WHM runs the deprecated WHM API 0, which this server does not implement).",
            );
        }
        Err(err) => return refuse(StatusCode::OK, &err.to_string()),
    }

    let Some((&function, entry)) = router.functions.get_key_value(command) else {
        return refuse(StatusCode::OK, ApiError::unknown_function(command).reason());
    };
    if !router.authenticator.may_call(&caller, function) {
        // What WHM answers here is not documented; cPanel's own pages refuse a
        // missing privilege with “Permission denied”, and WHM API 1 reports a
        // refused call as HTTP 200 with `result` 0, which is what is sent.
        return refuse(
            StatusCode::OK,
            &format!(
                "Permission denied: the account “{}” does not have the privilege to call “{function}”.",
                caller.user
            ),
        );
    }
    let script = parts
        .extensions
        .get::<MockScript>()
        .and_then(|script| script.rule(function));
    let sessions = parts
        .extensions
        .get::<MockSessions>()
        .filter(|_| function == "create_user_session");
    if script.is_some() || sessions.is_some() {
        // Scripted answers and sessions skip the handler, not the function's parameter checks.
        if let Err(err) = (entry.check)(&params) {
            return refuse(StatusCode::OK, &err.to_string());
        }
    }
    // A script's delay comes before whatever answers: the rule, a session or the function.
    let (delay, scripted) = match script {
        Some(rule) => (rule.delay, rule.answer),
        None => (None, ScriptAnswer::Usual),
    };
    wait(delay).await;
    match scripted {
        ScriptAnswer::Usual => {}
        ScriptAnswer::Data(data) => {
            return reply(
                function,
                format,
                entry,
                Ok(data),
                shaping(entry.list, &params),
            );
        }
        ScriptAnswer::Body(body) => return answer::verbatim(format, body),
        ScriptAnswer::Failure(reason) => {
            return reply(function, format, entry, Err(ApiError::new(reason)), None);
        }
    }
    if let Some(sessions) = sessions {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        return reply(function, format, entry, sessions.start(&params, host), None);
    }
    // A documented body is sent as written, so not when output options are to shape it.
    if let Some(body) = entry
        .documented
        .as_ref()
        .filter(|_| entry.list.is_none() || !output_options::requested(&params))
        .and_then(|lookup| lookup(&params, format))
    {
        return answer::verbatim(format, body);
    }
    let context = RequestContext {
        caller,
        security_token: path.security_token.map(str::to_owned),
        format,
        function,
    };
    match (entry.handler)(Arc::clone(&router.service), context, &params) {
        Ok(pending) => pending.await,
        Err(refused) => *refused,
    }
}

/// The output options a request asks to apply to a function's list (`list`,
/// the field of `data` that holds it), when it is a list function and asks for any.
fn shaping(list: Option<&'static str>, params: &Params) -> Option<(&'static str, OutputOptions)> {
    let field = list?;
    output_options::requested(params).then(|| (field, OutputOptions::from_params(params)))
}

/// A reply with its list shaped by `options`, as WHM does after the function
/// ran: whoever implements the function (the mock, or a service of one's
/// own) returns the whole list, and the router filters, sorts and pages it.
fn shape<D: serde::Serialize>(
    reply: Reply<D>,
    field: &str,
    options: &OutputOptions,
) -> Result<Reply<serde_json::Value>, serde_json::Error> {
    let mut metadata = reply.metadata;
    let data = match reply.data {
        Some(data) => {
            let mut data = serde_json::to_value(data)?;
            if let Some(serde_json::Value::Array(records)) =
                data.as_object_mut().and_then(|d| d.get_mut(field))
            {
                options.apply(records, &mut metadata);
            }
            Some(data)
        }
        None => None,
    };
    Ok(Reply {
        data,
        raw_output: reply.raw_output,
        metadata,
        reason: reply.reason,
    })
}

/// Waits a script's delay, if any.
async fn wait(delay: Option<Duration>) {
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
}

/// Answers a call with `data` (or its failure) in WHM's envelope, with the function's success metadata.
fn reply<S>(
    function: &str,
    format: OutputFormat,
    entry: &Entry<S>,
    outcome: Result<serde_json::Value, ApiError>,
    options: Option<(&'static str, OutputOptions)>,
) -> Response {
    match outcome {
        Ok(data) => {
            let mut reply = Reply::data(data);
            if entry.output_raw {
                reply = reply.with_raw_output("");
            }
            if let Some((field, options)) = options
                && let Ok(shaped) = shape(reply.clone(), field, &options)
            {
                reply = shaped;
            }
            answer::success(function, format, entry.success_reason, reply)
        }
        Err(err) => answer::failure(StatusCode::OK, function, format, err.reason()),
    }
}

async fn authenticate<A: Authenticator>(
    authenticator: &A,
    headers: &axum::http::HeaderMap,
    security_token: Option<&str>,
) -> Result<Caller, AuthError> {
    let credentials = Credentials::from_request(headers, security_token)?;
    let caller = authenticator.authenticate(&credentials).await?;
    if let Some(token) = security_token {
        authenticator.check_session(&caller, token).await?;
    }
    Ok(caller)
}

/// How many parameters a query string or form body holds, without decoding them
/// (as [`Params::parse`] counts them: the non-empty pieces between `&`).
fn count_params(text: &str) -> usize {
    text.split('&').filter(|piece| !piece.is_empty()).count()
}

/// Reads a POST body of form parameters, undecoded; `None` when it is empty.
async fn read_form_body(
    headers: &axum::http::HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Option<String>, (StatusCode, String)> {
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The request body is larger than this server accepts ({limit} bytes)."),
        )
    };
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok());
    if length
        .and_then(|l| l.parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
    {
        return Err(too_large());
    }
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("");
        let essence = kind.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "A POST body must be “application/x-www-form-urlencoded” parameters; received “{}”.",
                    kind.escape_default()
                ),
            ));
        }
    }
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<LengthLimitError>() => return Err(too_large()),
        Err(err) if BodyReadTimeout::find(&*err).is_some() => {
            return Err((
                StatusCode::REQUEST_TIMEOUT,
                format!("The request body was not received in time: {err}."),
            ));
        }
        Err(err) => {
            return Err((
                StatusCode::BAD_REQUEST,
                format!("The request body could not be read: {err}."),
            ));
        }
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    let text = String::from_utf8(bytes.into()).map_err(|_| {
        (
            StatusCode::OK,
            "The request body is not valid UTF-8: percent-encode its bytes.".to_owned(),
        )
    })?;
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_parameters_as_they_are_parsed() {
        for text in ["", "a=1", "a=1&b", "&&a=1&&b=%zz&", "a=1&a=2&c="] {
            let parsed = Params::parse(&text.replace("%zz", "x")).unwrap();
            assert_eq!(count_params(text), parsed.pairs().len(), "{text}");
        }
    }

    #[test]
    fn reads_api_paths() {
        let p = parse_path("/json-api/applist").unwrap();
        assert_eq!(
            (p.security_token, p.format, p.function),
            (None, OutputFormat::Json, "applist")
        );
        let p = parse_path("/cpsess0123456789/xml-api/version").unwrap();
        assert_eq!(
            (p.security_token, p.format, p.function),
            (Some("cpsess0123456789"), OutputFormat::Xml, "version")
        );
        for bad in [
            "/json-api/",
            "/json-api/a/b",
            "/cpsess/json-api/a",
            "/cpsessX1/json-api/a",
            "/other/json-api/a",
            "json-api/a",
            "/api/a",
        ] {
            assert!(parse_path(bad).is_none(), "{bad}");
        }
    }
}
