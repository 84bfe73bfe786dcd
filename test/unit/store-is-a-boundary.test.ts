/**
 * Issue 11 §4: nothing outside src/store holds a database handle, and src/store imports
 * nothing above it. Read from the source, so a new module that reaches past the
 * repositories fails here, naming the file and the import.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '../../src');
/** Where the store is opened and built: the composition roots. */
const ROOTS = new Set(['app.ts', 'campaigns/offline.ts']);

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every import/export … from '…' statement: whether it is type-only, and what it names. */
function imports(text: string): Array<{ typeOnly: boolean; from: string; line: string }> {
  const out = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)';/gms)) {
    out.push({ typeOnly: !!m[2], from: m[4]!, line: m[0].replace(/\s+/g, ' ') });
  }
  return out;
}

test('outside src/store no module holds a database handle: only types, the enums, and (in the composition roots) the store factory', () => {
  const offences: string[] = [];
  for (const file of sources()) {
    const rel = relative(SRC, file);
    if (rel.startsWith('store/')) continue;
    for (const i of imports(readFileSync(file, 'utf8'))) {
      if (i.from === 'better-sqlite3') offences.push(`${rel}: ${i.line}`);
      const m = /(?:^|\/)store\/([\w-]+)\.ts$/.exec(i.from);
      if (!m || i.typeOnly) continue;
      const allowed = m[1] === 'types' || (ROOTS.has(rel) && (m[1] === 'sqlite' || m[1] === 'permissions'));
      if (!allowed) offences.push(`${rel}: ${i.line}`);
    }
    if (/\bDatabase\.Database\b|\bDb\b.*from '[./]*store\/db\.ts'/.test(readFileSync(file, 'utf8'))) offences.push(`${rel}: names the Db type`);
  }
  assert.deepEqual(offences, []);
});

test('src/store imports nothing from the modules above it (only src/lib and packages)', () => {
  const offences: string[] = [];
  for (const file of sources(join(SRC, 'store'))) {
    for (const i of imports(readFileSync(file, 'utf8'))) {
      if (i.from.startsWith('../') && !i.from.startsWith('../lib/')) offences.push(`${relative(SRC, file)}: ${i.line}`);
    }
  }
  assert.deepEqual(offences, []);
});
