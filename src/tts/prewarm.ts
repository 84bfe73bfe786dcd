/**
 * Renders a campaign's prompts before its first call, so no debtor waits for TTS.
 * That matters most for abandoned_info, which Ofcom wants playing within a second.
 * prewarmPrompts: the prompts every call of the campaign says alike; prerenderPersonal:
 * the per-contact ones (identity question, claim message), within a count and size
 * budget so a large campaign cannot fill the cache (src/calls/prerender.ts feeds it).
 */
import type { Language } from '../campaigns/settings.ts';
import { PROMPT_KEYS, type PromptKey, type PromptVars, type TtsEngine } from './types.ts';
import type { MenuOption, PromptCatalog } from './prompts.ts';
import { placeholdersOf } from './template.ts';

const PREWARM_CONCURRENCY = 2;

export interface PrewarmResult {
  rendered: PromptKey[];
  /** Menus rendered, one per option set. */
  menus: number;
  /** Prompts that failed to render, with why (the campaign can still run; calls render them late). */
  failed: Array<{ key: string; message: string }>;
}

export interface PrewarmInput {
  lang: Language;
  /** Values known for the whole campaign: callerName, callbackNumber. */
  vars?: PromptVars;
  /** The option sets the campaign's segments allow, e.g. [['paylink','repeat'], ['paylink','agent','dispute','repeat']]. */
  menus?: MenuOption[][];
  catalog: PromptCatalog;
}

export async function prewarmPrompts(tts: TtsEngine, input: PrewarmInput): Promise<PrewarmResult> {
  const catalog = input.catalog;
  const vars = input.vars ?? {};
  const result: PrewarmResult = { rendered: [], menus: 0, failed: [] };
  const jobs: Array<{ key: string; text: () => string; done: () => void }> = [];
  for (const key of PROMPT_KEYS) {
    if (key === 'menu' || key.startsWith('menu_option_')) continue;
    const needs = placeholdersOf(catalog.template(key, input.lang)).map((p) => p.name);
    if (needs.every((name) => vars[name] !== undefined)) {
      jobs.push({ key, text: () => catalog.render(key, input.lang, vars), done: () => void result.rendered.push(key) });
    }
  }
  for (const options of input.menus ?? []) {
    jobs.push({ key: `menu(${options.join(',')})`, text: () => catalog.menuText(options, input.lang), done: () => void result.menus++ });
  }
  await inPool(jobs, PREWARM_CONCURRENCY, async (job) => {
    try {
      await tts.render(job.text(), input.lang, { patient: true });
      job.done();
    } catch (err) {
      result.failed.push({ key: job.key, message: (err as Error).message });
    }
  });
  return result;
}

/** A few at a time: espeak-ng is CPU-bound, a cloud service has a quota, and calls may already be running. */
async function inPool<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = it.next(); !next.done; next = it.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** One contact's personalised prompts, as the call will say them. */
export interface PersonalPrompts {
  lang: Language;
  /** The debtor they speak about (the owner ledger: erasure deletes the audio). */
  owner?: number;
  texts: string[];
}

export interface PrerenderLimits {
  /** Contacts at most (the caller reads no more than this from the store either). */
  maxContacts: number;
  /** Bytes of audio at most: no contact is started once this much was rendered. */
  maxBytes: number;
  concurrency: number;
  signal?: AbortSignal;
}

export interface PrerenderResult {
  contacts: number;
  renders: number;
  /** Bytes of 8 kHz 16-bit audio the renders stand for (cached or new). */
  bytes: number;
  failed: number;
  stoppedBy: 'done' | 'count' | 'size' | 'aborted';
}

/** The cache's WAV: 8,000 samples of 2 bytes a second, plus its 44-byte header. */
export const wavBytes = (durationMs: number) => 44 + Math.round(durationMs * 16);

export async function prerenderPersonal(tts: TtsEngine, contacts: Iterable<PersonalPrompts>, limits: PrerenderLimits): Promise<PrerenderResult> {
  const result: PrerenderResult = { contacts: 0, renders: 0, bytes: 0, failed: 0, stoppedBy: 'done' };
  // Stops handing out contacts at a limit; those in progress finish.
  function* budgeted(): Generator<PersonalPrompts> {
    for (const c of contacts) {
      if (limits.signal?.aborted) return void (result.stoppedBy = 'aborted');
      if (result.contacts >= limits.maxContacts) return void (result.stoppedBy = 'count');
      if (result.bytes >= limits.maxBytes) return void (result.stoppedBy = 'size');
      result.contacts++;
      yield c;
    }
  }
  await inPool(budgeted(), limits.concurrency, async (c) => {
    for (const text of c.texts) {
      try {
        const out = await tts.render(text, c.lang, { patient: true, owner: c.owner });
        result.renders++;
        result.bytes += wavBytes(out.durationMs);
      } catch {
        result.failed++;
      }
    }
  });
  return result;
}
