/**
 * Every prompt as a debtor will hear it, for a sample case: the ordered parts (which come
 * from a recording, which are synthesised) and one WAV of the whole, so an operator can
 * listen before a campaign dials anyone.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { Language } from '../campaigns/settings.ts';
import { DEFAULT_SETTINGS } from '../campaigns/settings.ts';
import { MENU_DIGITS, type MenuOption, type PromptCatalog } from '../tts/prompts.ts';
import { PROMPT_KEYS, type PromptKey, type PromptVars, type RenderedPrompt, type TtsEngine } from '../tts/types.ts';
import { planMenu, planPrompt, realise, type JoinRecordings, type PlannedPart, type RecordingSet } from './compose.ts';

const run = promisify(execFile);

/** The case every preview speaks about: made up, with each kind of value a prompt can hold. */
export const SAMPLE_VARS: PromptVars = {
  callerName: DEFAULT_SETTINGS.callerName,
  callbackNumber: '+31201234567',
  debtorName: 'Jan Jansen',
  creditor: 'Energie Noord',
  amountCents: 1234_56,
  currency: 'EUR',
  dueDate: '2026-12-31',
  invoiceRef: '2026001',
  otherCount: 2,
  otherCents: 200_00,
  risk: 'medium',
  pressed: 'menukeuze',
};

const ALL_OPTIONS = Object.keys(MENU_DIGITS) as MenuOption[];

/** The parts of one prompt for the sample case (the menu with every option). */
export function previewParts(catalog: PromptCatalog, key: PromptKey, lang: Language, set: RecordingSet | undefined): PlannedPart[] {
  if (key === 'menu') return planMenu(catalog, ALL_OPTIONS, lang, set);
  const option = /^menu_option_(\w+)$/.exec(key)?.[1] as MenuOption | undefined;
  return planPrompt(catalog, key, lang, option ? { digit: MENU_DIGITS[option] } : SAMPLE_VARS, set);
}

export function previewAll(catalog: PromptCatalog, lang: Language, set: RecordingSet | undefined): Array<{ key: PromptKey; parts: PlannedPart[] }> {
  return PROMPT_KEYS.map((key) => ({ key, parts: previewParts(catalog, key, lang, set) }));
}

/**
 * The audio files behind rendered media: both the TTS cache and the recordings name their
 * files by a SHA-256, whatever path or URL Asterisk is given.
 */
export function fileOfMedia(media: string, dirs: readonly string[]): string | undefined {
  const name = basename(media.replace(/^sound:/, '')).replace(/\.wav$/, '');
  return dirs.map((d) => join(d, `${name}.wav`)).find((p) => existsSync(p));
}

/** One prompt for the sample case as a WAV: its parts in order, joined by sox (all are 8 kHz mono 16-bit). */
export async function previewWav(parts: readonly PlannedPart[], tts: TtsEngine, lang: Language, dirs: readonly string[], joinTakes?: JoinRecordings): Promise<{ wav: Buffer; rendered: RenderedPrompt }> {
  const rendered = await realise(parts, tts, lang, joinTakes);
  const files = (rendered.items ?? [rendered]).map((i) => {
    const f = fileOfMedia(i.media, dirs);
    if (!f) throw new Error(`preview: no audio file behind ${i.media}`);
    return f;
  });
  const tmp = await mkdtemp(join(tmpdir(), 'bereik-preview-'));
  try {
    const out = join(tmp, 'preview.wav');
    if (files.length === 1) return { wav: await readFile(files[0]!), rendered };
    await run('sox', ['-R', ...files, out], { timeout: 60_000 });
    return { wav: await readFile(out), rendered };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
