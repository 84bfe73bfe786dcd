/**
 * bereik sim: the simulated Asterisk on its own, for pointing a Bereik (or curl) at it.
 *   bereik sim --port 8088 [--host 127.0.0.1] [--scenario FILE] [--scale N] [--user U --password P] [--app bereik]
 * Runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ScaledClock, SystemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { BereikError } from '../lib/errors.ts';
import { startSim } from '../sim/index.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8088' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' },
      scale: { type: 'string', default: '1' },
      user: { type: 'string', default: 'bereik' },
      password: { type: 'string', default: 'bereik' },
      app: { type: 'string', default: 'bereik' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const port = Number(values.port);
  const scale = Number(values.scale);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BereikError('CONFIG_INVALID', `--port must be 0-65535 (got ${values.port})`);
  if (!(scale > 0)) throw new BereikError('CONFIG_INVALID', `--scale must be a number above 0 (got ${values.scale})`);
  const log = createLogger({ level: values['log-level'] });
  const sim = await startSim({
    port,
    host: values.host,
    scenario: values.scenario,
    clock: scale === 1 ? new SystemClock() : new ScaledClock(scale),
    user: values.user,
    password: values.password,
    app: values.app,
    log,
  });
  log.info({ url: sim.url, scale, scenario: values.scenario ?? 'config/sim-scenario.json' }, 'simulated Asterisk ready (not a real Asterisk)');
  console.log(`simulated Asterisk: ARI at ${sim.url}/ari (user ${sim.user}, app ${sim.app}, scale ${scale}) — Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.close();
  log.info('simulated Asterisk stopped');
  return 0;
}
