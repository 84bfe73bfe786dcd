/**
 * The screen pop: what an agent sees about the debtor before speaking, and the whisper
 * they hear. Built from the store when the agent's phone starts ringing.
 */
import type { Language } from '../campaigns/settings.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import type { CaseRepository } from '../store/repositories.ts';
import { OPEN_CLAIM_STATUSES } from '../store/types.ts';
import type { CaseCall, CaseClaim, CaseDebtor } from '../store/agents.ts';
import type { TransferReason, TransferRequest } from './types.ts';

export type CasePhase = 'ringing' | 'whisper' | 'connected' | 'ended';

export interface ScreenPop {
  /** The debtor's call (Bereik call id). */
  callId: string;
  /** The agent leg (calls row with direction 'agent'). */
  agentCallId: string;
  phase: CasePhase;
  reason: TransferReason;
  /** Keys the debtor pressed on this call. */
  dtmfPath: string;
  /** The claim the conversation is about, if known. */
  claimId: number | null;
  debtor: CaseDebtor | null;
  claims: CaseClaim[];
  /** Earlier calls to or from the debtor, newest first, with their keys. */
  history: CaseCall[];
  /** Total of the open claims, in cents. */
  openCents: number;
  /** What the agent heard as the whisper. */
  whisper: string;
  startedAt: string;
  connectedAt: string | null;
  endedAt: string | null;
}

const OPEN = new Set<string>(OPEN_CLAIM_STATUSES);

// Short on purpose: the debtor hears music for as long as the agent hears the whisper.
const REASON_WORDS: Record<Language, Record<TransferReason, string>> = {
  nl: { menu: 'menukeuze', segment: 'direct doorverbonden', callback: 'terugbeller', unknown_caller: 'onbekende beller' },
  en: { menu: 'menu choice', segment: 'put straight through', callback: 'calling back', unknown_caller: 'unknown caller' },
};

/** "menukeuze", "terugbeller" — why the debtor is put through, for the whisper (the keys are on the screen pop). */
export function reasonInWords(reason: TransferReason, lang: Language): string {
  return REASON_WORDS[lang][reason];
}

export function buildScreenPop(cases: Pick<CaseRepository, 'load'>, prompts: PromptCatalog, req: TransferRequest, agentCallId: string, whisperLang: Language, now: string): ScreenPop {
  const found = req.debtorId == null ? undefined : cases.load(req.debtorId);
  const claims = found?.claims ?? [];
  const focus = claims.find((c) => c.id === req.claimId) ?? claims.find((c) => OPEN.has(c.status));
  const debtorName = found?.debtor.name ?? (whisperLang === 'nl' ? 'Onbekende beller' : 'Unknown caller');
  const whisper = prompts.render('agent_whisper', whisperLang, {
    debtorName,
    amountCents: focus?.amountCents ?? 0,
    risk: found?.debtor.risk ?? 'medium',
    pressed: reasonInWords(req.reason, whisperLang),
  });
  return {
    callId: req.callId,
    agentCallId,
    phase: 'ringing',
    reason: req.reason,
    dtmfPath: req.dtmfPath,
    claimId: focus?.id ?? null,
    debtor: found?.debtor ?? null,
    claims,
    history: found?.calls ?? [],
    openCents: claims.filter((c) => OPEN.has(c.status)).reduce((s, c) => s + c.amountCents, 0),
    whisper,
    startedAt: now,
    connectedAt: null,
    endedAt: null,
  };
}
