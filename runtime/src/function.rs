//! The link between a generated request type and its WHM API 1 function.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::query::{ParamError, Params, QueryBuilder};
use crate::wire::Wire;

/// A WHM API 1 function, implemented by each generated request type.
///
/// Clients encode a request with [`to_query`](ApiFunction::to_query);
/// servers and the command line read one with
/// [`from_params`](ApiFunction::from_params). Both use the spec's parameter
/// order and WHM's encodings, so the two directions agree by construction.
pub trait ApiFunction: Sized + Send + Sync + 'static {
    /// The function's name: the last segment of `/json-api/NAME`.
    const NAME: &'static str;
    /// Whether the function reports its result as text in `metadata.output.raw`.
    const OUTPUT_RAW: bool;
    /// The wire names of the parameters the spec marks `sensitive: true`, in spec order.
    const SENSITIVE: &'static [&'static str] = &[];
    /// Whether clients send the function as a POST whose `application/x-www-form-urlencoded`
    /// body is the query, so that its sensitive parameters stay out of URLs (and server
    /// logs), and `whmapi1 --dry-run` masks them; or because WHM documents the function
    /// as POST (`method: POST` in its spec). False for other functions, and for those
    /// whose spec says `secrets_in_url: true`.
    const POST: bool = false;
    /// Checks of the parameters' values beyond their types (ranges, lengths,
    /// patterns, conditional requirements); `from_params` runs them first.
    const CHECKS: &'static [crate::check::Check] = &[];
    /// The `metadata.reason` of a successful call: `OK` for most functions.
    const SUCCESS_REASON: &'static str = "OK";
    /// The field of `data` that holds the function's list of records, for a
    /// function that takes WHM's generic output options (filter, sort, paginate,
    /// columns; see [`output_options`](crate::output_options)); `None` for the others.
    const LIST: Option<&'static str> = None;
    /// The typed `data` of a successful response ([`NoData`](crate::NoData) when there is none).
    type Data: Wire + Serialize + DeserializeOwned + Send + Sync + 'static;

    /// Appends the request's parameters, in spec order, to a query.
    fn to_query(&self, query: &mut QueryBuilder);

    /// Reads the request from decoded parameters, naming the first parameter at fault.
    fn from_params(params: &Params) -> Result<Self, ParamError>;

    /// The encoded query string, starting with `api.version=1`.
    fn query_string(&self) -> String {
        let mut query = QueryBuilder::new();
        self.to_query(&mut query);
        query.to_query_string()
    }
}

/// A function whose `data` is one list of records, which WHM's generic output
/// options shape (see [`output_options`](crate::output_options)); implemented by
/// the generated request types of those functions.
pub trait ListFunction: ApiFunction {
    /// One record of the list.
    type Record: Serialize + DeserializeOwned + Send + Sync + 'static;

    /// The records of an answer's `data`, in the order sent.
    fn into_records(data: Self::Data) -> Vec<Self::Record>;
}
