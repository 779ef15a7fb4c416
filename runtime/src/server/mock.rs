//! Answers from the spec's examples, for the generated mock server.
//!
//! The generated mock holds, for each function, its documented examples
//! (parameters and the JSON and XML bodies exactly as the spec holds them)
//! and a `data` tree assembled from the returned fields' examples. A request
//! whose typed parameters equal an example's is answered with that example;
//! any other valid request gets the assembled data.

use serde_json::Value;

use super::answer::{ApiError, OutputFormat, Reply};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{ParamError, QueryBuilder};

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
