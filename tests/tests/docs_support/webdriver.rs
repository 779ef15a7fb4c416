//! Debian's headless Chromium, driven through chromedriver with fantoccini.

use std::error::Error;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::ops::Deref;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::Method;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use url::Url;

/// Where Debian's `chromium` and `chromium-driver` packages install the browser and driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// See [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser session, a fantoccini [`Client`] (which it dereferences to).
/// [`Browser::close`] ends the session; dropping it ends chromedriver.
pub struct Browser {
    client: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// The chromedriver process, leading a process group of its own, with the
/// browser it starts.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // A session that was not closed (a test failed) leaves Chromium running
        // after chromedriver ends: end the whole group, while its leader (not
        // yet waited for) keeps the group id from being reused.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile and a
    /// desktop window of `width` × `height`.
    ///
    /// The paths can be overridden with `WHM_CHROMIUM` and `WHM_CHROMEDRIVER`.
    pub async fn start(width: u32, height: u32) -> Result<Browser, String> {
        Browser::start_with(width, height, None).await
    }

    /// Like [`Browser::start`], emulating a phone's `width` × `height` screen
    /// (headless windows cannot be narrower than 500 px).
    pub async fn start_phone(width: u32, height: u32) -> Result<Browser, String> {
        let metrics = json!({ "width": width, "height": height, "pixelRatio": 2, "touch": true });
        Browser::start_with(800, height, Some(json!({ "deviceMetrics": metrics }))).await
    }

    async fn start_with(width: u32, height: u32, mobile: Option<Value>) -> Result<Browser, String> {
        let chromium = std::env::var("WHM_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into());
        let chromedriver =
            std::env::var("WHM_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.into());
        for path in [&chromium, &chromedriver] {
            if !Path::new(path).exists() {
                return Err(format!(
                    "{path} not found: install Debian's `chromium` and `chromium-driver` packages \
                     (apt-get install -y chromium chromium-driver), as .ci/run does"
                ));
            }
        }
        let profile = tempfile::Builder::new()
            .prefix("whm-docs-chromium-profile-")
            .tempdir()
            .map_err(|e| format!("no profile directory: {e}"))?;
        let port = free_port()?;
        let log = std::env::temp_dir().join(format!("whm-chromedriver-{port}.log"));
        let driver = Driver(
            Command::new(&chromedriver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .map_err(|e| format!("cannot start {chromedriver}: {e}"))?,
        );
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not listen within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut chrome_options = json!({ "binary": chromium, "args": args });
        if let Some(mobile) = mobile {
            chrome_options["mobileEmulation"] = mobile;
        }
        let Value::Object(capabilities) = json!({
            "browserName": "chrome",
            "goog:chromeOptions": chrome_options,
            // Keeps the console for `console_errors`.
            "goog:loggingPrefs": { "browser": "ALL" },
            "unhandledPromptBehavior": "ignore"
        }) else {
            unreachable!("an object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities as Capabilities)
            .connect(&format!("http://{addr}"))
            .await
            .map_err(|e| format!("chromedriver starts no session: {e}"))?;
        Ok(Browser {
            client,
            _driver: driver,
            _profile: profile,
        })
    }

    /// Ends the session (and so the browser); chromedriver ends when `self` drops.
    pub async fn close(self) -> Result<(), Box<dyn Error>> {
        self.client.clone().close().await?;
        Ok(())
    }

    /// Polls `script` until it returns something truthy, for up to ten seconds.
    pub async fn wait_for(&self, what: &str, script: &str) -> Result<Value, Box<dyn Error>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.client.execute(script, vec![]).await?;
            let truthy = !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0));
            if truthy {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses a key (a character or a [`fantoccini::key::Key`]) on whatever
    /// element has focus.
    pub async fn press(&self, key: impl Into<char>) -> Result<(), Box<dyn Error>> {
        let value = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// The console entries of level SEVERE (errors) since the last call.
    pub async fn console_errors(&self) -> Result<Vec<String>, Box<dyn Error>> {
        let entries = self.client.issue_cmd(BrowserLog).await?;
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == json!("SEVERE"))
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect())
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// chromedriver's log endpoint (outside W3C WebDriver): the browser
/// console's entries since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// A port that was free a moment ago.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Writes a screenshot that README.md shows (or may show) to the
/// repository's `tests/screenshots/NAME`, so the browser tests regenerate
/// them rather than a person. It is written only when its bytes change:
/// `git diff` then shows whether the page looks different on this machine,
/// and no test compares pixels (fonts and the browser version differ between
/// machines). Fails when the file cannot be written. Returns the path.
pub fn save_screenshot(name: &str, png: &[u8]) -> Result<PathBuf, String> {
    if !png.starts_with(b"\x89PNG") {
        return Err(format!("{name}: the browser's screenshot is not a PNG"));
    }
    let dir = super::site::workspace_root().join("tests/screenshots");
    let path = dir.join(name);
    if std::fs::read(&path).is_ok_and(|old| old == png) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(&path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
