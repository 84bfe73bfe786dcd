/**
 * The dialplan of dialplans/extensions.conf, as the simulator runs it for channels
 * originated into a context:
 *   [bereik-outbound]       s,1 AMD() → Stasis(bereik,outbound,${BEREIK_CALL_ID},${AMDSTATUS},${AMDCAUSE})
 *   [bereik-outbound-noamd] s,1 Stasis(bereik,outbound,${BEREIK_CALL_ID},NOTCHECKED,)
 *   [bereik-inbound]        _X. Stasis(bereik,inbound,${EXTEN})
 * The app sees nothing until Stasis() (trace 05), unless it subscribed to the channel
 * (POST /applications/{app}/subscription): then it hears each step (ChannelDialplan), the
 * AMD variables (ChannelVarset), keys, and the hang-up with its cause. Without app_amd
 * loaded the dialplan fails and the channel disappears silently; so does a context the
 * simulator does not know.
 */
import type { SimCore } from './core.ts';
import type { DialplanLoc, SimChannel } from './model.ts';
import type { AmdStatus, AmdVerdict } from './scenario.ts';

/** How long AMD listens before its verdict (app_amd defaults: greeting 1.5 s, silence after it, total 5 s). */
const AMD_MS: Record<AmdStatus, number> = { HUMAN: 2500, MACHINE: 4000, NOTSURE: 5000, HANGUP: 1500 };

function defaultCause(status: AmdStatus, ms: number): string {
  switch (status) {
    case 'HUMAN':
      return `HUMAN-${Math.max(0, ms - 1700)}-800`;
    case 'MACHINE':
      return `LONGGREETING-${ms - 500}-1500`;
    case 'NOTSURE':
      return `TOOLONG-${ms}`;
    case 'HANGUP':
      return '';
  }
}

export function amdVerdictFor(ch: SimChannel): Required<AmdVerdict> {
  const b = ch.phone.behaviour;
  const status: AmdStatus = b.amd?.status ?? (b.outcome === 'machine' ? 'MACHINE' : 'HUMAN');
  const ms = b.amd?.ms ?? AMD_MS[status];
  return { status, ms, cause: b.amd?.cause ?? defaultCause(status, ms) };
}

/** The channel runs the next dialplan step; a subscribed app hears ChannelDialplan when context, exten or priority change. */
export function moveInDialplan(sim: SimCore, ch: SimChannel, to: DialplanLoc): void {
  const from = ch.dialplan;
  ch.dialplan = to;
  if (from.context === to.context && from.exten === to.exten && from.priority === to.priority) return;
  sim.publishChannel(ch, 'ChannelDialplan', { dialplan_app: to.app_name, dialplan_app_data: to.app_data });
}

export function runDialplan(sim: SimCore, ch: SimChannel, to: { context: string; extension: string }): void {
  const vanish = (why: string) => {
    sim.log.debug({ channel: ch.id, why }, 'simulated dialplan ended the call');
    sim.channelTimer(ch, 0, () => {
      ch.hangingUp = true;
      sim.destroy(ch, 'vanished', 16, 'network');
    });
  };
  // The channel will enter Stasis from the dialplan: after StasisEnd it gets no ChannelDestroyed (trace 05).
  ch.originatedByApp = false;
  moveInDialplan(sim, ch, { context: to.context, exten: to.extension, priority: 1, app_name: 'NoOp', app_data: '' });
  if (to.context === 'bereik-inbound') {
    sim.enterStasis(ch, ['inbound', to.extension], { context: to.context, exten: to.extension, priority: 2 });
    return;
  }
  const callId = () => ch.vars.get('BEREIK_CALL_ID') ?? '';
  if (to.context === 'bereik-outbound-noamd') {
    // The trailing comma gives an empty last argument, as app_stasis splits it.
    sim.enterStasis(ch, ['outbound', callId(), 'NOTCHECKED', ''], { context: to.context, exten: to.extension, priority: 2 });
    return;
  }
  if (to.context !== 'bereik-outbound') return vanish(`no context ${to.context} in the simulated dialplan`);
  if (ch.phone.behaviour.amdLoaded === false) return vanish('AMD() is not loaded');
  const v = amdVerdictFor(ch);
  moveInDialplan(sim, ch, { context: to.context, exten: to.extension, priority: 2, app_name: 'AMD', app_data: '' });
  sim.channelTimer(ch, v.ms, () => {
    ch.phone.record.amd = { status: v.status, cause: v.cause };
    for (const [variable, value] of [['AMDSTATUS', v.status], ['AMDCAUSE', v.cause]] as const) {
      ch.vars.set(variable, value);
      sim.publishChannel(ch, 'ChannelVarset', { variable, value });
    }
    if (v.status === 'HANGUP') {
      // The person hung up while AMD listened: Stasis() never runs.
      sim.phoneHangup(ch, ch.phone.hangupCause);
      return;
    }
    sim.enterStasis(ch, ['outbound', callId(), v.status, v.cause], { context: to.context, exten: to.extension, priority: 3 });
  });
}
