//! How a response is printed: `--output=json|jsonpretty|yaml|xml`.
//!
//! Like cPanel's `whmapi1`, the command line prints what the server answered,
//! in the chosen notation: the JSON API's tree for JSON, pretty JSON and YAML
//! (keys in the order the server sent them; YAML starts with `---`, as
//! `whmapi1` prints it), and the XML API's own answer for XML. Only a failed
//! call, whose body the client keeps to itself, is printed from its
//! `metadata` alone, here, with [`crate::xml`] for XML.

use std::fmt;
use std::str::FromStr;

/// An output format of `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One line of JSON.
    Json,
    /// JSON indented by two spaces.
    JsonPretty,
    /// YAML, the default of cPanel's `whmapi1`.
    #[default]
    Yaml,
    /// The server's XML API response.
    Xml,
}

impl OutputFormat {
    /// Every format's name, as `--output` takes it.
    pub const NAMES: [&'static str; 4] = ["json", "jsonpretty", "yaml", "xml"];

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::JsonPretty => "jsonpretty",
            OutputFormat::Yaml => "yaml",
            OutputFormat::Xml => "xml",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(OutputFormat::Json),
            "jsonpretty" => Ok(OutputFormat::JsonPretty),
            "yaml" => Ok(OutputFormat::Yaml),
            "xml" => Ok(OutputFormat::Xml),
            other => Err(format!("unknown output format “{other}”")),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Writes a response's tree in `format`, ending with a newline.
pub fn render(tree: &serde_json::Value, format: OutputFormat) -> String {
    let mut text = match format {
        // Writing a `Value` as JSON cannot fail: its keys are strings.
        OutputFormat::Json => serde_json::to_string(tree).unwrap_or_default(),
        OutputFormat::JsonPretty => serde_json::to_string_pretty(tree).unwrap_or_default(),
        // Nor as YAML, which takes every JSON value.
        OutputFormat::Yaml => format!("---\n{}", serde_yaml::to_string(tree).unwrap_or_default()),
        OutputFormat::Xml => crate::xml::to_xml_pretty(tree, 2),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The tree of a failed call, from its metadata: `{"metadata": {...}}`.
pub fn failure_tree(metadata: &crate::Metadata) -> serde_json::Value {
    let envelope: crate::Envelope<serde_json::Value> = crate::Envelope {
        data: None,
        metadata: metadata.clone(),
    };
    serde_json::to_value(envelope).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Metadata;

    /// The seed page's JSON output, metadata nested in data as the page prints it.
    fn seed_tree() -> serde_json::Value {
        serde_json::from_str(
            r#"{"data": {"payload": [{"access_token": "b7a6f029-99fc-11e6-a0bd-87581cb027ac",
                "refresh_token": "b7a7107f-99fc-11e6-a0bd-b46329164206"}],
                "metadata": {"command": "validate_login_token", "version": 1, "reason": "OK", "result": 1}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn yaml_is_whmapi1s_default_and_starts_a_document() {
        let yaml = render(&seed_tree(), OutputFormat::default());
        assert!(yaml.starts_with("---\ndata:\n  payload:\n"), "{yaml}");
        let metadata = "  metadata:\n    command: validate_login_token\n    version: 1\n    reason: OK\n    result: 1\n";
        assert!(yaml.ends_with(metadata), "{yaml}");
    }

    #[test]
    fn json_keeps_the_servers_key_order() {
        let json = render(&seed_tree(), OutputFormat::Json);
        let metadata = r#""metadata":{"command":"validate_login_token","version":1,"reason":"OK","result":1}}}"#;
        assert!(
            json.ends_with(&format!("{metadata}\n")) && json.lines().count() == 1,
            "{json}"
        );
        let pretty = render(&seed_tree(), OutputFormat::JsonPretty);
        assert!(
            pretty.starts_with("{\n  \"data\": {\n    \"payload\": [\n"),
            "{pretty}"
        );
    }

    #[test]
    fn xml_of_a_failure_is_whms_tree() {
        let tree = failure_tree(&Metadata::failure("sample", "No & no."));
        let xml = render(&tree, OutputFormat::Xml);
        assert!(
            xml.starts_with("<result>\n  <metadata>\n    <command>sample</command>"),
            "{xml}"
        );
        assert!(
            xml.contains("<reason>No &amp; no.</reason>") && xml.contains("<result>0</result>"),
            "{xml}"
        );
    }
}
