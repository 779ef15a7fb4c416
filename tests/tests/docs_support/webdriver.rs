//! A small W3C WebDriver client for chromedriver and Debian's Chromium.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http;

/// Where Debian's `chromium` and `chromium-driver` packages install the browser and driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// See [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// WebDriver's key codes for the keys the tests press.
pub mod keys {
    /// Arrow down.
    pub const ARROW_DOWN: &str = "\u{E015}";
    /// Enter.
    pub const ENTER: &str = "\u{E007}";
    /// Tab.
    pub const TAB: &str = "\u{E004}";
}

/// One browser session; the browser and driver end when it is dropped.
pub struct Browser {
    addr: SocketAddr,
    session: String,
    driver: Child,
    _profile: super::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile and a
    /// desktop window of `width` × `height`.
    ///
    /// The paths can be overridden with `WHM_CHROMIUM` and `WHM_CHROMEDRIVER`.
    pub fn start(width: u32, height: u32) -> Result<Browser, String> {
        Browser::start_with(width, height, None)
    }

    /// Like [`Browser::start`], emulating a phone's `width` × `height` screen
    /// (headless windows cannot be narrower than 500 px).
    pub fn start_phone(width: u32, height: u32) -> Result<Browser, String> {
        Browser::start_with(
            800,
            height,
            Some(
                json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2, "touch": true } }),
            ),
        )
    }

    fn start_with(width: u32, height: u32, mobile: Option<Value>) -> Result<Browser, String> {
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
        let profile = super::TempDir::new("chromium-profile").map_err(|e| e.to_string())?;
        let port = free_port()?;
        let log = std::env::temp_dir().join(format!("whm-chromedriver-{port}.log"));
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {chromedriver}: {e}"))?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut browser = Browser {
            addr,
            session: String::new(),
            driver,
            _profile: profile,
        };
        browser.wait_until_ready()?;
        let args = vec![
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
            format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let mut chrome_options = json!({ "binary": chromium, "args": args });
        if let Some(mobile) = mobile {
            chrome_options["mobileEmulation"] = mobile;
        }
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": chrome_options,
                    "goog:loggingPrefs": { "browser": "ALL" },
                    "unhandledPromptBehavior": "ignore"
                }
            }
        });
        let value = browser.command("POST", "/session", caps)?;
        browser.session = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {value}"))?
            .to_string();
        Ok(browser)
    }

    fn wait_until_ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(resp) = http::request(self.addr, "GET", "/status", None) {
                let value: Value = serde_json::from_slice(&resp.body).unwrap_or_default();
                if value["value"]["ready"] == json!(true) {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready in 30 s".into());
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends a WebDriver command and returns its `value`, or the driver's error.
    pub fn command(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let body = if method == "GET" || method == "DELETE" {
            None
        } else {
            Some(body.to_string())
        };
        let resp = http::request(self.addr, method, path, body.as_deref())
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let value: Value = serde_json::from_slice(&resp.body).map_err(|e| {
            format!(
                "{method} {path}: not JSON ({e}): {}",
                String::from_utf8_lossy(&resp.body)
            )
        })?;
        if resp.status != 200 {
            return Err(format!(
                "{method} {path}: HTTP {}: {}",
                resp.status, value["value"]
            ));
        }
        Ok(value["value"].clone())
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{}", self.session, rest)
    }

    /// Navigates and waits for the page to load.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.command("POST", &self.session_path("/url"), json!({ "url": url }))
            .map(|_| ())
    }

    /// The current URL.
    pub fn current_url(&self) -> Result<String, String> {
        let v = self.command("GET", &self.session_path("/url"), Value::Null)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Runs a script (a function body; `arguments` holds `args`) and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.command(
            "POST",
            &self.session_path("/execute/sync"),
            json!({ "script": script, "args": args }),
        )
    }

    /// Polls `script` until it returns something truthy, for up to ten seconds.
    pub fn wait_for(&self, what: &str, script: &str) -> Result<Value, String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.execute(script, vec![])?;
            let truthy = !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0));
            if truthy {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}"));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// The WebDriver id of the first element matching a CSS selector.
    pub fn find(&self, css: &str) -> Result<String, String> {
        let v = self.command(
            "POST",
            &self.session_path("/element"),
            json!({ "using": "css selector", "value": css }),
        )?;
        // The element reference is an object with one (well-known) key.
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("no element id for {css}: {v}"))
    }

    /// Clicks an element.
    pub fn click(&self, element: &str) -> Result<(), String> {
        self.command(
            "POST",
            &self.session_path(&format!("/element/{element}/click")),
            json!({}),
        )
        .map(|_| ())
    }

    /// Types into an element, as key presses.
    pub fn send_keys(&self, element: &str, text: &str) -> Result<(), String> {
        self.command(
            "POST",
            &self.session_path(&format!("/element/{element}/value")),
            json!({ "text": text }),
        )
        .map(|_| ())
    }

    /// Presses keys on whatever element has focus.
    pub fn press(&self, keys: &str) -> Result<(), String> {
        let mut actions = Vec::new();
        for c in keys.chars() {
            actions.push(json!({ "type": "keyDown", "value": c.to_string() }));
            actions.push(json!({ "type": "keyUp", "value": c.to_string() }));
        }
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.command("POST", &self.session_path("/actions"), body)
            .map(|_| ())
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let v = self.command("GET", &self.session_path("/screenshot"), Value::Null)?;
        base64_decode(v.as_str().unwrap_or_default())
            .ok_or_else(|| "screenshot is not base64".to_string())
    }

    /// The browser console's entries since the last call (chromedriver's log endpoint).
    pub fn console(&self) -> Result<Vec<Value>, String> {
        let v = self.command(
            "POST",
            &self.session_path("/se/log"),
            json!({ "type": "browser" }),
        )?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// The console entries of level SEVERE (errors) since the last call.
    pub fn console_errors(&self) -> Result<Vec<String>, String> {
        Ok(self
            .console()?
            .into_iter()
            .filter(|e| e["level"] == json!("SEVERE"))
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.command("DELETE", &self.session_path(""), Value::Null);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
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

/// Standard base64 (WebDriver screenshots).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let clean: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= value(c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Where a screenshot goes: the repository's `tests/screenshots/` when
/// `WHM_UPDATE_SCREENSHOTS=1`, else the system's temporary directory.
pub fn screenshot_path(name: &str) -> PathBuf {
    if std::env::var("WHM_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        super::site::workspace_root()
            .join("tests/screenshots")
            .join(name)
    } else {
        std::env::temp_dir().join(name)
    }
}
