//! `Debug` prints that leave secrets out.
//!
//! A generated type with a field the spec marks `sensitive: true` implements
//! `Debug` by hand: every other field prints as `#[derive(Debug)]` would,
//! and the sensitive ones go through [`redact`], which prints
//! `"<redacted>"` for a value that is set and `None` (or `[]`) for one that
//! is not, so a print still tells whether the secret was there.

use std::fmt;

/// What a redacted value prints instead of itself.
pub const REDACTED: &str = "<redacted>";

/// A value that is set or unset, for [`redact`].
pub trait Sensitive {
    /// How the value prints when it is unset (`None`, `[]`); `None` when it is set.
    fn unset(&self) -> Option<&'static str>;
}

impl Sensitive for String {
    fn unset(&self) -> Option<&'static str> {
        None
    }
}

impl<T> Sensitive for Option<T> {
    fn unset(&self) -> Option<&'static str> {
        self.is_none().then_some("None")
    }
}

impl<T> Sensitive for Vec<T> {
    fn unset(&self) -> Option<&'static str> {
        self.is_empty().then_some("[]")
    }
}

/// The `Debug` stand-in of a secret; see [`redact`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted(Option<&'static str>);

impl Redacted {
    /// The stand-in of a value that is always set (a required parameter of any type).
    pub const SET: Redacted = Redacted(None);
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.unwrap_or(REDACTED))
    }
}

/// `"<redacted>"` in `Debug` prints when `value` is set, `None` or `[]` when it is not.
pub fn redact<T: Sensitive + ?Sized>(value: &T) -> Redacted {
    Redacted(value.unset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_are_redacted_and_unset_ones_say_so() {
        assert_eq!(format!("{:?}", redact(&"hunter2".to_owned())), REDACTED);
        assert_eq!(format!("{:?}", redact(&Some("hunter2"))), REDACTED);
        assert_eq!(format!("{:?}", redact(&None::<String>)), "None");
        assert_eq!(format!("{:?}", redact(&Vec::<String>::new())), "[]");
        assert_eq!(format!("{:?}", redact(&vec!["a"])), REDACTED);
        assert_eq!(format!("{:?}", Redacted::SET), REDACTED);
    }
}
