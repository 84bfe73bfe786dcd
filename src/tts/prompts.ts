/**
 * The prompt catalogue: prompts/<lang>.json, one key per prompt, edited by operators
 * without touching code. Loading checks every key in every language, every placeholder,
 * and the limited-content rules below, and names file, key and placeholder on error.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config/load.ts';
import { BereikError } from '../lib/errors.ts';
import type { Language } from '../campaigns/settings.ts';
import { PROMPT_KEYS, type PromptKey, type PromptVars } from './types.ts';
import { parseTemplate, placeholdersOf, formatValue, TemplateError, type Placeholder, type Template } from './template.ts';
import { LIMITED_CONTENT, forbiddenWordsIn, withoutForbiddenWords } from './limited-content.ts';

export const LANGUAGES: readonly Language[] = ['nl', 'en'];
export const DEFAULT_PROMPTS_DIR = join(PROJECT_ROOT, 'prompts');

export type MenuOption = 'paylink' | 'agent' | 'dispute' | 'repeat';
/** The key that picks each menu option (DESIGN.md: 1 pay link, 2 agent, 3 dispute, 9 repeat). */
export const MENU_DIGITS: Record<MenuOption, string> = { paylink: '1', agent: '2', dispute: '3', repeat: '9' };

/** Placeholders reserved for the menu; other prompts get them from menuText only. */
const MENU_ONLY: Partial<Record<PromptKey, string>> = {
  menu: 'options',
  menu_option_paylink: 'digit',
  menu_option_agent: 'digit',
  menu_option_dispute: 'digit',
  menu_option_repeat: 'digit',
};

/** Text with something to say in it (not only spaces and punctuation). */
const SPOKEN = /[\p{L}\p{N}]/u;

export type PromptPiece =
  | { kind: 'fixed'; text: string; /** null: only spaces or punctuation, nothing to record */ index: number | null }
  | { kind: 'value'; text: string; placeholder: Placeholder; value: string | number };

export class PromptCatalog {
  constructor(
    readonly dir: string,
    private readonly templates: Record<Language, Record<PromptKey, Template>>,
  ) {}

  template(key: PromptKey, lang: Language): Template {
    return this.templates[lang][key];
  }

  /** The text to speak. Throws PROMPT_INVALID when a value the prompt needs is missing or wrong. */
  render(key: PromptKey, lang: Language, vars: PromptVars = {}): string {
    return this.pieces(key, lang, vars).map((p) => p.text).join('').replace(/\s+/g, ' ').trim();
  }

  /**
   * The prompt as fixed pieces and the values said between them (a recorded prompt plays the
   * pieces from recordings and says the values: src/recordings/compose.ts). A fixed piece's
   * `index` counts only pieces with words in them, the ones a speaker records.
   */
  pieces(key: PromptKey, lang: Language, vars: PromptVars = {}): PromptPiece[] {
    const limited = LIMITED_CONTENT[key];
    const out: PromptPiece[] = [];
    let index = 0;
    for (const part of this.template(key, lang).parts) {
      if (typeof part === 'string') {
        out.push(SPOKEN.test(part) ? { kind: 'fixed', text: part, index: index++ } : { kind: 'fixed', text: part, index: null });
        continue;
      }
      let text: string;
      try {
        text = formatValue(part, vars, lang);
      } catch (err) {
        if (err instanceof TemplateError) throw promptError(`prompt "${key}" (${lang}): ${err.message}`);
        throw err;
      }
      // A caller name like "Bereik Incasso" would tell whoever hears a limited-content
      // message that this is about a debt: the name is spoken without such words.
      if (limited && part.formatter === 'text') {
        text = withoutForbiddenWords(text);
        if (!text) throw promptError(`prompt "${key}" (${lang}): {${part.name}} = only words a limited-content message may not say`);
      }
      out.push({ kind: 'value', text, placeholder: part, value: vars[part.name]! });
    }
    return out;
  }

  /** The menu the debtor's segment allows, in the order given. */
  menuText(options: readonly MenuOption[], lang: Language): string {
    if (options.length === 0) throw promptError('menuText: no options given');
    const lines = options.map((o) => {
      if (!(o in MENU_DIGITS)) throw promptError(`menuText: unknown option "${o}" (known: ${Object.keys(MENU_DIGITS).join(', ')})`);
      return this.render(`menu_option_${o}`, lang, { digit: MENU_DIGITS[o] });
    });
    return this.render('menu', lang, { options: lines.join(' ') });
  }
}

function promptError(message: string, details?: unknown): BereikError {
  return new BereikError('PROMPT_INVALID', message, details);
}

/** Reads and checks prompts/<lang>.json for every language. */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): PromptCatalog {
  const root = resolve(dir);
  const templates = {} as Record<Language, Record<PromptKey, Template>>;
  for (const lang of LANGUAGES) {
    const file = join(root, `${lang}.json`);
    if (!existsSync(file)) throw promptError(`prompts: ${file} does not exist (every language needs one: ${LANGUAGES.join(', ')})`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw promptError(`prompts: ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw promptError(`prompts: ${file} must hold one JSON object`);
    templates[lang] = checkFile(file, raw as Record<string, unknown>);
  }
  return new PromptCatalog(root, templates);
}

function checkFile(file: string, raw: Record<string, unknown>): Record<PromptKey, Template> {
  const known = new Set<string>(PROMPT_KEYS);
  for (const key of Object.keys(raw)) {
    // Keys starting with "_" are operators' comments.
    if (!key.startsWith('_') && !known.has(key)) throw promptError(`prompts: ${file}: unknown key "${key}" (known: ${PROMPT_KEYS.join(', ')})`);
  }
  const out = {} as Record<PromptKey, Template>;
  for (const key of PROMPT_KEYS) {
    const where = `prompts: ${file}, key "${key}"`;
    const text = raw[key];
    if (typeof text !== 'string' || text.trim() === '') throw promptError(`${where}: missing (every language needs every prompt)`);
    let t: Template;
    try {
      t = parseTemplate(text);
    } catch (err) {
      throw promptError(`${where}: ${(err as Error).message}`);
    }
    const names = placeholdersOf(t).map((p) => p.name);
    const limited = LIMITED_CONTENT[key];
    for (const name of names) {
      const reserved = Object.values(MENU_ONLY).includes(name) && MENU_ONLY[key] !== name;
      if (reserved || (limited && !limited.includes(name))) {
        const allowed = limited ?? (MENU_ONLY[key] ? [MENU_ONLY[key]] : []);
        throw promptError(`${where}: placeholder {${name}} is not allowed here${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`);
      }
    }
    if (MENU_ONLY[key] && !names.includes(MENU_ONLY[key])) throw promptError(`${where}: needs the placeholder {${MENU_ONLY[key]}}`);
    const bad = limited ? forbiddenWordsIn(t.parts.filter((p) => typeof p === 'string').join(' ')) : [];
    if (bad.length) throw promptError(`${where}: a limited-content prompt may not say ${bad.map((w) => `"${w}"`).join(', ')}`);
    out[key] = t;
  }
  return out;
}
