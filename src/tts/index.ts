/** What the rest of Bereik uses from tts/: engines, prompt text, prewarm, the media route. */
export type { TtsEngine, RenderedPrompt, RenderOptions, Listener, PromptVars, PromptKey } from './types.ts';
export { PROMPT_KEYS } from './types.ts';
export { createTts, mediaOptions } from './create.ts';
export { EspeakTts } from './espeak.ts';
export { SilentTts } from './silent.ts';
export { loadPrompts, PromptCatalog, MENU_DIGITS, LANGUAGES, DEFAULT_PROMPTS_DIR, type MenuOption } from './prompts.ts';
export { prewarmPrompts, type PrewarmResult } from './prewarm.ts';
export { ttsMediaRoutes } from './media-routes.ts';
export { amountInWords, dateInWords, spellOut, phoneInWords } from './words.ts';
