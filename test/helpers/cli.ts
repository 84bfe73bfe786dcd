/**
 * Runs the `bereik` command as a child process without blocking this process: tests that
 * also run the service in-process must keep serving while the CLI works (spawnSync froze
 * the server, whose kept-alive connections then timed out under the client's next request).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runBereik(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repo, 'bin', 'bereik.mjs'), ...args], { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : err ? 1 : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}
