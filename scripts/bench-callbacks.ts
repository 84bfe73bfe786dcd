/**
 * Issue 5's benchmark: a simulated working day of a 10,000-debtor campaign, callbacks
 * routed by Bereik's callback rule + segmentation versus every callback to an agent,
 * on the same agent team and the same day (see scripts/lib/callback-day.ts for the model).
 *
 *   node --import tsx scripts/bench-callbacks.ts [--agents 6] [--debtors 10000] [--seed 7]
 */
import { parseArgs } from 'node:util';
import { simulateCallbackDay, DEFAULT_DAY, type DayReport } from './lib/callback-day.ts';

const { values } = parseArgs({
  options: { agents: { type: 'string' }, debtors: { type: 'string' }, seed: { type: 'string' } },
});
const teams = values.agents ? [Number(values.agents)] : [4, 6, 10];
const base = {
  debtors: Number(values.debtors ?? DEFAULT_DAY.debtors),
  seed: Number(values.seed ?? DEFAULT_DAY.seed),
};
for (const [k, v] of Object.entries({ ...base, agents: teams[0] })) {
  if (v === undefined || !Number.isInteger(v) || v <= 0) throw new Error(`--${k} must be a positive integer, got ${v}`);
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;
const row = (agents: number, r: DayReport) =>
  [agents, r.policy, r.callbacks, `${r.withoutAgent} (${pct(r.withoutAgent / r.callbacks)})`, r.agentRequests, r.agentConnected, r.notReached, sec(r.meanQueueWaitMs), sec(r.meanTimeToAgentMs), pct(r.occupancy)].join(' | ');

console.log(`bench-callbacks: ${base.debtors} debtors, 8 h day, seed ${base.seed}; routing by src/routing (callback rule + segmentation)`);
console.log('agents | policy | callbacks | handled without agent | agent requests | reached agent | not reached | mean queue wait | mean time to agent (from call start) | agent occupancy');
for (const agents of teams) {
  const bereik = simulateCallbackDay('bereik', { ...base, agents });
  const allAgent = simulateCallbackDay('all_agent', { ...base, agents });
  console.log(row(agents, bereik));
  console.log(row(agents, allAgent));
  if (agents === teams[0]) {
    console.log(`  share of callbacks handled without an agent: ${pct(bereik.withoutAgent / bereik.callbacks)}`);
    console.log(`  agent requests: ${pct(1 - bereik.agentRequests / allAgent.agentRequests)} fewer than every callback to an agent`);
  }
}
