/**
 * The menu a debtor hears after the claim message: which key does what. Adding an option
 * is one line here (what it does) plus its digit and wording in src/tts/prompts.ts;
 * routing decides which options a segment offers.
 */
import type { PromptKey } from '../tts/types.ts';
import { MENU_DIGITS } from '../tts/prompts.ts';
import type { CallCase, CallResultCode, MenuAction } from './deps.ts';
import type { CallSession } from './session.ts';
import { sendPayLink } from './actions/pay-link.ts';
import { putThrough } from './actions/agent.ts';
import { recordDispute } from './actions/dispute.ts';

export interface MenuEntry {
  key: string;
  prompt: PromptKey;
  /** What choosing it does; 'repeat' plays the message again. */
  run: ((s: CallSession, c: CallCase) => Promise<CallResultCode>) | 'repeat';
}

export const MENU: Record<MenuAction, MenuEntry> = {
  paylink: { key: MENU_DIGITS.paylink, prompt: 'menu_option_paylink', run: sendPayLink },
  agent: { key: MENU_DIGITS.agent, prompt: 'menu_option_agent', run: (s, c) => putThrough(s, c, 'menu') },
  dispute: { key: MENU_DIGITS.dispute, prompt: 'menu_option_dispute', run: recordDispute },
  repeat: { key: MENU_DIGITS.repeat, prompt: 'menu_option_repeat', run: 'repeat' },
};

/** These options in menu order (by key), each once. */
export function menuOrder(actions: readonly MenuAction[]): MenuAction[] {
  return [...new Set(actions)].sort((a, b) => MENU[a].key.localeCompare(MENU[b].key));
}

/** The option a key chooses among those offered, if any. */
export function actionForKey(offered: readonly MenuAction[], key: string): MenuAction | undefined {
  return offered.find((a) => MENU[a].key === key);
}
