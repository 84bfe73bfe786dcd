/**
 * Who hears whom, so a test can assert what a person on a simulated phone would notice:
 * channels in one mixing bridge hear each other (a holding bridge carries no voices); a
 * snoop channel (ARI POST /channels/{id}/snoop, res_stasis_snoop.c) carries its target's
 * audio into whatever bridge it sits in — spy `in` is the target's own voice, `out` what the
 * target hears — and whispers what its own bridge mates say either to the target (`out`) or
 * to the target's bridge mates as if the target said it (`in`). Recomputed after every
 * bridge change; each phone keeps the intervals (PhoneCallRecord.voices).
 */
import type { SimCore } from './core.ts';
import type { SimChannel, SnoopDirection } from './model.ts';

const carries = (d: SnoopDirection, which: 'in' | 'out') => d === 'both' || d === which;

function mates(sim: SimCore, ch: SimChannel): SimChannel[] {
  const b = ch.bridgeId ? sim.bridges.get(ch.bridgeId) : undefined;
  if (!b || b.bridgeType !== 'mixing') return [];
  return b.channels.flatMap((id) => {
    const o = sim.channels.get(id);
    return o && o !== ch && !o.gone ? [o] : [];
  });
}

/** The people whose voices reach `ch`'s phone now (snoop channels are no people). */
export function voicesFor(sim: SimCore, ch: SimChannel): Set<string> {
  const out = new Set<string>();
  const people = (list: SimChannel[]) => list.filter((c) => !c.snoop).map((c) => c.phone.record.phone);
  for (const m of mates(sim, ch)) {
    if (!m.snoop) out.add(m.phone.record.phone);
    else {
      const target = sim.channels.get(m.snoop.targetId);
      if (!target) continue;
      if (carries(m.snoop.spy, 'in')) out.add(target.phone.record.phone);
      if (carries(m.snoop.spy, 'out')) for (const p of people(mates(sim, target))) out.add(p);
    }
  }
  for (const s of snoops.get(sim) ?? []) {
    if (!s.snoop || s.gone) continue;
    const target = sim.channels.get(s.snoop.targetId);
    if (!target) continue;
    const toTarget = target === ch && carries(s.snoop.whisper, 'out');
    const asTarget = target !== ch && carries(s.snoop.whisper, 'in') && mates(sim, target).includes(ch);
    if (toTarget || asTarget) for (const p of people(mates(sim, s))) out.add(p);
  }
  out.delete(ch.phone.record.phone);
  return out;
}

/** Live snoop channels per simulator: without any, a bridge change touches only that bridge's phones. */
const snoops = new WeakMap<SimCore, Set<SimChannel>>();

export function snoopStarted(sim: SimCore, ch: SimChannel): void {
  let set = snoops.get(sim);
  if (!set) snoops.set(sim, (set = new Set()));
  set.add(ch);
}

/**
 * Tells phones whom they hear now: `touched` (the channels of a bridge that changed), or
 * every live phone while a snoop exists anywhere (a snoop carries audio across bridges).
 * Only the touched ones otherwise, so a simulator with thousands of calls stays fast.
 */
export function refreshHearing(sim: SimCore, touched: Iterable<SimChannel> = []): void {
  const live = snoops.get(sim);
  for (const s of live ?? []) if (s.gone) live!.delete(s);
  const all = live && live.size > 0;
  const list = all ? sim.channels.values() : touched;
  for (const ch of list) if (!ch.gone && !ch.snoop) ch.phone.hearing(voicesFor(sim, ch));
}
