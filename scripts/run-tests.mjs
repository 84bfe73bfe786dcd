#!/usr/bin/env node
// Runs every *.test.ts under the given folders (default: test/) with Node's own test
// runner through tsx. Node 20's --test takes no globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const roots = args.filter((a) => !a.startsWith('-'));
const files = (roots.length ? roots : ['test']).flatMap((r) => (r.endsWith('.ts') ? [r] : find(r)));
if (files.length === 0) {
  console.error('run-tests: no test files found under', roots.join(' ') || 'test');
  process.exit(1);
}
// Two test files at a time on the 2-core development machine (the timing-sensitive tests are
// tuned to it); one per core, up to four, where there are more, so a bigger CI runner finishes sooner.
const concurrency = Math.min(4, Math.max(2, availableParallelism()));
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? concurrency}`, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', BEREIK_FROM_SOURCE: '1' } },
);
process.exit(res.status ?? 1);
