import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../src/store/db.ts';
import * as T from '../../src/store/types.ts';

/** table.column → the list in src/store/types.ts that must equal its CHECK (… IN (…)). */
const EXPECTED: Array<[string, string, readonly string[]]> = [
  ['api_tokens', 'role', T.ROLES],
  ['debtors', 'language', T.LANGUAGES],
  ['debtors', 'risk', T.RISKS],
  ['phones', 'status', T.PHONE_STATUSES],
  ['claims', 'status', T.CLAIM_STATUSES],
  ['campaigns', 'mode', T.CAMPAIGN_MODES],
  ['campaigns', 'state', T.CAMPAIGN_STATES],
  ['campaigns', 'language', T.LANGUAGES],
  ['imports', 'status', T.IMPORT_STATUSES],
  ['contacts', 'status', T.CONTACT_STATUSES],
  ['agents', 'state', T.AGENT_STATES],
  ['calls', 'direction', T.CALL_DIRECTIONS],
  ['calls', 'state', T.CALL_STATES],
  ['calls', 'disposition', T.CALL_DISPOSITIONS],
  ['dispositions', 'kind', T.DISPOSITION_KINDS],
  ['messages', 'channel', T.MESSAGE_CHANNELS],
  ['messages', 'source', T.MESSAGE_SOURCES],
  ['messages', 'status', T.MESSAGE_STATUSES],
  ['messages', 'language', T.LANGUAGES],
  ['inbound_messages', 'channel', T.MESSAGE_CHANNELS],
  ['inbound_messages', 'intent', T.REPLY_INTENTS],
  ['inbound_messages', 'status', T.INBOUND_STATUSES],
  ['opt_outs', 'channel', T.MESSAGE_CHANNELS],
  ['payments', 'kind', T.PAYMENT_KINDS],
  ['payments', 'source', T.PAYMENT_SOURCES],
  ['payments', 'matched_by', T.PAYMENT_MATCH_RULES],
  ['payments', 'status', T.PAYMENT_STATUSES],
  ['payment_files', 'kind', T.PAYMENT_FILE_KINDS],
  ['strategy_assignments', 'arm', T.STRATEGY_ARMS],
  ['actions', 'arm', T.STRATEGY_ARMS],
  ['actions', 'action', T.ACTION_TYPES],
  ['actions', 'channel', T.ACTION_CHANNELS],
  ['actions', 'status', T.ACTION_STATUSES],
];

test('every stored enum is listed once in src/store/types.ts, exactly as the schema allows it', () => {
  const db = openDb(':memory:');
  try {
    for (const [table, column, list] of EXPECTED) {
      const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(table) as string;
      const m = new RegExp(`\\b${column}\\s+IN\\s*\\(([^)]*)\\)`).exec(sql);
      assert.ok(m, `${table}.${column} has a CHECK (… IN (…)) in the schema`);
      const allowed = m[1]!.split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
      assert.deepEqual([...list], allowed, `${table}.${column}`);
    }
  } finally {
    db.close();
  }
});

test('the open claim statuses and live call states are subsets of their enums', () => {
  for (const s of T.OPEN_CLAIM_STATUSES) assert.ok(T.CLAIM_STATUSES.includes(s));
  for (const s of T.LIVE_CALL_STATES) assert.ok(T.CALL_STATES.includes(s));
  assert.equal(T.OPEN_CLAIM_SQL, "('open', 'promised', 'arranged')");
});
