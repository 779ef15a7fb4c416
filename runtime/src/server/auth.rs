//! Authentication: reading credentials from a request, checking them, and sessions.
//!
//! WHM API 1 accepts `Authorization: whm USER:APITOKEN` and HTTP basic auth
//! (`Authorization: Basic base64(USER:PASSWORD)`). Browser sessions also
//! carry a security token as the first path segment (`/cpsess0123456789/`);
//! when a request has one, it must name a session of the authenticated user.
//!
//! An [`Authenticator`] decides; [`InMemoryAuthenticator`] is a ready one for
//! tests, mocks and small servers.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
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
}

impl Credentials {
    /// The account the credentials claim to be.
    pub fn user(&self) -> &str {
        match self {
            Credentials::ApiToken { user, .. } | Credentials::Basic { user, .. } => user,
        }
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
    sessions: RwLock<HashMap<String, String>>,
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
        f.debug_struct("InMemoryAuthenticator")
            .field("tokens", &TokenCounts(&tokens))
            .field("passwords", &passwords)
            .field("sessions", &sessions)
            .finish()
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

    /// Starts a session for `user` and returns its security token (`cpsess` and ten digits),
    /// to be sent as the first path segment.
    pub fn create_session(&self, user: &str) -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes)?;
        let digits: String = bytes.iter().map(|b| char::from(b'0' + b % 10)).collect();
        let token = format!("cpsess{digits}");
        // A poisoned lock only means another thread panicked while holding it;
        // the map itself is still consistent.
        let mut sessions = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        sessions.insert(token.clone(), user.to_owned());
        Ok(token)
    }

    /// Ends a session; later requests carrying its token are refused.
    pub fn end_session(&self, security_token: &str) {
        let mut sessions = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        sessions.remove(security_token);
    }

    /// A new random API token in WHM's form: 32 characters of `A-Z` and `0-9`.
    pub fn generate_token() -> Result<String, getrandom::Error> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        // 256 is not a multiple of 36; drawing again for the top values keeps the choice even.
        let mut out = String::with_capacity(32);
        let mut pool = bytes.to_vec();
        while out.len() < 32 {
            for &b in &pool {
                if b < 252 && out.len() < 32 {
                    out.push(char::from(ALPHABET[usize::from(b % 36)]));
                }
            }
            if out.len() < 32 {
                getrandom::fill(&mut pool)?;
            }
        }
        Ok(out)
    }

    fn check(&self, credentials: &Credentials) -> Result<Caller, AuthError> {
        let ok = match credentials {
            Credentials::ApiToken { user, token } => matches_any(
                token.as_bytes(),
                self.tokens.get(user).into_iter().flatten(),
            ),
            Credentials::Basic { user, password } => {
                matches_any(password.as_bytes(), self.passwords.get(user).into_iter())
            }
        };
        if !ok {
            return Err(AuthError::Denied);
        }
        let scheme = match credentials {
            Credentials::ApiToken { .. } => AuthScheme::ApiToken,
            Credentials::Basic { .. } => AuthScheme::Basic,
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
            .is_some_and(|user| *user == caller.user);
        std::future::ready(if known {
            Ok(())
        } else {
            Err(AuthError::InvalidSession)
        })
    }
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
