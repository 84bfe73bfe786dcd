/**
 * The dialer and the flow read AMD's verdict from the same Stasis entry, so the call row
 * holds one value whoever writes it last.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, seedCampaign, summary } from './dialer-fixture.ts';

async function answered(amd: string) {
  const r = rig();
  seedCampaign(r.db, { debtors: [{ phones: ['+31611111111'] }] });
  await r.dialer.tick();
  const call = r.tel.calls[0]!;
  call.enterStasis(amd);
  await r.clock.advance(0);
  return { r, call };
}

const amdOf = (r: ReturnType<typeof rig>, id: string) =>
  r.db.prepare('SELECT amd_status, amd_cause FROM calls WHERE id = ?').get(id) as { amd_status: string | null; amd_cause: string | null };

test('a lower-case AMD verdict from a hand-written dialplan is stored as Asterisk writes it, as the flow saw it', async () => {
  const { r, call } = await answered('human');
  assert.deepEqual(r.flows[0]!.ctx.amd, { status: 'HUMAN', cause: '' });
  r.dialer.onCallFinished(summary(call.id, 'no_choice', { amdStatus: 'HUMAN' }));
  call.end({ cause: 16 });
  await r.clock.advance(0);
  assert.equal(amdOf(r, call.id).amd_status, 'HUMAN');
});

test('a call without AMD reaches the flow and the row as NOTCHECKED, not as an empty verdict', async () => {
  const { r, call } = await answered('');
  assert.deepEqual(r.flows[0]!.ctx.amd, { status: 'NOTCHECKED', cause: '' });
  r.dialer.onCallFinished(summary(call.id, 'no_choice', { amdStatus: 'NOTCHECKED' }));
  call.end({ cause: 16 });
  await r.clock.advance(0);
  assert.equal(amdOf(r, call.id).amd_status, 'NOTCHECKED');
});
