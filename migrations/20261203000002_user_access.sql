-- Revoking access: a disabled user cannot sign in, and every session holds
-- the epoch its user had at sign-in, so raising the epoch (sign out
-- everywhere, a disable, a password reset) ends all their sessions at once.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
