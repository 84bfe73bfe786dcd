/**
 * The desktop hub for a socket limited to creditors (docs/data-protection.md): replies and
 * message updates are not filtered by creditor yet, so a limited desktop hears none, while
 * an unlimited desktop of the same agent hears them; state changes reach both.
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

test('a desktop limited to creditors hears its agent state but no replies or message updates', () => {
  const agent = { id: 1, name: 'Alma', state: 'available' };
  const desk = Object.assign(new EventEmitter(), {
    registry: Object.assign(new EventEmitter(), { get: (id: number) => (id === 1 ? agent : undefined) }),
    activeCase: () => undefined,
    lines: { info: () => ({ state: 'none', since: '2026-11-23T09:00:00.000Z' }) },
  }) as unknown as AgentDeskService;
  const hub = new DeskHub(desk);
  const limited = socket();
  const open = socket();
  assert.ok(hub.attach(1, limited, { creditors: ['Acme'] }));
  assert.ok(hub.attach(1, open));
  hub.push(1, { type: 'inbox', count: 1, gone: 7 });
  hub.push(1, { type: 'message', message: { id: 3 } as never });
  (desk as unknown as EventEmitter).emit('agent', { ...agent, state: 'paused' });
  assert.deepEqual(limited.got.map((m) => m.type), ['hello', 'agent']);
  assert.deepEqual(open.got.map((m) => m.type), ['hello', 'inbox', 'message', 'agent']);
});
