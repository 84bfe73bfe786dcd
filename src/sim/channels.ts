/**
 * A new channel with its virtual phone: Asterisk-style ids (<epoch seconds>.<n>) and
 * names (PJSIP/<endpoint>-0000000n), and the phone's keys and hang-up wired to events.
 */
import { randomUUID } from 'node:crypto';
import type { SimCore } from './core.ts';
import { ariTime, type SimChannel } from './model.ts';
import { PhoneSession, type PhoneCallRecord } from './phone.ts';
import type { PhoneBehaviour } from './scenario.ts';

export interface NewChannel {
  id: string | undefined;
  endpointName: string;
  dialstring: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  dialplan: SimChannel['dialplan'];
  originatedByApp: boolean;
  behaviour: PhoneBehaviour;
  record: Pick<PhoneCallRecord, 'direction' | 'phone' | 'endpoint' | 'from' | 'to'>;
}

export function newChannel(sim: SimCore, o: NewChannel): SimChannel {
  const { n, id } = sim.nextChannelId(o.id);
  const now = sim.clock.now();
  const record: PhoneCallRecord = {
    channelId: id,
    ...o.record,
    behaviour: o.behaviour,
    startedAt: new Date(now).toISOString(),
    answeredAt: null,
    endedAt: null,
    result: 'live',
    amd: null,
    heard: [],
    keys: [],
    moh: [],
    bridgedWith: [],
    voices: [],
    hangupCause: null,
    hangupCauseText: null,
    hungUpBy: null,
  };
  const phone = new PhoneSession(record, o.behaviour, sim.clock, now);
  const ch: SimChannel = {
    id,
    name: `PJSIP/${o.endpointName}-${n.toString(16).padStart(8, '0')}`,
    state: 'Down',
    protocolId: randomUUID(),
    caller: o.caller,
    connected: o.connected,
    dialplan: o.dialplan,
    preStasisDialplan: o.dialplan,
    creationtime: ariTime(now),
    createdAtMs: now,
    vars: new Map(),
    app: null,
    subscriptions: 0,
    inStasis: false,
    originatedByApp: o.originatedByApp,
    dialstring: o.dialstring,
    bridgeId: null,
    moh: null,
    playbackQueue: [],
    timers: new Set(),
    hangingUp: false,
    gone: false,
    phone,
  };
  phone.actions = {
    press: (digit) => {
      if (ch.gone) return false;
      // In a native RTP bridge the media, RFC 4733 keys included, flows between the phones
      // without passing Asterisk: the app never hears the key (trace 04).
      if (ch.bridgeId && sim.bridges.get(ch.bridgeId)?.technology === 'native_rtp') return false;
      return sim.publishChannel(ch, 'ChannelDtmfReceived', { digit, duration_ms: 280 });
    },
    hangup: (cause) => sim.phoneHangup(ch, cause),
  };
  sim.register(ch);
  // Nobody owns it yet: only an app subscribed to its endpoint hears it being created.
  sim.publishChannel(ch, 'ChannelCreated');
  return ch;
}
