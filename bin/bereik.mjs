#!/usr/bin/env node
// Entry point of the `bereik` command. Production runs the compiled JavaScript in dist/
// (`npm run build`); a checkout without dist/, or with BEREIK_FROM_SOURCE=1 (the tests
// set it, so a stale dist/ never hides a change), runs the TypeScript sources through
// tsx, a development dependency.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const fromSource = process.env.BEREIK_FROM_SOURCE === '1' || !existsSync(compiled);
let main;
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  ({ main } = await import(compiled.href));
}
process.exitCode = await main(process.argv.slice(2));
