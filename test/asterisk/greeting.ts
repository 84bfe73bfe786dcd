/**
 * An answering machine's greeting for SIPp's rtp_stream: espeak-ng speech, resampled by
 * sox to 8 kHz mono u-law (RTP payload 0, what the machine phone's SDP offers). Made once
 * per process; both tools are in CI's apt line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEXT = 'Hello, you have reached the voicemail of John and Mary. We are not home right now. Please leave your name and number after the tone, and we will call you back.';

let cached: Buffer | undefined;

export function greetingWav(): Buffer {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'greeting-'));
  try {
    const raw = join(dir, 'speech.wav');
    const out = join(dir, 'greeting.wav');
    execFileSync('espeak-ng', ['-v', 'en', '-s', '150', '-w', raw, TEXT]);
    execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-e', 'u-law', out]);
    cached = readFileSync(out);
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
