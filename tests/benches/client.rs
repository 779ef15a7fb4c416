//! The client's per-call work on the seed function (`validate_login_token`)
//! against hand-written serde_json code doing the same, in one run:
//!
//! - building the request URL from a typed request;
//! - decoding the seed's documented response (metadata nested in data, as
//!   the page prints it) into typed data and metadata.
//!
//! Run with `cargo bench -p whm-tests --bench client`; compare the
//! `generated` and `hand_written` times of each group (the goal is within 1.1x).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use whm_api::client::{Client, Format, Response, decode_envelope};
use whm_api::types::{ValidateLoginTokenData, ValidateLoginTokenRequest};

const BASE: &str = "https://hostname.example.com:2087";

/// The seed page's JSON output, as the spec holds it.
const SEED_RESPONSE: &str = r#"{
  "data": {
    "payload": [
      {
        "access_token": "b7a6f029-99fc-11e6-a0bd-87581cb027ac",
        "refresh_token": "b7a7107f-99fc-11e6-a0bd-b46329164206"
      }
    ],
    "metadata": {
      "command": "validate_login_token",
      "version": 1,
      "reason": "OK",
      "result": 1
    }
  }
}
"#;

fn seed_request() -> ValidateLoginTokenRequest {
    ValidateLoginTokenRequest {
        url_after_login: "http://hostname.example.com/redirectionlocation.cgi?state".to_owned(),
        provider: "cPStore".to_owned(),
        login_token: "1a676e6f-99fc-11e6-9ab6-e60a769b73bc".to_owned(),
    }
}

/// RFC 3986's unreserved characters stay; everything else is escaped.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The URL written by hand for this one function.
fn hand_written_url(request: &ValidateLoginTokenRequest) -> String {
    format!(
        "{BASE}/json-api/validate_login_token?api.version=1&url_after_login={}&provider={}&login_token={}",
        utf8_percent_encode(&request.url_after_login, UNRESERVED),
        utf8_percent_encode(&request.provider, UNRESERVED),
        utf8_percent_encode(&request.login_token, UNRESERVED),
    )
}

/// Hand-written types for the seed's response, doing what the generated
/// decoder does for it: typed payload and metadata, `metadata` beside `data`
/// or inside it (the top one wins), absent fields allowed, WHM's loose forms
/// where the generated types accept them (a number or boolean for a string,
/// one object for an array, `"1"`/`true` for `result`, `"1"` for `version`),
/// and a `result` of 0 refused. Unknown keys are skipped (the generated
/// decoder keeps those of `metadata`; the seed has none).
#[derive(Deserialize)]
#[allow(dead_code)] // Fields are read only to be decoded.
struct HandEnvelope {
    #[serde(default)]
    data: Option<HandData>,
    #[serde(default)]
    metadata: Option<HandMetadata>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandData {
    #[serde(default, deserialize_with = "loose::tokens")]
    payload: Option<Vec<HandToken>>,
    #[serde(default)]
    metadata: Option<HandMetadata>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandToken {
    #[serde(default, deserialize_with = "loose::string")]
    access_token: Option<String>,
    #[serde(default, deserialize_with = "loose::string")]
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMetadata {
    command: String,
    #[serde(deserialize_with = "loose::int")]
    version: i64,
    reason: String,
    #[serde(deserialize_with = "loose::flag")]
    result: bool,
}

/// The seed's data and metadata, or why not.
fn hand_written_decode(body: &[u8]) -> Result<(Vec<HandToken>, HandMetadata), String> {
    let envelope: HandEnvelope = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let (payload, nested) = match envelope.data {
        Some(data) => (data.payload.unwrap_or_default(), data.metadata),
        None => (Vec::new(), None),
    };
    let metadata = envelope
        .metadata
        .or(nested)
        .ok_or_else(|| "no metadata".to_owned())?;
    if !metadata.result {
        return Err(metadata.reason);
    }
    Ok((payload, metadata))
}

/// WHM's loose scalar forms, written by hand.
mod loose {
    use std::fmt;

    use serde::Deserializer;
    use serde::de::{self, Deserialize, MapAccess, SeqAccess, Visitor};

    use super::HandToken;

    /// A string that may arrive as a number or a boolean; `null` is absent.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<String>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Some(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Some(u8::from(v).to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V)
    }

    /// An integer that may arrive as a string.
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = i64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
                i64::try_from(v).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
                v.trim().parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }

    /// A boolean as `1`/`0`, `"1"`/`"0"` or `true`/`false`.
    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("1 or 0")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::custom("expected 1 or 0")),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
                self.visit_u64(u64::try_from(v).map_err(E::custom)?)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                match v.trim() {
                    "1" | "true" => Ok(true),
                    "0" | "false" | "" => Ok(false),
                    _ => Err(E::custom("expected 1 or 0")),
                }
            }
        }
        d.deserialize_any(V)
    }

    /// The token array, or its one token sent alone; `null` is absent.
    pub fn tokens<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<HandToken>>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Vec<HandToken>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(token) = seq.next_element()? {
                    out.push(token);
                }
                Ok(Some(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let one = HandToken::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Some(vec![one]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V)
    }
}

fn bench(c: &mut Criterion) {
    let request = seed_request();
    let client = Client::builder(BASE).build().expect("a client");
    assert_eq!(
        client.url_for(&request, Format::Json),
        hand_written_url(&request),
        "both build the same URL"
    );

    let mut url = c.benchmark_group("seed request URL");
    url.bench_function("generated", |b| {
        b.iter(|| client.url_for(black_box(&request), Format::Json))
    });
    url.bench_function("hand_written", |b| {
        b.iter(|| hand_written_url(black_box(&request)))
    });
    url.finish();

    let body = SEED_RESPONSE.as_bytes();
    let (payload, metadata) = hand_written_decode(body).expect("the seed decodes");
    let generated = decode_envelope::<ValidateLoginTokenData>("validate_login_token", body)
        .expect("the seed decodes");
    let tokens = generated.data.and_then(|d| d.payload).expect("tokens");
    assert_eq!(
        (
            payload.len(),
            payload[0].access_token.as_deref(),
            metadata.command.as_str(),
            metadata.result
        ),
        (
            tokens.len(),
            tokens[0].access_token.as_deref(),
            generated.metadata.command.as_str(),
            generated.metadata.result
        ),
        "both decode the same"
    );
    let mut decode = c.benchmark_group("seed response decode");
    decode.bench_function("generated", |b| {
        b.iter(|| {
            let envelope =
                decode_envelope::<ValidateLoginTokenData>("validate_login_token", black_box(body))
                    .expect("the seed decodes");
            Response {
                data: envelope.data.unwrap_or_default(),
                metadata: envelope.metadata,
            }
        })
    });
    decode.bench_function("hand_written", |b| {
        b.iter(|| hand_written_decode(black_box(body)).expect("the seed decodes"))
    });
    decode.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
