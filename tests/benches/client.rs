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

/// Hand-written types for the seed's response, exactly its shape.
#[derive(Deserialize)]
#[allow(dead_code)] // Fields are read only to be decoded.
struct HandEnvelope {
    data: HandData,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandData {
    payload: Vec<HandToken>,
    metadata: HandMetadata,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandToken {
    access_token: String,
    refresh_token: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMetadata {
    command: String,
    version: i64,
    reason: String,
    result: i64,
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
        b.iter(|| {
            serde_json::from_slice::<HandEnvelope>(black_box(body)).expect("the seed decodes")
        })
    });
    decode.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
