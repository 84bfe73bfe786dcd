/**
 * Running a TTS program: text on stdin, a timeout that kills the whole process group (a
 * wrapper script's children too, so nothing keeps burning CPU after the call moved on),
 * and the program's last stderr lines in the error, since that is where Piper, espeak-ng
 * or sox say what went wrong.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { BereikError } from '../lib/errors.ts';

export interface RunOptions {
  /** Written to stdin, then stdin is closed (an empty string when not given). */
  input?: string;
  timeoutMs: number;
  /** stdout goes to this file (a program that writes its audio to stdout); otherwise it is ignored. */
  stdoutTo?: string;
  /** Said in the error as "[text]" if the program echoes it on stderr: the text holds names and amounts. */
  redact?: string;
}

/** Kept from stderr: enough for the last lines, bounded for a program that prints without end. */
const STDERR_KEEP = 4096;
const STDERR_LINES = 5;

export function runProcess(cmd: string, args: readonly string[], opts: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    // detached: the child leads its own process group, so the timeout can kill all of it.
    const child = spawn(cmd, args, { stdio: ['pipe', opts.stdoutTo ? 'pipe' : 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const fail = (err: BereikError) => {
      if (!settled) reject(err);
      settled = true;
    };
    const out = opts.stdoutTo ? createWriteStream(opts.stdoutTo) : undefined;
    if (out) {
      out.on('error', (err) => {
        killGroup(child.pid);
        fail(new BereikError('TTS_FAILED', `tts: cannot write the output of ${cmd}: ${err.message}`));
      });
      child.stdout!.pipe(out);
    }
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-STDERR_KEEP);
    });
    const tailOf = (text: string) => {
      const tail = lastLines(text);
      return tail ? `: ${opts.redact ? tail.replaceAll(opts.redact, '[text]') : tail}` : '';
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      // Not waiting for 'close': a grandchild that left the group may hold stderr open.
      setTimeout(() => fail(new BereikError('TTS_FAILED', `tts: ${cmd} did not finish within ${opts.timeoutMs} ms and was killed${tailOf(stderr)}`)), 50).unref();
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new BereikError('TTS_FAILED', `tts: cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const finish = () => {
        if (code === 0 && !timedOut && !settled) {
          settled = true;
          return resolve();
        }
        const why = timedOut ? `did not finish within ${opts.timeoutMs} ms and was killed` : `failed (${signal ?? `exit ${code}`})`;
        fail(new BereikError('TTS_FAILED', `tts: ${cmd} ${why}${tailOf(stderr)}`));
      };
      if (out) out.end(finish);
      else finish();
    });
    child.stdin!.on('error', () => undefined); // the close handler reports the failure
    child.stdin!.end(opts.input ?? '');
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** "line | line | line": the program's last words on stderr. */
function lastLines(stderr: string): string {
  return stderr.trim().split('\n').slice(-STDERR_LINES).map((l) => l.trim()).filter(Boolean).join(' | ').slice(-600);
}

/** Any audio sox reads → the cache's format: 8 kHz, mono, 16-bit signed PCM WAV. -R: the same input gives the same bytes. */
export function toCacheWav(inPath: string, outPath: string, timeoutMs = 30_000, inType?: string): Promise<void> {
  const input = inType ? ['-t', inType, inPath] : [inPath];
  return runProcess('sox', ['-R', ...input, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'wav', outPath], { timeoutMs });
}
