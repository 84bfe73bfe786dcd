/**
 * The `bereik` command. Each subcommand lives in its own file and exports
 * run(argv) → exit code.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  serve: { summary: 'start the service (HTTP API, dialer, telephony)', load: () => import('./serve.ts') },
  sim: { summary: 'run the simulated Asterisk standalone: bereik sim --port 8088', load: () => import('./sim.ts') },
  token: { summary: 'API tokens: token create --role operator --name NAME | token list | token revoke ID', load: () => import('./token.ts') },
  campaign: { summary: 'campaign start|pause|resume|finish|show ID', load: () => import('./campaign.ts') },
  import: { summary: 'import a CSV into a campaign: import --campaign ID [--skip-invalid] FILE', load: () => import('./import.ts') },
  payments: { summary: 'read a payment CSV or CAMT.053 statement: payments import FILE', load: () => import('./payments.ts') },
  strategy: { summary: "contact strategies: strategy plan | strategy list | strategy save FILE [--inactive]", load: () => import('./strategy.ts') },
  audit: { summary: 'audit verify: check that no access-audit entry was edited or removed', load: () => import('./audit.ts') },
  report: { summary: 'reports: report actions [--from D --to D --csv] | report arms --strategy ID | report import FILE', load: () => import('./report.ts') },
  tts: { summary: 'tts prune: delete cached audio past tts.cacheMaxAgeDays or over tts.cacheMaxMb', load: () => import('./tts.ts') },
};

export function usage(): string {
  return ['usage: bereik <command> [options]', '', ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`bereik: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  let mod;
  try {
    mod = await cmd.load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      console.error(`bereik: command '${name}' is not available in this build`);
      return 2;
    }
    throw err;
  }
  try {
    return await mod.run(rest);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    console.error(e.code ? `bereik ${name}: ${e.message} [${e.code}]` : `bereik ${name}: ${e.message ?? String(err)}`);
    return 1;
  }
}
