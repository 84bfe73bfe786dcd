/**
 * `npm start` as a process: `node bin/bereik.mjs serve` on a free port with the given
 * database and the built-in simulator; resolves once it logs its address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');

export interface ServeProcess {
  child: ChildProcess;
  address: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

export async function startServe(t: { after(fn: () => void): void }, dbPath: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'bereik.mjs'), 'serve'], {
    cwd: repo,
    env: { ...process.env, BEREIK_HTTP_PORT: '0', BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'info', BEREIK_ARI_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
  return { child, address, output: () => out };
}
