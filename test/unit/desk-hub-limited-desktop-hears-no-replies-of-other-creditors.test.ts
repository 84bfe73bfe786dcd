/**
 * The desktop hub for a socket limited to creditors (docs/data-protection.md): replies and
 * message updates pass through the socket's scoped filter (routes/desktop.ts asks the store
 * whether each is about its creditors and recounts its badge); without one it hears none,
 * while an unlimited desktop of the same agent hears them; state changes reach all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { DeskHub, type DeskSocket } from '../../src/agents/hub.ts';
import type { AgentDeskService } from '../../src/agents/desk.ts';

function socket(): DeskSocket & { got: { type: string }[] } {
  const got: { type: string }[] = [];
  return { got, send: (d) => void got.push(JSON.parse(d) as { type: string }), close: () => {} };
}

test('a desktop limited to creditors hears its agent state, and replies or message updates only as its filter lets them', () => {
  const agent = { id: 1, name: 'Alma', state: 'available' };
  const desk = Object.assign(new EventEmitter(), {
    registry: Object.assign(new EventEmitter(), { get: (id: number) => (id === 1 ? agent : undefined) }),
    activeCase: () => undefined,
    lines: { info: () => ({ state: 'none', since: '2026-11-23T09:00:00.000Z' }) },
  }) as unknown as AgentDeskService;
  const hub = new DeskHub(desk);
  const limited = socket();
  const open = socket();
  const filtered = socket();
  assert.ok(hub.attach(1, limited, { creditors: ['Acme'] }));
  assert.ok(hub.attach(1, open));
  // Reply 7 is Acme's (its badge counts 1), message 3 is another creditor's.
  assert.ok(hub.attach(1, filtered, { creditors: ['Acme'], scoped: (m) => (m.type === 'inbox' ? { ...m, count: 1 } : null) }));
  hub.push(1, { type: 'inbox', count: 5, gone: 7 });
  hub.push(1, { type: 'message', message: { id: 3 } as never });
  (desk as unknown as EventEmitter).emit('agent', { ...agent, state: 'paused' });
  assert.deepEqual(limited.got.map((m) => m.type), ['hello', 'agent']);
  assert.deepEqual(open.got.map((m) => m.type), ['hello', 'inbox', 'message', 'agent']);
  assert.deepEqual(filtered.got.map((m) => m.type), ['hello', 'inbox', 'agent']);
  assert.equal((filtered.got[1] as { count?: number }).count, 1);
});
