//! The bridge with cPanel's own API description (OpenAPI): reading it
//! ([`openapi`]) and reporting drift between it and `spec/` ([`compare`]).

pub mod compare;
pub mod openapi;
