/**
 * Renders a campaign's prompts before its first call, so no debtor waits for TTS.
 * That matters most for abandoned_info, which Ofcom wants playing within a second.
 * Prompts that need per-debtor values (name, amount) are left for the call itself.
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
  // A few at a time: espeak-ng is CPU-bound and calls may already be running.
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      try {
        await tts.render(job.text(), input.lang);
        job.done();
      } catch (err) {
        result.failed.push({ key: job.key, message: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: PREWARM_CONCURRENCY }, worker));
  return result;
}
