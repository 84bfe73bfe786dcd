/**
 * bereik strategy plan            plans today's actions for every debtor and carries them out (as POST /strategies/plan)
 * bereik strategy list            each strategy: id, active version, name
 * bereik strategy save FILE [--inactive]
 *                                 stores a strategy document as its next version (active unless --inactive);
 *                                 a bad document exits 1 listing each problem by path
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';

const USAGE = 'usage: bereik strategy plan | strategy list | strategy save FILE [--inactive]';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options: { inactive: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const [sub, file, ...extra] = positionals;
  const ok = (sub === 'plan' || sub === 'list') ? !file : sub === 'save' && !!file;
  if (!ok || extra.length) {
    console.error(USAGE);
    return 2;
  }
  const s = openOffline();
  try {
    if (sub === 'list') {
      for (const x of s.strategies.list()) console.log(`${x.strategy.id}\tv${x.strategy.version}${x.active ? ' (active)' : ''}\t${x.strategy.name}`);
      return 0;
    }
    if (sub === 'save') {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file!, 'utf8'));
      } catch (err) {
        console.error(`bereik strategy: ${file} is not readable JSON: ${(err as Error).message}`);
        return 1;
      }
      try {
        const saved = s.strategies.save(doc, { activate: !values.inactive });
        console.log(`strategy ${saved.strategy.id} version ${saved.strategy.version} saved${saved.active ? ' and active' : ''}`);
        return 0;
      } catch (err) {
        if (!(err instanceof BereikError) || err.code !== 'VALIDATION') throw err;
        console.error(`bereik strategy: ${file} is not a valid strategy:`);
        for (const p of err.details as Array<{ message: string }>) console.error(`  ${p.message}`);
        return 1;
      }
    }
    const c = await s.strategies.plan();
    const by = (o: Record<string, number | undefined>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    console.log(`${c.today}: ${c.debtors} debtors with open claims; ${c.assigned} newly assigned; ${c.planned} actions planned (${by(c.plannedBy)})`);
    console.log(`stopped: ${by(c.stoppedBy)}; waiting for an allowed day: ${c.waiting}; no segment: ${c.noSegment}; no active strategy: ${c.noStrategy}`);
    console.log(`carried out: ${c.executed} executed, ${c.skipped} skipped, ${c.stopped} stopped, ${c.failed} failed`);
    return 0;
  } finally {
    s.close();
  }
}
