//! Who may do what, enforced on the server.

use crate::helpers::Server;

#[tokio::test]
async fn roles_and_assignments_are_enforced_by_every_server_function() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let anonymous = server.client();
    let olivia = server.signed_in("olivia").await;
    let oscar = server.signed_in("oscar").await;
    let id = olivia.open_case("Whose is it").await;
    let assign = olivia.task_of(&id, "AssignCase").await;

    // Act
    let anon_list = anonymous
        .call_json("list_cases", serde_json::json!({ "query": {} }))
        .await;
    let olivia_list = olivia
        .call_json(
            "list_cases",
            serde_json::json!({ "query": { "status": "open" } }),
        )
        .await;
    let anon_case = anonymous.call("get_case", &[("id", &id)]).await;
    let assign_other = olivia.answer(&assign, &[("Assignee", "oscar")]).await;
    let claimed = olivia.answer(&assign, &[("Assignee", "olivia")]).await;
    let work = olivia.task_of(&id, "WorkOnCase").await;
    let oscar_works = oscar.answer(&work, &[("Status", "1"), ("Notes", "")]).await;
    let oscar_escalations = oscar.call("list_escalations", &[]).await;
    let oscar_users = oscar.call("list_users", &[]).await;
    let oscar_view = oscar.case(&id).await;

    // Assert
    assert!(
        !anon_list.ok && anon_list.body.contains("Unauthorized"),
        "{anon_list:?}"
    );
    assert!(
        !anon_case.ok && anon_case.body.contains("Unauthorized"),
        "{anon_case:?}"
    );
    assert!(
        !assign_other.ok && assign_other.body.contains("only claim"),
        "{assign_other:?}"
    );
    assert!(claimed.ok, "{claimed:?}");
    assert!(
        olivia_list.ok && olivia_list.body.contains(&id),
        "{olivia_list:?}"
    );
    assert!(
        !oscar_works.ok && oscar_works.body.contains("assigned to someone else"),
        "{oscar_works:?}"
    );
    assert!(
        !oscar_escalations.ok && oscar_escalations.body.contains("Forbidden"),
        "{oscar_escalations:?}"
    );
    assert!(
        !oscar_users.ok && oscar_users.body.contains("Forbidden"),
        "{oscar_users:?}"
    );
    assert_eq!(oscar_view["tasks"][0]["may_act"], false);
}

#[tokio::test]
async fn a_post_from_another_origin_is_refused() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let http = reqwest::Client::new();

    // Act
    let res = http
        .post(format!("{}/api/login", server.base))
        .header(reqwest::header::ORIGIN, "http://evil.example")
        .form(&[("username", "olivia"), ("password", "stepdesk-demo")])
        .send()
        .await
        .expect("an answer");

    // Assert
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_session_id_changes_at_sign_in() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let client = server.client();

    // Act
    let wrong = client
        .call(
            "login",
            &[("username", "olivia"), ("password", "not-the-password")],
        )
        .await;
    let page = client
        .http
        .get(format!("{}/login", server.base))
        .send()
        .await
        .expect("login page");
    let before = page.headers().get(reqwest::header::SET_COOKIE).cloned();
    let right = client
        .http
        .post(format!("{}/api/login", server.base))
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[("username", "olivia"), ("password", "stepdesk-demo")])
        .send()
        .await
        .expect("sign in");
    let after = right.headers().get(reqwest::header::SET_COOKIE).cloned();

    // Assert
    assert!(
        !wrong.ok && wrong.body.contains("BadCredentials"),
        "{wrong:?}"
    );
    let after = after.expect("a session cookie is set at sign-in");
    let after = after.to_str().expect("ascii");
    assert!(
        after.contains("stepdesk_session=") && after.contains("HttpOnly"),
        "{after}"
    );
    if let Some(before) = before {
        assert_ne!(before.to_str().ok(), Some(after), "the session id rotates");
    }
}

#[tokio::test]
async fn only_an_admin_adds_users_and_the_new_user_can_sign_in() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let ada = server.signed_in("ada").await;
    let maria = server.signed_in("maria").await;
    let form = [
        ("name", "Nina"),
        ("role", "operator"),
        ("password", "a-long-password"),
    ];

    // Act
    let by_manager = maria.call("add_user", &form).await;
    let by_admin = ada.call("add_user", &form).await;
    let again = ada.call("add_user", &form).await;
    let short = ada
        .call(
            "add_user",
            &[("name", "pat"), ("role", "operator"), ("password", "short")],
        )
        .await;
    let nina = server.client();
    let signed_in = nina
        .call(
            "login",
            &[("username", "nina"), ("password", "a-long-password")],
        )
        .await;

    // Assert
    assert!(
        !by_manager.ok && by_manager.body.contains("Forbidden"),
        "{by_manager:?}"
    );
    assert!(
        by_admin.ok && by_admin.body.contains("Added nina as operator"),
        "{by_admin:?}"
    );
    assert!(
        !again.ok && again.body.contains("exists already"),
        "{again:?}"
    );
    assert!(
        !short.ok && short.body.contains("at least 8 characters"),
        "{short:?}"
    );
    assert!(signed_in.ok, "{signed_in:?}");
}
