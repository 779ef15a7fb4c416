//! Hand-written support for the generated WHM API 1 crate (`whm-api`).
//!
//! Everything that is the same for every WHM API 1 function lives here once:
//! the loose wire forms of JSON values ([`wire`]), query-string encoding and
//! decoding ([`query`]), the response envelope ([`envelope`]), WHM's XML
//! ([`xml`]), the trait that ties a generated request type to its function
//! ([`ApiFunction`]), the checks generated example tests call
//! ([`examples`]) and the `Debug` stand-in of secrets ([`redact`]). Behind
//! features: the server's request path and authentication (`server`), the
//! HTTP client (`client`), and the `whmapi1` machinery (`cli`, which enables
//! `client`).

pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "client")]
pub mod client;
pub mod envelope;
pub mod examples;
pub mod format;
pub mod output_options;
pub mod query;
pub mod redact;
#[cfg(feature = "server")]
pub mod server;
pub mod wire;
pub mod xml;

mod function;
mod limit;
mod values;

pub use envelope::{Envelope, Metadata, NoData, Output};
pub use format::ApiFormat;
pub use function::{ApiFunction, ListFunction};
pub use limit::Limit;
pub use output_options::OutputOptions;
pub use query::{Format, ParamError, Params, QueryBuilder};
pub use values::{StringOrInteger, YesNo};

#[doc(hidden)]
pub use serde;
