/**
 * Hostile-CSV benchmark: uploads a file with one 100 MB line and a file with one 100 MB
 * field to `bereik serve` (a child process, so its memory is measured alone) as a raw
 * text/csv body, and prints for each: time to the answer, the server's peak RSS, the
 * answer's size, how much the database grew, and the slowest /healthz answer meanwhile.
 *
 *   node --import tsx scripts/bench-import-limits.ts [megabytes=100]
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const MB = Number(process.argv[2] ?? 100);
const repo = join(import.meta.dirname, '..');
const bin = join(repo, 'bin', 'bereik.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bench-limits-'));
const dbPath = join(dir, 'bereik.sqlite');
const env = { ...process.env, BEREIK_DB_PATH: dbPath, BEREIK_HTTP_PORT: '0', BEREIK_ARI_URL: '', BEREIK_LOG_LEVEL: 'info', TMPDIR: dir };

const HEADER = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n';

/** Writes `header + prefix + filler × n + suffix` in 1 MB pieces. */
async function writeFile(path: string, prefix: string, filler: string, bytes: number, suffix: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER + prefix);
  const piece = filler.repeat(Math.ceil((1 << 20) / filler.length));
  for (let written = 0; written < bytes; written += piece.length) {
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end(suffix);
  await once(out, 'close');
}

function dbBytes(): number {
  return [dbPath, dbPath + '-wal'].reduce((n, p) => n + (existsSync(p) ? statSync(p).size : 0), 0);
}

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function main(): Promise<void> {
  const lineFile = join(dir, 'long-line.csv');
  const fieldFile = join(dir, 'long-field.csv');
  const size = MB * 1024 * 1024;
  await writeFile(lineFile, 'D1;Naam;0612345678;12,50;F1', ';x', size, '\n');
  await writeFile(fieldFile, 'D1;', 'x', size, ';0612345678;12,50;F1\n');

  const token = spawnSync(process.execPath, [bin, 'token', 'create', '--role', 'operator', '--name', 'bench'], { cwd: repo, env, encoding: 'utf8' }).stdout.trim();
  const cases: [string, string][] = [[`one ${MB} MB line`, lineFile], [`one ${MB} MB field`, fieldFile]];
  console.log(`case                 time      peak RSS   answer      db growth   slowest /healthz`);
  for (const [name, file] of cases) {
    // A fresh server per case, so the peak RSS is this case's.
    const child = spawn(process.execPath, [bin, 'serve'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d) => (out += d));
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    });
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${address}/campaigns`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', mode: 'agentless', callerId: '+31201234567' }),
    });
    const campaignId = ((await created.json()) as { id: number }).id;
    console.error(`${name}: campaign ${campaignId} (${created.status}), uploading`);
    const before = dbBytes();
    let slowest = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const t = performance.now();
        await fetch(`${address}/healthz`).then((r) => r.arrayBuffer()).catch(() => undefined);
        slowest = Math.max(slowest, performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = performance.now();
    let status = 0;
    let answer = 0;
    try {
      const res = await fetch(`${address}/campaigns/${campaignId}/imports`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      status = res.status;
      answer = (await res.arrayBuffer()).byteLength;
    } catch (err) {
      status = -1;
      console.error(`${name}: ${(err as Error).message}`);
    }
    const ms = performance.now() - t0;
    polling = false;
    await poll;
    const rss = peakRss(child.pid!);
    child.kill('SIGTERM');
    await once(child, 'exit');
    const f = (n: number) => (n / 1024 / 1024).toFixed(1) + ' MB';
    console.log(
      `${name.padEnd(20)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${f(rss).padStart(9)}  ${String(status)} ${(answer / 1024).toFixed(1).padStart(7)} KB  ${f(dbBytes() - before).padStart(9)}   ${slowest.toFixed(0)} ms`,
    );
  }
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
