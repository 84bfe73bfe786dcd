/**
 * An originated call as the far end reacts to it: Dial "" then ringing, then answer,
 * a final SIP failure, or the originate timeout (traces 01, 02a-c, 10-*). With
 * app+appArgs the app is subscribed from the start; through a dialplan context it sees
 * nothing until Stasis() (dialplan.ts) unless it subscribes to the channel (subscriptions.ts).
 */
import type { OriginateParams, SimCore } from './core.ts';
import { causeText, sipFailure } from './causes.ts';
import { runDialplan } from './dialplan.ts';
import { channelJson, type SimChannel } from './model.ts';
import type { CallResult } from './phone.ts';
import type { PhoneBehaviour } from './scenario.ts';

const FAILURE_STATUS: Record<string, number> = { busy: 486, invalid: 404, unavailable: 480, congestion: 503, rejected: 603 };

export function dial(sim: SimCore, ch: SimChannel, b: PhoneBehaviour, timeoutMs: number, p: OriginateParams): void {
  const outcome = b.outcome ?? 'answer';
  const failStatus = outcome === 'sip' ? b.sipStatus : FAILURE_STATUS[outcome];
  const ringMs = b.ringMs ?? (failStatus ? 0 : 2000);
  const dialEvent = (dialstatus: string) => sim.publishOn(ch, 'Dial', { dialstatus, forward: '', dialstring: ch.dialstring, peer: channelJson(ch) });
  const ringing = () => {
    dialEvent('RINGING');
    ch.state = 'Ringing';
    sim.publishChannel(ch, 'ChannelStateChange');
  };
  if (failStatus && ringMs === 0) {
    // A final answer at once (486 within a millisecond, trace 02a) ends the channel before
    // any other request can reach Asterisk: nobody subscribes to it in time. Its events
    // still follow the 200 answer to the originate (the hub holds them during a request).
    dialEvent('');
    failFinal(sim, ch, failStatus);
    return;
  }
  // The far end's reaction comes after the 200 answer to the originate (same tick, after the response).
  sim.channelTimer(ch, 0, () => {
    dialEvent('');
    if (failStatus) {
      // A phone that rings before refusing sent 180 first: the app hears it ring (trace
      // test/fixtures/ari-traces/11-outbound-busy-after-ringing, from the real Asterisk).
      ringing();
      sim.channelTimer(ch, ringMs, () => failFinal(sim, ch, failStatus));
      return;
    }
    if (outcome !== 'unreachable') ringing();
    const answers = outcome === 'answer' || outcome === 'machine';
    if (answers && ringMs < timeoutMs) sim.channelTimer(ch, ringMs, () => answered(sim, ch, p));
    else if (timeoutMs !== Infinity) sim.channelTimer(ch, timeoutMs, () => ringTimeout(sim, ch, outcome === 'unreachable' ? 'unreachable' : 'noanswer'));
  });
}

/** Final SIP failure: HangupRequest (cause) → Dial → ChannelDestroyed, within ms (traces 02a, 10-*). */
function failFinal(sim: SimCore, ch: SimChannel, status: number): void {
  const f = sipFailure(status);
  ch.hangingUp = true;
  sim.publishChannel(ch, 'ChannelHangupRequest', { cause: f.cause, tech_cause: status });
  sim.publishOn(ch, 'Dial', { dialstatus: f.dialStatus, forward: '', dialstring: ch.dialstring, peer: channelJson(ch) });
  sim.publishChannel(ch, 'ChannelDestroyed', { cause: f.cause, cause_txt: causeText(f.cause), tech_cause: status });
  ch.phone.record.sipStatus = status;
  sim.destroy(ch, f.dialStatus === 'BUSY' ? 'busy' : 'failed', f.cause, 'phone');
}

/** The originate timeout ran out: ChannelDestroyed 19 with no HangupRequest first (traces 02b, 02c). */
function ringTimeout(sim: SimCore, ch: SimChannel, result: CallResult): void {
  ch.hangingUp = true;
  sim.publishChannel(ch, 'ChannelDestroyed', { cause: 19, cause_txt: causeText(19), tech_cause: 480 });
  sim.destroy(ch, result, 19, 'network');
}

function answered(sim: SimCore, ch: SimChannel, p: OriginateParams): void {
  ch.state = 'Up';
  sim.publishChannel(ch, 'ChannelStateChange');
  sim.publishOn(ch, 'Dial', { dialstatus: 'ANSWER', forward: '', dialstring: ch.dialstring, peer: channelJson(ch) });
  ch.phone.answered();
  if (p.app) {
    const args = p.appArgs ? p.appArgs.split(',') : [];
    sim.publishChannel(ch, 'ChannelVarset', { variable: 'STASISSTATUS', value: '' });
    sim.enterStasis(ch, args, { context: ch.dialplan.context, exten: ch.dialplan.exten, priority: ch.dialplan.priority });
  } else {
    runDialplan(sim, ch, { context: p.context ?? 'default', extension: p.extension ?? 's' });
  }
}
