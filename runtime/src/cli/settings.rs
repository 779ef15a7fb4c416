//! Which server to call and as whom: flags, environment variables, config file.
//!
//! Each setting is taken from the first of these that gives it:
//!
//! 1. command-line flags (`--host`, `--user`, `--token`, `--password`, `--session`,
//!    `--insecure`, `--timeout`);
//! 2. environment variables (`WHM_HOST`, `WHM_USER`, `WHM_API_TOKEN`, `WHM_PASSWORD`,
//!    `WHM_SESSION`, `WHM_INSECURE`, `WHM_TIMEOUT`);
//! 3. the config file: `--config PATH`, else `$WHMAPI1_CONFIG`, else
//!    `$XDG_CONFIG_HOME/whmapi1/config.yaml`, else `~/.config/whmapi1/config.yaml`
//!    (a file named by flag or variable must exist; the default one may not);
//! 4. defaults: user `root`, the client's timeout, certificates checked, no session.
//!
//! The user and the credential are the exception: they are taken together,
//! from the first source that gives an API token or a password (a token when
//! it gives both), with that source's user, or `root` when it names none. So
//! `--token` on the command line is sent as `root` (or as `--user`), never as
//! the user of the config file, and `--password` overrides a token from the
//! environment rather than mixing with it. A source before that one that names
//! a user without a credential (`--user` alone, with the token in the
//! environment) is an error rather than a mix, unless it is the credential's
//! own user (`--user root` beside a token that names no user). Without any
//! credential (a dry run), the user is the first one given. There is no
//! default server.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The config file's keys; all optional. See the [module](self) documentation for where it is read from.
///
/// ```yaml
/// host: whm.example.com        # or https://whm.example.com:2087
/// user: root
/// token: 0123456789ABCDEF...   # an API token; or `password:`
/// # session: cpsess0123456789  # a browser session's security token
/// insecure: false              # accept an invalid TLS certificate
/// timeout: 30                  # seconds
/// ```
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// The server: `host`, `host:port` or a URL (`https://host:2087`).
    pub host: Option<String>,
    /// The WHM user to authenticate as.
    pub user: Option<String>,
    /// An API token (sent as `Authorization: whm USER:TOKEN`).
    pub token: Option<String>,
    /// A password (sent with HTTP basic authentication).
    pub password: Option<String>,
    /// A session's security token (`cpsess…`), sent as the URL's first path segment.
    pub session: Option<String>,
    /// Whether to accept an invalid TLS certificate (WHM's self-signed one, say).
    pub insecure: Option<bool>,
    /// The request timeout, in seconds.
    pub timeout: Option<u64>,
}

/// What `Debug` shows of a secret that is set.
const REDACTED: &str = "<redacted>";

/// `Some("<redacted>")` for a secret that is set.
fn redacted(secret: &Option<String>) -> Option<&'static str> {
    secret.as_ref().map(|_| REDACTED)
}

// Never print secrets, even in debug output: the token, the password and the
// session are shown as `<redacted>` when set.
impl fmt::Debug for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Layer")
            .field("host", &self.host)
            .field("user", &self.user)
            .field("token", &redacted(&self.token))
            .field("password", &redacted(&self.password))
            .field("session", &redacted(&self.session))
            .field("insecure", &self.insecure)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// How to authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A WHM API token.
    Token(String),
    /// A password, for HTTP basic authentication.
    Password(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Token(_) => f.debug_tuple("Token").field(&REDACTED).finish(),
            Credential::Password(_) => f.debug_tuple("Password").field(&REDACTED).finish(),
        }
    }
}

/// The settings of one call, resolved.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// The server's base URL, without a trailing slash (`https://whm.example.com:2087`).
    pub base_url: String,
    /// The user to authenticate as.
    pub user: String,
    /// The credential, when one is given (a dry run needs none).
    pub credential: Option<Credential>,
    /// A session's security token.
    pub session: Option<String>,
    /// Whether to accept an invalid TLS certificate.
    pub insecure: bool,
    /// The request timeout.
    pub timeout: Option<Duration>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("user", &self.user)
            .field("credential", &self.credential)
            .field("session", &redacted(&self.session))
            .field("insecure", &self.insecure)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The user when no source names one.
pub const DEFAULT_USER: &str = "root";

/// WHM's port for API calls over HTTPS.
pub const WHM_PORT: u16 = 2087;

/// WHM's port for API calls over plain HTTP.
pub const WHM_HTTP_PORT: u16 = 2086;

impl Settings {
    /// Resolves settings from sources in order of precedence, first wins.
    pub fn resolve(layers: &[Layer]) -> Result<Settings, String> {
        let first =
            |get: fn(&Layer) -> Option<&String>| layers.iter().find_map(|l| get(l).cloned());
        let host = first(|l| l.host.as_ref()).ok_or_else(|| {
            "No WHM server given: use --host, the WHM_HOST environment variable or `host:` in the config file."
                .to_owned()
        })?;
        let (user, credential) = user_and_credential(layers)?;
        Ok(Settings {
            base_url: base_url(&host)?,
            user,
            credential,
            session: first(|l| l.session.as_ref()),
            insecure: layers.iter().find_map(|l| l.insecure).unwrap_or(false),
            timeout: layers
                .iter()
                .find_map(|l| l.timeout)
                .map(Duration::from_secs),
        })
    }
}

/// The user and the credential, together from the first layer that gives a
/// credential (its user, else [`DEFAULT_USER`]); the first user given when no
/// layer gives a credential. A user in an earlier layer than the credential's
/// is refused: it would be sent with a credential that is not its own.
fn user_and_credential(layers: &[Layer]) -> Result<(String, Option<Credential>), String> {
    let credential_of = |l: &Layer| match (&l.token, &l.password) {
        (Some(token), _) => Some(Credential::Token(token.clone())),
        (None, Some(password)) => Some(Credential::Password(password.clone())),
        (None, None) => None,
    };
    let Some(at) = layers.iter().position(|l| credential_of(l).is_some()) else {
        let user = layers.iter().find_map(|l| l.user.clone());
        return Ok((user.unwrap_or_else(|| DEFAULT_USER.to_owned()), None));
    };
    let layer = &layers[at];
    let user = layer
        .user
        .clone()
        .unwrap_or_else(|| DEFAULT_USER.to_owned());
    // `--user root` beside WHM_API_TOKEN names the token's own user: no mix.
    let other = layers[..at]
        .iter()
        .filter_map(|l| l.user.as_ref())
        .find(|earlier| **earlier != user);
    if let Some(earlier) = other {
        return Err(format!(
            "The user “{earlier}” is given without a credential beside it, and the credential comes from \
             a later source, which gives it as “{user}”'s; a credential is only sent as the user given with \
             it. Give --token or --password with --user (WHM_API_TOKEN or WHM_PASSWORD with \
             WHM_USER; token: or password: beside user: in the config file)."
        ));
    }
    Ok((user, credential_of(layer)))
}

/// The settings the environment gives, through `env` (the process's, or a test's).
pub fn from_environment(env: &dyn Fn(&str) -> Option<String>) -> Result<Layer, String> {
    let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
    let insecure = match non_empty("WHM_INSECURE") {
        None => None,
        Some(v) => Some(crate::wire::parse_bool(&v).ok_or_else(|| {
            format!("WHM_INSECURE must be 1 or 0 (or true or false); it is “{v}”.")
        })?),
    };
    let timeout =
        match non_empty("WHM_TIMEOUT") {
            None => None,
            Some(v) => Some(v.parse::<u64>().map_err(|_| {
                format!("WHM_TIMEOUT must be a whole number of seconds; it is “{v}”.")
            })?),
        };
    Ok(Layer {
        host: non_empty("WHM_HOST"),
        user: non_empty("WHM_USER"),
        token: non_empty("WHM_API_TOKEN"),
        password: non_empty("WHM_PASSWORD"),
        session: non_empty("WHM_SESSION"),
        insecure,
        timeout,
    })
}

/// The config file to read: `explicit` (from `--config`), else `$WHMAPI1_CONFIG`,
/// else the default path. The flag says whether the file must exist.
pub fn config_path(
    explicit: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<(PathBuf, bool)> {
    if let Some(path) = explicit {
        return Some((path.to_owned(), true));
    }
    if let Some(path) = env("WHMAPI1_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    let config_home = env("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env("HOME")
                .filter(|p| !p.is_empty())
                .map(|home| Path::new(&home).join(".config"))
        })?;
    Some((config_home.join("whmapi1").join("config.yaml"), false))
}

/// Reads a config file; `Ok(None)` when it is absent and not `required`.
pub fn read_config(path: &Path, required: bool) -> Result<Option<Layer>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(e) => {
            return Err(format!(
                "Cannot read the config file {}: {e}.",
                path.display()
            ));
        }
    };
    if text.trim().is_empty() {
        return Ok(Some(Layer::default()));
    }
    serde_yaml::from_str(&text)
        .map(Some)
        .map_err(|e| format!("The config file {} is not valid: {e}.", path.display()))
}

/// Whether a config file with a secret in it can be read by other users (a warning, not an error).
pub fn readable_by_others(path: &Path, layer: &Layer) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let secret = layer.token.is_some() || layer.password.is_some();
        secret && std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, layer);
        false
    }
}

/// The base URL for a `--host` value: a URL as given, or `https://HOST:2087` for a bare host.
pub fn base_url(host: &str) -> Result<String, String> {
    let host = host.trim().trim_end_matches('/');
    if host.is_empty() {
        return Err("The WHM server's host name is empty.".to_owned());
    }
    if let Some((scheme, rest)) = host.split_once("://") {
        if !matches!(scheme, "http" | "https") || rest.is_empty() {
            return Err(format!(
                "“{host}” is not an http or https URL of a WHM server."
            ));
        }
        return Ok(host.to_owned());
    }
    if host.contains(['/', '?', '#', ' ']) {
        return Err(format!("“{host}” is neither a host name nor a URL."));
    }
    // A port is given after the host, or after the brackets of an IPv6 address.
    let has_port = match host.rsplit_once(']') {
        Some((_, after)) => after.starts_with(':'),
        None => host.matches(':').count() == 1,
    };
    Ok(if has_port {
        format!("https://{host}")
    } else {
        format!("https://{host}:{WHM_PORT}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(host: Option<&str>, token: Option<&str>, password: Option<&str>) -> Layer {
        Layer {
            host: host.map(Into::into),
            token: token.map(Into::into),
            password: password.map(Into::into),
            ..Layer::default()
        }
    }

    #[test]
    fn bare_hosts_get_https_and_whm_port() {
        assert_eq!(
            base_url("whm.example.com").unwrap(),
            "https://whm.example.com:2087"
        );
        assert_eq!(
            base_url("whm.example.com:443").unwrap(),
            "https://whm.example.com:443"
        );
        assert_eq!(
            base_url("[2001:db8::1]").unwrap(),
            "https://[2001:db8::1]:2087"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(base_url("ftp://x").is_err());
        assert!(base_url("host/path").is_err());
    }

    #[test]
    fn flags_win_over_environment_over_file() {
        let flags = Layer {
            session: Some("cpsess1".into()),
            ..layer(None, None, None)
        };
        let env = Layer {
            user: Some("envuser".into()),
            ..layer(Some("env.example.com"), Some("ENVTOKEN"), None)
        };
        let file = Layer {
            timeout: Some(9),
            insecure: Some(true),
            ..layer(Some("file.example.com"), None, Some("pw"))
        };
        let s = Settings::resolve(&[flags, env, file]).unwrap();
        assert_eq!(s.base_url, "https://env.example.com:2087");
        assert_eq!(s.user, "envuser");
        assert_eq!(s.credential, Some(Credential::Token("ENVTOKEN".into())));
        assert_eq!(s.session.as_deref(), Some("cpsess1"));
        assert_eq!(s.timeout, Some(Duration::from_secs(9)));
        assert!(s.insecure);
    }

    #[test]
    fn the_credential_comes_whole_from_one_source() {
        let s = Settings::resolve(&[
            layer(Some("h"), None, Some("secret")),
            layer(None, Some("TOKEN"), None),
        ])
        .unwrap();
        assert_eq!(s.credential, Some(Credential::Password("secret".into())));
        assert_eq!(s.user, "root");
    }

    #[test]
    fn the_user_comes_with_the_credential_from_the_same_source() {
        let file = Layer {
            user: Some("reseller".into()),
            ..layer(Some("h"), None, None)
        };
        // `--token SECRET` with a config file's `user: reseller`: root's token, sent as root.
        let s = Settings::resolve(&[
            layer(None, Some("SECRET"), None),
            Layer::default(),
            file.clone(),
        ])
        .unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("root", Some(Credential::Token("SECRET".into())))
        );
        // WHM_API_TOKEN over a config file that has a user and a token of its own.
        let file_with_token = Layer {
            token: Some("FILETOKEN".into()),
            ..file.clone()
        };
        let s = Settings::resolve(&[
            Layer::default(),
            layer(None, Some("ENVTOKEN"), None),
            file_with_token.clone(),
        ])
        .unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("root", Some(Credential::Token("ENVTOKEN".into())))
        );
        // The file's user goes with the file's token.
        let s = Settings::resolve(&[Layer::default(), Layer::default(), file_with_token]).unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("reseller", Some(Credential::Token("FILETOKEN".into())))
        );
        // `--user` with `--token`: both from the flags.
        let flags = Layer {
            user: Some("bob".into()),
            ..layer(None, Some("BOBTOKEN"), None)
        };
        let s =
            Settings::resolve(&[flags, layer(None, Some("ENVTOKEN"), None), file.clone()]).unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("bob", Some(Credential::Token("BOBTOKEN".into())))
        );
        // `--user` alone, the token from the environment: refused, not mixed.
        let flags = Layer {
            user: Some("bob".into()),
            ..Layer::default()
        };
        let err = Settings::resolve(&[flags.clone(), layer(None, Some("ENVTOKEN"), None), file])
            .unwrap_err();
        assert!(err.contains("“bob”") && err.contains("--token"), "{err}");
        assert!(!err.contains("ENVTOKEN"), "{err}");
        // `--user root` beside a token that names no user: root's own token.
        let root = Layer {
            user: Some("root".into()),
            ..Layer::default()
        };
        let s = Settings::resolve(&[root, layer(Some("h"), Some("ENVTOKEN"), None)]).unwrap();
        assert_eq!(
            (s.user.as_str(), s.credential),
            ("root", Some(Credential::Token("ENVTOKEN".into())))
        );
        // No credential at all (a dry run): the first user given.
        let s = Settings::resolve(&[flags, layer(Some("h"), None, None)]).unwrap();
        assert_eq!((s.user.as_str(), s.credential), ("bob", None));
    }

    #[test]
    fn debug_shows_no_secret() {
        let layer = Layer {
            user: Some("reseller".into()),
            session: Some("cpsess0123456789".into()),
            ..layer(Some("h"), Some("SECRETTOKEN"), Some("hunter2"))
        };
        let settings = Settings {
            base_url: "https://h:2087".into(),
            user: "reseller".into(),
            credential: Some(Credential::Token("SECRETTOKEN".into())),
            session: Some("cpsess0123456789".into()),
            insecure: false,
            timeout: None,
        };
        let password = Credential::Password("hunter2".into());
        for shown in [
            format!("{layer:?}"),
            format!("{layer:#?}"),
            format!("{settings:?}"),
            format!("{password:?}"),
        ] {
            for secret in ["SECRETTOKEN", "hunter2", "0123456789"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        assert!(format!("{layer:?}").contains("reseller"));
        assert!(format!("{settings:?}").contains("reseller"));
    }

    #[test]
    fn a_server_is_required() {
        let err = Settings::resolve(&[Layer::default()]).unwrap_err();
        assert!(err.contains("--host"), "{err}");
    }

    #[test]
    fn environment_values_are_checked() {
        let env = |k: &str| match k {
            "WHM_HOST" => Some("h".to_owned()),
            "WHM_TIMEOUT" => Some("soon".to_owned()),
            _ => None,
        };
        assert!(from_environment(&env).unwrap_err().contains("WHM_TIMEOUT"));
        let env = |k: &str| (k == "WHM_INSECURE").then(|| "1".to_owned());
        assert_eq!(from_environment(&env).unwrap().insecure, Some(true));
    }

    #[test]
    fn config_file_is_found_and_read() {
        let none = |_: &str| None;
        assert_eq!(config_path(None, &none), None);
        let home = |k: &str| (k == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(
            config_path(None, &home),
            Some((PathBuf::from("/home/u/.config/whmapi1/config.yaml"), false))
        );
        let named = |k: &str| (k == "WHMAPI1_CONFIG").then(|| "/etc/w.yaml".to_owned());
        assert_eq!(
            config_path(None, &named),
            Some((PathBuf::from("/etc/w.yaml"), true))
        );

        let dir = std::env::temp_dir().join(format!("whmapi1-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.yaml");
        assert_eq!(read_config(&path, false).unwrap(), None);
        assert!(read_config(&path, true).is_err());
        std::fs::write(&path, "host: whm.example.com\ntoken: T\ntimeout: 5\n").unwrap();
        let read = read_config(&path, true).unwrap().unwrap();
        assert_eq!(
            read,
            Layer {
                timeout: Some(5),
                ..layer(Some("whm.example.com"), Some("T"), None)
            }
        );
        std::fs::write(&path, "hots: typo\n").unwrap();
        assert!(read_config(&path, true).unwrap_err().contains("hots"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
