//! Support for the documentation site's browser tests: building the site into
//! a temporary directory, serving it on loopback (axum with tower-http's
//! `ServeDir`) and driving Debian's headless Chromium through chromedriver
//! (fantoccini).

pub mod site;
pub mod static_server;
pub mod webdriver;
