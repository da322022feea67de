-- Case types as data. A case carries its case type and its fields (JSON,
-- keyed by the case type's field names); what its searchable fields say is
-- kept as search text for the FTS index. A task carries the step (the Task
-- state's name) instead of a fixed kind, the execution that asked for it,
-- the step's spec as it was when the task arrived (so a redeploy that changes
-- a form never breaks a pending task) and the task's input. Several tasks of
-- one case may wait at once (Parallel branches, a Map over approvers).
--
-- The tasks table is rebuilt (SQLite cannot drop a CHECK) with foreign keys
-- on, as migrations run in a transaction: the audit log, which refers to
-- tasks, is rebuilt first referring to the new table, so dropping the old
-- one leaves no reference dangling, and the renames carry the references.

-- Cases: the support workflow's description and customer reference become
-- its fields Description and CustomerRef.
ALTER TABLE cases ADD COLUMN case_type TEXT NOT NULL DEFAULT 'support';
ALTER TABLE cases ADD COLUMN fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields));
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE cases SET
    fields = json_object('Description', description, 'CustomerRef', customer_ref),
    search_text = trim(description || ' ' || customer_ref);

DROP TRIGGER cases_fts_insert;
DROP TRIGGER cases_fts_delete;
DROP TRIGGER cases_fts_update;
DROP TABLE cases_fts;

ALTER TABLE cases DROP COLUMN description;
ALTER TABLE cases DROP COLUMN customer_ref;

CREATE INDEX cases_by_type ON cases (case_type, updated_at DESC, id DESC);

CREATE VIRTUAL TABLE cases_fts USING fts5(
    id, title, search_text,
    content = 'cases', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO cases_fts (rowid, id, title, search_text)
SELECT rowid, id, title, search_text FROM cases;

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, id, title, search_text)
    VALUES (new.rowid, new.id, new.title, new.search_text);
END;

CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, id, title, search_text)
    VALUES ('delete', old.rowid, old.id, old.title, old.search_text);
END;

CREATE TRIGGER cases_fts_update AFTER UPDATE OF id, title, search_text ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, id, title, search_text)
    VALUES ('delete', old.rowid, old.id, old.title, old.search_text);
    INSERT INTO cases_fts (rowid, id, title, search_text)
    VALUES (new.rowid, new.id, new.title, new.search_text);
END;

-- Tasks: the step instead of the kind.
CREATE TABLE tasks_by_step (
    -- The id the browser sees; the token never leaves the server.
    id            TEXT PRIMARY KEY NOT NULL,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    -- The Task state's name (AssignCase, FinanceApproval...).
    step          TEXT NOT NULL,
    token         TEXT NOT NULL UNIQUE,
    activity_arn  TEXT NOT NULL,
    -- The execution whose task it is: the case's own, or one it started.
    execution_arn TEXT,
    -- The step's spec (JSON) as deployed when the task arrived; NULL for
    -- tasks older than case types, which read the current one.
    spec          TEXT CHECK (spec IS NULL OR json_valid(spec)),
    -- The task's input as Step Functions gave it (JSON).
    input         TEXT,
    -- pending: waiting for a person. completing: a person's answer is
    -- recorded and is being sent with the token (re-sent after a crash).
    -- completed: Step Functions has it. expired: the token timed out or
    -- the execution ended before anyone answered.
    status        TEXT NOT NULL CHECK (status IN ('pending', 'completing', 'completed', 'expired')),
    assignee_id   INTEGER REFERENCES users (id),
    -- The answer as sent: the task's output (SendTaskSuccess), or
    -- {"Error": ..., "Cause": ...} when the answer fails the task.
    output        TEXT,
    -- Whether the answer fails the task (SendTaskFailure).
    fails         INTEGER NOT NULL DEFAULT 0 CHECK (fails IN (0, 1)),
    completed_by  INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    completed_at  TEXT
);

INSERT INTO tasks_by_step (id, case_id, step, token, activity_arn, execution_arn, spec, input,
                           status, assignee_id, output, fails, completed_by, created_at, completed_at)
SELECT t.id, t.case_id,
       CASE t.kind WHEN 'assign' THEN 'AssignCase' WHEN 'work' THEN 'WorkOnCase' ELSE 'EscalateCase' END,
       t.token, t.activity_arn, c.execution_arn, NULL, NULL,
       t.status, t.assignee_id, t.output, 0, t.completed_by, t.created_at, t.completed_at
FROM tasks t JOIN cases c ON c.id = t.case_id;

-- The audit log, referring to the new tasks table, with what a person
-- submitted (JSON, the form's values) beside the summary in comment.
CREATE TABLE audit_events_new (
    id         INTEGER PRIMARY KEY,
    case_id    TEXT REFERENCES cases (id),
    task_id    TEXT REFERENCES tasks_by_step (id),
    actor_id   INTEGER REFERENCES users (id),
    action     TEXT NOT NULL,
    -- Free text the actor wrote (a comment, a reason); may be empty.
    comment    TEXT NOT NULL DEFAULT '',
    detail     TEXT CHECK (detail IS NULL OR json_valid(detail)),
    at         TEXT NOT NULL
);

INSERT INTO audit_events_new (id, case_id, task_id, actor_id, action, comment, detail, at)
SELECT id, case_id, task_id, actor_id, action, comment, NULL, at FROM audit_events;

DROP TABLE audit_events;
DROP TABLE tasks;
ALTER TABLE tasks_by_step RENAME TO tasks;
ALTER TABLE audit_events_new RENAME TO audit_events;

CREATE INDEX audit_by_case ON audit_events (case_id, at);
CREATE INDEX audit_by_actor ON audit_events (actor_id, at);

-- My work: pending tasks by assignee (NULL = unassigned), oldest first.
CREATE INDEX tasks_pending ON tasks (status, assignee_id, created_at);
CREATE INDEX tasks_by_case ON tasks (case_id, created_at);
-- How many live cases wait in each step.
CREATE INDEX tasks_by_step_status ON tasks (step, status);

-- An execution that claims a case it does not own (its CaseId names a case
-- whose execution is another): recorded for an admin, never merged.
CREATE TABLE case_conflicts (
    id            INTEGER PRIMARY KEY,
    case_id       TEXT NOT NULL,
    execution_arn TEXT,
    step          TEXT NOT NULL,
    seen_at       TEXT NOT NULL
);

CREATE INDEX case_conflicts_by_time ON case_conflicts (seen_at DESC);
