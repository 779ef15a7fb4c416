//! Serving WHM API 1: what every function's route does, written once.
//!
//! The generated crate's `server` module declares a trait with one method
//! per function and registers each with an [`ApiRouter`]; everything else
//! happens here, in this order, for every request:
//!
//! 1. **Path.** `/json-api/FUNCTION` or `/xml-api/FUNCTION`, optionally after a
//!    `/cpsess##########/` security token. Any other path: plain-text 404.
//! 2. **Limits** ([`Limits`]). A query string over 16 KiB: 414. A body over
//!    1 MiB: 413. More than 1,000 parameters: 413.
//! 3. **Credentials** ([`Authenticator`]). `Authorization: whm USER:APITOKEN` or
//!    HTTP basic auth. None, or unreadable: 401 (with `WWW-Authenticate`).
//!    Wrong: 403. A `cpsess` token that is not a session of the caller: 403.
//!    A request refused here never reaches a handler.
//! 4. **Method.** GET or POST; anything else: 405 with `Allow: GET, POST`.
//! 5. **Parameters.** The query string, then for POST an
//!    `application/x-www-form-urlencoded` body (another body type: 415),
//!    decoded strictly: a `%` without two hex digits or bytes that are not
//!    UTF-8 are refused, naming the parameter.
//! 6. **`api.version=1`**, required: without it WHM would run the deprecated
//!    API 0, which is not served.
//! 7. **Function.** An unknown name gets WHM's answer: `Unknown app (“NAME”)
//!    requested for this version (1) of the API.`
//! 8. **Typed request.** The generated `from_params` reads each parameter with
//!    WHM's encodings (`1`/`0` booleans, numbered lists such as `acl-1`,
//!    `acl-2`). A missing, ill-typed or repeated single parameter is refused
//!    with a reason that names it and says what was wrong. Parameters the
//!    function does not know are ignored, as WHM ignores them.
//! 9. **Handler**, with a [`RequestContext`] that says who called. Its
//!    answer is wrapped in WHM's envelope: `data`, and `metadata` with
//!    `command`, `version`, `reason`, `result` (and `output.raw` where given).
//!
//! Refusals from step 5 on are answered as WHM answers a failed call: HTTP
//! 200 with `result` 0 and the reason in `metadata.reason`. Earlier
//! refusals use the HTTP status above, with the same envelope as body. All
//! answers are JSON or XML as the path asked; XML is the same tree under
//! `<result>` ([`crate::xml`]).

mod answer;
mod auth;
pub mod mock;
mod router;

pub use answer::{ApiError, OutputFormat, Reply};
pub use auth::{AuthError, AuthScheme, Authenticator, Caller, Credentials, InMemoryAuthenticator};
pub use router::{ApiRouter, Limits, RequestContext};

/// Lower-level pieces of an answer, for hand-written routes that want to answer as WHM does.
pub mod respond {
    pub use super::answer::{failure, plain, success, verbatim};
}
