//! A crash while tasks are pending loses nothing.

use crate::helpers::Server;

#[tokio::test]
async fn tasks_pending_when_the_server_is_killed_are_there_after_restart_and_complete() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let id = olivia.open_case("Survives a crash").await;
    let assign = olivia.task_of(&id, "AssignCase").await;

    // Act
    let dir_path = server.kill();
    let server = Server::start(&dir_path).await;
    let olivia = server.signed_in("olivia").await;
    let still = olivia.task_of(&id, "AssignCase").await;
    let claimed = olivia.claim(&id, "olivia").await;
    let worked = olivia.work(&id, "1", "After the crash.").await;

    // Assert
    assert_eq!(still, assign, "the same task, with its token, survived");
    assert!(claimed.ok, "{}", claimed.body);
    assert!(worked.ok, "{}", worked.body);
    olivia.until(&id, |c| c["status"] == "closed").await;
}
