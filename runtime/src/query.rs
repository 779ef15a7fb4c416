//! WHM API 1 query strings: building them (client, CLI) and reading them (server).
//!
//! Values are percent-encoded as the WHM documentation shows them: everything
//! but RFC 3986's unreserved characters is escaped, so a URL value becomes
//! `http%3A%2F%2Fhost%2Fpath%3Fstate`. Booleans travel as `1`/`0`, and
//! repeated values as numbered keys (`acl-1`, `acl-2`) or as the same key
//! repeated, as the spec of each parameter says.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::Limit;
use crate::values::{StringOrInteger, YesNo};

/// Characters written as they are; every other byte is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one key or value as WHM's documentation does.
pub fn encode_component(value: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(value, UNRESERVED)
}

/// Appends `text` percent-encoded as [`encode_component`] writes it, without
/// going through `fmt` (several times faster on short values).
pub fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // `run` starts the pending stretch of unreserved ASCII; slicing there and at
    // an escaped byte always falls on a character boundary.
    let mut run = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            continue;
        }
        out.push_str(text.get(run..i).unwrap_or_default());
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
        run = i + 1;
    }
    out.push_str(text.get(run..).unwrap_or_default());
}

/// A value that can be sent as one query parameter.
pub trait ToParam {
    /// The unencoded text of the value.
    fn to_param(&self) -> String;

    /// Appends the value, percent-encoded, to a query string.
    fn encode_param(&self, out: &mut String) {
        encode_into(out, &self.to_param());
    }
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
    fn encode_param(&self, out: &mut String) {
        encode_into(out, self);
    }
}
impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
    fn encode_param(&self, out: &mut String) {
        encode_into(out, self);
    }
}
impl ToParam for bool {
    fn to_param(&self) -> String {
        if *self { "1" } else { "0" }.to_owned()
    }
    fn encode_param(&self, out: &mut String) {
        out.push(if *self { '1' } else { '0' });
    }
}
impl ToParam for i64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}
impl ToParam for f64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}
impl ToParam for Limit {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

/// Builds the query string of one call, starting with `api.version=1`.
///
/// Parameters are encoded as they are pushed, into one string, so building a
/// request's URL costs about what a hand-written `format!` does.
#[derive(Debug, Clone)]
pub struct QueryBuilder {
    encoded: String,
}

impl Default for QueryBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl QueryBuilder {
    /// A query that selects WHM API 1 (without `api.version=1` WHM runs the old API 0).
    pub fn new() -> Self {
        let mut encoded = String::with_capacity(256);
        encoded.push_str("api.version=1");
        QueryBuilder { encoded }
    }

    /// Appends one parameter.
    pub fn push<T: ToParam + ?Sized>(&mut self, name: &str, value: &T) {
        self.encoded.push('&');
        encode_into(&mut self.encoded, name);
        self.encoded.push('=');
        value.encode_param(&mut self.encoded);
    }

    /// Appends a parameter when it is set; an unset optional parameter is not sent.
    pub fn push_opt<T: ToParam>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    /// Appends a list as numbered keys: `name-1`, `name-2`, ...
    pub fn push_numbered<T: ToParam>(&mut self, name: &str, values: &[T]) {
        for (i, value) in values.iter().enumerate() {
            self.push(&format!("{name}-{}", i + 1), value);
        }
    }

    /// Appends a list as numbered keys counted from `first`: `name-0`, `name-1`, ...
    /// for the functions whose numbering starts at 0 (`whitelist_ip-0`).
    pub fn push_numbered_from<T: ToParam>(&mut self, name: &str, first: u32, values: &[T]) {
        for (value, n) in values.iter().zip(first..) {
            self.push(&format!("{name}-{n}"), value);
        }
    }

    /// Appends a list as one value joined with commas: `name=a,b`. An empty list is not sent.
    pub fn push_joined<T: ToParam>(&mut self, name: &str, values: &[T]) {
        if values.is_empty() {
            return;
        }
        let joined: Vec<String> = values.iter().map(ToParam::to_param).collect();
        self.push(name, &joined.join(","));
    }

    /// Appends one parameter per entry of a map, named `prefix` + key:
    /// `MXCHECK-example.com=local` for the parameter `MXCHECK-*`.
    pub fn push_pattern<T: ToParam>(
        &mut self,
        prefix: &str,
        values: &std::collections::BTreeMap<String, T>,
    ) {
        for (key, value) in values {
            self.push(&format!("{prefix}{key}"), value);
        }
    }

    /// Appends a list as the same key repeated: `name=a&name=b`.
    pub fn push_repeated<T: ToParam>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// The unencoded pairs, in order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        // The string was encoded here, so it always decodes.
        Params::parse(&self.encoded)
            .map(|p| p.pairs)
            .unwrap_or_default()
    }

    /// The encoded query string, without a leading `?`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// The encoded query string, without a leading `?`, as an owned string.
    pub fn to_query_string(&self) -> String {
        self.encoded.clone()
    }
}

/// Why a request's parameters were refused; its `Display` is the `reason` WHM answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter at fault, as it is spelled on the wire.
    pub param: String,
    /// What was wrong with it.
    pub problem: Problem,
}

/// What was wrong with a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required parameter was not given.
    Missing,
    /// The value does not have the parameter's type or is not one of its values.
    Invalid {
        /// What the parameter accepts, in words.
        expected: String,
        /// The value that arrived.
        received: String,
    },
    /// A single-valued parameter was given more than once.
    Repeated,
    /// The key or value is not valid percent-encoded UTF-8.
    Malformed(String),
    /// The parameter must be sent because another one has a given value.
    RequiredWhen {
        /// The other parameter.
        other: String,
        /// The value of `other` that makes this one required.
        value: String,
    },
}

impl ParamError {
    /// A missing required parameter.
    pub fn missing(param: &str) -> Self {
        ParamError {
            param: param.to_owned(),
            problem: Problem::Missing,
        }
    }
    /// A value that does not fit the parameter.
    pub fn invalid(param: &str, expected: impl Into<String>, received: &str) -> Self {
        ParamError {
            param: param.to_owned(),
            problem: Problem::Invalid {
                expected: expected.into(),
                received: received.to_owned(),
            },
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.param;
        match &self.problem {
            Problem::Missing => write!(f, "The “{p}” parameter is required."),
            Problem::Invalid { expected, received } => {
                write!(
                    f,
                    "The “{p}” parameter must be {expected}; received “{received}”."
                )
            }
            Problem::Repeated => write!(f, "The “{p}” parameter was given more than once."),
            Problem::Malformed(why) => write!(f, "The “{p}” parameter is malformed: {why}."),
            Problem::RequiredWhen { other, value } => write!(
                f,
                "The “{p}” parameter is required when “{other}” is “{value}”."
            ),
        }
    }
}

impl std::error::Error for ParamError {}

/// A value that can be read from one query parameter.
pub trait FromParam: Sized {
    /// What the parameter accepts, in words ("an integer").
    const EXPECTED: &'static str;
    /// Parses the decoded text, `None` when it does not fit.
    fn from_param(value: &str) -> Option<Self>;
    /// What the parameter accepts, in words, for error messages.
    fn expected() -> String {
        Self::EXPECTED.to_owned()
    }
}

impl FromParam for String {
    const EXPECTED: &'static str = "a string";
    fn from_param(value: &str) -> Option<Self> {
        Some(value.to_owned())
    }
}
impl FromParam for bool {
    const EXPECTED: &'static str = "1 or 0";
    fn from_param(value: &str) -> Option<Self> {
        match value {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        }
    }
}
impl FromParam for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_param(value: &str) -> Option<Self> {
        value.parse().ok()
    }
}
impl FromParam for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_param(value: &str) -> Option<Self> {
        value.parse().ok().filter(|f: &f64| f.is_finite())
    }
}
impl FromParam for Limit {
    const EXPECTED: &'static str = "a non-negative integer or “unlimited”";
    fn from_param(value: &str) -> Option<Self> {
        value.parse().ok()
    }
}

impl ToParam for YesNo {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }
}
impl FromParam for YesNo {
    const EXPECTED: &'static str = "“y” or “n”";
    fn from_param(value: &str) -> Option<Self> {
        YesNo::parse(value)
    }
}
impl ToParam for StringOrInteger {
    fn to_param(&self) -> String {
        self.to_text()
    }
}
impl FromParam for StringOrInteger {
    const EXPECTED: &'static str = "a whole number or a string";
    fn from_param(value: &str) -> Option<Self> {
        Some(StringOrInteger::parse(value))
    }
}

/// “one of “a”, “b” or “c””, for error messages about closed value sets.
pub fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("“{v}”")).collect();
    match quoted.split_last() {
        None => "empty".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("one of {} or {last}", rest.join(", ")),
    }
}

/// The decoded parameters of one request, in the order they arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parameters from already decoded pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Params { pairs }
    }

    /// Parses an `application/x-www-form-urlencoded` query string or body.
    ///
    /// Unlike lenient decoders it refuses a `%` not followed by two hex digits
    /// and bytes that are not UTF-8, naming the parameter concerned.
    pub fn parse(query: &str) -> Result<Self, ParamError> {
        let mut pairs = Vec::new();
        for piece in query.split('&').filter(|p| !p.is_empty()) {
            let (raw_key, raw_value) = piece.split_once('=').unwrap_or((piece, ""));
            let key = decode_form(raw_key).map_err(|why| ParamError {
                param: raw_key.to_owned(),
                problem: Problem::Malformed(why),
            })?;
            let value = decode_form(raw_value).map_err(|why| ParamError {
                param: key.clone(),
                problem: Problem::Malformed(why),
            })?;
            pairs.push((key, value));
        }
        Ok(Params { pairs })
    }

    /// All pairs, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Appends pairs (a POST body after the query string).
    pub fn extend(&mut self, other: Params) {
        self.pairs.extend(other.pairs);
    }

    /// The one value of `name`, refusing a repeated key.
    pub fn get(&self, name: &str) -> Result<Option<&str>, ParamError> {
        let mut found = self
            .pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        let first = found.next();
        if found.next().is_some() {
            return Err(ParamError {
                param: name.to_owned(),
                problem: Problem::Repeated,
            });
        }
        Ok(first)
    }

    /// Whether any parameter has this exact name.
    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// An optional parameter, typed.
    pub fn optional<T: FromParam>(&self, name: &str) -> Result<Option<T>, ParamError> {
        match self.get(name)? {
            None => Ok(None),
            Some(raw) => T::from_param(raw)
                .map(Some)
                .ok_or_else(|| ParamError::invalid(name, T::expected(), raw)),
        }
    }

    /// A required parameter, typed.
    pub fn required<T: FromParam>(&self, name: &str) -> Result<T, ParamError> {
        self.optional(name)?
            .ok_or_else(|| ParamError::missing(name))
    }

    /// An optional string that must have a [`Format`].
    pub fn optional_formatted(
        &self,
        name: &str,
        format: Format,
    ) -> Result<Option<String>, ParamError> {
        match self.get(name)? {
            Some(raw) if !format.accepts(raw) => {
                Err(ParamError::invalid(name, format.expected(), raw))
            }
            other => Ok(other.map(str::to_owned)),
        }
    }

    /// A required string that must have a [`Format`].
    pub fn required_formatted(&self, name: &str, format: Format) -> Result<String, ParamError> {
        self.optional_formatted(name, format)?
            .ok_or_else(|| ParamError::missing(name))
    }

    /// A list, from the key itself and its numbered forms (`name`, `name-1`, `name-2`, ...),
    /// numbered ones in number order after the plain ones.
    pub fn list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, ParamError> {
        let mut plain = Vec::new();
        let mut numbered = Vec::new();
        for (key, value) in &self.pairs {
            if key == name {
                plain.push((key, value));
            } else if let Some(n) = key
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('-'))
                // Digits only: `acl-+1` is not a numbered `acl`.
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse::<u32>().ok())
            {
                numbered.push((n, (key, value)));
            }
        }
        numbered.sort_by_key(|(n, _)| *n);
        plain
            .into_iter()
            .chain(numbered.into_iter().map(|(_, kv)| kv))
            .map(|(key, raw)| {
                T::from_param(raw).ok_or_else(|| ParamError::invalid(key, T::expected(), raw))
            })
            .collect()
    }

    /// A list sent as one comma-joined value (`name=a,b`), or as the key
    /// repeated; empty pieces are dropped.
    pub fn joined_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, ParamError> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .flat_map(|(_, value)| value.split(','))
            .map(str::trim)
            .filter(|piece| !piece.is_empty())
            .map(|piece| {
                T::from_param(piece).ok_or_else(|| ParamError::invalid(name, T::expected(), piece))
            })
            .collect()
    }

    /// A comma-joined list that must have at least one value.
    pub fn required_joined_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, ParamError> {
        let list = self.joined_list(name)?;
        if list.is_empty() {
            Err(ParamError::missing(name))
        } else {
            Ok(list)
        }
    }

    /// The parameters named `prefix` + something (`MXCHECK-example.com`), keyed
    /// by the something; a repeated key is refused.
    pub fn pattern<T: FromParam>(
        &self,
        prefix: &str,
    ) -> Result<std::collections::BTreeMap<String, T>, ParamError> {
        let mut out = std::collections::BTreeMap::new();
        for (key, raw) in &self.pairs {
            let Some(rest) = key.strip_prefix(prefix).filter(|rest| !rest.is_empty()) else {
                continue;
            };
            let value =
                T::from_param(raw).ok_or_else(|| ParamError::invalid(key, T::expected(), raw))?;
            if out.insert(rest.to_owned(), value).is_some() {
                return Err(ParamError {
                    param: key.clone(),
                    problem: Problem::Repeated,
                });
            }
        }
        Ok(out)
    }

    /// The values sent under `name` itself and its numbered forms (`name-1`, ...),
    /// raw, with the key each came under; for checks that apply to every value.
    pub fn values_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.pairs.iter().filter_map(move |(key, value)| {
            let numbered = key
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            (key == name || numbered).then_some((key.as_str(), value.as_str()))
        })
    }

    /// A list that must have at least one value.
    pub fn required_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, ParamError> {
        let list = self.list(name)?;
        if list.is_empty() {
            Err(ParamError::missing(name))
        } else {
            Ok(list)
        }
    }
}

/// Decodes one form-encoded component strictly: `+` is a space, `%XX` a byte.
fn decode_form(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) if hex.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => {
                        out.push(byte);
                        i += 2;
                    }
                    _ => {
                        return Err(format!(
                            "“%” at byte {i} is not followed by two hexadecimal digits"
                        ));
                    }
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "it is not valid UTF-8 once decoded".to_owned())
}

/// The shapes of string a spec can require of a parameter.
///
/// This is the one table of string formats: the spec's type names
/// ([`Format::spec_name`]), the checks ([`Format::accepts`]) and the words of
/// error messages ([`Format::expected`]); the compiler reads it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// An absolute URL with a scheme: `https://example.com/path?query`.
    Url,
    /// An email address: `user@example.com`.
    Email,
    /// A dotted-quad IPv4 address: `192.0.2.1`.
    Ipv4,
    /// A domain name: `example.com`.
    Domain,
    /// A cPanel account name: lowercase letters and digits, at most 16 characters, not starting with a digit.
    Username,
    /// A name in DNS, as a zone record writes it: labels of letters, digits,
    /// `-` and `_`, optionally `*` first and a trailing dot (`www.example.com.`).
    DnsName,
    /// A fully qualified host name: a domain name of at least two labels (`host.example.com`).
    Fqdn,
    /// An absolute file-system path: `/home/user/public_html`.
    Path,
    /// An IPv4 or IPv6 network in CIDR notation: `192.0.2.0/24`, `2001:db8::/32`.
    Cidr,
    /// An IPv6 address: `2001:db8::1`.
    Ipv6,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A UUID in its hyphenated form: `123e4567-e89b-12d3-a456-426614174000`.
    Uuid,
}

impl Format {
    /// Every format, in the order the spec format's reference lists them.
    pub const ALL: &'static [Format] = &[
        Format::Url,
        Format::Email,
        Format::Ipv4,
        Format::Ipv6,
        Format::Ip,
        Format::Cidr,
        Format::Domain,
        Format::Fqdn,
        Format::DnsName,
        Format::Username,
        Format::Path,
        Format::Uuid,
    ];

    /// The format's type name in spec files (`url`, `dns_name`).
    pub fn spec_name(self) -> &'static str {
        match self {
            Format::Url => "url",
            Format::Email => "email",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Ip => "ip",
            Format::Cidr => "cidr",
            Format::Domain => "domain",
            Format::Fqdn => "fqdn",
            Format::DnsName => "dns_name",
            Format::Username => "username",
            Format::Path => "path",
            Format::Uuid => "uuid",
        }
    }

    /// The format whose spec type name is `name`.
    pub fn from_spec_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.spec_name() == name)
    }

    /// The variant's name in Rust (`Url`, `DnsName`), for generated code.
    pub fn variant_name(self) -> &'static str {
        match self {
            Format::Url => "Url",
            Format::Email => "Email",
            Format::Ipv4 => "Ipv4",
            Format::Ipv6 => "Ipv6",
            Format::Ip => "Ip",
            Format::Cidr => "Cidr",
            Format::Domain => "Domain",
            Format::Fqdn => "Fqdn",
            Format::DnsName => "DnsName",
            Format::Username => "Username",
            Format::Path => "Path",
            Format::Uuid => "Uuid",
        }
    }

    /// Whether `value` has this format.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            Format::Url => value.split_once("://").is_some_and(|(scheme, rest)| {
                !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    && !rest.is_empty()
                    && !rest.chars().any(char::is_whitespace)
            }),
            Format::Email => value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !value.chars().any(char::is_whitespace)
                    && Format::Domain.accepts(domain)
            }),
            Format::Ipv4 => value.parse::<std::net::Ipv4Addr>().is_ok(),
            Format::Domain => {
                !value.is_empty()
                    && value.len() <= 253
                    && value.split('.').all(|label| {
                        !label.is_empty()
                            && label.len() <= 63
                            && !label.starts_with('-')
                            && !label.ends_with('-')
                            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    })
            }
            Format::DnsName => {
                let name = value.strip_suffix('.').unwrap_or(value);
                let name = name.strip_prefix("*.").unwrap_or(name);
                value == "."
                    || (!name.is_empty()
                        && value.len() <= 254
                        && name.split('.').all(|label| {
                            !label.is_empty()
                                && label.len() <= 63
                                && label
                                    .chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        }))
            }
            Format::Fqdn => {
                let name = value.strip_suffix('.').unwrap_or(value);
                name.contains('.') && Format::Domain.accepts(name)
            }
            Format::Path => {
                value.starts_with('/') && !value.contains('\0') && !value.contains("//")
            }
            Format::Cidr => value.split_once('/').is_some_and(|(ip, bits)| {
                let bits: Option<u8> = (!bits.is_empty()
                    && bits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| bits.parse().ok())
                .flatten();
                match (ip.parse::<std::net::IpAddr>(), bits) {
                    (Ok(std::net::IpAddr::V4(_)), Some(b)) => b <= 32,
                    (Ok(std::net::IpAddr::V6(_)), Some(b)) => b <= 128,
                    _ => false,
                }
            }),
            Format::Ipv6 => value.parse::<std::net::Ipv6Addr>().is_ok(),
            Format::Ip => value.parse::<std::net::IpAddr>().is_ok(),
            Format::Uuid => {
                let groups: Vec<&str> = value.split('-').collect();
                groups.len() == 5
                    && groups
                        .iter()
                        .zip([8, 4, 4, 4, 12])
                        .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
            }
            Format::Username => {
                !value.is_empty()
                    && value.len() <= 16
                    && value.starts_with(|c: char| c.is_ascii_lowercase())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            }
        }
    }

    /// What the format accepts, in words, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            Format::Url => "a URL such as “https://example.com/path”",
            Format::Email => "an email address such as “user@example.com”",
            Format::Ipv4 => "an IPv4 address such as “192.0.2.1”",
            Format::Domain => "a domain name such as “example.com”",
            Format::Username => "a username of lowercase letters and digits, at most 16 characters",
            Format::DnsName => "a DNS name such as “www.example.com.”",
            Format::Fqdn => "a fully qualified host name such as “host.example.com”",
            Format::Path => "an absolute path such as “/home/user”",
            Format::Cidr => "a network in CIDR notation such as “192.0.2.0/24”",
            Format::Ipv6 => "an IPv6 address such as “2001:db8::1”",
            Format::Ip => "an IPv4 or IPv6 address",
            Format::Uuid => "a UUID such as “123e4567-e89b-12d3-a456-426614174000”",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_seed_request_as_the_docs_show() {
        let mut q = QueryBuilder::new();
        q.push(
            "url_after_login",
            "http://hostname.example.com/redirectionlocation.cgi?state",
        );
        q.push("provider", "cPStore");
        assert_eq!(
            q.to_query_string(),
            "api.version=1&url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate&provider=cPStore"
        );
    }

    #[test]
    fn encoding_matches_the_percent_encoding_crate() {
        for text in [
            "",
            "plain",
            "a b+c/d?e#f&g=h",
            "ünïcödé 100%",
            "~-._",
            "日本",
            "x\u{1F600}y",
        ] {
            let mut fast = String::new();
            encode_into(&mut fast, text);
            assert_eq!(fast, encode_component(text).to_string(), "{text:?}");
        }
        let mut q = QueryBuilder::new();
        q.push("odd key", "v=1&w");
        q.push("flag", &true);
        q.push("n", &-5i64);
        assert_eq!(q.as_str(), "api.version=1&odd%20key=v%3D1%26w&flag=1&n=-5");
        assert_eq!(q.pairs()[1], ("odd key".to_owned(), "v=1&w".to_owned()));
    }

    #[test]
    fn only_digits_number_a_list() {
        let p = Params::parse("acl-1=a&acl-+2=b&acl-x=c&acl-=d").unwrap();
        assert_eq!(p.list::<String>("acl").unwrap(), ["a"]);
    }

    #[test]
    fn numbered_lists_round_trip() {
        let mut q = QueryBuilder::new();
        q.push_numbered("acl", &["a".to_owned(), "b c".to_owned()]);
        let p = Params::parse(&q.to_query_string()).unwrap();
        assert_eq!(p.list::<String>("acl").unwrap(), ["a", "b c"]);
    }

    #[test]
    fn refuses_broken_percent_encoding_naming_the_parameter() {
        let err = Params::parse("api.version=1&user=a%zz").unwrap_err();
        assert_eq!(err.param, "user");
        assert!(err.to_string().contains("two hexadecimal digits"), "{err}");
        assert!(Params::parse("user=%ff").is_err());
    }

    #[test]
    fn typed_errors_name_the_parameter() {
        let p = Params::parse("gid=abc&user=x&user=y").unwrap();
        assert_eq!(
            p.required::<i64>("gid").unwrap_err().to_string(),
            "The “gid” parameter must be an integer; received “abc”."
        );
        assert_eq!(
            p.required::<String>("user").unwrap_err().problem,
            Problem::Repeated
        );
        assert_eq!(
            p.required::<String>("pass").unwrap_err().to_string(),
            "The “pass” parameter is required."
        );
    }

    #[test]
    fn formats() {
        assert!(Format::Url.accepts("http://hostname.example.com/redirectlocation.cgi?state"));
        assert!(!Format::Url.accepts("hostname.example.com"));
        assert!(Format::Ipv4.accepts("192.0.2.0"));
        assert!(!Format::Ipv4.accepts("192.0.2"));
        assert!(Format::Email.accepts("username@example.com"));
        assert!(!Format::Email.accepts("username"));
        assert!(Format::DnsName.accepts("www.example.com."));
        assert!(Format::DnsName.accepts("_dmarc.example.com"));
        assert!(Format::DnsName.accepts("*.example.com."));
        assert!(!Format::DnsName.accepts("a..b"));
        assert!(Format::Fqdn.accepts("host.example.com"));
        assert!(!Format::Fqdn.accepts("localhost"));
        assert!(Format::Path.accepts("/home/user"));
        assert!(!Format::Path.accepts("home/user"));
        assert!(Format::Cidr.accepts("192.0.2.0/24"));
        assert!(Format::Cidr.accepts("2001:db8::/32"));
        assert!(!Format::Cidr.accepts("192.0.2.0/33"));
        assert!(!Format::Cidr.accepts("192.0.2.0"));
        assert!(Format::Ipv6.accepts("2001:db8::1"));
        assert!(!Format::Ipv6.accepts("192.0.2.1"));
        assert!(Format::Ip.accepts("192.0.2.1") && Format::Ip.accepts("::1"));
        assert!(Format::Uuid.accepts("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!Format::Uuid.accepts("123e4567e89b12d3a456426614174000"));
    }

    #[test]
    fn list_styles_round_trip() {
        let mut q = QueryBuilder::new();
        q.push_numbered_from(
            "whitelist_ip",
            0,
            &["192.0.2.1".to_owned(), "192.0.2.2".to_owned()],
        );
        q.push_joined("domains", &["a.example".to_owned(), "b.example".to_owned()]);
        let mut mx = std::collections::BTreeMap::new();
        mx.insert("example.com".to_owned(), "local".to_owned());
        q.push_pattern("MXCHECK-", &mx);
        assert_eq!(
            q.as_str(),
            "api.version=1&whitelist_ip-0=192.0.2.1&whitelist_ip-1=192.0.2.2\
             &domains=a.example%2Cb.example&MXCHECK-example.com=local"
        );
        let p = Params::parse(q.as_str()).unwrap();
        assert_eq!(
            p.list::<String>("whitelist_ip").unwrap(),
            ["192.0.2.1", "192.0.2.2"]
        );
        assert_eq!(
            p.joined_list::<String>("domains").unwrap(),
            ["a.example", "b.example"]
        );
        assert_eq!(p.pattern::<String>("MXCHECK-").unwrap(), mx);
        let twice = Params::parse("MXCHECK-a=1&MXCHECK-a=2").unwrap();
        assert_eq!(
            twice.pattern::<String>("MXCHECK-").unwrap_err().problem,
            Problem::Repeated
        );
    }
}
