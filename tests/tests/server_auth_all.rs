//! Every generated function's routes refuse callers without valid credentials,
//! over a real loopback socket, in both formats, with and without a cpsess segment.

mod server_support;

use server_support::*;

#[tokio::test]
async fn every_route_refuses_missing_and_wrong_credentials() {
    let mock = start_mock().await;
    let http = http();
    let api = spec_api();
    let names: Vec<String> = api.functions().map(|f| f.name.clone()).collect();
    assert!(
        names.len() >= 13,
        "the specs hold {} functions",
        names.len()
    );

    let mut checked = 0;
    for name in &names {
        for api_kind in ["json-api", "xml-api"] {
            for prefix in [String::new(), format!("/{}", mock.session)] {
                let url = format!("{}{prefix}/{api_kind}/{name}?api.version=1", mock.base_url);
                for post in [false, true] {
                    let request = || {
                        if post {
                            http.post(&url)
                        } else {
                            http.get(&url)
                        }
                    };

                    let none = request().send().await.unwrap();
                    assert_eq!(
                        none.status(),
                        401,
                        "{url} without credentials (post: {post})"
                    );
                    let body = none.text().await.unwrap();
                    assert!(body.contains("Access denied"), "{url}: {body}");

                    let wrong = request()
                        .header("Authorization", whm_auth(USER, "NOT-THE-TOKEN"))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(
                        wrong.status(),
                        403,
                        "{url} with a wrong token (post: {post})"
                    );
                    let wrong_user = request()
                        .header("Authorization", whm_auth("intruder", TOKEN))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(wrong_user.status(), 403, "{url} with another user's name");
                    let wrong_basic = request()
                        .basic_auth(USER, Some(TOKEN))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(
                        wrong_basic.status(),
                        403,
                        "{url} with the token as a password"
                    );

                    // The same route with the right token reaches the function.
                    let right = request()
                        .header("Authorization", whm_auth(USER, TOKEN))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(right.status(), 200, "{url} with the right token");
                    let body = right.text().await.unwrap();
                    if api_kind == "json-api" {
                        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                        // Documented bodies are served verbatim, and some pages nest metadata in data.
                        let metadata = value
                            .get("metadata")
                            .or_else(|| value["data"].get("metadata"));
                        assert_eq!(
                            metadata.map(|m| &m["command"]),
                            Some(&serde_json::json!(name)),
                            "{url}: {body}"
                        );
                    } else {
                        assert!(
                            body.contains(&format!("<command>{name}</command>")),
                            "{url}: {body}"
                        );
                    }
                    assert!(!body.contains("Unknown app"), "{url} is not served: {body}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, names.len() * 8);
}
