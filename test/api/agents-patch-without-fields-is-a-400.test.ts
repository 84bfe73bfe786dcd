import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';

test('PATCH /agents/:id with no field to change answers 400 naming the fields, and the agent is unchanged', async (t) => {
  const h = await startTestApp();
  t.after(() => h.close());
  const created = (await (await h.api('/agents', { method: 'POST', json: { name: 'Anna', endpoint: 'PJSIP/agent1', skills: ['nl'] } })).json()) as { id: number };
  const res = await h.api(`/agents/${created.id}`, { method: 'PATCH', json: {} });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'VALIDATION');
  assert.match(body.error.message, /at least one of name, endpoint, skills/);
  const renamed = await h.api(`/agents/${created.id}`, { method: 'PATCH', json: { skills: ['en'] } });
  assert.equal(renamed.status, 200);
  assert.deepEqual(
    (({ name, endpoint, skills }) => ({ name, endpoint, skills }))((await renamed.json()) as { name: string; endpoint: string; skills: string[] }),
    { name: 'Anna', endpoint: 'PJSIP/agent1', skills: ['en'] },
    'a field left out keeps its value',
  );
});
