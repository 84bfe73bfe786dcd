import { loadConfig } from '../config/load.ts';
import { createApp } from '../app.ts';

/** bereik serve: runs the service until SIGTERM/SIGINT, then shuts down cleanly. */
export async function run(_argv: string[]): Promise<number> {
  const config = loadConfig();
  const app = await createApp({ config });
  const log = app.deps.log;
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
