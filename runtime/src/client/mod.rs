//! An HTTP client for WHM API 1 (cargo feature `client`).
//!
//! [`Client`] sends `GET BASE/[cpsess…/]json-api/FUNCTION?api.version=1&…`
//! with the request's parameters in spec order and WHM's encoding, so the
//! URLs are byte for byte the ones the documentation shows, and reads the
//! answer into [`Response`]: the function's typed `data` and the whole
//! `metadata`. The generated crate (`whm-api`, feature `client`) adds one
//! typed method per function on top of [`Client::call`].
//!
//! A function with a parameter that its spec marks `sensitive: true` (a
//! password) is the exception ([`ApiFunction::POST`]): it is sent as
//! `POST BASE/[cpsess…/]json-api/FUNCTION` with the same query as an
//! `application/x-www-form-urlencoded` body, so the secret never lands in a
//! URL, where server logs and proxies keep it.
//!
//! ```no_run
//! use whm_runtime::client::Client;
//! use whm_runtime::QueryBuilder;
//!
//! # async fn run() -> Result<(), whm_runtime::client::Error> {
//! let client = Client::builder("https://hostname.example.com:2087")
//!     .api_token("root", "U7HMR63FHY282DQZ4H5BIH16JLYSO01M")
//!     .build()?;
//! // A function that has no spec yet: name and parameters in, JSON out.
//! let mut query = QueryBuilder::new();
//! query.push("user", "example");
//! let envelope = client.call_raw("accountsummary", &query).await?;
//! println!("{:?}", envelope.data);
//! # Ok(())
//! # }
//! ```
//!
//! # Reading answers
//!
//! - `metadata.result` 0 is an error ([`Error::Api`]) carrying `reason` and
//!   the whole metadata; so is any HTTP status other than 2xx
//!   ([`Error::Status`]; WHM answers a wrong token with 403).
//! - Values are read through [`crate::wire`], which accepts WHM's looseness:
//!   numbers as strings, booleans as `1`/`0` or `"1"`/`"0"`.
//! - `metadata` may sit beside `data`, as WHM sends it, or inside `data`, as
//!   some documentation pages print it (see [`decode_envelope`]).
//! - A body of another shape is [`Error::Decode`], naming the field
//!   (`data.payload[0].access_token`) and showing what arrived.
//!
//! # Lists
//!
//! [`Client::call_with`] adds WHM's output options (filter, sort, page,
//! columns; [`crate::output_options`]) to a call, and [`Client::pages`]
//! walks a list function's records page by page ([`Pages`]).
//!
//! # Credentials
//!
//! An API token (`Authorization: whm USER:TOKEN`), HTTP basic auth, and a
//! `cpsess` security token (the first path segment of a browser session's
//! URLs; WHM also wants that session's cookie, which this client does not
//! manage) can be set on the [`ClientBuilder`]. None of them ever appears in
//! an error message, a `Debug` print or [`Client::url`].

mod decode;
mod error;
mod pages;
mod tls;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};

pub use decode::decode_envelope;
pub use error::{DecodeError, Error};
pub use pages::{Page, Pages};

use crate::envelope::{Envelope, Metadata};
use crate::function::ApiFunction;
use crate::query::{QueryBuilder, encode_into};

/// The user agent: this crate and its version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How long a call may take, from connecting to the last byte, unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How [`Client::url`] and `Debug` write a session's security token: as the seed
/// documentation page writes it in its URLs.
pub const MASKED_SESSION: &str = "cpsess#####";

/// The largest answer body a client reads unless set otherwise: 64 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// The output format of a call: WHM's `/json-api/` or `/xml-api/` (the one [`ApiFormat`](crate::ApiFormat)).
///
/// Not to be confused with [`crate::Format`], the formats of string parameters.
pub use crate::format::ApiFormat as Format;

/// A successful answer: the function's data and WHM's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The function's `data`; its `Default` (every field `None`) when WHM sent none.
    pub data: T,
    /// The whole `metadata`: command, version, reason, result and `output.raw`.
    pub metadata: Metadata,
}

impl<T> Response<T> {
    /// The text output of functions that report in `metadata.output.raw`.
    pub fn raw_output(&self) -> Option<&str> {
        self.metadata.output.as_ref()?.raw.as_deref()
    }
}

/// How a client proves who it is.
#[derive(Clone)]
enum Auth {
    /// `Authorization: whm USER:TOKEN`, precomputed and marked sensitive.
    ApiToken { user: String, header: HeaderValue },
    /// HTTP basic auth.
    Basic { user: String, password: String },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiToken { user, .. } => f
                .debug_struct("ApiToken")
                .field("user", user)
                .finish_non_exhaustive(),
            Auth::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .finish_non_exhaustive(),
        }
    }
}

/// Builds a [`Client`]; start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    auth: Option<PendingAuth>,
    session: Option<String>,
    timeout: Duration,
    accept_invalid_certs: bool,
    user_agent: String,
    max_body_bytes: u64,
}

/// Credentials as given, checked in [`ClientBuilder::build`].
#[derive(Clone)]
enum PendingAuth {
    ApiToken { user: String, token: String },
    Basic { user: String, password: String },
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            None => "none",
            Some(PendingAuth::ApiToken { .. }) => "API token",
            Some(PendingAuth::Basic { .. }) => "basic",
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &"…")
            .field("auth", &auth)
            .field("session", &self.session.as_ref().map(|_| MASKED_SESSION))
            .field("timeout", &self.timeout)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("user_agent", &self.user_agent)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl ClientBuilder {
    /// Authenticates with an API token: `Authorization: whm USER:TOKEN`.
    pub fn api_token(mut self, user: impl Into<String>, token: impl Into<String>) -> Self {
        self.auth = Some(PendingAuth::ApiToken {
            user: user.into(),
            token: token.into(),
        });
        self
    }

    /// Authenticates with HTTP basic auth.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Some(PendingAuth::Basic {
            user: user.into(),
            password: password.into(),
        });
        self
    }

    /// Sends calls under a session's security token: `cpsess1234567890`
    /// (the `cpsess` prefix may be left out). It becomes the first path segment.
    pub fn session(mut self, token: impl Into<String>) -> Self {
        self.session = Some(token.into());
        self
    }

    /// How long a call may take, from connecting to the last byte ([`DEFAULT_TIMEOUT`] unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Accepts any TLS certificate, such as the self-signed one a fresh WHM
    /// server ships with. Off by default; turning it on lets anyone between
    /// the client and the server read the credentials.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// The largest answer body the client reads, in bytes ([`DEFAULT_MAX_BODY_BYTES`], 64 MiB,
    /// unless set). A larger answer is refused with [`Error::BodyTooLarge`]: from its
    /// `Content-Length` before the body is read, else as soon as the body grows past the limit.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Replaces the user agent (`whm-runtime/VERSION` by default).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Refuses a base URL that is not `http` or `https`, has no host, or
    /// carries credentials, a query or a fragment; a session token that is
    /// not letters and digits; and credentials that cannot travel in a header.
    pub fn build(self) -> Result<Client, Error> {
        let base = parse_base_url(&self.base_url)?;
        let session = self.session.as_deref().map(parse_session).transpose()?;
        let auth = match self.auth {
            None => None,
            Some(PendingAuth::ApiToken { user, token }) => {
                let mut header = HeaderValue::try_from(format!("whm {user}:{token}")).map_err(|_| {
                    Error::Config("the user name or API token contains characters not allowed in a header".into())
                })?;
                header.set_sensitive(true);
                Some(Auth::ApiToken { user, header })
            }
            Some(PendingAuth::Basic { user, password }) => Some(Auth::Basic { user, password }),
        };
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .timeout(self.timeout)
            // A redirect from an API URL leads to a login page, not an answer.
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls::config(self.accept_invalid_certs)?)
            .build()
            .map_err(|e| Error::Config(format!("cannot set up HTTP: {}", e.without_url())))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                session,
                auth,
                timeout: self.timeout,
                max_body_bytes: self.max_body_bytes,
            }),
        })
    }
}

/// The base URL without a trailing `/`; never echoes the URL, which may carry a password.
fn parse_base_url(raw: &str) -> Result<String, Error> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        Error::Config(format!(
            "the base URL is not a URL ({e}); expected https://HOST:2087"
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "the base URL carries credentials; give them with api_token or basic_auth instead"
                .into(),
        ));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "the base URL's scheme is {:?}; expected https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Config(
            "the base URL has no host; expected https://HOST:2087".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(
            "the base URL must not have a query or fragment".into(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `cpsess` followed by the token; the token must be letters and digits.
fn parse_session(raw: &str) -> Result<String, Error> {
    let raw = raw.trim().trim_matches('/');
    let token = raw.strip_prefix("cpsess").unwrap_or(raw);
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::Config(
            "the session token must be cpsess followed by letters and digits".into(),
        ));
    }
    Ok(format!("cpsess{token}"))
}

/// A WHM API 1 client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    session: Option<String>,
    auth: Option<Auth>,
    timeout: Duration,
    max_body_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("auth", &self.inner.auth)
            .field(
                "session",
                &self.inner.session.as_ref().map(|_| MASKED_SESSION),
            )
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl Client {
    /// Starts a client for a WHM server: `https://HOST:2087`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            auth: None,
            session: None,
            timeout: DEFAULT_TIMEOUT,
            accept_invalid_certs: false,
            user_agent: USER_AGENT.to_owned(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// Calls a specified function with its typed request.
    ///
    /// Fails with [`Error::Api`] when WHM answers `result` 0.
    pub async fn call<F: ApiFunction>(&self, request: &F) -> Result<Response<F::Data>, Error>
    where
        F::Data: Default,
    {
        let mut query = QueryBuilder::new();
        request.to_query(&mut query);
        self.typed::<F>(&query).await
    }

    /// Sends a specified function's query (its parameters, and any more) and
    /// reads the answer into its typed data.
    async fn typed<F: ApiFunction>(&self, query: &QueryBuilder) -> Result<Response<F::Data>, Error>
    where
        F::Data: Default,
    {
        let body = self.fetch(F::NAME, query, Format::Json, F::POST).await?;
        let envelope = decode_envelope::<F::Data>(F::NAME, &body)?;
        Ok(Response {
            data: envelope.data.unwrap_or_default(),
            metadata: envelope.metadata,
        })
    }

    /// Calls any function by name, for functions that have no spec yet:
    /// the parameters as given, the JSON envelope as it arrived (with
    /// `metadata` beside `data` even where the server nests it).
    ///
    /// Fails with [`Error::Api`] when WHM answers `result` 0.
    pub async fn call_raw(
        &self,
        function: &str,
        query: &QueryBuilder,
    ) -> Result<Envelope<serde_json::Value>, Error> {
        let body = self.fetch(function, query, Format::Json, false).await?;
        decode_envelope(function, &body)
    }

    /// Calls any function and returns the body as it arrived, for printing.
    ///
    /// The body is still checked: an HTTP status other than 2xx, `result` 0
    /// and a body that is not a WHM answer in `format` are errors.
    pub async fn call_text(
        &self,
        function: &str,
        query: &QueryBuilder,
        format: Format,
    ) -> Result<String, Error> {
        self.text(function, query, format, false).await
    }

    /// As [`Client::call_text`], sent as a POST whose `application/x-www-form-urlencoded`
    /// body is the query, so that no parameter appears in the URL (for functions
    /// whose [`ApiFunction::POST`] is true: those with sensitive parameters).
    pub async fn post_text(
        &self,
        function: &str,
        query: &QueryBuilder,
        format: Format,
    ) -> Result<String, Error> {
        self.text(function, query, format, true).await
    }

    /// The body of a call as text, checked as [`Client::call_text`] describes.
    async fn text(
        &self,
        function: &str,
        query: &QueryBuilder,
        format: Format,
        post: bool,
    ) -> Result<String, Error> {
        let body = self.fetch(function, query, format, post).await?;
        let text = String::from_utf8_lossy(&body);
        match format {
            Format::Json => match decode::read_metadata(&body) {
                Some(metadata) if !metadata.result => return Err(Error::api(function, metadata)),
                Some(_) => {}
                // Decoding as raw JSON names what is wrong with the body.
                None => {
                    return decode_envelope::<serde_json::Value>(function, &body)
                        .map(|_| text.into_owned());
                }
            },
            Format::Xml => match decode::read_xml_status(&text) {
                Some((true, _)) => {}
                Some((false, reason)) => {
                    return Err(Error::api(function, Metadata::failure(function, reason)));
                }
                None => {
                    return Err(Error::Decode(Box::new(DecodeError::whole(
                        function,
                        "expected XML with <result><metadata><result>",
                        &body,
                    ))));
                }
            },
        }
        Ok(text.into_owned())
    }

    /// The URL of a call, as the documentation writes it: without
    /// credentials, a session shown as [`MASKED_SESSION`] (for `--dry-run`).
    /// It holds the whole query even for a function that [`Client::call`] sends as
    /// a POST ([`ApiFunction::POST`]); mask its sensitive values before printing it.
    pub fn url(&self, function: &str, query: &QueryBuilder, format: Format) -> String {
        self.endpoint(function, query, format, false)
    }

    /// The URL of a call of `request`, as [`Client::url`] writes it.
    pub fn url_for<F: ApiFunction>(&self, request: &F, format: Format) -> String {
        let mut query = QueryBuilder::new();
        request.to_query(&mut query);
        self.url(F::NAME, &query, format)
    }

    /// `BASE[/cpsess…]/json-api/FUNCTION?QUERY`, the session real or masked.
    fn endpoint(
        &self,
        function: &str,
        query: &QueryBuilder,
        format: Format,
        reveal_session: bool,
    ) -> String {
        let mut url = self.path(function, query.as_str().len(), format, reveal_session);
        url.push('?');
        url.push_str(query.as_str());
        url
    }

    /// `BASE[/cpsess…]/json-api/FUNCTION`, with room for a query of `query_len` bytes.
    fn path(
        &self,
        function: &str,
        query_len: usize,
        format: Format,
        reveal_session: bool,
    ) -> String {
        let inner = &self.inner;
        let query_len = query_len + 1;
        let mut url = String::with_capacity(inner.base.len() + function.len() + query_len + 32);
        url.push_str(&inner.base);
        if let Some(session) = &inner.session {
            url.push('/');
            url.push_str(if reveal_session {
                session
            } else {
                MASKED_SESSION
            });
        }
        url.push('/');
        url.push_str(format.path_segment());
        url.push('/');
        // Function names are plain words; encoding guards raw calls with odd names.
        encode_into(&mut url, function);
        url
    }

    /// Sends one call and returns the body of a 2xx answer: a GET with the query
    /// in the URL, or with `post` a POST with the query as a form body.
    async fn fetch(
        &self,
        function: &str,
        query: &QueryBuilder,
        format: Format,
        post: bool,
    ) -> Result<impl std::ops::Deref<Target = [u8]> + use<>, Error> {
        let mut request = if post {
            let url = self.path(function, 0, format, true);
            self.inner
                .http
                .post(url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(query.as_str().to_owned())
        } else {
            self.inner
                .http
                .get(self.endpoint(function, query, format, true))
        };
        match &self.inner.auth {
            Some(Auth::ApiToken { header, .. }) => {
                request = request.header(AUTHORIZATION, header.clone())
            }
            Some(Auth::Basic { user, password }) => {
                request = request.basic_auth(user, Some(password))
            }
            None => {}
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.transport(function, e))?;
        let status = response.status();
        let body = self.read_body(function, response).await?;
        if !status.is_success() {
            let reason = match format {
                Format::Json => decode::read_metadata(&body).map(|m| m.reason),
                Format::Xml => decode::read_xml_status(&String::from_utf8_lossy(&body))
                    .map(|(_, reason)| reason),
            };
            return Err(Error::Status {
                function: function.to_owned(),
                status: status.as_u16(),
                reason,
                body: error::start_of(&body),
            });
        }
        Ok(body)
    }

    /// The body of an answer, refused when it is larger than the client's limit:
    /// from its `Content-Length` before reading, else once the bytes read pass it.
    async fn read_body(
        &self,
        function: &str,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Error> {
        let limit = self.inner.max_body_bytes;
        let too_large = |length: Option<u64>| Error::BodyTooLarge {
            function: function.to_owned(),
            server: self.inner.base.clone(),
            limit,
            length,
        };
        let declared = response.content_length();
        if let Some(length) = declared.filter(|&n| n > limit) {
            return Err(too_large(Some(length)));
        }
        // The declared length is at most the limit here; without one, start small.
        let capacity = declared.unwrap_or(8 * 1024).min(limit);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport(function, e))?
        {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large(None));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// A transport error or timeout, stripped of the URL (which would carry the session).
    fn transport(&self, function: &str, err: reqwest::Error) -> Error {
        let server = self.inner.base.clone();
        if err.is_timeout() {
            Error::Timeout {
                function: function.to_owned(),
                server,
                after: self.inner.timeout,
            }
        } else {
            Error::Transport {
                function: function.to_owned(),
                server,
                source: err.without_url(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_query() -> QueryBuilder {
        let mut q = QueryBuilder::new();
        q.push(
            "url_after_login",
            "http://hostname.example.com/redirectionlocation.cgi?state",
        );
        q.push("provider", "cPStore");
        q
    }

    #[test]
    fn url_masks_the_session_and_never_shows_credentials() {
        let client = Client::builder("https://hostname.example.com:2087/")
            .api_token("root", "SECRETTOKEN")
            .session("cpsess0123456789")
            .build()
            .unwrap();
        let url = client.url("validate_login_token", &seed_query(), Format::Xml);
        assert_eq!(
            url,
            format!(
                "https://hostname.example.com:2087/{MASKED_SESSION}/xml-api/validate_login_token?api.version=1\
                 &url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore"
            )
        );
        assert_eq!(MASKED_SESSION, "cpsess#####");
        assert!(
            client
                .endpoint("f", &seed_query(), Format::Json, true)
                .contains("/cpsess0123456789/json-api/f?")
        );
        let debug = format!("{client:?}");
        assert!(
            !debug.contains("SECRETTOKEN") && !debug.contains("0123456789"),
            "{debug}"
        );
        assert!(debug.contains("root"), "{debug}");
    }

    #[test]
    fn builder_debug_hides_credentials() {
        let builder = Client::builder("https://h:2087")
            .basic_auth("root", "hunter2")
            .session("cpsess42");
        let debug = format!("{builder:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("42"),
            "{debug}"
        );
        assert!(debug.contains(MASKED_SESSION), "{debug}");
    }

    #[test]
    fn refuses_bad_base_urls_without_echoing_them() {
        for bad in [
            "hostname.example.com:2087",
            "ftp://h",
            "https://root:hunter2@h:2087",
            "https://h:2087/?x=1",
        ] {
            let err = Client::builder(bad).build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad}: {err}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        assert!(
            Client::builder("https://h")
                .session("cpsess12/../x")
                .build()
                .is_err()
        );
        assert!(
            Client::builder("https://h")
                .api_token("root", "bad\ntoken")
                .build()
                .is_err()
        );
    }

    #[test]
    fn urls_encode_as_the_query_builder_does() {
        let client = Client::builder("https://h:2087").build().unwrap();
        let mut q = seed_query();
        q.push("odd key=&", "ünïcödé 100% +/?#[]@!$'()*,;~-._");
        q.push("empty", "");
        let url = client.url("f n", &q, Format::Json);
        assert_eq!(
            url,
            format!("https://h:2087/json-api/f%20n?{}", q.to_query_string())
        );
    }

    #[test]
    fn session_prefix_is_optional() {
        assert_eq!(parse_session("0123").unwrap(), "cpsess0123");
        assert_eq!(parse_session("cpsess0123").unwrap(), "cpsess0123");
    }
}
