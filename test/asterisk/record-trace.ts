/**
 * Records an originate on a real Asterisk as an ARI trace in the format of
 * ../shared/ari-traces (JSON lines: rest-req, rest-res, event, ws), for a behaviour the
 * shared recordings lack. The phone must already be playing on the endpoint's port.
 *   node --import tsx test/asterisk/record-trace.ts OUT.jsonl PJSIP/busy
 * Reads BEREIK_ARI_URL / _USER / _PASSWORD; stops at the channel's ChannelDestroyed.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import WebSocket from 'ws';

const [out, endpoint] = process.argv.slice(2);
const { BEREIK_ARI_URL: url = 'http://127.0.0.1:8088', BEREIK_ARI_USER: user = 'bereik', BEREIK_ARI_PASSWORD: password = 'bereik-secret' } = process.env;
if (!out || !endpoint) throw new Error('usage: record-trace.ts OUT.jsonl PJSIP/<endpoint>');
const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const t0 = Date.now();
const lines: string[] = [];
const log = (l: Record<string, unknown>) => lines.push(JSON.stringify({ t: Date.now() - t0, ...l }));

const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ari/events?app=bereik&subscribeAll=false`, { headers: { authorization: auth } });
await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
log({ dir: 'ws', what: 'open' });
const done = new Promise<void>((resolve) =>
  ws.on('message', (d) => {
    const event = JSON.parse(String(d));
    log({ dir: 'event', event });
    if (event.type === 'ChannelDestroyed') resolve();
  }),
);
const query = { endpoint, app: 'bereik', appArgs: `outbound,${basename(out, '.jsonl')}`, callerId: '+31201234567', timeout: '30' };
log({ dir: 'rest-req', method: 'POST', path: '/channels', query });
const res = await fetch(`${url}/ari/channels?${new URLSearchParams(query)}`, { method: 'POST', headers: { authorization: auth } });
log({ dir: 'rest-res', method: 'POST', path: '/channels', status: res.status, body: await res.json() });
await done;
ws.close();
log({ dir: 'ws', what: 'close' });
writeFileSync(out, lines.join('\n') + '\n');
