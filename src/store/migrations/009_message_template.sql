-- WhatsApp template messages (src/messaging/whatsapp): the approved template's name, language
-- code and body parameters, as JSON {"name","language","params"}, so the outbox sends exactly
-- what was composed. The body column keeps the same message as readable text for operators.
-- NULL for every other message (SMS, e-mail, a WhatsApp free text).
ALTER TABLE messages ADD COLUMN template TEXT;
