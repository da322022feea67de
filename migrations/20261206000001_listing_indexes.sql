-- Every case listing from an index: for each filter a listing offers
-- (status, step, assignee, priority, escalated, case type) an index per
-- sort (last changed, opened, SLA) that starts with the filter's column and
-- goes on in the sort's order, so a page is a seek and a walk of at most a
-- page's rows, never a scan of cases or a sort of them. The SLA sort key is
-- the expression the listing orders by (cases without an SLA last).
-- `db::cases::tests::every_listing_is_served_by_an_index` checks the plans.

DROP INDEX cases_by_sla;
DROP INDEX cases_by_assignee;

CREATE INDEX cases_by_created ON cases (created_at DESC, id DESC);
CREATE INDEX cases_by_sla_key ON cases (COALESCE(sla_due_at, '9999'), id);

CREATE INDEX cases_by_status_created ON cases (status, created_at DESC, id DESC);
CREATE INDEX cases_by_status_sla ON cases (status, COALESCE(sla_due_at, '9999'), id);

CREATE INDEX cases_by_step ON cases (current_step, updated_at DESC, id DESC);
CREATE INDEX cases_by_step_created ON cases (current_step, created_at DESC, id DESC);
CREATE INDEX cases_by_step_sla ON cases (current_step, COALESCE(sla_due_at, '9999'), id);

CREATE INDEX cases_by_assignee ON cases (assignee_id, updated_at DESC, id DESC);
CREATE INDEX cases_by_assignee_created ON cases (assignee_id, created_at DESC, id DESC);
CREATE INDEX cases_by_assignee_sla ON cases (assignee_id, COALESCE(sla_due_at, '9999'), id);

CREATE INDEX cases_by_priority_created ON cases (priority, created_at DESC, id DESC);
CREATE INDEX cases_by_priority_sla ON cases (priority, COALESCE(sla_due_at, '9999'), id);

CREATE INDEX cases_by_escalated ON cases (escalated, updated_at DESC, id DESC);
CREATE INDEX cases_by_escalated_created ON cases (escalated, created_at DESC, id DESC);
CREATE INDEX cases_by_escalated_sla ON cases (escalated, COALESCE(sla_due_at, '9999'), id);

CREATE INDEX cases_by_type_created ON cases (case_type, created_at DESC, id DESC);
CREATE INDEX cases_by_type_sla ON cases (case_type, COALESCE(sla_due_at, '9999'), id);

-- The reconciler's rotation: live cases, least recently checked first.
ALTER TABLE cases ADD COLUMN checked_at TEXT;
CREATE INDEX cases_live_by_check ON cases (COALESCE(checked_at, ''), id)
    WHERE status IN ('open', 'escalated');

-- Heartbeats: pending tasks, the one whose heartbeat is due first.
ALTER TABLE tasks ADD COLUMN heartbeat_due_at TEXT;
CREATE INDEX tasks_heartbeat_due ON tasks (COALESCE(heartbeat_due_at, ''), id)
    WHERE status = 'pending';

-- My work and escalations, paged by (created_at, id).
DROP INDEX tasks_pending;
CREATE INDEX tasks_pending ON tasks (status, assignee_id, created_at, id);
CREATE INDEX tasks_by_activity ON tasks (status, activity_arn, created_at, id);

-- Counts a page shows, kept by triggers instead of counted per request:
-- cases by status, and the cases waiting on each activity.
CREATE TABLE case_counts (
    status TEXT PRIMARY KEY NOT NULL,
    n      INTEGER NOT NULL
);
INSERT INTO case_counts (status, n) SELECT status, COUNT(*) FROM cases GROUP BY status;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_counts (status, n) VALUES (new.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_update AFTER UPDATE OF status ON cases
    WHEN old.status IS NOT new.status BEGIN
    UPDATE case_counts SET n = n - 1 WHERE status = old.status;
    INSERT INTO case_counts (status, n) VALUES (new.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_counts SET n = n - 1 WHERE status = old.status;
END;

CREATE TABLE pending_counts (
    activity_arn TEXT PRIMARY KEY NOT NULL,
    n            INTEGER NOT NULL
);
INSERT INTO pending_counts (activity_arn, n)
SELECT activity_arn, COUNT(*) FROM tasks WHERE status = 'pending' GROUP BY activity_arn;

CREATE TRIGGER pending_counts_insert AFTER INSERT ON tasks WHEN new.status = 'pending' BEGIN
    INSERT INTO pending_counts (activity_arn, n) VALUES (new.activity_arn, 1)
        ON CONFLICT (activity_arn) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER pending_counts_leave AFTER UPDATE OF status ON tasks
    WHEN old.status = 'pending' AND new.status <> 'pending' BEGIN
    UPDATE pending_counts SET n = n - 1 WHERE activity_arn = old.activity_arn;
END;
CREATE TRIGGER pending_counts_return AFTER UPDATE OF status ON tasks
    WHEN old.status <> 'pending' AND new.status = 'pending' BEGIN
    INSERT INTO pending_counts (activity_arn, n) VALUES (new.activity_arn, 1)
        ON CONFLICT (activity_arn) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER pending_counts_delete AFTER DELETE ON tasks WHEN old.status = 'pending' BEGIN
    UPDATE pending_counts SET n = n - 1 WHERE activity_arn = old.activity_arn;
END;
