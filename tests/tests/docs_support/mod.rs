//! Support for the documentation site's browser tests: building the site into
//! a temporary directory, a static file server on loopback and a small
//! WebDriver client that drives Debian's headless Chromium through
//! chromedriver.
//!
//! Both the server and the client speak plain HTTP/1.1 over loopback with the
//! standard library only: the W3C WebDriver protocol is JSON over HTTP, and a
//! few dozen lines keep these tests free of an async HTTP stack.

#![allow(dead_code)] // each test file uses a different part of this module

pub mod http;
pub mod site;
pub mod static_server;
pub mod webdriver;

/// A directory under the system's temporary directory, removed when dropped.
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    /// Creates `whm-docs-<what>-<pid>-<n>`.
    pub fn new(what: &str) -> std::io::Result<TempDir> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("whm-docs-{what}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }

    /// The directory.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
