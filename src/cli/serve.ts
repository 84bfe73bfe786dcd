import { loadConfig } from '../config/load.ts';
import { createApp } from '../app.ts';
import { ensureAdminToken } from '../http/tokens.ts';

/** bereik serve: runs the service until SIGTERM/SIGINT, then shuts down cleanly. */
export async function run(_argv: string[]): Promise<number> {
  const config = loadConfig();
  const app = await createApp({ config });
  const log = app.deps.log;
  const first = ensureAdminToken(app.deps.db, app.deps.clock);
  // Printed once to stdout, never to the log: the database keeps only its hash.
  if (first) console.log(`No admin token existed; created one (shown only now):\n  ${first.token}\nMake more with: bereik token create --role operator --name NAME`);
  const address = await app.listen();
  log.info({ address }, 'bereik listening');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down: no new work, finishing writes');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await app.close();
  log.info('stopped');
  return 0;
}
