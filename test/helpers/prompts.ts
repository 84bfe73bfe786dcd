/** The shipped prompt catalogue (prompts/<lang>.json), loaded once for tests that say what a caller hears. */
import { loadPrompts } from '../../src/tts/prompts.ts';

export const prompts = loadPrompts();
export const renderPrompt: typeof prompts.render = (key, lang, vars) => prompts.render(key, lang, vars);
