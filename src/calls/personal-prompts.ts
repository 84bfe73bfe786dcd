/**
 * The words of a call's personalised prompts, as pure functions of the case: the session
 * speaks them (src/calls/session.ts), and the pre-render (src/calls/prerender.ts) renders
 * the same text before the call, so the call finds it in the TTS cache. One definition,
 * so the two can never drift apart by a space.
 */
import type { CampaignSettings, Language } from '../campaigns/settings.ts';
import type { PromptKey, PromptVars } from '../tts/types.ts';
import type { CallCase, PromptTexts } from './deps.ts';
import { mergeTts, planPrompt, type PlannedPart, type RecordingSet } from '../recordings/compose.ts';

export type PromptParts = ReadonlyArray<readonly [PromptKey, PromptVars]>;

/** The debtor's language, else the campaign's, else the service's. */
export function caseLanguage(c: CallCase, fallback: Language): Language {
  return c.debtor.language ?? c.campaign?.language ?? fallback;
}

/** Values every prompt of a call may use: who calls, and the number to call back. */
export function baseVars(settings: CampaignSettings, c: CallCase | null | undefined): PromptVars {
  return { callerName: settings.callerName, callbackNumber: c?.campaign?.callerId };
}

/** Several prompts said as one piece of audio. */
export function promptText(catalog: PromptTexts, lang: Language, parts: PromptParts, base: PromptVars): string {
  return parts.map(([key, vars]) => catalog.render(key, lang, { ...base, ...vars })).join(' ');
}

/**
 * Several prompts as the parts a debtor hears: without recordings one synthesised sentence
 * (promptText); with them, recordings and the values between them (src/recordings/compose.ts).
 */
export function plannedParts(catalog: PromptTexts, lang: Language, parts: PromptParts, base: PromptVars, set: RecordingSet | undefined): PlannedPart[] {
  if (!set?.size) return [{ source: 'tts', text: promptText(catalog, lang, parts, base) }];
  return mergeTts(parts.flatMap(([key, vars]) => planPrompt(catalog, key, lang, { ...base, ...vars }, set)));
}

/** "Spreek ik met {debtorName}?": only the name, before the identity is confirmed. */
export function identityParts(c: CallCase): PromptParts {
  return [['identity_check', { debtorName: c.debtor.name }]];
}

export function claimVars(c: CallCase): PromptVars {
  return {
    debtorName: c.debtor.name,
    creditor: c.claim.creditor,
    amountCents: c.claim.amountCents,
    currency: c.claim.currency,
    dueDate: c.claim.dueDate ?? undefined,
    invoiceRef: c.claim.invoiceRef,
  };
}

/**
 * The claim message: the CSV's due date is optional, and without it the message says
 * nothing about when. Other open claims are named after it (how many, their total), so the
 * debtor hears the whole.
 */
export function claimParts(c: CallCase): PromptParts {
  const parts: [PromptKey, PromptVars][] = [[c.claim.dueDate ? 'claim_message' : 'claim_message_no_due_date', claimVars(c)]];
  const other = c.otherOpen;
  if (other && other.count > 0) parts.push([other.count === 1 ? 'other_claims_one' : 'other_claims', { otherCount: other.count, otherCents: other.amountCents }]);
  return parts;
}
