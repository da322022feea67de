-- How many cases each value of each listing filter holds, kept by
-- triggers: a listing of two or more filters walks the index of the one with
-- the fewest cases (`db::cases::route`), which SQLite cannot tell without
-- statistics, and a skewed column (few escalated, many not) fools averages.
-- Values as text, NULL as ''.
CREATE TABLE filter_counts (
    col   TEXT NOT NULL,
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (col, value)
) WITHOUT ROWID;
INSERT INTO filter_counts (col, value, n)
    SELECT 'assignee_id', COALESCE(CAST(cases.assignee_id AS TEXT), ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO filter_counts (col, value, n)
    SELECT 'current_step', COALESCE(CAST(cases.current_step AS TEXT), ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO filter_counts (col, value, n)
    SELECT 'case_type', COALESCE(CAST(cases.case_type AS TEXT), ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO filter_counts (col, value, n)
    SELECT 'status', COALESCE(CAST(cases.status AS TEXT), ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO filter_counts (col, value, n)
    SELECT 'priority', COALESCE(CAST(cases.priority AS TEXT), ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO filter_counts (col, value, n)
    SELECT 'escalated', COALESCE(CAST(cases.escalated AS TEXT), ''), COUNT(*) FROM cases GROUP BY 2;

CREATE TRIGGER filter_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO filter_counts (col, value, n) VALUES ('assignee_id', COALESCE(CAST(new.assignee_id AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
    INSERT INTO filter_counts (col, value, n) VALUES ('current_step', COALESCE(CAST(new.current_step AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
    INSERT INTO filter_counts (col, value, n) VALUES ('case_type', COALESCE(CAST(new.case_type AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
    INSERT INTO filter_counts (col, value, n) VALUES ('status', COALESCE(CAST(new.status AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
    INSERT INTO filter_counts (col, value, n) VALUES ('priority', COALESCE(CAST(new.priority AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
    INSERT INTO filter_counts (col, value, n) VALUES ('escalated', COALESCE(CAST(new.escalated AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER filter_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'assignee_id' AND value = COALESCE(CAST(old.assignee_id AS TEXT), '');
    UPDATE filter_counts SET n = n - 1 WHERE col = 'current_step' AND value = COALESCE(CAST(old.current_step AS TEXT), '');
    UPDATE filter_counts SET n = n - 1 WHERE col = 'case_type' AND value = COALESCE(CAST(old.case_type AS TEXT), '');
    UPDATE filter_counts SET n = n - 1 WHERE col = 'status' AND value = COALESCE(CAST(old.status AS TEXT), '');
    UPDATE filter_counts SET n = n - 1 WHERE col = 'priority' AND value = COALESCE(CAST(old.priority AS TEXT), '');
    UPDATE filter_counts SET n = n - 1 WHERE col = 'escalated' AND value = COALESCE(CAST(old.escalated AS TEXT), '');
END;
CREATE TRIGGER filter_counts_update_assignee_id AFTER UPDATE OF assignee_id ON cases
    WHEN old.assignee_id IS NOT new.assignee_id BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'assignee_id' AND value = COALESCE(CAST(old.assignee_id AS TEXT), '');
    INSERT INTO filter_counts (col, value, n) VALUES ('assignee_id', COALESCE(CAST(new.assignee_id AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER filter_counts_update_current_step AFTER UPDATE OF current_step ON cases
    WHEN old.current_step IS NOT new.current_step BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'current_step' AND value = COALESCE(CAST(old.current_step AS TEXT), '');
    INSERT INTO filter_counts (col, value, n) VALUES ('current_step', COALESCE(CAST(new.current_step AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER filter_counts_update_case_type AFTER UPDATE OF case_type ON cases
    WHEN old.case_type IS NOT new.case_type BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'case_type' AND value = COALESCE(CAST(old.case_type AS TEXT), '');
    INSERT INTO filter_counts (col, value, n) VALUES ('case_type', COALESCE(CAST(new.case_type AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER filter_counts_update_status AFTER UPDATE OF status ON cases
    WHEN old.status IS NOT new.status BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'status' AND value = COALESCE(CAST(old.status AS TEXT), '');
    INSERT INTO filter_counts (col, value, n) VALUES ('status', COALESCE(CAST(new.status AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER filter_counts_update_priority AFTER UPDATE OF priority ON cases
    WHEN old.priority IS NOT new.priority BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'priority' AND value = COALESCE(CAST(old.priority AS TEXT), '');
    INSERT INTO filter_counts (col, value, n) VALUES ('priority', COALESCE(CAST(new.priority AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER filter_counts_update_escalated AFTER UPDATE OF escalated ON cases
    WHEN old.escalated IS NOT new.escalated BEGIN
    UPDATE filter_counts SET n = n - 1 WHERE col = 'escalated' AND value = COALESCE(CAST(old.escalated AS TEXT), '');
    INSERT INTO filter_counts (col, value, n) VALUES ('escalated', COALESCE(CAST(new.escalated AS TEXT), ''), 1)
        ON CONFLICT (col, value) DO UPDATE SET n = n + 1;
END;
