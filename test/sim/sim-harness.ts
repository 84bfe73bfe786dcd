/** Starts a simulator at 50× speed with a connected test client, and always closes both. */
import { ScaledClock } from '../../src/lib/clock.ts';
import { startSim, type Scenario, type StartSimOptions } from '../../src/sim/index.ts';
import { TestAri } from './ari-test-client.ts';

export async function withSim(fn: (ari: TestAri) => Promise<void>, opts: { scale?: number; scenario?: Scenario | string } & StartSimOptions = {}): Promise<void> {
  const sim = await startSim({ ...opts, clock: opts.clock ?? new ScaledClock(opts.scale ?? 50) });
  const ari = new TestAri(sim);
  try {
    await ari.connect();
    await fn(ari);
  } finally {
    await ari.disconnect();
    await sim.close();
  }
}

/** Originate straight into the app; resolves with the channel id once it is in Stasis. */
export async function answeredCall(ari: TestAri, endpoint: string, args = 'outbound,c1'): Promise<string> {
  const o = await ari.req('POST', '/channels', { endpoint, app: 'bereik', appArgs: args, callerId: '+31201234567' });
  if (o.status !== 200) throw new Error(`originate ${endpoint}: ${o.status} ${JSON.stringify(o.body)}`);
  await ari.waitType('StasisStart', (e) => (e.channel as { id: string }).id === o.body.id);
  return o.body.id as string;
}
