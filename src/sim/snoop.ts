/**
 * POST /channels/{id}/snoop as Asterisk 22 answers it (res/ari/resource_channels.c,
 * res/res_stasis_snoop.c): the directions are checked first (400), then the app (400), then
 * the target (404). The snoop channel is created Up, named Snoop/<target id>-<n as 8 hex>,
 * and enters Stasis at once with the given app arguments; the answer is its snapshot. It
 * hangs up when its target does (the audiohook goes with the target).
 */
import type { SimCore } from './core.ts';
import { AriError } from './ari-error.ts';
import { newChannel } from './channels.ts';
import { channelJson, type SnoopDirection } from './model.ts';
import { refreshHearing, snoopStarted } from './hearing.ts';

const DIRECTIONS: readonly SnoopDirection[] = ['none', 'in', 'out', 'both'];
let snoopSeq = 0;

function direction(v: string | undefined, what: 'spy' | 'whisper'): SnoopDirection {
  if (!v) return 'none';
  if ((DIRECTIONS as readonly string[]).includes(v)) return v as SnoopDirection;
  throw new AriError(400, { message: `Invalid direction specified for ${what}` });
}

export function snoop(sim: SimCore, targetId: string, p: Record<string, string>, snoopId?: string): Record<string, unknown> {
  const spy = direction(p.spy, 'spy');
  const whisper = direction(p.whisper, 'whisper');
  if (spy === 'none' && whisper === 'none') throw new AriError(400, { message: 'Direction must be specified for at least spy or whisper' });
  if (!p.app) throw new AriError(400, { message: 'Application name is required' });
  const target = sim.channels.get(targetId);
  if (!target || target.gone) throw new AriError(404, { message: 'Provided channel was not found' });
  if (snoopId && sim.channels.has(snoopId)) throw new AriError(500, { message: 'Snoop channel could not be created' });
  const ch = newChannel(sim, {
    id: snoopId,
    endpointName: 'snoop',
    dialstring: '',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
    originatedByApp: true,
    behaviour: { outcome: 'answer', ringMs: 0 },
    record: { direction: 'outbound', phone: `Snoop/${target.id}`, endpoint: 'Snoop', from: '', to: target.id },
  });
  ch.name = `Snoop/${target.id}-${(++snoopSeq).toString(16).padStart(8, '0')}`;
  ch.state = 'Up';
  ch.snoop = { targetId: target.id, spy, whisper };
  ch.app = p.app;
  const args = p.appArgs ? p.appArgs.split(',') : [];
  sim.enterStasis(ch, args, { context: 'default', exten: 's', priority: 1 });
  snoopStarted(sim, ch);
  refreshHearing(sim);
  return channelJson(ch);
}

/** The target is gone: its snoops hang up with it. */
export function endSnoopsOf(sim: SimCore, targetId: string): void {
  for (const ch of [...sim.channels.values()]) {
    if (ch.snoop?.targetId === targetId && !ch.gone && !ch.hangingUp) sim.phoneHangup(ch, 16);
  }
}
