//! Scalar types of WHM API 1 that plain Rust types do not carry: a `y`/`n`
//! flag ([`YesNo`]) and a value that is a number or text
//! ([`StringOrInteger`]). Their wire forms live in [`crate::wire`], their
//! query forms in [`crate::query`].

use std::fmt;

/// A flag that WHM writes `y` or `n` (createacct's `ip`, `cgi` of some
/// functions, `useregns`), where most flags are `1`/`0`.
///
/// One type for every such flag of every function, so that code handling
/// one handles all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum YesNo {
    /// `y`.
    Yes,
    /// `n`.
    No,
}

impl YesNo {
    /// The flag as WHM writes it: `y` or `n`.
    pub fn as_str(self) -> &'static str {
        match self {
            YesNo::Yes => "y",
            YesNo::No => "n",
        }
    }

    /// Reads `y`/`n` in either case, and the words `yes`/`no`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            t if t.eq_ignore_ascii_case("y") || t.eq_ignore_ascii_case("yes") => Some(YesNo::Yes),
            t if t.eq_ignore_ascii_case("n") || t.eq_ignore_ascii_case("no") => Some(YesNo::No),
            _ => None,
        }
    }
}

impl From<bool> for YesNo {
    fn from(yes: bool) -> Self {
        if yes { YesNo::Yes } else { YesNo::No }
    }
}

impl From<YesNo> for bool {
    fn from(flag: YesNo) -> Self {
        flag == YesNo::Yes
    }
}

impl fmt::Display for YesNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that WHM takes or sends as a whole number or as text: a quota
/// written `1000` or `1000M`, a limit `5` or `unlimited` where the docs do
/// not promise only those.
///
/// It keeps the form that arrived, so a JSON number is written back as a
/// number and `"5"` as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringOrInteger {
    /// A whole number (a JSON number, or a query value that is all digits).
    Integer(i64),
    /// Anything else, as text.
    String(String),
}

impl StringOrInteger {
    /// The value as text, as a query string carries it.
    pub fn to_text(&self) -> String {
        self.to_string()
    }

    /// Reads a query value: digits (with an optional sign) are a number, anything else text.
    pub fn parse(text: &str) -> Self {
        match text.parse() {
            Ok(n) => StringOrInteger::Integer(n),
            Err(_) => StringOrInteger::String(text.to_owned()),
        }
    }
}

impl From<i64> for StringOrInteger {
    fn from(n: i64) -> Self {
        StringOrInteger::Integer(n)
    }
}

impl From<&str> for StringOrInteger {
    fn from(text: &str) -> Self {
        StringOrInteger::String(text.to_owned())
    }
}

impl From<String> for StringOrInteger {
    fn from(text: String) -> Self {
        StringOrInteger::String(text)
    }
}

impl fmt::Display for StringOrInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StringOrInteger::Integer(n) => write!(f, "{n}"),
            StringOrInteger::String(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_reads_what_whm_writes() {
        assert_eq!(YesNo::parse("y"), Some(YesNo::Yes));
        assert_eq!(YesNo::parse("N"), Some(YesNo::No));
        assert_eq!(YesNo::parse("1"), None);
        assert!(bool::from(YesNo::from(true)));
        assert_eq!(YesNo::No.to_string(), "n");
    }

    #[test]
    fn string_or_integer_keeps_its_form() {
        assert_eq!(
            StringOrInteger::parse("1000"),
            StringOrInteger::Integer(1000)
        );
        assert_eq!(
            StringOrInteger::parse("1000M"),
            StringOrInteger::String("1000M".into())
        );
        assert_eq!(StringOrInteger::from("x").to_text(), "x");
    }
}
