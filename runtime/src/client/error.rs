//! What can go wrong calling WHM API 1.
//!
//! Messages name the function and the server, never a credential: the API
//! token, password and `cpsess` session never reach an error (transport
//! errors are stripped of their URL, which would carry the session).

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::envelope::Metadata;

/// An error from [`Client`](super::Client).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: a bad base URL, session or header value.
    #[error("invalid WHM client configuration: {0}")]
    Config(String),

    /// The request did not get an HTTP answer: the server is down or unreachable, TLS failed, ...
    #[error("{function}: could not reach {server}: {}", chain(source))]
    Transport {
        /// The function called.
        function: String,
        /// The base URL, without credentials.
        server: String,
        /// The underlying error, without the URL (which would carry the session).
        #[source]
        source: reqwest::Error,
    },

    /// No complete answer arrived within the client's timeout.
    #[error("{function}: {server} did not answer within {} s", after.as_secs_f64())]
    Timeout {
        /// The function called.
        function: String,
        /// The base URL, without credentials.
        server: String,
        /// The timeout in force.
        after: Duration,
    },

    /// The server answered with an HTTP status other than 2xx (403 for a wrong token).
    #[error("{function}: HTTP {status}{}", reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Status {
        /// The function called.
        function: String,
        /// The HTTP status code.
        status: u16,
        /// WHM's `metadata.reason` when the body carried one.
        reason: Option<String>,
        /// The start of the body, for diagnosis.
        body: String,
    },

    /// The answer's body is larger than the client accepts
    /// ([`ClientBuilder::max_body_bytes`](super::ClientBuilder::max_body_bytes)).
    #[error(
        "{function}: the answer from {server} is larger than this client accepts: {}at most {limit} bytes are read (ClientBuilder::max_body_bytes)",
        length.map(|n| format!("{n} bytes, ")).unwrap_or_default()
    )]
    BodyTooLarge {
        /// The function called.
        function: String,
        /// The base URL, without credentials.
        server: String,
        /// The limit in force, in bytes.
        limit: u64,
        /// The body's length, when the server declared it (`Content-Length`);
        /// `None` when the body was cut off while it was read.
        length: Option<u64>,
    },

    /// WHM answered `result` 0: the function failed.
    #[error("{function} failed: {reason}")]
    Api {
        /// The function called.
        function: String,
        /// WHM's `metadata.reason`.
        reason: String,
        /// The whole `metadata`, `output.raw` included.
        metadata: Box<Metadata>,
    },

    /// The body is not a WHM API 1 response of the documented shape.
    #[error(transparent)]
    Decode(Box<DecodeError>),
}

impl Error {
    /// `result` 0 of `function`.
    pub(crate) fn api(function: &str, metadata: Metadata) -> Self {
        Error::Api {
            function: function.to_owned(),
            reason: metadata.reason.clone(),
            metadata: Box::new(metadata),
        }
    }

    /// Whether the error is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The metadata WHM answered with, for [`Error::Api`].
    pub fn metadata(&self) -> Option<&Metadata> {
        match self {
            Error::Api { metadata, .. } => Some(metadata),
            _ => None,
        }
    }
}

/// The body of a response could not be read as the function's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The function called.
    pub function: String,
    /// Where in the body: `data.payload[0].access_token`; empty when the body as a whole is at fault.
    pub path: String,
    /// What was wrong, with what arrived: `expected an integer, found "many"`.
    pub message: String,
    /// Whether the body is not JSON at all (or is cut short), rather than JSON of another shape.
    pub malformed: bool,
    /// The line of the body where reading stopped, counting from 1 (0 when unknown).
    pub line: usize,
    /// The column of the body where reading stopped, counting from 1 (0 when unknown).
    pub column: usize,
    /// The text of the body around where reading stopped (mostly before it).
    pub excerpt: String,
}

impl DecodeError {
    /// A decode error from serde_json's, with an excerpt of the body.
    pub(crate) fn from_json(
        function: &str,
        path: String,
        err: &serde_json::Error,
        body: &[u8],
    ) -> Self {
        let full = err.to_string();
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        let path = if path == "." { String::new() } else { path };
        DecodeError {
            function: function.to_owned(),
            path,
            message,
            malformed: matches!(
                err.classify(),
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof
            ),
            line: err.line(),
            column: err.column(),
            excerpt: excerpt(body, err.line(), err.column()),
        }
    }

    /// A decode error about the body as a whole.
    pub(crate) fn whole(function: &str, message: impl Into<String>, body: &[u8]) -> Self {
        DecodeError {
            function: function.to_owned(),
            path: String::new(),
            message: message.into(),
            malformed: true,
            line: 0,
            column: 0,
            excerpt: start_of(body),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let function = &self.function;
        match (self.malformed, self.path.as_str()) {
            (true, _) => write!(
                f,
                "{function}: the response is not a valid WHM API 1 answer: {}",
                self.message
            )?,
            (false, "") => write!(f, "{function}: unexpected response: {}", self.message)?,
            (false, path) => write!(
                f,
                "{function}: unexpected value at {path}: {}",
                self.message
            )?,
        }
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        if !self.excerpt.is_empty() {
            write!(f, "; received: {}", self.excerpt)?;
        }
        Ok(())
    }
}

impl StdError for DecodeError {}

/// At most this many bytes of a body go into an error.
const EXCERPT_BYTES: usize = 160;

/// Of an excerpt, at most this many bytes come after the position.
const EXCERPT_AFTER: usize = 40;

/// The text of `body` around `line`:`column` (1-based): up to [`EXCERPT_BYTES`]
/// before the position and [`EXCERPT_AFTER`] after it.
fn excerpt(body: &[u8], line: usize, column: usize) -> String {
    let Some(text) = body.split(|&b| b == b'\n').nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let at = column.min(text.len());
    let start = at.saturating_sub(EXCERPT_BYTES);
    let end = (at + EXCERPT_AFTER).min(text.len());
    let shown = String::from_utf8_lossy(&text[start..end]);
    let shown = shown.trim();
    let before = if start > 0 { "…" } else { "" };
    let after = if end < text.len() { "…" } else { "" };
    format!("{before}{shown}{after}")
}

/// The start of `body`, at most [`EXCERPT_BYTES`] of it, for messages.
pub(crate) fn start_of(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_BYTES);
    let shown = String::from_utf8_lossy(&body[..end]);
    let shown = shown.trim();
    if end < body.len() {
        format!("{shown}…")
    } else {
        shown.to_owned()
    }
}

/// An error and its sources, joined with `: `.
fn chain(err: &dyn StdError) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        // hyper and reqwest often repeat the inner message in the outer one.
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = inner.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_shows_the_text_around_the_error() {
        assert_eq!(excerpt(b"{\"a\":\n\"many\"}", 2, 6), "\"many\"}");
        assert_eq!(excerpt(b"<html>", 1, 1), "<html>");
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(400));
        let shown = excerpt(long.as_bytes(), 1, 300);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(
            shown.len(),
            EXCERPT_BYTES + EXCERPT_AFTER + 2 * '…'.len_utf8()
        );
    }

    #[test]
    fn start_of_a_long_body_is_cut() {
        let body = "y".repeat(1000);
        assert!(start_of(body.as_bytes()).ends_with('…'));
        assert_eq!(start_of(b" short "), "short");
    }
}
