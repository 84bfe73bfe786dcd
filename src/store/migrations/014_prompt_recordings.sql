-- Recorded prompts (docs/recorded-prompts.md): what an admin uploaded for a piece of a
-- prompt or a number word, per language. Every upload (or removal) is a new version of
-- that language's set: the set at version V is, per key, the newest row at or below V. A
-- call keeps the version it started with, so files are never overwritten (they are named
-- by the SHA-256 of their bytes) and rows are never updated.
CREATE TABLE prompt_recordings (
  lang         TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
  version      INTEGER NOT NULL CHECK (version >= 1),
  rec_key      TEXT NOT NULL,                    -- claim_message.0 (a prompt's fixed piece) or word.21 / word.euro
  text         TEXT,                             -- the prompt piece's words when recorded; NULL for a word
  file         TEXT,                             -- <sha256>.wav in tts.recordingsDir; NULL: removed at this version
  duration_ms  INTEGER,
  uploaded_at  TEXT NOT NULL,
  uploaded_by  TEXT,
  PRIMARY KEY (lang, version)
);
CREATE INDEX prompt_recordings_by_key ON prompt_recordings (lang, rec_key, version);
