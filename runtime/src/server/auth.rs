//! Authentication: reading credentials from a request, checking them, and sessions.
//!
//! WHM API 1 accepts `Authorization: whm USER:APITOKEN` and HTTP basic auth
//! (`Authorization: Basic base64(USER:PASSWORD)`). Browser sessions also
//! carry a security token as the first path segment (`/cpsess0123456789/`);
//! when a request has one, it must name a session of the authenticated user.
//!
//! A session that `create_user_session` started is also reached as a browser
//! reaches it: after its login URL set the `whostmgrsession` cookie, a request
//! that carries the cookie and the session's `cpsess` token in its path is the
//! session's user, without an `Authorization` header ([`Credentials::Session`]).
//!
//! An [`Authenticator`] decides; [`InMemoryAuthenticator`] is a ready one for
//! tests, mocks and small servers. It may also say which functions a user may
//! call ([`Authenticator::may_call`]).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use base64::Engine;
use subtle::ConstantTimeEq;

/// Credentials as they arrived in the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: whm USER:APITOKEN`.
    ApiToken {
        /// The WHM account name.
        user: String,
        /// The API token.
        token: String,
    },
    /// `Authorization: Basic ...`: an account name and its password.
    Basic {
        /// The WHM account name.
        user: String,
        /// The password.
        password: String,
    },
    /// WHM's session cookie (`whostmgrsession`), as a browser sends it after
    /// opening a session's login URL, with the `cpsess` token of the request's path.
    Session {
        /// The session ID (`USER:RANDOM`), decoded from the cookie.
        session: String,
        /// The `cpsess##########` token of the request's path.
        security_token: String,
    },
}

/// The name of the cookie that carries a WHM session (`whostmgrd`): WHM's own name.
pub const SESSION_COOKIE: &str = "whostmgrsession";

impl Credentials {
    /// The account the credentials claim to be.
    pub fn user(&self) -> &str {
        match self {
            Credentials::ApiToken { user, .. } | Credentials::Basic { user, .. } => user,
            // A session ID begins with its user's name, as WHM's do.
            Credentials::Session { session, .. } => {
                session.split_once(':').map_or("", |(user, _)| user)
            }
        }
    }

    /// Reads the credentials of a request: its `Authorization` header, or else
    /// the `whostmgrsession` cookie together with the path's `cpsess` token.
    ///
    /// A session cookie without a `cpsess` token in the path is refused with
    /// [`AuthError::InvalidSession`]: WHM wants both.
    pub fn from_request(
        headers: &HeaderMap,
        security_token: Option<&str>,
    ) -> Result<Credentials, AuthError> {
        match Credentials::from_headers(headers) {
            Err(AuthError::Missing) => {}
            other => return other,
        }
        let Some(session) = session_cookie(headers) else {
            return Err(AuthError::Missing);
        };
        let session = session?;
        let security_token = security_token.ok_or(AuthError::InvalidSession)?;
        Ok(Credentials::Session {
            session,
            security_token: security_token.to_owned(),
        })
    }

    /// Reads the credentials of a request from its `Authorization` header.
    pub fn from_headers(headers: &HeaderMap) -> Result<Credentials, AuthError> {
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let value = values.next().ok_or(AuthError::Missing)?;
        if values.next().is_some() {
            return Err(AuthError::Malformed(
                "the request has more than one Authorization header".into(),
            ));
        }
        let value = value.to_str().map_err(|_| {
            AuthError::Malformed("the Authorization header is not visible ASCII".into())
        })?;
        Credentials::parse(value)
    }

    /// Parses the value of an `Authorization` header.
    pub fn parse(value: &str) -> Result<Credentials, AuthError> {
        let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("whm") {
            let (user, token) = rest.split_once(':').ok_or_else(|| {
                AuthError::Malformed(
                    "the whm Authorization header must read “whm USER:APITOKEN”".into(),
                )
            })?;
            if user.is_empty() || token.is_empty() {
                return Err(AuthError::Malformed(
                    "the whm Authorization header must name a user and a token: “whm USER:APITOKEN”".into(),
                ));
            }
            Ok(Credentials::ApiToken {
                user: user.to_owned(),
                token: token.to_owned(),
            })
        } else if scheme.eq_ignore_ascii_case("basic") {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(rest)
                .map_err(|_| {
                    AuthError::Malformed(
                        "the Basic Authorization header is not valid base64".into(),
                    )
                })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                AuthError::Malformed("the Basic Authorization credentials are not UTF-8".into())
            })?;
            let (user, password) = text.split_once(':').ok_or_else(|| {
                AuthError::Malformed(
                    "the Basic Authorization credentials must read USER:PASSWORD".into(),
                )
            })?;
            if user.is_empty() {
                return Err(AuthError::Malformed(
                    "the Basic Authorization credentials name no user".into(),
                ));
            }
            Ok(Credentials::Basic {
                user: user.to_owned(),
                password: password.to_owned(),
            })
        } else {
            Err(AuthError::Malformed(format!(
                "the Authorization scheme “{scheme}” is not supported; use “whm USER:APITOKEN” or Basic"
            )))
        }
    }
}

/// The `whostmgrsession` cookie's value, percent-decoded; `None` when the request has none.
fn session_cookie(headers: &HeaderMap) -> Option<Result<String, AuthError>> {
    let value = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"'))?;
    // WHM sends the ID percent-encoded (`root%3a…`); a raw one is read as well.
    Some(
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map(|v| v.into_owned())
            .map_err(|_| AuthError::Malformed("the whostmgrsession cookie is not UTF-8".into())),
    )
}

// Never print secrets, even in debug output.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiToken { user, .. } => {
                write!(f, "ApiToken {{ user: {user:?}, token: <redacted> }}")
            }
            Credentials::Basic { user, .. } => {
                write!(f, "Basic {{ user: {user:?}, password: <redacted> }}")
            }
            Credentials::Session { security_token, .. } => write!(
                f,
                "Session {{ user: {:?}, security_token: {security_token:?}, session: <redacted> }}",
                self.user()
            ),
        }
    }
}

/// How a caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// An API token (`Authorization: whm USER:TOKEN`).
    ApiToken,
    /// A password over HTTP basic auth.
    Basic,
    /// A session's cookie (`whostmgrsession`) and its `cpsess` token.
    Session,
}

/// Who called: the authenticated account, handed to every handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The WHM account name (`root`, a reseller).
    pub user: String,
    /// How the caller authenticated.
    pub scheme: AuthScheme,
}

/// Why a request was refused before it reached a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header: HTTP 401.
    Missing,
    /// An `Authorization` header that cannot be read: HTTP 401.
    Malformed(String),
    /// Credentials that do not match an account: HTTP 403.
    Denied,
    /// A `cpsess` security token that is not a session of the caller: HTTP 403.
    InvalidSession,
}

impl AuthError {
    /// The HTTP status WHM answers with.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AuthError::Missing | AuthError::Malformed(_) => StatusCode::UNAUTHORIZED,
            AuthError::Denied | AuthError::InvalidSession => StatusCode::FORBIDDEN,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::Missing => f.write_str(
                "Access denied: the request has no credentials. Send “Authorization: whm USER:APITOKEN” or HTTP basic auth.",
            ),
            AuthError::Malformed(why) => write!(f, "Access denied: {why}."),
            AuthError::Denied => f.write_str("Access denied: the user name or API token is not valid."),
            AuthError::InvalidSession => f.write_str(
                "Access denied: the security token (cpsess) in the URL is not a session of this user; log in again or leave it out.",
            ),
        }
    }
}

impl std::error::Error for AuthError {}

/// Decides who may call: checks credentials and `cpsess` security tokens.
///
/// Implement it to check tokens against a database, a real WHM, or anything
/// else; the futures may do I/O. Every request goes through it before its
/// parameters are read, so keep it quick.
pub trait Authenticator: Send + Sync + 'static {
    /// Checks credentials, answering who called or why not.
    fn authenticate(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<Caller, AuthError>> + Send;

    /// Checks a `cpsess` security token from the path against the caller's
    /// sessions. The default knows no sessions and refuses every token.
    fn check_session(
        &self,
        caller: &Caller,
        security_token: &str,
    ) -> impl Future<Output = Result<(), AuthError>> + Send {
        let _ = (caller, security_token);
        std::future::ready(Err(AuthError::InvalidSession))
    }

    /// Whether `caller` may call `function` (WHM's privileges, its ACLs). Asked
    /// once the function is known, before its parameters are read; a call it
    /// refuses is answered as WHM answers a missing privilege. The default lets
    /// everyone call everything.
    fn may_call(&self, caller: &Caller, function: &str) -> bool {
        let _ = (caller, function);
        true
    }
}

impl<A: Authenticator> Authenticator for Arc<A> {
    fn authenticate(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<Caller, AuthError>> + Send {
        (**self).authenticate(credentials)
    }
    fn check_session(
        &self,
        caller: &Caller,
        security_token: &str,
    ) -> impl Future<Output = Result<(), AuthError>> + Send {
        (**self).check_session(caller, security_token)
    }
    fn may_call(&self, caller: &Caller, function: &str) -> bool {
        (**self).may_call(caller, function)
    }
}

/// An [`Authenticator`] that keeps API tokens, passwords and sessions in memory.
///
/// Secrets are compared in constant time, and an unknown user costs the same
/// comparison as a known one, so timing tells nothing about either. Tokens and
/// passwords are kept as SHA-256 digests and compared digest to digest: the
/// digests all have the same length, so a comparison does not stop early on a
/// secret of another length, and timing does not tell a secret's length either.
/// `Debug` shows user names and counts, never a secret or a session.
#[derive(Default)]
pub struct InMemoryAuthenticator {
    tokens: HashMap<String, Vec<SecretDigest>>,
    passwords: HashMap<String, SecretDigest>,
    /// By `cpsess` token.
    sessions: RwLock<HashMap<String, SessionRecord>>,
    /// What each listed user may call; users not listed may call everything.
    privileges: HashMap<String, HashSet<String>>,
    /// How long a login session lasts unused; `None`: WHM's 15 minutes.
    session_idle: Option<Duration>,
}

/// How long WHM keeps a session that is not used: 15 minutes.
pub const SESSION_IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// One session, by its `cpsess` token.
struct SessionRecord {
    user: String,
    /// The digest of the session ID and the service, for a session that
    /// [`InMemoryAuthenticator::create_login_session`] started.
    login: Option<(SecretDigest, String)>,
    /// When the session was last used; a login session unused for longer than
    /// the idle timeout has ended.
    last_used: Mutex<Instant>,
}

/// A session started for a login URL, as `create_user_session` returns it.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginSession {
    /// The `cpsess##########` token (without the slash).
    pub security_token: String,
    /// The session ID, `USER:` and 64 random letters and digits, as WHM makes them.
    pub session: String,
}

impl fmt::Debug for LoginSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LoginSession {{ security_token: {:?}, session: <redacted> }}",
            self.security_token
        )
    }
}

/// The cookie WHM's login sets for a session of `service`: `whostmgrsession`
/// for WHM (`whostmgrd`), `cpsession` for cPanel, `webmailsession` for Webmail.
pub fn session_cookie_name(service: &str) -> &'static str {
    match service {
        "cpaneld" => "cpsession",
        "webmaild" => "webmailsession",
        _ => SESSION_COOKIE,
    }
}

impl fmt::Debug for InMemoryAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Sorted, so the output does not depend on the maps' order.
        let mut tokens: Vec<(&str, usize)> = self
            .tokens
            .iter()
            .map(|(user, tokens)| (user.as_str(), tokens.len()))
            .collect();
        tokens.sort_unstable();
        let mut passwords: Vec<&str> = self.passwords.keys().map(String::as_str).collect();
        passwords.sort_unstable();
        let sessions = self
            .sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        let mut privileges: Vec<(&str, usize)> = self
            .privileges
            .iter()
            .map(|(user, may)| (user.as_str(), may.len()))
            .collect();
        privileges.sort_unstable();
        let mut out = f.debug_struct("InMemoryAuthenticator");
        out.field("tokens", &TokenCounts(&tokens))
            .field("passwords", &passwords)
            .field("sessions", &sessions);
        if !privileges.is_empty() {
            out.field("privileges", &TokenCounts(&privileges));
        }
        out.finish()
    }
}

/// Users and how many API tokens each has: `{"root": 2}`.
struct TokenCounts<'a>(&'a [(&'a str, usize)]);

impl fmt::Debug for TokenCounts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(user, n)| (user, n)))
            .finish()
    }
}

/// The SHA-256 digest of a secret: what is kept, and what is compared.
type SecretDigest = [u8; 32];

/// The SHA-256 digest of `secret`.
fn digest(secret: &[u8]) -> SecretDigest {
    let digest = ring::digest::digest(&ring::digest::SHA256, secret);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// What an unknown user's secret is compared with, to take the same time as a known one.
const DUMMY_DIGEST: SecretDigest = [0u8; 32];

/// Whether `given` is the secret of one of the digests `known`, comparing
/// digests of one length in constant time and without stopping at the first match.
fn matches_any<'a>(given: &[u8], known: impl Iterator<Item = &'a SecretDigest>) -> bool {
    let given = digest(given);
    let mut any = subtle::Choice::from(0);
    let mut compared = false;
    for secret in known {
        any |= secret[..].ct_eq(&given[..]);
        compared = true;
    }
    if !compared {
        any |= DUMMY_DIGEST[..].ct_eq(&given[..]) & subtle::Choice::from(0);
    }
    any.into()
}

impl InMemoryAuthenticator {
    /// An authenticator that knows nobody.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also accepts `token` as an API token of `user` (a user may have several).
    pub fn with_token(mut self, user: impl Into<String>, token: impl Into<String>) -> Self {
        self.tokens
            .entry(user.into())
            .or_default()
            .push(digest(token.into().as_bytes()));
        self
    }

    /// Also accepts `password` for `user` over HTTP basic auth.
    pub fn with_password(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.passwords
            .insert(user.into(), digest(password.into().as_bytes()));
        self
    }

    /// Lets `user` call only the functions named in `may_call` (WHM API 1 names;
    /// `all`, WHM's root privilege, lets it call everything). A user never named
    /// here may call every function.
    pub fn with_privileges<I, N>(mut self, user: impl Into<String>, may_call: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<String>,
    {
        self.privileges
            .entry(user.into())
            .or_default()
            .extend(may_call.into_iter().map(Into::into));
        self
    }

    /// Ends login sessions ([`InMemoryAuthenticator::create_login_session`])
    /// after `idle` without use, instead of WHM's 15 minutes ([`SESSION_IDLE_TIMEOUT`]).
    /// Sessions from [`InMemoryAuthenticator::create_session`] do not end by themselves.
    pub fn with_session_idle_timeout(mut self, idle: Duration) -> Self {
        self.session_idle = Some(idle);
        self
    }

    /// Whether `record` is still open; when it is, counts this as a use.
    fn still_open(&self, record: &SessionRecord) -> bool {
        let mut last_used = record.last_used.lock().unwrap_or_else(|e| e.into_inner());
        let idle = self.session_idle.unwrap_or(SESSION_IDLE_TIMEOUT);
        if record.login.is_some() && last_used.elapsed() > idle {
            return false;
        }
        *last_used = Instant::now();
        true
    }

    /// Starts a session for `user` and returns its security token (`cpsess` and ten digits),
    /// to be sent as the first path segment.
    pub fn create_session(&self, user: &str) -> Result<String, getrandom::Error> {
        self.insert_session(user, None)
    }

    /// Starts a session for `user` in `service` (`whostmgrd`, `cpaneld`,
    /// `webmaild`) that a login URL opens, as `create_user_session` does: its
    /// security token, and a session ID that [`InMemoryAuthenticator::login`]
    /// checks and that the `whostmgrsession` cookie then carries.
    pub fn create_login_session(
        &self,
        user: &str,
        service: &str,
    ) -> Result<LoginSession, getrandom::Error> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let session = format!("{user}:{}", random_string(ALPHABET, 64)?);
        let security_token =
            self.insert_session(user, Some((digest(session.as_bytes()), service.to_owned())))?;
        Ok(LoginSession {
            security_token,
            session,
        })
    }

    /// Opens a login URL: when `session` is the ID of the session whose token
    /// is `security_token`, its user and service.
    pub fn login(&self, security_token: &str, session: &str) -> Option<(String, String)> {
        let sessions = self.sessions.read().unwrap_or_else(|e| e.into_inner());
        let record = sessions.get(security_token)?;
        let (id, service) = record.login.as_ref()?;
        (matches_any(session.as_bytes(), std::iter::once(id)) && self.still_open(record))
            .then(|| (record.user.clone(), service.clone()))
    }

    fn insert_session(
        &self,
        user: &str,
        login: Option<(SecretDigest, String)>,
    ) -> Result<String, getrandom::Error> {
        let token = format!("cpsess{}", random_string(b"0123456789", 10)?);
        // A poisoned lock only means another thread panicked while holding it;
        // the map itself is still consistent.
        let mut sessions = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        sessions.insert(
            token.clone(),
            SessionRecord {
                user: user.to_owned(),
                login,
                last_used: Mutex::new(Instant::now()),
            },
        );
        Ok(token)
    }

    /// Ends a session; later requests carrying its token are refused.
    pub fn end_session(&self, security_token: &str) {
        let mut sessions = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        sessions.remove(security_token);
    }

    /// A new random API token in WHM's form: 32 characters of `A-Z` and `0-9`.
    pub fn generate_token() -> Result<String, getrandom::Error> {
        random_string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32)
    }

    fn check(&self, credentials: &Credentials) -> Result<Caller, AuthError> {
        if let Credentials::Session {
            session,
            security_token,
        } = credentials
        {
            // Only a WHM session's cookie calls WHM API 1, as on WHM's own port.
            return match self.login(security_token, session) {
                Some((user, service)) if service == "whostmgrd" => Ok(Caller {
                    user,
                    scheme: AuthScheme::Session,
                }),
                _ => Err(AuthError::InvalidSession),
            };
        }
        let ok = match credentials {
            Credentials::ApiToken { user, token } => matches_any(
                token.as_bytes(),
                self.tokens.get(user).into_iter().flatten(),
            ),
            Credentials::Basic { user, password } => {
                matches_any(password.as_bytes(), self.passwords.get(user).into_iter())
            }
            Credentials::Session { .. } => false,
        };
        if !ok {
            return Err(AuthError::Denied);
        }
        let scheme = match credentials {
            Credentials::ApiToken { .. } => AuthScheme::ApiToken,
            Credentials::Basic { .. } => AuthScheme::Basic,
            Credentials::Session { .. } => AuthScheme::Session,
        };
        Ok(Caller {
            user: credentials.user().to_owned(),
            scheme,
        })
    }
}

impl Authenticator for InMemoryAuthenticator {
    fn authenticate(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<Caller, AuthError>> + Send {
        std::future::ready(self.check(credentials))
    }

    fn check_session(
        &self,
        caller: &Caller,
        security_token: &str,
    ) -> impl Future<Output = Result<(), AuthError>> + Send {
        let sessions = self.sessions.read().unwrap_or_else(|e| e.into_inner());
        let known = sessions
            .get(security_token)
            .is_some_and(|record| record.user == caller.user && self.still_open(record));
        std::future::ready(if known {
            Ok(())
        } else {
            Err(AuthError::InvalidSession)
        })
    }

    fn may_call(&self, caller: &Caller, function: &str) -> bool {
        self.privileges
            .get(&caller.user)
            .is_none_or(|may| may.contains(function) || may.contains("all"))
    }
}

/// `len` characters drawn evenly from `alphabet` (at most 256 characters long).
fn random_string(alphabet: &[u8], len: usize) -> Result<String, getrandom::Error> {
    // 256 is not always a multiple of the alphabet's length; drawing again for
    // the top values keeps the choice even.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut pool = vec![0u8; len];
    while out.len() < len {
        getrandom::fill(&mut pool)?;
        for &b in &pool {
            if usize::from(b) < limit && out.len() < len {
                out.push(char::from(alphabet[usize::from(b) % alphabet.len()]));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> InMemoryAuthenticator {
        InMemoryAuthenticator::new()
            .with_token("root", "TOKEN1")
            .with_password("reseller", "pw")
    }

    #[test]
    fn reads_both_header_forms() {
        assert_eq!(
            Credentials::parse("whm root:ABC").unwrap(),
            Credentials::ApiToken {
                user: "root".into(),
                token: "ABC".into()
            }
        );
        assert_eq!(
            Credentials::parse("WHM root:ABC").unwrap(),
            Credentials::ApiToken {
                user: "root".into(),
                token: "ABC".into()
            }
        );
        // "root:secret:x" in base64: the password keeps its colon.
        assert_eq!(
            Credentials::parse("Basic cm9vdDpzZWNyZXQ6eA==").unwrap(),
            Credentials::Basic {
                user: "root".into(),
                password: "secret:x".into()
            }
        );
        for bad in [
            "whm rootABC",
            "whm :ABC",
            "whm root:",
            "Basic !!!",
            "Bearer x",
            "",
        ] {
            assert!(
                matches!(Credentials::parse(bad), Err(AuthError::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn checks_tokens_and_passwords() {
        let a = auth();
        let ok = a
            .check(&Credentials::ApiToken {
                user: "root".into(),
                token: "TOKEN1".into(),
            })
            .unwrap();
        assert_eq!(
            ok,
            Caller {
                user: "root".into(),
                scheme: AuthScheme::ApiToken
            }
        );
        for wrong in [
            Credentials::ApiToken {
                user: "root".into(),
                token: "TOKEN2".into(),
            },
            Credentials::ApiToken {
                user: "root".into(),
                token: "TOKEN".into(),
            },
            Credentials::ApiToken {
                user: "nobody".into(),
                token: "TOKEN1".into(),
            },
            Credentials::Basic {
                user: "root".into(),
                password: "TOKEN1".into(),
            },
            Credentials::Basic {
                user: "reseller".into(),
                password: "pw2".into(),
            },
        ] {
            assert_eq!(a.check(&wrong), Err(AuthError::Denied), "{wrong:?}");
        }
        assert!(
            a.check(&Credentials::Basic {
                user: "reseller".into(),
                password: "pw".into()
            })
            .is_ok()
        );
    }

    #[test]
    fn sessions_belong_to_their_user() {
        let a = auth();
        let token = a.create_session("root").unwrap();
        assert!(
            token.starts_with("cpsess")
                && token.len() == 16
                && token[6..].bytes().all(|b| b.is_ascii_digit())
        );
        let root = Caller {
            user: "root".into(),
            scheme: AuthScheme::ApiToken,
        };
        let other = Caller {
            user: "reseller".into(),
            scheme: AuthScheme::Basic,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let check = |c: &Caller, t: &str| runtime.block_on(a.check_session(c, t)).is_ok();
        assert!(check(&root, &token));
        assert!(!check(&other, &token));
        a.end_session(&token);
        assert!(!check(&root, &token));
    }

    #[test]
    fn debug_shows_users_and_counts_but_no_secret() {
        let a = auth().with_token("root", "TOKEN2");
        let session = a.create_session("root").unwrap();
        let shown = format!("{a:?}");
        for secret in ["TOKEN1", "TOKEN2", "pw", session.as_str()] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert_eq!(
            shown,
            r#"InMemoryAuthenticator { tokens: {"root": 2}, passwords: ["reseller"], sessions: 1 }"#
        );
    }

    #[test]
    fn secrets_of_every_length_are_compared_as_digests_of_one_length() {
        let a = InMemoryAuthenticator::new().with_token("root", "T");
        let long = "T".repeat(1000);
        for (token, ok) in [
            ("T", true),
            ("", false),
            ("TT", false),
            (long.as_str(), false),
        ] {
            let credentials = Credentials::ApiToken {
                user: "root".into(),
                token: token.into(),
            };
            assert_eq!(a.check(&credentials).is_ok(), ok, "{}", token.len());
        }
        assert_eq!(digest(b"T").len(), digest(long.as_bytes()).len());
        assert_ne!(digest(b"T"), digest(b"TT"));
    }

    #[test]
    fn a_login_session_is_reached_by_its_cookie_and_token_only() {
        let a = auth();
        let login = a.create_login_session("root", "whostmgrd").unwrap();
        assert!(login.session.starts_with("root:") && login.session.len() == 5 + 64);
        assert!(!format!("{login:?}").contains(&login.session));
        let mut headers = HeaderMap::new();
        let encoded = login.session.replace(':', "%3a");
        headers.insert(
            COOKIE,
            format!("other=1; whostmgrsession={encoded}")
                .parse()
                .unwrap(),
        );
        let credentials = Credentials::from_request(&headers, Some(&login.security_token)).unwrap();
        assert_eq!(credentials.user(), "root");
        assert!(!format!("{credentials:?}").contains(&login.session));
        assert_eq!(
            a.check(&credentials),
            Ok(Caller {
                user: "root".into(),
                scheme: AuthScheme::Session
            })
        );
        // The cookie without the path's token, or with another session's token, is refused.
        assert_eq!(
            Credentials::from_request(&headers, None),
            Err(AuthError::InvalidSession)
        );
        let other = a.create_session("root").unwrap();
        let wrong = Credentials::from_request(&headers, Some(&other)).unwrap();
        assert_eq!(a.check(&wrong), Err(AuthError::InvalidSession));
        // A cPanel session's ID does not call WHM API 1.
        let cpanel = a.create_login_session("root", "cpaneld").unwrap();
        let as_whm = Credentials::Session {
            session: cpanel.session.clone(),
            security_token: cpanel.security_token.clone(),
        };
        assert_eq!(a.check(&as_whm), Err(AuthError::InvalidSession));
        assert_eq!(
            a.login(&cpanel.security_token, &cpanel.session),
            Some(("root".into(), "cpaneld".into()))
        );
        // An Authorization header wins over a cookie; no header and no cookie is Missing.
        headers.insert(AUTHORIZATION, "whm root:TOKEN1".parse().unwrap());
        assert!(matches!(
            Credentials::from_request(&headers, None),
            Ok(Credentials::ApiToken { .. })
        ));
        assert_eq!(
            Credentials::from_request(&HeaderMap::new(), Some("cpsess1")),
            Err(AuthError::Missing)
        );
        assert_eq!(session_cookie_name("cpaneld"), "cpsession");
        assert_eq!(session_cookie_name("whostmgrd"), SESSION_COOKIE);
    }

    #[test]
    fn a_login_session_ends_after_its_idle_timeout_and_use_keeps_it_open() {
        let a = auth().with_session_idle_timeout(Duration::from_millis(300));
        let login = a.create_login_session("root", "whostmgrd").unwrap();
        let plain = a.create_session("root").unwrap();
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(150));
            assert!(a.login(&login.security_token, &login.session).is_some());
        }
        std::thread::sleep(Duration::from_millis(450));
        assert_eq!(a.login(&login.security_token, &login.session), None);
        let root = Caller {
            user: "root".into(),
            scheme: AuthScheme::ApiToken,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(
            runtime.block_on(a.check_session(&root, &login.security_token)),
            Err(AuthError::InvalidSession)
        );
        // A session not started for a login URL does not end by itself.
        assert!(runtime.block_on(a.check_session(&root, &plain)).is_ok());
        assert_eq!(SESSION_IDLE_TIMEOUT, Duration::from_secs(900));
    }

    #[test]
    fn privileges_limit_only_the_users_they_name() {
        let a = auth()
            .with_privileges("reseller", ["listaccts"])
            .with_privileges("boss", ["all"])
            .with_privileges("nobody", Vec::<String>::new());
        let caller = |user: &str| Caller {
            user: user.into(),
            scheme: AuthScheme::ApiToken,
        };
        assert!(a.may_call(&caller("reseller"), "listaccts"));
        assert!(!a.may_call(&caller("reseller"), "createacct"));
        assert!(a.may_call(&caller("boss"), "createacct"));
        assert!(!a.may_call(&caller("nobody"), "version"));
        assert!(a.may_call(&caller("root"), "createacct"));
        assert!(
            format!("{a:?}").ends_with(r#"privileges: {"boss": 1, "nobody": 0, "reseller": 1} }"#),
            "{a:?}"
        );
    }

    #[test]
    fn generated_tokens_look_like_whm_tokens() {
        let t = InMemoryAuthenticator::generate_token().unwrap();
        assert_eq!(t.len(), 32);
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        );
        assert_ne!(t, InMemoryAuthenticator::generate_token().unwrap());
    }
}
