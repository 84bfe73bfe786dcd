/** GET /campaigns/:id/live/events: a snapshot event about every second for an operator; a missing campaign is a 404; closing the service ends open streams. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';

test('the live stream sends snapshots each second and does not hold up the service’s shutdown', { timeout: 30_000 }, async () => {
  const h = await startTestApp();
  const c = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'S', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  assert.equal((await h.api('/campaigns/999/live/events')).status, 404);
  assert.equal((await h.api(`/campaigns/${c.id}/live/events`, { role: 'agent' })).status, 403);

  const res = await h.api(`/campaigns/${c.id}/live/events`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const started = performance.now();
  while ((text.match(/event: snapshot/g) ?? []).length < 3) text += (await reader.read()).value ?? '';
  const took = performance.now() - started;
  assert.ok(took >= 1500 && took < 5000, `three snapshots in ${took.toFixed(0)} ms`);
  const first = JSON.parse(text.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { campaign: { id: number }; abandon24h: { cap: number } };
  assert.equal(first.campaign.id, c.id);
  assert.equal(first.abandon24h.cap, 0.03);

  const closing = performance.now();
  await h.close();
  assert.ok(performance.now() - closing < 5000, 'the open stream did not hold the shutdown');
  for (let r = await reader.read(); !r.done; r = await reader.read());
});
