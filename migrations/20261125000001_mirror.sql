-- The mirror of Step Functions state that the API cannot list: users, cases,
-- their human tasks (with task tokens) and the audit log. Times are UTC
-- RFC 3339 text. Sessions live in tower-sessions' own table.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('operator', 'manager', 'admin')),
    -- argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE cases (
    -- The case id is also the execution name, so StartExecution is repeatable.
    id            TEXT PRIMARY KEY NOT NULL,
    execution_arn TEXT UNIQUE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    priority      TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    customer_ref  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('open', 'escalated', 'closed', 'failed', 'aborted', 'timed_out')),
    current_step  TEXT,
    -- Set once a manager has been asked to decide; stays set after.
    escalated     INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
    assignee_id   INTEGER REFERENCES users (id),
    sla_due_at    TEXT,
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    closed_at     TEXT
);

-- Listings: newest first overall, by status, by assignee; SLA watch on live cases.
CREATE INDEX cases_by_updated ON cases (updated_at DESC, id DESC);
CREATE INDEX cases_by_status ON cases (status, updated_at DESC, id DESC);
CREATE INDEX cases_by_assignee ON cases (assignee_id, status, updated_at DESC, id DESC);
CREATE INDEX cases_by_priority ON cases (priority, updated_at DESC, id DESC);
CREATE INDEX cases_by_sla ON cases (sla_due_at) WHERE status IN ('open', 'escalated');

CREATE TABLE tasks (
    -- The id the browser sees; the token never leaves the server.
    id            TEXT PRIMARY KEY NOT NULL,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    kind          TEXT NOT NULL CHECK (kind IN ('assign', 'work', 'escalate')),
    token         TEXT NOT NULL UNIQUE,
    activity_arn  TEXT NOT NULL,
    -- pending: waiting for a person. completing: a person's answer is
    -- recorded and is being sent with the token (re-sent after a crash).
    -- completed: Step Functions has it. expired: the token timed out or
    -- the execution ended before anyone answered.
    status        TEXT NOT NULL CHECK (status IN ('pending', 'completing', 'completed', 'expired')),
    assignee_id   INTEGER REFERENCES users (id),
    -- The task's output as sent with SendTaskSuccess (JSON), once answered.
    output        TEXT,
    completed_by  INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    completed_at  TEXT
);

-- My work: pending tasks by assignee (NULL = unassigned), oldest first.
CREATE INDEX tasks_pending ON tasks (status, assignee_id, created_at);
-- At most one task per case and step waits for a person.
CREATE UNIQUE INDEX tasks_pending_per_case ON tasks (case_id, kind) WHERE status = 'pending';
CREATE INDEX tasks_by_case ON tasks (case_id, created_at);

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    case_id    TEXT REFERENCES cases (id),
    task_id    TEXT REFERENCES tasks (id),
    actor_id   INTEGER REFERENCES users (id),
    action     TEXT NOT NULL,
    -- Free text the actor wrote (a comment, a reason); may be empty.
    comment    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);

CREATE INDEX audit_by_case ON audit_events (case_id, at);
CREATE INDEX audit_by_actor ON audit_events (actor_id, at);
