/**
 * What a debtor hears for a prompt when recordings exist: the prompt is split where the
 * words change, the fixed pieces play from their recordings, and each value between them
 * (a name, an amount, a date) is said by recorded number words when the set has every
 * word it needs, or synthesised otherwise. A prompt missing any fixed piece is synthesised
 * whole, so a sentence never switches voice halfway through its fixed words.
 *
 * Planning is pure (the recording set is a value); realising renders the synthesised parts.
 */
import type { Language } from '../campaigns/settings.ts';
import { MENU_DIGITS, type MenuOption, type PromptPiece } from '../tts/prompts.ts';
import type { PromptKey, PromptVars, RenderOptions, RenderedPrompt, TtsEngine } from '../tts/types.ts';
import { amountWords, cardinalWords, dateWords, phoneWords, spelledWords, WORD_KEYS } from './number-words.ts';

export interface RecordedItem {
  key: string;
  /** A prompt piece: its words when recorded (null for a number word). */
  text: string | null;
  /** The converted take's file name (<sha256>.wav). */
  file: string;
  media: string;
  durationMs: number;
}

/** One language's recordings at one version, by key. */
export type RecordingSet = ReadonlyMap<string, RecordedItem>;

export type PlannedPart =
  | { source: 'recording'; key: string; text: string; file: string; media: string; durationMs: number }
  | { source: 'tts'; text: string };

export interface PromptPieces {
  pieces(key: PromptKey, lang: Language, vars: PromptVars): PromptPiece[];
  render(key: PromptKey, lang: Language, vars: PromptVars): string;
}


interface Plan {
  parts: PlannedPart[];
  /** Every fixed piece had its recording. */
  complete: boolean;
}

const normal = (t: string) => t.replace(/\s+/g, ' ').trim();

/** The key a prompt's n-th fixed piece is recorded under: "claim_message.0". */
export const pieceKey = (key: PromptKey, index: number) => `${key}.${index}`;

/** The recorded words that say this value, or null when the value is not one words can say. */
export function wordsFor(piece: Extract<PromptPiece, { kind: 'value' }>, lang: Language, vars: PromptVars): string[] | null {
  const { value, placeholder } = piece;
  switch (placeholder.formatter) {
    case 'amount':
      return typeof value === 'number' ? amountWords(value, lang, vars.currency) : null;
    case 'rounded':
      return typeof value === 'number' ? amountWords(Math.round(value / 100) * 100, lang, vars.currency) : null;
    case 'date':
      return dateWords(String(value), lang);
    case 'phone':
      return phoneWords(String(value), lang);
    case 'spell':
      return spelledWords(String(value), lang);
    case 'text':
      // The menu's key and the count of other claims are numbers said as text.
      return /^\d{1,9}$/.test(String(value)) && (placeholder.name === 'digit' || placeholder.name === 'otherCount') ? cardinalWords(Number(value), lang) : null;
    default:
      return null;
  }
}

function planPieces(pieces: PromptPiece[], owner: PromptKey, lang: Language, vars: PromptVars, set: RecordingSet, expand?: (p: Extract<PromptPiece, { kind: 'value' }>) => Plan | null): Plan {
  const parts: PlannedPart[] = [];
  let complete = true;
  for (const piece of pieces) {
    if (piece.kind === 'fixed') {
      if (piece.index === null) continue;
      const rec = set.get(pieceKey(owner, piece.index));
      // Recorded for other words (the prompt file was edited since): not this piece any more.
      if (!rec || rec.text === null || normal(rec.text) !== normal(piece.text)) {
        complete = false;
        continue;
      }
      parts.push({ source: 'recording', key: rec.key, text: normal(piece.text), file: rec.file, media: rec.media, durationMs: rec.durationMs });
      continue;
    }
    const expanded = expand?.(piece);
    if (expanded) {
      complete &&= expanded.complete;
      parts.push(...expanded.parts);
      continue;
    }
    const words = wordsFor(piece, lang, vars);
    const recorded = words?.map((k) => set.get(k));
    if (words && recorded?.every((r) => r !== undefined)) {
      recorded.forEach((r, i) => parts.push({ source: 'recording', key: r!.key, text: WORD_KEYS.get(words[i]!)?.[lang] ?? words[i]!, file: r!.file, media: r!.media, durationMs: r!.durationMs }));
    } else {
      // A word missing from the set: the whole value is synthesised, not half of it.
      parts.push({ source: 'tts', text: normal(piece.text) });
    }
  }
  return { parts, complete };
}

/** The parts of one prompt, in order. Without a full recording of its fixed pieces: one synthesised part. */
export function planPrompt(catalog: PromptPieces, key: PromptKey, lang: Language, vars: PromptVars, set: RecordingSet | undefined): PlannedPart[] {
  if (!set?.size) return [{ source: 'tts', text: catalog.render(key, lang, vars) }];
  const plan = planPieces(catalog.pieces(key, lang, vars), key, lang, vars, set);
  return plan.complete ? mergeTts(plan.parts) : [{ source: 'tts', text: catalog.render(key, lang, vars) }];
}

/** The menu: its own pieces, with the option lines (each a prompt of its own) in place of {options}. */
export function planMenu(catalog: PromptPieces & { menuText(o: readonly MenuOption[], l: Language): string }, options: readonly MenuOption[], lang: Language, set: RecordingSet | undefined): PlannedPart[] {
  const whole = (): PlannedPart[] => [{ source: 'tts', text: catalog.menuText(options, lang) }];
  if (!set?.size) return whole();
  const lines = options.map((o) => {
    const key = `menu_option_${o}` as PromptKey;
    const vars = { digit: MENU_DIGITS[o] };
    return planPieces(catalog.pieces(key, lang, vars), key, lang, vars, set);
  });
  const text = catalog.menuText(options, lang);
  const optionsText = lines.map((l) => l.parts.map((p) => p.text).join(' ')).join(' ');
  const plan = planPieces(catalog.pieces('menu', lang, { options: optionsText }), 'menu', lang, {}, set, (p) =>
    p.placeholder.name === 'options' ? { parts: lines.flatMap((l) => l.parts), complete: lines.every((l) => l.complete) } : null,
  );
  return plan.complete ? mergeTts(plan.parts) : [{ source: 'tts', text }];
}

/** Neighbouring synthesised parts become one render (one file, natural prosody across them). */
export function mergeTts(parts: readonly PlannedPart[]): PlannedPart[] {
  const out: PlannedPart[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (p.source === 'tts' && last?.source === 'tts') out[out.length - 1] = { source: 'tts', text: `${last.text} ${p.text}` };
    else out.push(p);
  }
  return out;
}

/** Recorded parts in a row as one file (src/recordings/library.ts: RecordingLibrary.join). */
export type JoinRecordings = (parts: ReadonlyArray<Extract<PlannedPart, { source: 'recording' }>>) => Promise<RenderedPrompt>;

/**
 * Plays as one prompt: a single synthesised part is the engine's own render (what the call
 * did before recordings existed, so pre-rendered audio is found); otherwise the parts in
 * order as `items`, the synthesised ones rendered in parallel. Recorded parts in a row are
 * joined into one file by `join`: a fully recorded claim message is some 30 takes, and
 * every item is a `media=` in the play request's URL, which Asterisk cuts at 4096 bytes.
 */
export async function realise(parts: readonly PlannedPart[], tts: TtsEngine, lang: Language, join?: JoinRecordings, opts?: RenderOptions): Promise<RenderedPrompt> {
  if (parts.length === 1 && parts[0]!.source === 'tts') return tts.render(parts[0]!.text, lang, opts);
  const groups: PlannedPart[][] = [];
  for (const p of parts) {
    const last = groups.at(-1);
    if (join && p.source === 'recording' && last?.[0]?.source === 'recording') last.push(p);
    else groups.push([p]);
  }
  const items = await Promise.all(
    groups.map(async (g): Promise<RenderedPrompt> => {
      const p = g[0]!;
      if (p.source === 'tts') return tts.render(p.text, lang, opts);
      if (g.length > 1 && join) return join(g as Array<Extract<PlannedPart, { source: 'recording' }>>);
      return { media: p.media, durationMs: p.durationMs, text: p.text };
    }),
  );
  if (items.length === 1) return items[0]!;
  return {
    media: items[0]!.media,
    durationMs: items.reduce((sum, i) => sum + i.durationMs, 0),
    text: items.map((i) => i.text).join(' '),
    items,
  };
}
