//! Serving WHM API 1: what every function's route does, written once.
//!
//! The generated crate's `server` module declares a trait with one method
//! per function and registers each with an [`ApiRouter`]; everything else
//! happens here, in this order, for every request:
//!
//! 1. **Path.** `/json-api/FUNCTION` or `/xml-api/FUNCTION`, optionally after a
//!    `/cpsess##########/` security token. Any other path: plain-text 404.
//! 2. **Query length** ([`Limits::max_query_bytes`]). A query string over 16 KiB: 414.
//! 3. **Credentials** ([`Authenticator`]). `Authorization: whm USER:APITOKEN` or
//!    HTTP basic auth, or else WHM's session cookie (`whostmgrsession`) with the
//!    session's `cpsess` token in the path. None, or unreadable: 401 (with `WWW-Authenticate`).
//!    Wrong: 403. A `cpsess` token that is not a session of the caller: 403.
//!    A request refused here never reaches a handler, and nothing else about
//!    it (body, parameters) is read.
//! 4. **Method.** GET or POST; anything else: 405 with `Allow: GET, POST`.
//! 5. **Body and parameter count** ([`Limits`]). For POST, an
//!    `application/x-www-form-urlencoded` body: another body type, 415; over
//!    1 MiB, 413 (from its `Content-Length` before it is read, else as soon as
//!    it grows past the limit); bytes that are not UTF-8, refused as a failed
//!    call. Then the parameters of the query string and the body are counted,
//!    before any is decoded: more than 1,000, 413. A body that has not arrived
//!    within the body read timeout of [`serve`] ([`ServeOptions`]): 408.
//! 6. **Parameters.** The query string, then the body, decoded strictly: a `%`
//!    without two hex digits or bytes that are not UTF-8 are refused, naming
//!    the parameter.
//! 7. **`api.version=1`**, required: without it WHM would run the deprecated
//!    API 0, which is not served.
//! 8. **Function.** An unknown name, or a function the service does not offer
//!    (the generated `WhmServer::offers`), gets WHM's answer: `Unknown app
//!    (“NAME”) requested for this version (1) of the API.`, before the
//!    function's own parameters are looked at.
//! 9. **Privileges** ([`Authenticator::may_call`]). A function the caller may
//!    not call: HTTP 200, `result` 0, “Permission denied: …”, before its
//!    parameters are read.
//! 10. **Script and sessions** ([`mock::MockScript`], [`mock::MockSessions`],
//!     request extensions set by a layer). A scripted function, once its
//!     parameters read as its request (step 11's checks), answers its rule:
//!     fixed data, a body, a failure, after an optional delay. With sessions,
//!     a valid `create_user_session` starts a real session and answers its
//!     login URL (`/cpsess##########/login/?session=…`, served here, which sets
//!     the `whostmgrsession` cookie that step 3 then reads).
//! 11. **Typed request.** The generated `from_params` reads each parameter with
//!     WHM's encodings (`1`/`0` booleans, numbered lists such as `acl-1`,
//!     `acl-2`). A missing, ill-typed or repeated single parameter is refused
//!     with a reason that names it and says what was wrong. Parameters the
//!     function does not know are ignored, as WHM ignores them.
//! 12. **Handler**, with a [`RequestContext`] that says who called. Its
//!     answer is wrapped in WHM's envelope: `data`, and `metadata` with
//!     `command`, `version`, `reason`, `result` (and `output.raw` where given).
//!
//! Refusals for what a request says rather than its size or form (a body that
//! is not UTF-8, and everything from step 6 on) are answered as WHM answers a
//! failed call: HTTP 200 with `result` 0 and the reason in `metadata.reason`.
//! The refusals of steps 2 to 5 use the HTTP status given there (414, 401,
//! 403, 405, 415, 413, 408), with the same envelope as body; step 1's is plain
//! text. All envelopes are JSON or XML as the path asked; XML is the same tree
//! under `<result>` ([`crate::xml`]).
//!
//! ## Serving
//!
//! [`ApiRouter::into_router`] gives an axum router; [`serve`] (HTTP) and
//! [`serve_tls`] (HTTPS) run it on a listener with timeouts for request heads,
//! bodies and idle connections and a cap on connections ([`ServeOptions`]),
//! which `axum::serve` does not have. The `whm-mock` binary serves with them.

mod answer;
mod auth;
pub mod mock;
mod mock_bin;
mod router;
mod serve;

pub use answer::{ApiError, OutputFormat, Reply};
pub use auth::{
    AuthError, AuthScheme, Authenticator, Caller, Credentials, InMemoryAuthenticator, LoginSession,
    SESSION_COOKIE, SESSION_IDLE_TIMEOUT, session_cookie_name,
};
pub use router::{ApiRouter, Limits, RequestContext};
pub use serve::{BodyReadTimeout, ServeOptions, serve, serve_tls};

/// Lower-level pieces of an answer, for hand-written routes that want to answer as WHM does.
pub mod respond {
    pub use super::answer::{failure, plain, success, verbatim};
}
