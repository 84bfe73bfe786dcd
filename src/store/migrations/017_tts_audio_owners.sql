-- Whose personalised TTS audio a cache file is (docs/data-protection.md): a render that
-- speaks about a debtor (their name, amount, due date) notes its cache key here, so erasing
-- the debtor deletes the audio too, instead of leaving it until tts.cacheMaxAgeDays. A key
-- owned by several debtors (a prompt they share) is deleted only with its last owner.
-- owned_at is the last render with that owner (UTC); rows older than the cache's age limit
-- go with the daily retention pass, as their files have been pruned or belong to others.
CREATE TABLE tts_audio_owners (
  cache_key  TEXT NOT NULL,        -- sha256 hex: <tts.cacheDir>/<cache_key>.wav
  debtor_id  INTEGER NOT NULL,
  owned_at   TEXT NOT NULL,
  PRIMARY KEY (cache_key, debtor_id)
) WITHOUT ROWID;
CREATE INDEX tts_audio_owners_by_debtor ON tts_audio_owners (debtor_id);
CREATE INDEX tts_audio_owners_by_time ON tts_audio_owners (owned_at);
