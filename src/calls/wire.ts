/**
 * Builds the calls module's dependencies from the real parts (store, prompt catalogue,
 * segmentation), so the app wires calls in one line and tests wire them the same way.
 */
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Config } from '../config/schema.ts';
import type { Store } from '../store/repositories.ts';
import { DEFAULT_SETTINGS } from '../campaigns/settings.ts';
import { callEffects, caseFinder } from './from-store.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import type { Call, Telephony } from '../telephony/types.ts';
import type { TtsEngine } from '../tts/types.ts';
import type { AgentDesk, CallDeps, CallSummary, PayLinkSender, RecordingSource } from './deps.ts';
import { MessageComposer } from '../messaging/compose.ts';
import type { CallHandler } from './index.ts';
import { segmentationRouting } from './routing.ts';
import { handlerErrors } from '../lib/handler-errors.ts';

/** A desk with nobody behind it (agentless deployments, or before the agents module is wired). */
export const NO_AGENTS: AgentDesk = {
  hasAgents: () => false,
  transfer: async () => ({ kind: 'no_agent' }),
};

export interface CallDepsOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  tts: TtsEngine;
  /** The prompt catalogue loaded at start (prompts/<lang>.json). */
  prompts: PromptCatalog;
  /** Recorded prompts (src/recordings/library.ts); without them every prompt is synthesised. */
  recordings?: RecordingSource;
  config: Pick<Config, 'inbound' | 'http' | 'messages' | 'email'>;
  /** The app's composer (it pokes the outbox); by default one that only queues. */
  messages?: PayLinkSender;
  agents?: AgentDesk;
  onCallFinished?: (summary: CallSummary) => void;
}

export function createCallDeps(o: CallDepsOptions): CallDeps {
  return {
    clock: o.clock,
    log: o.log.child({ mod: 'calls' }),
    tts: o.tts,
    prompts: o.prompts,
    recordings: o.recordings,
    calls: o.store.calls,
    cases: caseFinder(o.store.cases),
    effects: callEffects(o.store.callEffects, () => isoUtc(o.clock.now())),
    messages:
      o.messages ??
      new MessageComposer({
        store: o.store,
        clock: o.clock,
        publicUrl: o.config.http.publicUrl,
        smsSender: o.config.messages.smsSender,
        emailFrom: o.config.email?.from ?? '',
        linkTtlDays: o.config.messages.linkTtlDays,
      }),
    routing: segmentationRouting,
    agents: o.agents ?? NO_AGENTS,
    unknownCaller: o.config.inbound.unknownCaller,
    defaults: { language: 'nl', settings: DEFAULT_SETTINGS, defaultCountry: 'NL', callerName: DEFAULT_SETTINGS.callerName },
    onCallFinished: o.onCallFinished ?? (() => {}),
    inTransaction: (work) => o.store.transaction(work),
  };
}

/** Runs the flow of every call that enters the app unasked (bereik-inbound). Returns a detach function. */
export function attachInbound(telephony: Telephony, handler: CallHandler, log: Logger): () => void {
  const onInbound = (call: Call) => {
    handler.handle(call).catch((err: unknown) => handlerErrors.report(log, 'ari', err, { channel: call.id }, 'inbound call failed'));
  };
  telephony.on('inbound', onInbound);
  return () => telephony.off('inbound', onInbound);
}
