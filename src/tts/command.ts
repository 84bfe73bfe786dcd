/**
 * Any local TTS program (Piper with a Dutch voice model, Coqui, a vendor's CLI) behind the
 * one interface. The operator gives the command as an argv array, never a shell line, so a
 * name in the text cannot become a shell command:
 *
 *   ["piper", "--model", "{voice}", "--output_file", "{out}"]      text on stdin
 *   ["my-tts", "--in", "{textFile}", "--voice", "{voice}", "-o", "{out}"]
 *
 * {text} puts the text in an argument, {textFile} in a UTF-8 file; with neither the text
 * goes to stdin. Without {out} the program's stdout is taken as the audio. Whatever WAV it
 * writes (Piper: 22 kHz), sox turns it into the cache's 8 kHz 16-bit mono WAV.
 */
import { rm, writeFile } from 'node:fs/promises';
import type { Language } from '../campaigns/settings.ts';
import { CachedTts, type MediaOptions } from './cache.ts';
import type { Listener } from './types.ts';
import { runProcess, toCacheWav } from './process.ts';

export interface CommandOptions extends MediaOptions {
  /** The program and its arguments, with placeholders {text}, {textFile}, {voice}, {out}. */
  argv: readonly string[];
  /** Per language: the voice or model file handed to {voice}. */
  voices: Record<Language, string>;
  /** A render taking longer is killed (its whole process group). */
  timeoutMs: number;
}

export const COMMAND_PLACEHOLDERS = ['{text}', '{textFile}', '{voice}', '{out}'] as const;

export class CommandTts extends CachedTts {
  protected readonly engine: string;

  constructor(private readonly opts: CommandOptions) {
    super(opts);
    if (opts.argv.length === 0 || !opts.argv[0]) throw new RangeError('tts.command.argv: needs at least the program');
    // Another program or other arguments speak differently: their audio gets other cache files.
    this.engine = `command\0${opts.argv.join('\0')}`;
  }

  protected voiceFor(lang: Language): string {
    return this.opts.voices[lang] ?? this.opts.voices.nl;
  }

  protected async produce(text: string, voice: string, outPath: string, _listener: Listener): Promise<void> {
    const raw = `${outPath}.command.wav`;
    const textFile = `${outPath}.txt`;
    const uses = (p: string) => this.opts.argv.some((a) => a.includes(p));
    const started = Date.now();
    try {
      if (uses('{textFile}')) await writeFile(textFile, text, { mode: 0o600 });
      const [cmd, ...args] = this.opts.argv.map((a) =>
        a.replaceAll('{textFile}', textFile).replaceAll('{text}', text).replaceAll('{voice}', voice).replaceAll('{out}', raw),
      );
      await runProcess(cmd!, args, {
        input: uses('{text}') || uses('{textFile}') ? '' : text,
        timeoutMs: this.opts.timeoutMs,
        redact: text,
        ...(uses('{out}') ? {} : { stdoutTo: raw }),
      });
      // The conversion shares the render's time budget.
      await toCacheWav(raw, outPath, Math.max(1000, this.opts.timeoutMs - (Date.now() - started)));
    } finally {
      await Promise.all([rm(raw, { force: true }), rm(textFile, { force: true })]);
    }
  }
}
