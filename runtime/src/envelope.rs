//! WHM API 1's response envelope: `{"data": ..., "metadata": {...}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole response: the function's `data` and WHM's `metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// The function's output; absent for functions that return only metadata, and on failure.
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    /// The command, API version, result and reason.
    pub metadata: Metadata,
}

fn none<T>() -> Option<T> {
    None
}

/// `metadata` of every response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The function that ran.
    pub command: String,
    /// Always 1 for WHM API 1.
    #[serde(with = "crate::wire")]
    pub version: i64,
    /// `OK` on success; on failure, why.
    pub reason: String,
    /// `1` on success, `0` on failure.
    #[serde(with = "crate::wire")]
    pub result: bool,
    /// Text output of functions that report in `metadata.output.raw`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
    /// Further metadata some functions return, kept as it arrived.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `metadata.output`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// The function's text output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// Other keys, kept as they arrived.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Metadata {
    /// Metadata of a successful call of `command`.
    pub fn ok(command: &str) -> Self {
        Metadata {
            command: command.to_owned(),
            version: 1,
            reason: "OK".to_owned(),
            result: true,
            output: None,
            extra: BTreeMap::new(),
        }
    }

    /// Metadata of a failed call of `command`.
    pub fn failure(command: &str, reason: impl Into<String>) -> Self {
        Metadata {
            reason: reason.into(),
            result: false,
            ..Metadata::ok(command)
        }
    }

    /// The same metadata carrying `raw` in `output.raw`.
    pub fn with_raw_output(mut self, raw: impl Into<String>) -> Self {
        self.output.get_or_insert_with(Output::default).raw = Some(raw.into());
        self
    }
}

/// The `data` of a function that returns none: an empty hash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoData {}

crate::impl_wire_serde!(NoData);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whm_metadata_with_string_numbers() {
        let env: Envelope<serde_json::Value> = serde_json::from_str(
            r#"{"metadata":{"command":"x","version":"1","reason":"No.","result":"0","output":{"raw":"text"}}}"#,
        )
        .unwrap();
        assert!(!env.metadata.result);
        assert_eq!(env.metadata.output.unwrap().raw.as_deref(), Some("text"));
        assert!(env.data.is_none());
    }

    #[test]
    fn writes_metadata_in_whm_order() {
        let env: Envelope<NoData> = Envelope {
            data: None,
            metadata: Metadata::ok("applist"),
        };
        assert_eq!(
            serde_json::to_string(&env).unwrap(),
            r#"{"metadata":{"command":"applist","version":1,"reason":"OK","result":1}}"#
        );
    }
}
