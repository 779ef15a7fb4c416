//! The bridge with cPanel's own API description (OpenAPI): reading it
//! ([`openapi`]), specs from it ([`import`]), drift between it and `spec/`
//! ([`compare`]), new facts merged into existing specs ([`update`]), and one
//! written from `spec/` ([`export`]).

pub mod compare;
pub mod export;
pub mod import;
pub mod openapi;
pub mod update;
