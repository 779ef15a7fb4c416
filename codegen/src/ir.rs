//! The intermediate representation: the one thing emitters see.
//!
//! The front end ([`crate::front`]) lowers validated spec files into one
//! [`Api`]. Everything an emitter needs is here, already resolved: Rust names
//! are valid, unique identifiers; categories and functions are in their final
//! order; examples are parsed. An emitter that wants to look at YAML again
//! means this module is missing something.

/// The whole API: every category with its functions, plus the documentation inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Categories in their display order (by `order`, then title).
    pub categories: Vec<Category>,
    /// Guide pages written as Markdown under `spec/guides/`, in their order.
    pub guides: Vec<Guide>,
    /// The catalogue of all WHM API 1 functions, specified or not, for coverage.
    pub catalog: Vec<CatalogCategory>,
}

impl Api {
    /// Every function of every category, in display order.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.categories.iter().flat_map(|c| c.functions.iter())
    }
}

/// A category of functions: one Rust module, one section of the docs' navigation.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The identifier used in spec files' `category:` and as the folder name (`accounts`).
    pub id: String,
    /// The title shown to readers (`Accounts`).
    pub title: String,
    /// A Markdown paragraph about the category.
    pub description: String,
    /// The Rust module name (a valid identifier, `accounts`).
    pub module: String,
    /// The functions, sorted by name.
    pub functions: Vec<Function>,
}

/// One WHM API 1 function.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The function's wire name (`validate_login_token`).
    pub name: String,
    /// The id of the category it belongs to.
    pub category: String,
    /// One sentence, plain text.
    pub summary: String,
    /// Markdown.
    pub description: String,
    /// Where it came from, for readers (`cPanel & WHM version 62`), when known.
    pub since: Option<String>,
    /// Markdown notes shown after the description.
    pub notes: Vec<String>,
    /// Whether the function accepts WHM's generic filter, sort, paginate and columns options.
    pub list_output: bool,
    /// Whether the sensitive parameters travel in the URL, as WHM's documentation
    /// shows the call, rather than in a POST body (see [`Function::post`]).
    pub secrets_in_url: bool,
    /// Rust names derived from `name`.
    pub rust: FunctionNames,
    /// Parameters in spec order (the order the docs show and the client sends).
    pub params: Vec<Field>,
    /// The fields of `data`, in spec order; empty when the function returns no data.
    pub returns: Vec<Field>,
    /// Documented fields of `metadata` beyond command, version, reason and result.
    pub metadata: Vec<Field>,
    /// `metadata.output.raw`, when the function reports its result as text.
    pub output_raw: Option<RawOutput>,
    /// Examples in spec order.
    pub examples: Vec<Example>,
    /// Related functions, in spec order.
    pub see_also: Vec<SeeAlso>,
    /// The spec file, relative to the spec root, for messages and "edit this page" links.
    pub source: String,
}

impl Function {
    /// The wire names of the parameters marked `sensitive: true`, in spec order.
    pub fn sensitive_params(&self) -> Vec<&str> {
        self.params
            .iter()
            .filter(|p| p.sensitive)
            .map(|p| p.name.as_str())
            .collect()
    }

    /// Whether clients send the function as a POST with a form body, keeping its
    /// secrets out of URLs: it has a sensitive parameter and no `secrets_in_url: true`.
    pub fn post(&self) -> bool {
        !self.secrets_in_url && self.params.iter().any(|p| p.sensitive)
    }
}

/// The Rust identifiers generated for a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionNames {
    /// The method name in the client and server trait (`validate_login_token`).
    pub method: String,
    /// The request struct (`ValidateLoginTokenRequest`).
    pub request: String,
    /// The response data struct (`ValidateLoginTokenData`); unused when `returns` is empty.
    pub data: String,
    /// The CLI / enum variant name (`ValidateLoginToken`).
    pub variant: String,
}

/// A parameter, a returned field or a field of a nested hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire and in the docs (`leave-ftp-accts-enabled`).
    pub name: String,
    /// The Rust field name (`leave_ftp_accts_enabled`, `r#type`).
    pub rust_name: String,
    /// The value's type.
    pub ty: Type,
    /// Markdown.
    pub description: String,
    /// Parameters: must be sent. Returns: always present. Nothing else follows from it.
    pub required: bool,
    /// The value WHM uses when the parameter is not sent, as written in the spec.
    pub default: Option<String>,
    /// Markdown lines for the docs' "Possible values" column, beyond the enum values.
    pub possible_values: Vec<String>,
    /// An example value as the docs show it.
    pub example: Option<ExampleValue>,
    /// Whether WHM no longer honours it.
    pub deprecated: bool,
    /// Whether `null` is a documented value (the Rust type is then an `Option`).
    pub nullable: bool,
    /// Whether the value is a secret (a password, a token): redacted in `Debug`
    /// prints and masked in dry runs, marked in the docs.
    pub sensitive: bool,
    /// The anchor of the field on its docs page (`param-url_after_login`, `return-payload-access_token`).
    pub anchor: String,
}

/// An example value of a field: a scalar (as text) or a JSON value for lists and hashes.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleValue {
    /// A scalar, as the docs print it.
    Text(String),
    /// A list or hash example.
    Json(serde_json::Value),
}

impl ExampleValue {
    /// The example as the docs print it.
    pub fn display(&self) -> String {
        match self {
            ExampleValue::Text(s) => s.clone(),
            ExampleValue::Json(v) => v.to_string(),
        }
    }
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// A string, optionally with a checked format.
    String(Option<StringFormat>),
    /// A whole number (WHM may send it as a string).
    Integer,
    /// A number with a fraction.
    Float,
    /// `1` or `0` on the wire; `bool` in Rust.
    Boolean,
    /// Seconds since the Unix epoch.
    Timestamp,
    /// A whole number or `unlimited`.
    Limit,
    /// A closed set of values.
    Enum(EnumType),
    /// A list.
    Array(Array),
    /// A hash with documented keys.
    Hash(Struct),
    /// A hash whose keys are data (usernames, domains), all values of one type.
    Map(Box<Type>),
    /// Anything: kept as JSON.
    Any,
}

/// A list and how a parameter list travels in a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    /// The type of the elements.
    pub items: Box<Type>,
    /// How a list parameter is sent (unused for returns).
    pub style: ListStyle,
}

/// How a list parameter travels in a query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `name-1=a&name-2=b`.
    Numbered,
    /// `name=a&name=b`.
    Repeated,
}

/// The formats a string may be checked against; they match `whm_runtime::Format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringFormat {
    /// An absolute URL.
    Url,
    /// An email address.
    Email,
    /// A dotted-quad IPv4 address.
    Ipv4,
    /// A domain name.
    Domain,
    /// A cPanel account name.
    Username,
}

impl StringFormat {
    /// The spelling in spec files (`url`).
    pub fn spec_name(self) -> &'static str {
        match self {
            StringFormat::Url => "url",
            StringFormat::Email => "email",
            StringFormat::Ipv4 => "ipv4",
            StringFormat::Domain => "domain",
            StringFormat::Username => "username",
        }
    }

    /// The variant name of `whm_runtime::Format`.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            StringFormat::Url => "Url",
            StringFormat::Email => "Email",
            StringFormat::Ipv4 => "Ipv4",
            StringFormat::Domain => "Domain",
            StringFormat::Username => "Username",
        }
    }
}

/// A closed set of values, generated as a Rust enum with an `Unknown` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    /// The Rust type name, unique within its category module.
    pub rust_name: String,
    /// Whether the values are integers on the wire.
    pub numeric: bool,
    /// The values in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One value of a closed set.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire (`exact`, `1`).
    pub wire: String,
    /// The Rust variant name (`Exact`, `V1`).
    pub rust_name: String,
    /// Markdown: what the value means.
    pub description: String,
}

/// A hash with documented keys, generated as a Rust struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The Rust type name, unique within its category module.
    pub rust_name: String,
    /// The hash's keys, in spec order.
    pub fields: Vec<Field>,
}

/// `metadata.output.raw` of a function.
#[derive(Debug, Clone, PartialEq)]
pub struct RawOutput {
    /// Markdown.
    pub description: String,
    /// Example text.
    pub example: Option<String>,
}

/// A documented call: the request's parameters and WHM's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// A short title ("Validate a cPanel Store login token").
    pub title: String,
    /// Markdown shown before the example.
    pub description: String,
    /// The parameters in the order they are sent, unencoded, as `key=value` pairs.
    pub params: Vec<(String, String)>,
    /// The documented JSON output, exactly as the spec holds it.
    pub json: Option<String>,
    /// The documented JSON output, parsed.
    pub json_value: Option<serde_json::Value>,
    /// The documented XML output, exactly as the spec holds it.
    pub xml: Option<String>,
    /// Markdown notes on this example (where the source documentation is inconsistent, say).
    pub notes: Vec<String>,
}

/// A related function a page points to.
#[derive(Debug, Clone, PartialEq)]
pub struct SeeAlso {
    /// The function's name (specified, or in the catalogue).
    pub name: String,
    /// What it does, one plain sentence (may be empty).
    pub summary: String,
}

/// A Markdown guide page.
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    /// File stem and URL slug (`introduction`).
    pub slug: String,
    /// The first heading of the page.
    pub title: String,
    /// The Markdown source.
    pub markdown: String,
}

/// A category of the catalogue of all WHM API 1 functions (specified or not).
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogCategory {
    /// The title as WHM's documentation navigation shows it.
    pub title: String,
    /// The functions it lists.
    pub functions: Vec<CatalogEntry>,
}

/// A function name in the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    /// The function's name.
    pub name: String,
    /// Whether the name was rebuilt from a damaged source and may be wrong.
    pub unsure: bool,
    /// Where a spec exists: the spec's category id.
    pub specified_in: Option<String>,
}
