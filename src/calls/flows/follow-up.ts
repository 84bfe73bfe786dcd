/**
 * The automated follow-up for a confirmed debtor: the claim message (creditor, amount,
 * due date, invoice), then the menu the segment allows, then what the chosen option does.
 *
 * "Message heard" is recorded when the claim message played to its end, or when the
 * debtor chose a valid menu option (a valid key during the message shows they heard
 * enough to act on it). A hang-up or a wrong key during the message does not count.
 */
import { claimParts } from '../personal-prompts.ts';
import type { CallCase, CallResultCode, MenuAction } from '../deps.ts';
import { MENU, actionForKey, menuOrder } from '../menu.ts';
import type { CallSession } from '../session.ts';
import { ask } from '../steps/ask.ts';

/** How often "9" may replay the message before the call closes. */
const MAX_REPEATS = 3;

export async function followUp(s: CallSession, c: CallCase, actions: readonly MenuAction[]): Promise<CallResultCode> {
  if (!s.identityConfirmed) throw new Error('followUp() before the identity was confirmed');
  const offered = menuOrder(actions);
  const message = await s.prompts(claimParts(c));
  const menu = await s.menuPrompt(offered);
  for (let repeats = 0; ; repeats++) {
    s.setState('message');
    const r = await ask(s, {
      prompts: [message, menu],
      reprompts: [menu],
      valid: offered.map((a) => MENU[a].key),
      onPromptDone: (i) => {
        if (i !== 0) return;
        s.markMessageHeard();
        s.setState('menu');
      },
    });
    if (r.kind === 'gave_up') return (s.result = 'no_choice');
    s.markMessageHeard();
    s.setState('menu');
    const option = MENU[actionForKey(offered, r.key)!];
    if (option.run !== 'repeat') return option.run(s, c);
    if (repeats >= MAX_REPEATS) return (s.result = 'no_choice');
  }
}
