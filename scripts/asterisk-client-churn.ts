/**
 * ARI clients starting and stopping over and over on one Stasis application, as Bereik's
 * reconnects and the contract suite's extra clients do, against a running Asterisk. Prints
 * how many rounds it got through and whether Asterisk is still up (docs/asterisk-ci.md,
 * "The event filter race"). Asterisk 22.10.1 with Bereik's client before commit 2dabf76
 * aborted within seconds; run Asterisk under glibc's checking allocator to catch it at once:
 *
 *   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 GLIBC_TUNABLES=glibc.malloc.check=3 \
 *     /opt/asterisk/sbin/asterisk -f -n -g &
 *   flock /tmp/bereik-asterisk.lock node --import tsx scripts/asterisk-client-churn.ts [--seconds 90] [--clients 3]
 *
 * Each round starts every client (each connects its events socket, sets or checks the event
 * filter, looks at the application and reconciles), a few milliseconds apart, then stops
 * them all. A round that does not finish within 5 s is checked: Asterisk gone ends the run.
 */
import { parseArgs } from 'node:util';
import { SystemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { AriTelephony } from '../src/telephony/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '90' },
    clients: { type: 'string', default: '3' },
    url: { type: 'string', default: process.env.BEREIK_ARI_URL || 'http://127.0.0.1:8088' },
    user: { type: 'string', default: process.env.BEREIK_ARI_USER || 'bereik' },
    password: { type: 'string', default: process.env.BEREIK_ARI_PASSWORD || 'bereik-secret' },
    app: { type: 'string', default: 'bereik' },
  },
});
const seconds = Number(values.seconds);
const count = Number(values.clients);
const clock = new SystemClock();
const make = () => new AriTelephony({ url: values.url!, user: values.user!, password: values.password!, app: values.app!, clock, log: silentLogger(), reconnectMinMs: 50, reconnectMaxMs: 200, sweepIntervalMs: 0 });
const auth = 'Basic ' + Buffer.from(`${values.user}:${values.password}`).toString('base64');
const alive = () => fetch(`${values.url}/ari/asterisk/ping`, { headers: { authorization: auth } }).then((r) => r.ok, () => false);

if (!(await alive())) {
  console.error(`no Asterisk answers at ${values.url}: start one first (see the header of this script)`);
  process.exit(2);
}
const clients = Array.from({ length: count }, make);
const t0 = performance.now();
let rounds = 0;
let gone = false;
while (performance.now() - t0 < seconds * 1000) {
  const started = Promise.all(clients.map(async (c, i) => {
    await new Promise((r) => setTimeout(r, i * 7));
    await c.start().catch(() => undefined);
  }));
  const stuck = await Promise.race([started.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
  await Promise.all(clients.map((c) => c.stop()));
  rounds++;
  if ((stuck || rounds % 20 === 0) && !(await alive())) {
    gone = true;
    break;
  }
}
const took = (performance.now() - t0) / 1000;
console.log(`${rounds} rounds of ${count} clients starting and stopping in ${took.toFixed(1)} s (${(rounds / took).toFixed(1)}/s): Asterisk ${gone || !(await alive()) ? 'GONE' : 'still up'}`);
process.exit(gone ? 1 : 0);
