//! TLS: the client checks certificates unless told not to, as WHM's
//! self-signed certificates need. The server here is a real TLS server on a
//! loopback port with a self-signed certificate (tests/fixtures/tls/, made
//! with openssl for `localhost` and 127.0.0.1, valid for a century).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use whm_api::client::{Client, Error, WhmApi};
use whm_api::types;

const ANSWER: &str = r#"{"data":{"hostname":"hostname.example.com"},"metadata":{"command":"gethostname","version":1,"reason":"OK","result":1}}"#;

/// Serves [`ANSWER`] over TLS with the self-signed certificate; returns `https://localhost:PORT`.
async fn tls_server() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.join("self-signed.crt"))
            .expect("the certificate file")
            .collect::<Result<_, _>>()
            .expect("a PEM certificate");
    let key = PrivateKeyDer::from_pem_file(dir.join("self-signed.key")).expect("a PEM key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("a server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let port = listener.local_addr().expect("the bound address").port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake here.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut chunk = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(n) if n > 0 => head.extend_from_slice(&chunk[..n]),
                        _ => return,
                    }
                }
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
                    ANSWER.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused_by_default() {
    let url = tls_server().await;
    let client = Client::builder(&url)
        .api_token("root", "T0KEN")
        .build()
        .expect("a client");
    let err = client
        .gethostname(&types::GethostnameRequest::default())
        .await
        .expect_err("an unknown issuer");
    match &err {
        Error::Transport { .. } => {
            let shown = err.to_string().to_lowercase();
            assert!(shown.contains("certificate"), "the error says why: {shown}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_self_signed_certificate_is_accepted_when_asked() {
    let url = tls_server().await;
    let client = Client::builder(&url)
        .api_token("root", "T0KEN")
        .danger_accept_invalid_certs(true)
        .build()
        .expect("a client");
    let response = client
        .gethostname(&types::GethostnameRequest::default())
        .await
        .expect("the call succeeds over TLS");
    assert_eq!(
        response.data.hostname.as_deref(),
        Some("hostname.example.com")
    );
}
