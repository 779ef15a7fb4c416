//! The two formats WHM API 1 answers in, chosen by the path: `/json-api/`
//! or `/xml-api/`. One type for the server (as `server::OutputFormat`), the
//! client (as `client::Format`) and the command line.
//!
//! Not to be confused with [`crate::Format`], the formats of string parameters.

/// The format of a call's answer: WHM's `/json-api/` or `/xml-api/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiFormat {
    /// `/json-api/FUNCTION`: the JSON envelope.
    #[default]
    Json,
    /// `/xml-api/FUNCTION`: the same tree under a `<result>` element.
    Xml,
}

impl ApiFormat {
    /// The path segment that selects the format (`json-api`).
    pub fn path_segment(self) -> &'static str {
        match self {
            ApiFormat::Json => "json-api",
            ApiFormat::Xml => "xml-api",
        }
    }

    /// The format a path segment selects.
    pub fn from_segment(segment: &str) -> Option<Self> {
        match segment {
            "json-api" => Some(ApiFormat::Json),
            "xml-api" => Some(ApiFormat::Xml),
            _ => None,
        }
    }

    /// The `Content-Type` of an answer in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ApiFormat::Json => "application/json; charset=utf-8",
            ApiFormat::Xml => "text/xml; charset=utf-8",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_read_back() {
        for format in [ApiFormat::Json, ApiFormat::Xml] {
            assert_eq!(ApiFormat::from_segment(format.path_segment()), Some(format));
        }
        assert_eq!(ApiFormat::from_segment("api"), None);
        assert_eq!(ApiFormat::default(), ApiFormat::Json);
    }
}
