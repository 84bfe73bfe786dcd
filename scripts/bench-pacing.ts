/**
 * Pacing benchmark: the standard scenarios (10/20/50 agents × 20/35/60 % live answer
 * rate, 3 min mean talk, 30 s wrap-up, 8 h day) through the discrete-event simulator,
 * progressive and predictive side by side. Prints a Markdown table.
 *
 *   npx tsx scripts/bench-pacing.ts [--seeds=3] [--json] [--agent-ring=MS]
 *
 * --agent-ring=MS: agents are rung per debtor and answer after MS on average (log-normal,
 * σ 0.5) instead of sitting on open lines (the default, issue 16): the agent is reserved
 * while ringing and a debtor not bridged within 2 s of answer is abandoned.
 *
 * Each cell is the mean over the seeds, except "worst 24 h abandon", which is the worst
 * running (since start of day) abandon rate of any seed — the figure Ofcom's cap is about.
 */
import { simulateDay } from './lib/des/simulate.ts';
import type { DesReport } from './lib/des/model.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seeds = Number(arg('seeds') ?? 3);
const asJson = process.argv.includes('--json');
const ringArg = arg('agent-ring');
const agentRing = ringArg === undefined ? undefined : { meanMs: Number(ringArg), sigma: 0.5 };
if (agentRing && !(agentRing.meanMs > 0)) throw new Error(`--agent-ring: milliseconds above 0, got ${ringArg}`);

const AGENTS = [10, 20, 50];
const LIVE_RATES = [0.2, 0.35, 0.6];
const MODES = ['progressive', 'predictive'] as const;

interface Row {
  agents: number;
  liveRate: number;
  mode: string;
  occupancy: number;
  talkShare: number;
  abandonRate: number;
  worstRunningAbandon: number;
  worstHourAbandon: number;
  connectsPerAgentHour: number;
  dialsPerAgentHour: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const started = performance.now();
const rows: Row[] = [];
for (const agents of AGENTS) {
  for (const liveRate of LIVE_RATES) {
    for (const mode of MODES) {
      const runs: DesReport[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        // Machines 15 % of dials (less when the live rate leaves no room), busy 5 %, the rest ring out.
        runs.push(simulateDay({ seed, agents, liveRate, mode, machineRate: Math.min(0.15, 1 - liveRate - 0.05), ...(agentRing ? { agentRing } : {}) }));
      }
      rows.push({
        agents,
        liveRate,
        mode,
        occupancy: mean(runs.map((r) => r.occupancy)),
        talkShare: mean(runs.map((r) => r.talkShare)),
        abandonRate: mean(runs.map((r) => r.abandonRate)),
        worstRunningAbandon: Math.max(...runs.map((r) => r.maxRunningAbandonRate)),
        worstHourAbandon: Math.max(...runs.map((r) => r.maxWindowAbandonRate)),
        connectsPerAgentHour: mean(runs.map((r) => r.connectsPerAgentHour)),
        dialsPerAgentHour: mean(runs.map((r) => r.dialsPerAgentHour)),
      });
    }
  }
}
const seconds = (performance.now() - started) / 1000;

if (asJson) {
  console.log(JSON.stringify({ seeds, seconds, rows }, null, 2));
} else {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(`Pacing benchmark: 8 h day, mean talk 3 min, wrap-up 30 s, AMD on, ${agentRing ? `agents rung per debtor (answer after ${agentRing.meanMs} ms mean)` : 'agents on open lines'}, ${seeds} seed(s) per cell, ${seconds.toFixed(1)} s wall time\n`);
  console.log('| agents | live answer rate | mode | occupancy (talk+wrap) | talking | abandon (day) | worst 24 h abandon | worst 1 h abandon | connects / agent-hour | dials / agent-hour |');
  console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.agents} | ${pct(r.liveRate)} | ${r.mode} | ${pct(r.occupancy)} | ${pct(r.talkShare)} | ${pct(r.abandonRate)} | ${pct(r.worstRunningAbandon)} | ${pct(r.worstHourAbandon)} | ${r.connectsPerAgentHour.toFixed(1)} | ${r.dialsPerAgentHour.toFixed(1)} |`,
    );
  }
  const bad = rows.filter((r) => r.worstRunningAbandon > 0.03);
  console.log(bad.length ? `\nOVER THE 3 % CAP: ${bad.map((r) => `${r.agents}×${r.liveRate} ${r.mode}`).join(', ')}` : '\nEvery scenario stays within the 3 % abandon cap.');
}
