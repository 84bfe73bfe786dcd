/**
 * Test audio made with sox: tones stand in for a speaker's takes (each key its own pitch,
 * so each take is its own file), and the bad takes an admin might upload.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A take: `seconds` of tone at -6 dBFS, 44.1 kHz stereo, with half a second of silence either side. */
export function toneTake(dir: string, name: string, opts: { seconds?: number; hz?: number; rate?: number; channels?: number } = {}): string {
  const path = join(dir, `${name}.wav`);
  const { seconds = 0.6, hz = 440, rate = 44100, channels = 2 } = opts;
  execFileSync('sox', ['-n', '-r', String(rate), '-c', String(channels), '-b', '16', path, 'synth', String(seconds), 'sine', String(hz), 'gain', '-6', 'pad', '0.5', '0.5']);
  return path;
}

/** The bad takes, each with the code it must be refused with. */
export function badTakes(dir: string): Array<{ name: string; path: string; code: string; why: RegExp }> {
  const p = (n: string) => join(dir, n);
  execFileSync('sox', ['-n', '-r', '8000', '-b', '16', p('silent.wav'), 'trim', '0', '3']);
  execFileSync('sox', ['-n', '-r', '44100', '-b', '16', p('clipped.wav'), 'synth', '2', 'sine', '440', 'gain', '+10'], { stdio: 'ignore' });
  execFileSync('sox', ['-n', '-r', '8000', '-b', '16', p('long.wav'), 'synth', '70', 'sine', '300', 'gain', '-10']);
  writeFileSync(p('notes.wav'), 'Dit is geen geluid, maar tekst met een .wav-naam.\n');
  writeFileSync(p('empty.wav'), '');
  // A RIFF/WAVE header cut off after 20 bytes: looks like WAV, holds nothing sox can read.
  writeFileSync(p('cut.wav'), Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00', 'binary'));
  return [
    { name: 'silent', path: p('silent.wav'), code: 'RECORDING_SILENT', why: /silent \(loudest sample -\d+\.\d dBFS, below -50\)/ },
    { name: 'clipped', path: p('clipped.wav'), code: 'RECORDING_CLIPPED', why: /clipped \(peak 0\.0 dBFS/ },
    { name: 'too long', path: p('long.wav'), code: 'RECORDING_TOO_LONG', why: /70\.0 s of sound after trimming the silence; at most 60 s/ },
    { name: 'text', path: p('notes.wav'), code: 'RECORDING_NOT_AUDIO', why: /not a WAV \(RIFF\/WAVE\) or MP3 file/ },
    { name: 'empty', path: p('empty.wav'), code: 'RECORDING_NOT_AUDIO', why: /the upload is empty/ },
    { name: 'cut off', path: p('cut.wav'), code: 'RECORDING_NOT_AUDIO', why: /not audio sox can read/ },
  ];
}
