//! `Debug` prints of generated types leave out the values the specs mark
//! `sensitive: true`, and print every other field as `#[derive(Debug)]` would.

use whm_api::types;

const LOGIN_TOKEN: &str = "1a676e6f-99fc-11e6-9ab6-e60a769b73bc";

#[test]
fn request_debug_redacts_the_login_token() {
    let request = types::ValidateLoginTokenRequest::new(
        "http://hostname.example.com/redirectionlocation.cgi?state",
        "cPStore",
        LOGIN_TOKEN,
    );
    let debug = format!("{request:?}");
    assert!(!debug.contains(LOGIN_TOKEN), "{debug}");
    assert_eq!(
        debug,
        "ValidateLoginTokenRequest { url_after_login: \"http://hostname.example.com/redirectionlocation.cgi?state\", \
         provider: \"cPStore\", login_token: <redacted> }"
    );
    // The pretty form too.
    let pretty = format!("{request:#?}");
    assert!(!pretty.contains(LOGIN_TOKEN), "{pretty}");
    assert!(pretty.contains("login_token: <redacted>,"), "{pretty}");
}

#[test]
fn response_debug_redacts_tokens_and_shows_unset_ones_as_none() {
    let payload = types::authentication::validate_login_token::Payload {
        access_token: Some("ACCESS-SECRET".to_owned()),
        refresh_token: None,
    };
    let debug = format!("{payload:?}");
    assert_eq!(
        debug,
        "Payload { access_token: <redacted>, refresh_token: None }"
    );

    let created = types::ApiTokenCreateData {
        name: Some("mytoken".to_owned()),
        token: Some("U7HMR63FHY282DQZ4H5BIH16JLYSO01M".to_owned()),
        ..Default::default()
    };
    let debug = format!("{created:?}");
    assert!(
        !debug.contains("U7HMR63FHY282DQZ4H5BIH16JLYSO01M"),
        "{debug}"
    );
    assert!(debug.contains("token: <redacted>"), "{debug}");
    assert!(debug.contains("name: Some(\"mytoken\")"), "{debug}");
}

#[test]
fn createacct_debug_redacts_both_passwords() {
    let request = types::CreateacctRequest {
        pass: Some("hunter2".to_owned()),
        password: Some("hunter3".to_owned()),
        ..types::CreateacctRequest::new("username")
    };
    let debug = format!("{request:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("hunter3"),
        "{debug}"
    );
    assert!(debug.contains("username: \"username\""), "{debug}");
}

#[test]
fn types_without_secrets_keep_the_derived_debug() {
    let request = types::SuspendacctRequest::new("bob");
    assert!(format!("{request:?}").contains("user: \"bob\""));
}
