//! The three forms of a call that each example shows: the JSON API URL, the
//! XML API URL and the `whmapi1` command line.
//!
//! Values are encoded by `whm_runtime::query`, the same code the client
//! sends with: everything but RFC 3986's unreserved characters is
//! percent-encoded, so the docs show exactly the URL the client builds.

/// The host and session segment every documented URL starts with.
pub const URL_BASE: &str = "https://hostname.example.com:2087/cpsess#####";

/// Percent-encodes every byte except ASCII letters, digits and `-._~`.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    whm_runtime::query::encode_into(&mut out, value);
    out
}

/// `https://hostname.example.com:2087/cpsess#####/json-api/NAME?api.version=1&k=v`, as the seed page writes it.
///
/// `api` is `json-api` or `xml-api`; keys and values are percent-encoded.
pub fn api_url(api: &str, function: &str, params: &[(String, String)]) -> String {
    let mut url = format!(
        "{URL_BASE}/{api}/{}?api.version=1",
        percent_encode(function)
    );
    for (key, value) in params {
        url.push('&');
        url.push_str(&percent_encode(key));
        url.push('=');
        url.push_str(&percent_encode(value));
    }
    url
}

/// `whmapi1 NAME key=value ...` as the seed page writes it, each word quoted
/// for a POSIX shell where it needs it.
pub fn command_line(function: &str, params: &[(String, String)]) -> String {
    let mut line = format!("whmapi1 {}", shell_word(function));
    for (key, value) in params {
        line.push(' ');
        line.push_str(&shell_word(&format!("{key}={value}")));
    }
    line
}

/// A word as a POSIX shell reads it back unchanged: bare when it holds only
/// characters the shell does not interpret, otherwise in single quotes.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_params() -> Vec<(String, String)> {
        [
            (
                "url_after_login",
                "http://hostname.example.com/redirectionlocation.cgi?state",
            ),
            ("provider", "cPStore"),
            ("login_token", "1a676e6f-99fc-11e6-9ab6-e60a769b73bc"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn urls_encode_like_the_seed_page() {
        // The query string is the seed page's, character for character.
        let url = api_url("json-api", "validate_login_token", &seed_params());
        assert_eq!(
            url,
            "https://hostname.example.com:2087/cpsess#####/json-api/validate_login_token?api.version=1\
             &url_after_login=http%3A%2F%2Fhostname.example.com%2Fredirectionlocation.cgi%3Fstate\
             &provider=cPStore&login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc"
        );
        assert!(api_url("xml-api", "f", &[]).ends_with("/xml-api/f?api.version=1"));
    }

    #[test]
    fn encoding_covers_reserved_and_non_ascii_bytes() {
        assert_eq!(
            percent_encode("a b&c=d/é~_.-"),
            "a%20b%26c%3Dd%2F%C3%A9~_.-"
        );
    }

    #[test]
    fn command_line_quotes_only_what_the_shell_would_change() {
        assert_eq!(
            command_line("validate_login_token", &seed_params()),
            "whmapi1 validate_login_token \
             'url_after_login=http://hostname.example.com/redirectionlocation.cgi?state' \
             provider=cPStore login_token=1a676e6f-99fc-11e6-9ab6-e60a769b73bc"
        );
        assert_eq!(shell_word("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(shell_word(""), "''");
    }
}
