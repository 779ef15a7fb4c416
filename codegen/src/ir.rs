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
    /// The named types of `spec/types/`, by name: shapes several functions share,
    /// emitted once (`whm_api::types::shared`).
    pub named_types: Vec<NamedType>,
}

/// A shape defined once under `spec/types/` and used by any spec (`type: Account`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedType {
    /// The type's name, also its Rust name (`Account`).
    pub name: String,
    /// Markdown.
    pub description: String,
    /// A [`Type::Hash`] or [`Type::Enum`] whose `shared` is true.
    pub ty: Type,
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
#[derive(Debug, Clone, PartialEq, Default)]
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
    /// Whether the function offers WHM's generic filter, sort, paginate and
    /// columns options to its callers (docs, `whmapi1`, the client's pager):
    /// by default when its `data` is one list of records ([`record_list`]),
    /// unless the spec says `list_output: false`, as a function that changes
    /// something does (paging would repeat the change). The server shapes
    /// every such list whatever this says, as WHM does.
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
    /// The HTTP method the spec states (`method:`), when it states one.
    pub method: Option<HttpMethod>,
    /// `metadata.reason` of a successful call, when it is not `OK`.
    pub success_reason: Option<String>,
    /// Whether WHM no longer supports the function.
    pub deprecated: bool,
    /// Since when it is deprecated and what replaces it.
    pub deprecation: Deprecation,
    /// Where the spec's facts come from, shown on the docs page.
    pub origin: Option<Origin>,
    /// Why the function differs from its published source on purpose (`differs:`).
    pub differs: Option<String>,
}

/// An HTTP method a function is documented with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// Parameters in the query string.
    Get,
    /// Parameters in an `application/x-www-form-urlencoded` body.
    Post,
}

/// The published description a spec's facts were taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The document: a file of cPanel's OpenAPI description
    /// (`cpanel-accounts-api-openapi.yml`), a page's address, a facts file.
    pub document: String,
    /// The version of the description (`11.137`).
    pub version: Option<String>,
    /// The operation within it (`/listaccts`).
    pub operation: Option<String>,
}

/// The one returned field, and its record type, when `returns` is exactly one
/// list of hashes: the shape of `data` that WHM's output options filter, sort,
/// page and trim.
pub fn record_list(returns: &[Field]) -> Option<(&Field, &Type)> {
    match returns {
        [field] => match &field.ty {
            Type::Array(a) if matches!(*a.items, Type::Hash(_)) => Some((field, &*a.items)),
            _ => None,
        },
        _ => None,
    }
}

impl Function {
    /// The returned field whose records the output options shape, and the
    /// record type, for a function that takes them (`list_output`).
    pub fn list_field(&self) -> Option<(&Field, &Type)> {
        record_list(&self.returns).filter(|_| self.list_output)
    }

    /// The wire names of the parameters marked `sensitive: true`, in spec order.
    pub fn sensitive_params(&self) -> Vec<&str> {
        self.params
            .iter()
            .filter(|p| p.sensitive)
            .map(|p| p.name.as_str())
            .collect()
    }

    /// Whether clients send the function as a POST with a form body: WHM
    /// documents it so (`method: POST`), or it has a sensitive parameter to
    /// keep out of URLs and no `secrets_in_url: true`.
    pub fn post(&self) -> bool {
        self.method == Some(HttpMethod::Post)
            || (!self.secrets_in_url && self.params.iter().any(|p| p.sensitive))
    }

    /// What readers must know before calling, as Markdown sentences, in this
    /// order: deprecation, the method WHM documents, a success reason other
    /// than `OK`, and where the facts come from.
    pub fn notices(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.deprecated {
            out.push(format!("**{}**", self.deprecation.sentence()));
        }
        if self.method == Some(HttpMethod::Post) {
            out.push(
                "WHM documents this function as a `POST`: send the parameters as an \
                 `application/x-www-form-urlencoded` body. The generated client and \
                 `whmapi1` do."
                    .to_owned(),
            );
        }
        if let Some(reason) = &self.success_reason {
            out.push(format!(
                "A successful call answers `metadata.reason` “{reason}”, not `OK`."
            ));
        }
        if let Some(origin) = &self.origin {
            let mut text = format!("Facts from `{}`", origin.document);
            if let Some(version) = &origin.version {
                text.push_str(&format!(", version {version}"));
            }
            if let Some(operation) = &origin.operation {
                text.push_str(&format!(", operation `{operation}`"));
            }
            text.push('.');
            out.push(text);
        }
        out
    }

    /// `metadata.reason` of a successful call.
    pub fn success_reason(&self) -> &str {
        self.success_reason.as_deref().unwrap_or("OK")
    }
}

/// The Rust identifiers generated for a function.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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

impl FunctionNames {
    /// The module of the function's nested types, inside its category's
    /// module (`whm_api::types::authentication::validate_login_token`): the
    /// method name, a valid, corpus-unique `snake_case` identifier.
    pub fn types_module(&self) -> &str {
        &self.method
    }
}

/// A parameter, a returned field or a field of a nested hash.
#[derive(Debug, Clone, PartialEq, Default)]
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
    /// Checks of the value beyond its type, in spec order.
    pub constraints: Vec<Constraint>,
    /// The unit of a number (`megabytes`), when the spec says.
    pub unit: Option<String>,
    /// For a deprecated field: since when, and what replaces it.
    pub deprecation: Deprecation,
    /// The line of the field's `name:` in its spec file, for reports that point at it.
    pub line: usize,
    /// Why the spec differs from its published source here on purpose (`differs:`).
    pub differs: Option<String>,
    /// For a parameter whose name is a pattern (`MXCHECK-*`): the fixed part
    /// before the `*`. The Rust field is then a map from the rest of each
    /// name to its value.
    pub pattern_prefix: Option<String>,
}

impl Field {
    /// Lines for the docs' "Possible values" and the help texts: the spec's
    /// `possible_values`, then one line per constraint and the unit.
    pub fn value_lines(&self) -> Vec<String> {
        let mut lines = self.possible_values.clone();
        lines.extend(self.constraints.iter().map(Constraint::describe));
        if let Some(unit) = &self.unit {
            lines.push(format!("In {unit}."));
        }
        lines
    }
}

/// Since when a function or field is deprecated, and what to use instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecation {
    /// The version that deprecated it (`cPanel & WHM version 90`).
    pub since: Option<String>,
    /// What to use instead: a function or parameter name.
    pub replaced_by: Option<String>,
}

impl Deprecation {
    /// A sentence for readers: "Deprecated since X; use `Y` instead." (empty parts left out).
    pub fn sentence(&self) -> String {
        let mut text = "Deprecated".to_owned();
        if let Some(since) = &self.since {
            text.push_str(&format!(" since {since}"));
        }
        match &self.replaced_by {
            Some(other) => text.push_str(&format!("; use `{other}` instead.")),
            None => text.push('.'),
        }
        text
    }
}

/// A check of a value beyond its type, enforced by the server and the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// At least this (a whole number).
    Minimum(i64),
    /// At most this (a whole number).
    Maximum(i64),
    /// At least this many characters.
    MinLength(u64),
    /// At most this many characters.
    MaxLength(u64),
    /// The whole value matches this regular expression.
    Pattern(String),
    /// The parameter must be sent when the parameter `param` has one of `values`.
    RequiredIf {
        /// The other parameter's wire name.
        param: String,
        /// The values that make this one required.
        values: Vec<String>,
    },
}

impl Constraint {
    /// The constraint in one sentence, Markdown, as the docs and help print it.
    pub fn describe(&self) -> String {
        match self {
            Constraint::Minimum(n) => format!("At least {n}."),
            Constraint::Maximum(n) => format!("At most {n}."),
            Constraint::MinLength(1) => "At least 1 character.".to_owned(),
            Constraint::MinLength(n) => format!("At least {n} characters."),
            Constraint::MaxLength(1) => "At most 1 character.".to_owned(),
            Constraint::MaxLength(n) => format!("At most {n} characters."),
            Constraint::Pattern(p) => format!("Matches the pattern `{}`.", p.replace('`', "'")),
            Constraint::RequiredIf { param, values } => {
                let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                format!("Required when `{param}` is {}.", values.join(" or "))
            }
        }
    }
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
#[derive(Debug, Clone, PartialEq, Default)]
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
    /// `y` or `n` on the wire; `whm_runtime::YesNo` in Rust.
    YesNo,
    /// A whole number or text (`1000` or `1000M`); `whm_runtime::StringOrInteger` in Rust.
    StringOrInteger,
    /// A closed set of values.
    Enum(EnumType),
    /// A list.
    Array(Array),
    /// A hash with documented keys.
    Hash(Struct),
    /// A hash whose keys are data (usernames, domains), all values of one type.
    Map(Box<Type>),
    /// Anything: kept as JSON.
    #[default]
    Any,
}

/// A list and how a parameter list travels in a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    /// The type of the elements.
    pub items: Box<Type>,
    /// How a list parameter is sent (unused for returns).
    pub style: ListStyle,
    /// The number of the first key of a [`ListStyle::Numbered`] list: 1
    /// (`acl-1`) for most functions, 0 (`whitelist_ip-0`) for some.
    pub first_index: u32,
}

/// How a list parameter travels in a query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `name-1=a&name-2=b`.
    Numbered,
    /// `name=a&name=b`.
    Repeated,
    /// `name=a,b`: one value, joined with commas.
    Comma,
}

/// The formats a string may be checked against: the runtime's table
/// (`whm_runtime::Format`), so the compiler, the server and the command line
/// check the same thing. Its spec names are `Format::spec_name`.
pub use whm_runtime::Format as StringFormat;

/// How readers are told a string format: the words every output uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatWords {
    /// The command line's value name (`URL`, `DNS_NAME`).
    pub metavar: &'static str,
    /// In a sentence, with its article (`a URL`, `an IPv6 address`).
    pub words: &'static str,
    /// As a type label in the docs' tables (`URL`, `IPv6 address`).
    pub label: &'static str,
}

/// The one table of how each string format reads in the outputs.
pub fn format_words(format: StringFormat) -> FormatWords {
    let (metavar, words, label) = match format {
        StringFormat::Url => ("URL", "a URL", "URL"),
        StringFormat::Email => ("EMAIL", "an email address", "email address"),
        StringFormat::Ipv4 => ("IPV4", "an IPv4 address", "IPv4 address"),
        StringFormat::Ipv6 => ("IPV6", "an IPv6 address", "IPv6 address"),
        StringFormat::Ip => ("IP", "an IPv4 or IPv6 address", "IP address"),
        StringFormat::Cidr => ("CIDR", "a network in CIDR notation", "CIDR network"),
        StringFormat::Domain => ("DOMAIN", "a domain name", "domain name"),
        StringFormat::Fqdn => ("FQDN", "a fully qualified host name", "FQDN"),
        StringFormat::DnsName => ("DNS_NAME", "a DNS name (may end in a dot)", "DNS name"),
        StringFormat::Username => ("USERNAME", "a cPanel username", "username"),
        StringFormat::Path => ("PATH", "an absolute path", "absolute path"),
        StringFormat::Uuid => ("UUID", "a UUID", "UUID"),
    };
    FormatWords {
        metavar,
        words,
        label,
    }
}

/// A closed set of values, generated as a Rust enum with an `Unknown` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    /// The Rust type name: unique in its function's module
    /// (`types::<category>::<function>`), or in `types::shared` when shared.
    pub rust_name: String,
    /// Whether the values are integers on the wire.
    pub numeric: bool,
    /// The values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Whether it is a named type of `spec/types/`, emitted once in `types::shared`.
    pub shared: bool,
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
    /// The Rust type name: unique in its function's module
    /// (`types::<category>::<function>`), or in `types::shared` when shared.
    pub rust_name: String,
    /// The hash's keys, in spec order.
    pub fields: Vec<Field>,
    /// Whether it is a named type of `spec/types/`, emitted once in `types::shared`.
    pub shared: bool,
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
