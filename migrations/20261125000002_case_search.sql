-- Text search over cases (title, description, customer reference, id),
-- kept in step with the cases table by triggers.
CREATE VIRTUAL TABLE cases_fts USING fts5(
    id, title, description, customer_ref,
    content = 'cases', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO cases_fts (rowid, id, title, description, customer_ref)
SELECT rowid, id, title, description, customer_ref FROM cases;

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, id, title, description, customer_ref)
    VALUES (new.rowid, new.id, new.title, new.description, new.customer_ref);
END;

CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, id, title, description, customer_ref)
    VALUES ('delete', old.rowid, old.id, old.title, old.description, old.customer_ref);
END;

CREATE TRIGGER cases_fts_update AFTER UPDATE OF id, title, description, customer_ref ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, id, title, description, customer_ref)
    VALUES ('delete', old.rowid, old.id, old.title, old.description, old.customer_ref);
    INSERT INTO cases_fts (rowid, id, title, description, customer_ref)
    VALUES (new.rowid, new.id, new.title, new.description, new.customer_ref);
END;
