//! The bridge with cPanel's own API description (OpenAPI): reading it
//! ([`openapi`]), reporting drift between it and `spec/` ([`compare`]), and
//! writing one from `spec/` ([`export`]).

pub mod compare;
pub mod export;
pub mod openapi;
