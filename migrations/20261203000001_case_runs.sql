-- The nested executions a case's own execution started
-- (`states:startExecution`), for instance a support case's escalation.
-- A task from one of them belongs to the case; a row is written only
-- after the parent's history showed that it started the execution.

CREATE TABLE case_runs (
    execution_arn TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    -- The execution that started it: the case's own or another run.
    parent_arn TEXT NOT NULL,
    -- The parent's state that started it.
    parent_state TEXT,
    -- The case type whose state machine it runs.
    case_type TEXT NOT NULL,
    seen_at TEXT NOT NULL
);

CREATE INDEX case_runs_by_case ON case_runs (case_id, seen_at);
