//! What a server answers: WHM's envelope in JSON or XML, for successes and failures.

use std::collections::BTreeMap;
use std::fmt;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::envelope::{Envelope, Metadata};
use crate::query::ParamError;

/// The output format a request asked for with its path (the one [`ApiFormat`](crate::ApiFormat)).
pub use crate::format::ApiFormat as OutputFormat;

/// A failed call: answered with `result` 0 and the reason in `metadata.reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    reason: String,
}

impl ApiError {
    /// A failure with a reason a person can act on.
    pub fn new(reason: impl Into<String>) -> Self {
        ApiError {
            reason: reason.into(),
        }
    }

    /// WHM's answer for a function it does not offer (unknown, or not implemented by this server).
    pub fn unknown_function(name: &str) -> Self {
        ApiError::new(format!(
            "Unknown app (“{name}”) requested for this version (1) of the API."
        ))
    }

    /// The reason, as sent in `metadata.reason`.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ApiError {}

impl From<ParamError> for ApiError {
    fn from(err: ParamError) -> Self {
        ApiError::new(err.to_string())
    }
}

/// A successful answer: the function's `data` and what goes into `metadata` beyond the usual four keys.
///
/// Handlers of most functions return their data type and the generated
/// router wraps it; functions that report in `metadata.output.raw`, or that
/// document more metadata, return a `Reply`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<D> {
    /// `data`; `None` leaves the key out (functions that return no data).
    pub data: Option<D>,
    /// `metadata.output.raw`. For a function whose spec says it reports there
    /// (`ApiFunction::OUTPUT_RAW`), `None` is sent as an empty string, so the key is always present.
    pub raw_output: Option<String>,
    /// Further `metadata` keys, in order after command, version, reason and result.
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// `metadata.reason`; `None` sends the function's documented success
    /// reason (`ApiFunction::SUCCESS_REASON`, `OK` for most functions).
    pub reason: Option<String>,
}

impl<D> Reply<D> {
    /// An answer carrying `data`.
    pub fn data(data: D) -> Self {
        Reply {
            data: Some(data),
            raw_output: None,
            metadata: BTreeMap::new(),
            reason: None,
        }
    }

    /// An answer without `data`.
    pub fn empty() -> Self {
        Reply {
            data: None,
            raw_output: None,
            metadata: BTreeMap::new(),
            reason: None,
        }
    }

    /// The same answer with text in `metadata.output.raw`.
    pub fn with_raw_output(mut self, raw: impl Into<String>) -> Self {
        self.raw_output = Some(raw.into());
        self
    }

    /// The same answer with `metadata.reason` set to `reason`.
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// The same answer with one more `metadata` key.
    pub fn with_metadata(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }

    /// The data, or `D::default()` when there is none.
    pub fn into_data(self) -> D
    where
        D: Default,
    {
        self.data.unwrap_or_default()
    }
}

/// Answers a successful call of `command` in `format`: HTTP 200 and the envelope with
/// `result` 1, and `reason` the reply's or else `default_reason`.
pub fn success<D: Serialize>(
    command: &str,
    format: OutputFormat,
    default_reason: &str,
    reply: Reply<D>,
) -> Response {
    let mut metadata = Metadata::ok(command);
    if let Some(reason) = reply.reason {
        metadata.reason = reason;
    } else if default_reason != metadata.reason {
        default_reason.clone_into(&mut metadata.reason);
    }
    if let Some(raw) = reply.raw_output {
        metadata = metadata.with_raw_output(raw);
    }
    metadata.extra = reply.metadata;
    let envelope = Envelope {
        data: reply.data,
        metadata,
    };
    match encode(format, &envelope) {
        Ok(body) => body_response(StatusCode::OK, format, body),
        // Only a data type whose Serialize fails (a map with non-string keys) gets here.
        Err(why) => failure(
            StatusCode::OK,
            command,
            format,
            &format!("The server could not encode its answer: {why}."),
        ),
    }
}

/// Answers a failed call: `status` (200 for a refused call, as WHM does) and the envelope
/// with `result` 0 and `reason`.
pub fn failure(status: StatusCode, command: &str, format: OutputFormat, reason: &str) -> Response {
    let envelope: Envelope<()> = Envelope {
        data: None,
        metadata: Metadata::failure(command, reason),
    };
    // The envelope of a failure holds only strings and numbers: encoding cannot fail.
    let body = encode(format, &envelope).unwrap_or_default();
    body_response(status, format, body)
}

/// A documented (or scripted) body, sent as it is.
pub fn verbatim(format: OutputFormat, body: impl Into<String>) -> Response {
    body_response(StatusCode::OK, format, body.into().into_bytes())
}

/// A plain-text answer for requests that are not WHM API calls at all (no such path).
pub fn plain(status: StatusCode, text: &str) -> Response {
    let mut response = (status, format!("{text}\n")).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn encode<T: Serialize>(format: OutputFormat, envelope: &T) -> Result<Vec<u8>, serde_json::Error> {
    match format {
        OutputFormat::Json => serde_json::to_vec(envelope),
        OutputFormat::Xml => {
            let tree = serde_json::to_value(envelope)?;
            Ok(crate::xml::to_xml_string(&tree).into_bytes())
        }
    }
}

fn body_response(status: StatusCode, format: OutputFormat, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    response
}
