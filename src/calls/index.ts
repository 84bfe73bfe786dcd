/**
 * Entry to the calls module: one CallSession per call that enters the Stasis app, running
 * the flow its entry names (outbound / inbound; parsed by the telephony seam). The dialer
 * hands over answered outbound calls; inbound calls come from the telephony 'inbound'
 * event. An entry Bereik does not produce is logged and hung up without a word.
 */
import type { Call, StasisEntry } from '../telephony/types.ts';
import type { CallDeps, CallResultCode, CallSummary } from './deps.ts';
import { CallSession, type Flow } from './session.ts';
import { hangup } from './steps/hangup.ts';
import { outboundFlow } from './flows/outbound.ts';
import { inboundFlow } from './flows/inbound.ts';

export type { CallDeps, CallSummary } from './deps.ts';
export { CallSession } from './session.ts';
export { normaliseCallerNumber } from './caller-number.ts';
export { MENU, menuOrder } from './menu.ts';

/** Results after which the debtor hears no goodbye (nobody listening, or the call moved on). */
const SILENT_END: ReadonlySet<CallResultCode> = new Set(['failed', 'machine_hangup', 'voicemail_left', 'hangup_early', 'transferred']);

/** Ends every flow the same way: a goodbye (unless one was said) and our hang-up, unless the call is already over. */
function politely(flow: Flow): Flow {
  return async (s) => {
    const result = await flow(s);
    s.result = result;
    if (!s.call.ended) await hangup(s, SILENT_END.has(result) || s.farewellSaid ? undefined : 'goodbye');
    return result;
  };
}

export interface CallHandler {
  /** Runs the flow its entry names for a call that is in Stasis; resolves with its summary when it has ended. */
  handle(call: Call): Promise<CallSummary>;
  /** Sessions running now. */
  readonly live: ReadonlyMap<string, CallSession>;
  /** Hangs up every live call and waits for their sessions to finish (shutdown). */
  stopAll(): Promise<void>;
}

export function createCallHandler(deps: CallDeps): CallHandler {
  const live = new Map<string, CallSession>();
  const running = new Set<Promise<CallSummary>>();
  return {
    live,
    handle(call) {
      const entry: StasisEntry = call.entry ?? { kind: 'unknown', reason: 'the call is not in the Stasis app', raw: [] };
      let session: CallSession;
      let flow: Flow;
      if (entry.kind === 'outbound') {
        // An originated channel's caller number is our own caller ID: log the dialled number.
        const dialled = safeGet(deps, entry.callId)?.toNumber ?? '';
        session = new CallSession(call, deps, { callId: entry.callId, direction: 'outbound', phone: dialled });
        ensureRow(deps, session, call, 'outbound');
        flow = (s) => outboundFlow(s, entry.amd);
      } else if (entry.kind === 'inbound') {
        session = new CallSession(call, deps, { callId: call.id, direction: 'inbound', phone: call.callerNumber });
        ensureRow(deps, session, call, 'inbound');
        flow = (s) => inboundFlow(s, entry.exten);
      } else {
        // An agent's leg belongs to its transfer, never here; anything else is a dialplan
        // Bereik does not know. Guessing a flow could speak to the wrong person.
        const direction = safeGet(deps, call.id)?.direction === 'outbound' ? 'outbound' : 'inbound';
        session = new CallSession(call, deps, { callId: call.id, direction, phone: '' });
        ensureRow(deps, session, call, direction);
        const reason = entry.kind === 'agent' ? 'an agent leg was handed to the call flows' : entry.reason;
        session.log.error({ entry: entry.kind, reason }, 'unexpected Stasis entry: hanging up');
        flow = async () => 'failed';
      }
      live.set(session.callId, session);
      const p = session.run(politely(flow)).finally(() => {
        live.delete(session.callId);
        running.delete(p);
      });
      running.add(p);
      return p;
    },
    async stopAll() {
      await Promise.all([...live.values()].map((s) => s.call.hangup().catch(() => {})));
      await Promise.allSettled([...running]);
    },
  };
}

function safeGet(deps: CallDeps, id: string) {
  try {
    return deps.calls.get(id);
  } catch {
    return undefined;
  }
}

/** The dialer creates the row of an outbound call when it dials; inbound rows start here. */
function ensureRow(deps: CallDeps, s: CallSession, call: Call, direction: 'outbound' | 'inbound'): void {
  try {
    if (deps.calls.get(s.callId)) {
      deps.calls.update(s.callId, { channelId: call.id });
      return;
    }
    deps.calls.create({
      id: s.callId,
      direction,
      channelId: call.id,
      fromNumber: direction === 'inbound' ? call.callerNumber || null : null,
      toNumber: direction === 'inbound' ? call.exten || null : null,
      state: 'up',
      createdAt: s.now(),
    });
  } catch (err) {
    s.log.error({ err }, 'could not create the call row');
  }
}
