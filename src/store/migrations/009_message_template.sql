-- WhatsApp template messages (src/messaging/whatsapp): the approved template's name, language
-- code and body parameters, as JSON {"name","language","params"}, so the outbox sends exactly
-- what was composed. The body column keeps the same message as readable text for operators.
-- NULL for every other message (SMS, e-mail, a WhatsApp free text).
ALTER TABLE messages ADD COLUMN template TEXT;

-- WhatsApp's 24-hour window opens when the debtor writes: when did this number last write on
-- this channel (MessageReplyStore.lastInboundAt), so the window survives a restart.
CREATE INDEX inbound_by_sender ON inbound_messages (channel, from_addr, received_at);
