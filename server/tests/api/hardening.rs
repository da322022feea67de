//! Regression tests for the holes a security review found: each one failed
//! on the code before its fix.

use reqwest::header::{ACCEPT, LOCATION};

use crate::helpers::{PASSWORD, Server};

/// Signs in as olivia with `next`, as the sign-in form posts it (`accept`
/// says whether JavaScript made the call), and returns where the server
/// sends the browser.
async fn sign_in_with_next(server: &Server, next: &str, accept: &str) -> (u16, Option<String>) {
    let client = server.client();
    let res = client
        .http
        .post(format!("{}/api/login", server.base))
        .header(ACCEPT, accept)
        .form(&[
            ("username", "olivia"),
            ("password", PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .expect("the server answers");
    let location = res
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (res.status().as_u16(), location)
}

#[tokio::test]
async fn sign_in_sends_the_browser_only_to_a_path_of_this_site() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;

    for accept in ["text/html", "application/json"] {
        for next in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: a=b",
            "/\\evil.example",
            "//evil.example",
            "https://evil.example/",
        ] {
            // Act
            let (status, location) = sign_in_with_next(&server, next, accept).await;

            // Assert
            assert!(
                status < 500,
                "{next:?} ({accept}) answers, not fails: {status}"
            );
            assert_eq!(location.as_deref(), Some("/"), "{next:?} ({accept})");
        }
        let (_, location) = sign_in_with_next(&server, "/cases?status=open", accept).await;
        assert_eq!(location.as_deref(), Some("/cases?status=open"));
    }
}

#[tokio::test]
async fn server_function_errors_answer_with_their_own_status() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let anonymous = server.client();
    let olivia = server.signed_in("olivia").await;

    // Act
    let signed_out = anonymous.call("get_case", &[("id", "C-1")]).await;
    let wrong_password = server
        .client()
        .call("login", &[("username", "olivia"), ("password", "wrong")])
        .await;
    let unknown_case = olivia.call("get_case", &[("id", "C-NOPE")]).await;
    let admin_only = olivia.call("list_workflows", &[]).await;
    let missing_argument = olivia.call("get_case", &[]).await;
    let bad_fields = olivia
        .call(
            "open_case",
            &[
                ("case_type", "support"),
                ("title", ""),
                ("priority", "high"),
            ],
        )
        .await;

    // Assert
    assert_eq!(signed_out.status, 401, "{signed_out:?}");
    assert!(signed_out.body.contains("Unauthorized"), "{signed_out:?}");
    assert_eq!(wrong_password.status, 401, "{wrong_password:?}");
    assert!(wrong_password.body.contains("BadCredentials"));
    assert_eq!(unknown_case.status, 404, "{unknown_case:?}");
    assert_eq!(admin_only.status, 403, "{admin_only:?}");
    assert_eq!(missing_argument.status, 400, "{missing_argument:?}");
    assert!(matches!(bad_fields.status, 400 | 422), "{bad_fields:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn the_databases_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;

    // Arrange: a server that has written to both databases.
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    olivia.open_case("Secrets at rest").await;

    // Act
    let modes: Vec<(String, u32)> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".db"))
        .map(|e| {
            let mode = e.metadata().expect("metadata").permissions().mode() & 0o777;
            (e.file_name().to_string_lossy().into_owned(), mode)
        })
        .collect();

    // Assert
    let names: Vec<&str> = modes.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"mirror.db") && names.contains(&"engine.db"),
        "{names:?}"
    );
    for (name, mode) in &modes {
        assert_eq!(*mode, 0o600, "{name} is {mode:o}");
    }
}

#[tokio::test]
async fn an_operator_is_not_sent_the_list_of_users() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let maria = server.signed_in("maria").await;

    // Act
    let all = || serde_json::json!({ "query": {} });
    let by_operator = olivia.call_json("list_cases", all()).await.json();
    let by_manager = maria.call_json("list_cases", all()).await.json();

    // Assert
    assert_eq!(by_operator["assignees"], serde_json::json!(["olivia"]));
    let everyone = by_manager["assignees"].as_array().expect("names");
    assert!(everyone.len() > 1, "{everyone:?}");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_user() {
    // Arrange: olivia on two devices, maria on one.
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let laptop = server.signed_in("olivia").await;
    let phone = server.signed_in("olivia").await;
    let maria = server.signed_in("maria").await;

    // Act
    let out = laptop.call("logout_everywhere", &[]).await;

    // Assert
    assert!(out.ok, "{out:?}");
    for (who, client) in [("laptop", &laptop), ("phone", &phone)] {
        let reply = client.call("get_case", &[("id", "C-1")]).await;
        assert_eq!(reply.status, 401, "{who}: {reply:?}");
    }
    let still = maria.call("current_user", &[]).await;
    assert!(still.body.contains("maria"), "{still:?}");
    let again = server.signed_in("olivia").await;
    assert!(
        again
            .call("current_user", &[])
            .await
            .body
            .contains("olivia")
    );
}

#[tokio::test]
async fn a_disabled_user_loses_their_sessions_and_cannot_sign_in() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let ada = server.signed_in("ada").await;
    let oscar = server.signed_in("oscar").await;
    let maria = server.signed_in("maria").await;

    // Act
    let by_manager = maria
        .call(
            "set_user_disabled",
            &[("name", "oscar"), ("disabled", "true")],
        )
        .await;
    let disabled = ada
        .call(
            "set_user_disabled",
            &[("name", "oscar"), ("disabled", "true")],
        )
        .await;
    let oscar_after = oscar.call("current_user", &[]).await;
    let oscar_again = server
        .client()
        .call("login", &[("username", "oscar"), ("password", PASSWORD)])
        .await;
    let herself = ada
        .call(
            "set_user_disabled",
            &[("name", "ada"), ("disabled", "true")],
        )
        .await;
    let listed = ada.call("list_users", &[]).await.json();
    let enabled = ada
        .call(
            "set_user_disabled",
            &[("name", "oscar"), ("disabled", "false")],
        )
        .await;

    // Assert
    assert_eq!(by_manager.status, 403, "{by_manager:?}");
    assert!(disabled.ok, "{disabled:?}");
    assert_eq!(oscar_after.body, "null", "{oscar_after:?}");
    assert_eq!(oscar_again.status, 401, "{oscar_again:?}");
    assert_eq!(herself.status, 403, "{herself:?}");
    let row = listed
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["name"] == "oscar"))
        .cloned()
        .expect("oscar listed");
    assert_eq!(row["disabled"], true);
    assert!(enabled.ok, "{enabled:?}");
    server.signed_in("oscar").await;
}

#[tokio::test]
async fn a_password_reset_by_an_admin_ends_the_users_sessions() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let ada = server.signed_in("ada").await;
    let olivia = server.signed_in("olivia").await;

    // Act
    let reset = ada
        .call(
            "reset_password",
            &[("name", "olivia"), ("password", "a-new-long-password")],
        )
        .await;
    let session = olivia.call("current_user", &[]).await;
    let old = server
        .client()
        .call("login", &[("username", "olivia"), ("password", PASSWORD)])
        .await;
    let new = server
        .client()
        .call(
            "login",
            &[("username", "olivia"), ("password", "a-new-long-password")],
        )
        .await;

    // Assert
    assert!(reset.ok, "{reset:?}");
    assert_eq!(session.body, "null", "{session:?}");
    assert_eq!(old.status, 401, "{old:?}");
    assert!(new.ok, "{new:?}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_address_is_https() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let env = [("STEPDESK_PUBLIC_ORIGINS", "https://desk.example.com")];
    let server = Server::start_with(dir.path(), &env).await;

    // Act
    let res = server
        .client()
        .http
        .post(format!("{}/api/login", server.base))
        .header(ACCEPT, "application/json")
        .form(&[("username", "olivia"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");

    // Assert
    let cookie = res
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_passwords_raced_in_parallel_are_checked_only_up_to_the_limit() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;

    // Act: 40 wrong passwords for olivia at once from one address.
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..40 {
        let client = server.client();
        tries.spawn(async move {
            let password = format!("wrong-{i}");
            client
                .call("login", &[("username", "olivia"), ("password", &password)])
                .await
        });
    }
    let replies = tries.join_all().await;
    // olivia herself, from another address.
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client");
    let her = elsewhere
        .post(format!("{}/api/login", server.base))
        .header(reqwest::header::ORIGIN, &server.base)
        .header(ACCEPT, "application/json")
        .form(&[("username", "olivia"), ("password", PASSWORD)])
        .send()
        .await
        .expect("an answer");

    // Assert
    let checked = replies
        .iter()
        .filter(|r| r.body.contains("BadCredentials"))
        .count();
    let refused = replies.iter().filter(|r| r.status == 429).count();
    assert!(checked <= 5, "{checked} wrong passwords were checked");
    assert_eq!(checked + refused, 40, "{replies:?}");
    assert!(
        her.status().is_success() || her.status().is_redirection(),
        "olivia is not locked out from her own address: {}",
        her.status()
    );
}

#[tokio::test]
async fn a_plain_serve_refuses_to_start_while_a_demo_password_is_left() {
    // Arrange: a mirror once started with --demo.
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let dir_path = server.kill();
    let serve = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_stepdesk"));
        command
            .env_remove("AWS_REGION")
            .env_remove("AWS_ENDPOINT_URL_SFN")
            .env("RUST_LOG", "warn")
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(dir_path.join("mirror.db"))
            .arg("--engine-db")
            .arg(dir_path.join("engine.db"));
        command
    };

    // Act: it must exit by itself; still serving after a minute, it started.
    let mut child = serve()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().expect("waiting").is_none() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("its output");

    // Assert
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it started: {said}");
    for name in ["ada", "maria", "olivia", "oscar"] {
        assert!(
            said.contains(&format!("stepdesk user passwd {name}")),
            "{said}"
        );
    }
}

#[tokio::test]
async fn pages_carry_a_nonce_content_security_policy_and_the_security_headers() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;

    // Act
    let page = olivia
        .http
        .get(format!("{}/cases", server.base))
        .send()
        .await
        .expect("a page");
    let headers = page.headers().clone();
    let body = page.text().await.expect("html");
    let api = olivia
        .http
        .post(format!("{}/api/current_user", server.base));
    let api = api.send().await.expect("a server function");

    // Assert
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("referrer-policy"), "same-origin");
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(
        api.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
}
