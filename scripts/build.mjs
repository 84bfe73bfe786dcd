#!/usr/bin/env node
// Production build: compiles src/ to dist/ with TypeScript 7 (relative `.ts` imports are
// rewritten to `.js`), then copies the files the code reads beside itself at run time
// (SQL migrations, the desktop's static files), so dist/ runs without tsx.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const res = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (res.status !== 0) process.exit(res.status ?? 1);

function assets(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return assets(p);
    return name.endsWith('.ts') ? [] : [p];
  });
}
const copied = assets(src);
for (const file of copied) cpSync(file, join(dist, relative(src, file)));
console.log(`build: dist/ compiled, ${copied.length} asset files copied`);
