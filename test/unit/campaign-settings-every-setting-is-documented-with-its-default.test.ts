import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CampaignSettingsSchema, DEFAULT_SETTINGS, RETRY_OUTCOMES } from '../../src/campaigns/settings.ts';

const doc = readFileSync(new URL('../../docs/campaign-settings.md', import.meta.url), 'utf8');

test('docs/campaign-settings.md has a row for every setting showing its default', () => {
  for (const key of Object.keys(CampaignSettingsSchema.properties)) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
    assert.ok(row, `a row for ${key}`);
    const def = (DEFAULT_SETTINGS as Record<string, unknown>)[key];
    // Compared without spaces and quotes, so the table may write { days: … } for readability.
    const bare = (text: string) => text.replace(/[\s"]/g, '');
    if (def === undefined) assert.match(row, /not set/, `${key} has no default and says so: ${row}`);
    else if (key !== 'retryDelayMinutes') assert.ok(bare(row).includes(`\`${bare(JSON.stringify(def))}\``), `${key}'s default ${JSON.stringify(def)} in: ${row}`);
  }
  for (const outcome of RETRY_OUTCOMES) {
    const minutes = (DEFAULT_SETTINGS.retryDelayMinutes as Record<string, number>)[outcome];
    assert.match(doc, new RegExp(`\`${outcome}\` ${minutes}\\b`), `retry delay default for ${outcome}`);
  }
});
