import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseAriEvent, narrowAriEvent } from '../../src/telephony/ari-events.ts';

const TRACES = new URL('../../../shared/ari-traces/', import.meta.url);

function traceEvents(file: string): unknown[] {
  return readFileSync(new URL(file, TRACES), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { dir: string; event?: unknown })
    .filter((l) => l.dir === 'event')
    .map((l) => l.event);
}

const NO_TRACES = existsSync(TRACES) ? false : 'the recorded ARI traces (../shared/ari-traces beside the project) are not on this machine';

test('every event Bereik uses in the recorded Asterisk traffic narrows to its typed form; the rest is ignored', { skip: NO_TRACES }, () => {
  const used = new Set(['StasisStart', 'StasisEnd', 'ChannelStateChange', 'ChannelDtmfReceived', 'ChannelHangupRequest', 'ChannelDestroyed', 'Dial', 'PlaybackStarted', 'PlaybackFinished', 'ChannelEnteredBridge', 'ChannelLeftBridge', 'BridgeDestroyed']);
  let narrowed = 0;
  for (const file of ['01-outbound-answered-dtmf.jsonl', '02a-outbound-busy.jsonl', '04-warm-transfer.jsonl', '09-hangup-during-prompt.jsonl']) {
    for (const raw of traceEvents(file)) {
      const type = (raw as { type: string }).type;
      const e = narrowAriEvent(raw);
      if (used.has(type)) {
        assert.ok(e, `${file}: ${type} should narrow`);
        assert.equal(e.type, type);
        narrowed++;
      } else {
        assert.equal(e, null, `${file}: ${type} is not used and must be ignored`);
      }
    }
  }
  assert.ok(narrowed > 40);
});

test('fields come through with their recorded values: args, digit, cause, dial status, playback target', { skip: NO_TRACES }, () => {
  const events = traceEvents('01-outbound-answered-dtmf.jsonl').map(narrowAriEvent).filter((e) => e !== null);
  const start = events.find((e) => e.type === 'StasisStart');
  assert.deepEqual(start?.type === 'StasisStart' && start.args, ['outbound', 'call-1']);
  assert.equal(start?.type === 'StasisStart' && start.channel.caller.number, '+31201234567');
  const digits = events.flatMap((e) => (e.type === 'ChannelDtmfReceived' ? [e.digit] : []));
  assert.deepEqual(digits, ['1', '2', '#']);
  const destroyed = events.find((e) => e.type === 'ChannelDestroyed');
  assert.deepEqual(destroyed?.type === 'ChannelDestroyed' && [destroyed.cause, destroyed.cause_txt], [16, 'Normal Clearing']);
  const busy = traceEvents('02a-outbound-busy.jsonl').map(narrowAriEvent);
  assert.ok(busy.some((e) => e?.type === 'Dial' && e.dialstatus === 'BUSY'));
  const fin = events.find((e) => e.type === 'PlaybackFinished');
  assert.match(fin?.type === 'PlaybackFinished' ? fin.playback.target_uri : '', /^channel:/);
});

test('malformed or unknown frames become null instead of crashing the connection', () => {
  assert.equal(parseAriEvent('not json'), null);
  assert.equal(parseAriEvent('[]'), null);
  assert.equal(parseAriEvent('null'), null);
  assert.equal(parseAriEvent(JSON.stringify({ type: 'SomethingNew', channel: { id: 'x' } })), null);
  assert.equal(parseAriEvent(JSON.stringify({ type: 'StasisStart', args: [] })), null, 'no channel');
  assert.equal(parseAriEvent(JSON.stringify({ type: 'ChannelDtmfReceived', channel: { id: 'x' } })), null, 'no digit');
  assert.equal(parseAriEvent(JSON.stringify({ type: 'PlaybackFinished', playback: { state: 'done' } })), null, 'no playback id');
  assert.equal(parseAriEvent(JSON.stringify({ noType: true })), null);
});

test('missing optional fields get safe defaults', () => {
  const e = parseAriEvent(Buffer.from(JSON.stringify({ type: 'ChannelHangupRequest', channel: { id: 'c1' } })));
  assert.ok(e && e.type === 'ChannelHangupRequest');
  assert.equal(e.cause, undefined, 'a phone hang-up can come without a cause (trace 08)');
  assert.equal(e.channel.caller.number, '');
  assert.equal(e.channel.state, 'Unknown');
  const d = narrowAriEvent({ type: 'ChannelDestroyed', channel: { id: 'c1' } });
  assert.ok(d && d.type === 'ChannelDestroyed');
  assert.equal(d.cause, 0);
});
