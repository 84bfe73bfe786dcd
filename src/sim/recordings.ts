/**
 * Bridge recordings as Asterisk 22 makes them (res/ari/resource_bridges.c ast_ari_bridges_record,
 * res/stasis_recording): POST /bridges/{id}/record answers 201 with the LiveRecording
 * (state queued); RecordingStarted and RecordingFinished reach the app through the bridge's
 * topic; the recording ends on POST /recordings/live/{name}/stop, at maxDurationSeconds, or
 * when the bridge is destroyed, and is then a stored recording whose file
 * (GET /recordings/stored/{name}/file) is a WAV of the recorded length: 8 kHz 16-bit mono,
 * silence while fewer than two people were in the bridge and a quiet tone while they talked,
 * so a test can tell a recording that caught the conversation from an empty one.
 */
import type { SimCore } from './core.ts';
import { AriError } from './ari-error.ts';
import type { SimBridge } from './model.ts';

const FORMATS = new Set(['wav', 'gsm', 'ulaw', 'alaw', 'sln', 'sln16', 'wav16', 'g722']);
const IF_EXISTS = new Set(['fail', 'overwrite', 'append']);
const RATE = 8000;

interface LiveRecording {
  name: string;
  format: string;
  bridgeId: string;
  app: string | null;
  startedAtMs: number;
  /** Spans (clock ms) with two or more channels in the bridge: talk. */
  talk: { from: number; to: number | null }[];
  stopTimer: { cancel(): void } | null;
}

export interface StoredRecording {
  name: string;
  format: string;
  durationMs: number;
  talk: { from: number; to: number }[];
}

export class SimRecordings {
  readonly live = new Map<string, LiveRecording>();
  readonly stored = new Map<string, StoredRecording>();
}

function liveJson(r: LiveRecording, state: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: r.name, format: r.format, target_uri: `bridge:${r.bridgeId}`, state, ...extra };
}

export function recordBridge(sim: SimCore, b: SimBridge, p: Record<string, string>): Record<string, unknown> {
  if (!p.name) throw new AriError(400, { message: 'Missing parameter name' });
  if (!p.format) throw new AriError(400, { message: 'Missing parameter format' });
  if (!FORMATS.has(p.format)) throw new AriError(422, { message: 'specified format is unknown on this system' });
  const ifExists = p.ifExists ?? 'fail';
  if (!IF_EXISTS.has(ifExists)) throw new AriError(400, { message: 'ifExists invalid' });
  if (/(^|\/)\.\.(\/|$)/.test(p.name)) throw new AriError(400, { message: 'Recording name invalid' });
  const recs = sim.recordings;
  if (recs.live.has(p.name) || (ifExists === 'fail' && recs.stored.has(p.name))) {
    throw new AriError(409, { message: `Recording '${p.name}' already exists and can not be overwritten` });
  }
  const now = sim.clock.now();
  const r: LiveRecording = { name: p.name, format: p.format, bridgeId: b.id, app: b.app, startedAtMs: now, talk: [], stopTimer: null };
  if (b.channels.length >= 2) r.talk.push({ from: now, to: null });
  recs.live.set(r.name, r);
  const max = Number(p.maxDurationSeconds ?? 0);
  if (max > 0) r.stopTimer = sim.timer(max * 1000, () => finish(sim, r));
  sim.publish(r.app, 'RecordingStarted', { recording: liveJson(r, 'recording') });
  return liveJson(r, 'queued');
}

/** A bridge's membership changed: a recording of it notes when people talk. */
export function bridgeMembersChanged(sim: SimCore, b: SimBridge): void {
  const now = sim.clock.now();
  for (const r of sim.recordings.live.values()) {
    if (r.bridgeId !== b.id) continue;
    const open = r.talk.at(-1);
    const talking = b.channels.length >= 2;
    if (talking && (!open || open.to !== null)) r.talk.push({ from: now, to: null });
    if (!talking && open && open.to === null) open.to = now;
  }
}

export function stopLive(sim: SimCore, name: string, discard = false): void {
  const r = sim.recordings.live.get(name);
  if (!r) throw new AriError(404, { message: 'Recording not found' });
  finish(sim, r, discard);
}

export function getLive(sim: SimCore, name: string): Record<string, unknown> {
  const r = sim.recordings.live.get(name);
  if (!r) throw new AriError(404, { message: 'Recording not found' });
  return liveJson(r, 'recording');
}

/** The bridge is going: its recordings end as stored files. */
export function finishBridgeRecordings(sim: SimCore, b: SimBridge): void {
  for (const r of [...sim.recordings.live.values()]) if (r.bridgeId === b.id) finish(sim, r);
}

function finish(sim: SimCore, r: LiveRecording, discard = false): void {
  const recs = sim.recordings;
  if (recs.live.get(r.name) !== r) return;
  recs.live.delete(r.name);
  r.stopTimer?.cancel();
  const now = sim.clock.now();
  const durationMs = now - r.startedAtMs;
  const talk = r.talk.map((t) => ({ from: t.from - r.startedAtMs, to: (t.to ?? now) - r.startedAtMs }));
  const talkingMs = talk.reduce((n, t) => n + t.to - t.from, 0);
  if (!discard) recs.stored.set(r.name, { name: r.name, format: r.format, durationMs, talk });
  const seconds = Math.round(durationMs / 1000);
  sim.publish(r.app, 'RecordingFinished', {
    recording: liveJson(r, discard ? 'canceled' : 'done', { duration: seconds, talking_duration: Math.round(talkingMs / 1000), silence_duration: Math.max(0, seconds - Math.round(talkingMs / 1000)) }),
  });
}

export function storedJson(s: StoredRecording): Record<string, unknown> {
  return { name: s.name, format: s.format };
}

export function getStored(sim: SimCore, name: string): StoredRecording {
  const s = sim.recordings.stored.get(name);
  if (!s) throw new AriError(404, { message: 'Recording not found' });
  return s;
}

/** The stored recording as a WAV file (any stored format is served as WAV here: tests only read WAV). */
export function storedWav(s: StoredRecording): Buffer {
  const samples = Math.round((s.durationMs / 1000) * RATE);
  const data = Buffer.alloc(samples * 2);
  for (const t of s.talk) {
    const from = Math.floor((t.from / 1000) * RATE);
    const to = Math.min(samples, Math.floor((t.to / 1000) * RATE));
    // A quiet 400 Hz tone stands for the voices.
    for (let i = from; i < to; i++) data.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 400 * i) / RATE)), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
