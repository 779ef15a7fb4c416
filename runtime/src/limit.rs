//! WHM's resource limits: a count, or `unlimited`.

use std::fmt;
use std::str::FromStr;

/// A resource limit as WHM writes it: a whole number, or `unlimited`.
///
/// Where a spec says a limit may also be `null`, the generated field is an
/// `Option<Limit>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// At most this many (megabytes, accounts, ... as the parameter says).
    Limited(u64),
    /// No limit.
    Unlimited,
}

impl Limit {
    /// A limit of `n`.
    pub fn from_count(n: u64) -> Self {
        Limit::Limited(n)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Limited(n) => write!(f, "{n}"),
            Limit::Unlimited => f.write_str("unlimited"),
        }
    }
}

/// The text was neither a whole number nor `unlimited`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLimitError;

impl fmt::Display for ParseLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a non-negative integer or \"unlimited\"")
    }
}

impl std::error::Error for ParseLimitError {}

impl FromStr for Limit {
    type Err = ParseLimitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("unlimited") {
            Ok(Limit::Unlimited)
        } else {
            s.parse().map(Limit::Limited).map_err(|_| ParseLimitError)
        }
    }
}
