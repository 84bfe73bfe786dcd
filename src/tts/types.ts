/**
 * Text to speech, as the call flows see it. The default engine is espeak-ng + sox
 * (src/tts/espeak.ts); a cloud TTS implements the same interface.
 */
import type { Language } from '../campaigns/settings.ts';

export interface RenderedPrompt {
  /** What to hand to Asterisk: sound:/abs/path/without-extension, or sound:http://… */
  media: string;
  /** Length of the audio in ms (the simulator and the flows' timeouts use it). */
  durationMs: number;
  /** The text that was spoken (kept for the call log and tests). */
  text: string;
  /**
   * A prompt made of several files played in a row (recordings with synthesised values
   * between them: src/recordings/compose.ts); `media` is then the first of them.
   */
  items?: readonly RenderedPrompt[];
}

/** Who listens: debtors hear a calm B1 pace; agents, trained listeners, hear the whisper faster. */
export type Listener = 'debtor' | 'agent';

export interface RenderOptions {
  /** Default 'debtor'. */
  listener?: Listener;
  /**
   * Nobody is waiting for this audio (the pre-render): engines in fallback order get all the
   * time they need, so the first engine's voice is cached rather than the next one's.
   */
  patient?: boolean;
  /**
   * The debtor the audio speaks about (a name, an amount): the cache's file is put on that
   * debtor's record in the owner ledger, so erasing the debtor deletes it (docs/data-protection.md).
   */
  owner?: number | undefined;
}

/** Where the cache notes whose audio a file is (src/store/tts-audio.ts); errors are the ledger's to log. */
export interface AudioOwners {
  own(cacheKey: string, debtorId: number): void;
}

export interface TtsEngine {
  /** Renders text in a language's voice to 8 kHz mono audio, cached by text + voice + pace. */
  render(text: string, lang: Language, opts?: RenderOptions): Promise<RenderedPrompt>;
}

/** Values a prompt template may use. Amounts in cents; dates as YYYY-MM-DD. */
export interface PromptVars {
  callerName?: string;
  debtorName?: string;
  creditor?: string;
  amountCents?: number;
  currency?: string;
  dueDate?: string;
  invoiceRef?: string;
  callbackNumber?: string;
  [key: string]: string | number | undefined;
}

/** Prompt keys every language in prompts/ provides. */
export const PROMPT_KEYS = [
  'identity_check',           // "Spreek ik met {debtorName}? Toets 1 voor ja, toets 2 voor nee."
  'identity_not_confirmed',   // polite close, no debt detail
  'claim_message',            // who the creditor is, amount in words, due date, invoice ref
  'claim_message_no_due_date', // the same for a claim imported without a due date
  'other_claims_one',         // after the claim message: one more open invoice, its amount
  'other_claims',             // after the claim message: {otherCount} more open invoices, their total
  'menu',                     // options the segment allows (built from menu_option_* lines)
  'menu_option_paylink',
  'menu_option_agent',
  'menu_option_dispute',
  'menu_option_repeat',
  'invalid_choice',
  'no_input',
  'paylink_sent',
  'paylink_sent_email',
  'agent_requested',
  'dispute_recorded',
  'goodbye',
  'voicemail',                // limited content: who called, number to call back, request to call
  'abandoned_info',           // who called and the number to call back (Ofcom abandoned-call message)
  'inbound_welcome',
  'ask_debtor_number',
  'debtor_not_found',
  'transfer_wait',            // "u wordt doorverbonden"
  'no_agent_available',       // message + callback request recorded
  'agent_whisper',            // to the agent: name, amount, risk, what the debtor pressed
  'recording_notice',         // to the debtor before a recorded conversation (campaign announceRecording)
] as const;
export type PromptKey = (typeof PROMPT_KEYS)[number];
