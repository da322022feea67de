-- The engine's durable state. Applied at open; every statement is idempotent.
CREATE TABLE IF NOT EXISTS state_machines (
    arn         TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    revision_id INTEGER NOT NULL,
    role_arn    TEXT NOT NULL,
    type        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER
);

-- Every definition a state machine ever had; executions point at the one they started with.
CREATE TABLE IF NOT EXISTS revisions (
    id          INTEGER PRIMARY KEY,
    machine_arn TEXT NOT NULL,
    definition  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS activities (
    arn        TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS executions (
    id            INTEGER PRIMARY KEY,
    arn           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    machine_arn   TEXT NOT NULL,
    revision_id   INTEGER NOT NULL,
    role_arn      TEXT NOT NULL,
    input         TEXT NOT NULL,
    status        TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    stopped_at    INTEGER,
    output        TEXT,
    error         TEXT,
    cause         TEXT,
    redrive_count INTEGER NOT NULL DEFAULT 0,
    redriven_at   INTEGER,
    parent        TEXT,
    run           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_by_machine
    ON executions (machine_arn, started_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS executions_running
    ON executions (status) WHERE status = 'RUNNING';

CREATE TABLE IF NOT EXISTS events (
    execution_id INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    previous_id  INTEGER NOT NULL,
    ts           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    details      TEXT,
    PRIMARY KEY (execution_id, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS tags (
    resource_arn TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (resource_arn, key)
) WITHOUT ROWID;
