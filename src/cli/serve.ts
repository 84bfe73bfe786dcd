import { loadConfig } from '../config/load.ts';
import { createApp } from '../app.ts';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureAdminToken } from '../http/tokens.ts';
import { catchStrayErrors } from '../lib/handler-errors.ts';
import { DailyPlanTimer } from '../strategy/timer.ts';

/** bereik serve: runs the service until SIGTERM/SIGINT, then shuts down cleanly. */
export async function run(_argv: string[]): Promise<number> {
  const config = loadConfig();
  const app = await createApp({ config });
  const log = app.deps.log;
  catchStrayErrors(log);
  const first = ensureAdminToken(app.deps.store.tokens, app.deps.clock);
  // The database keeps only its hash. A person at a terminal sees it once; under a service
  // manager stdout is the log, and secrets never go to logs: then it goes to a 0600 file.
  if (first) {
    if (process.stdout.isTTY) {
      console.log(`No admin token existed; created one (shown only now):\n  ${first.token}\nMake more with: bereik token create --role operator --name NAME`);
    } else {
      const file = config.db.path === ':memory:' ? undefined : join(dirname(resolve(config.db.path)), 'first-admin-token');
      if (file) {
        // A file left by an earlier start keeps its mode on rewrite: narrow it before the token goes in.
        if (existsSync(file)) chmodSync(file, 0o600);
        writeFileSync(file, first.token + '\n', { mode: 0o600 });
      }
      log.warn({ file: file ?? null }, file ? 'no admin token existed: created one and wrote it to this file (read it, then delete the file)' : 'no admin token existed: created one; make your own with bereik token create');
    }
  }
  const address = await app.listen();
  // `runs` tells which code is serving: the compiled dist/ (production) or the sources through tsx.
  log.info({ address, runs: import.meta.url.endsWith('.js') ? 'dist' : 'source' }, 'bereik listening');
  // The daily plan (docs/strategy.md): at strategies.planAt each day, and now if today's was missed.
  const { strategies, store, clock } = app.deps;
  const planAt = config.strategies?.planAt;
  const daily = strategies && planAt ? new DailyPlanTimer({ clock, log: log.child({ mod: 'strategy' }), planner: { planDay: (now) => strategies.plan(now) }, lastRunDay: () => store.strategies.lastRunDay(), at: planAt }) : undefined;
  daily?.start();
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down: no new work, finishing writes');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await daily?.stop();
  await app.close();
  log.info('stopped');
  return 0;
}
