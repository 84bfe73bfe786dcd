/**
 * Recording agent conversations (issue 16 §4, docs/call-recordings.md). Where the campaign
 * says recordAgentCalls, the bridge the debtor and the agent talk in is recorded with ARI
 * bridge record from the moment they are joined until the debtor leaves; with
 * announceRecording the debtor first hears recording_notice, in their language, on their own
 * channel, before the agent is put through. When Asterisk has finished the file, Bereik
 * fetches it (GET /recordings/stored/{name}/file), keeps it under the recordings directory,
 * marks the row stored and deletes Asterisk's copy, so the only copy is the one retention
 * and erasure reach. A recording that cannot be started never keeps a debtor from an agent.
 */
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Language } from '../campaigns/settings.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import type { TtsEngine } from '../tts/types.ts';
import type { Call, Telephony } from '../telephony/types.ts';
import type { CallRecordingRepository } from '../store/repositories.ts';
import type { CallRecordingFiles } from '../recordings/call-files.ts';
import type { LiveConversation } from './live-calls.ts';
import type { RecordingPolicy } from './types.ts';

/** How long stop() waits for Asterisk to finish the file before the bridge may go. */
const STOP_WAIT_MS = 5000;

export interface RecorderDeps {
  telephony: Pick<Telephony, 'storedRecording' | 'deleteStoredRecording'>;
  tts: TtsEngine;
  prompts: PromptCatalog;
  clock: Clock;
  log: Logger;
  rows: Pick<CallRecordingRepository, 'started' | 'stored' | 'failed'>;
  files: CallRecordingFiles;
}

/** A recording under way: stop() ends it; `stored` resolves once the file is kept (or it failed). */
export interface RecordingRun {
  stop(): Promise<void>;
  readonly stored: Promise<void>;
}

export class ConversationRecorder {
  constructor(private readonly d: RecorderDeps) {}

  /** Plays the recording notice to the debtor when the campaign records and announces; true if it was heard to the end. */
  async announce(p: RecordingPolicy | undefined, debtor: Call, lang: Language): Promise<boolean> {
    if (!p?.record || !p.announce || debtor.ended) return false;
    try {
      const audio = await this.d.tts.render(this.d.prompts.render('recording_notice', lang), lang, { listener: 'debtor' });
      const pb = await debtor.play(audio.media, { lang });
      return (await pb.finished) === 'done';
    } catch (err) {
      if (!debtor.ended) this.d.log.warn({ err }, 'recording notice could not be played');
      return false;
    }
  }

  /** Starts recording the conversation's bridge when its campaign says so. */
  async start(c: LiveConversation, p: RecordingPolicy | undefined, announced: boolean): Promise<RecordingRun | undefined> {
    if (!p?.record) return undefined;
    const { d } = this;
    const now = () => isoUtc(d.clock.now());
    const name = `bereik-${c.callId}-${d.clock.now().toString(36)}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const log = d.log.child({ callId: c.callId, recording: name });
    let live;
    try {
      live = await c.bridge.record({ name, format: 'wav' });
    } catch (err) {
      log.error({ err }, 'the conversation could not be recorded');
      return undefined;
    }
    const id = d.rows.started({ callId: c.callId, agentCallId: c.agentCallId, agentId: c.agentId, campaignId: c.campaignId, debtorId: c.debtorId, name, announced, at: now() });
    const stored = live.finished.then(async (end) => {
      if (end.state !== 'done') {
        d.rows.failed(id, now());
        log.warn({ cause: end.cause }, 'recording failed in Asterisk');
        return;
      }
      try {
        const audio = await d.telephony.storedRecording(name);
        if (!audio) throw new Error('Asterisk has no stored file for it');
        const f = d.files.write(name, audio);
        // Erased or expired meanwhile: the file must not outlive its row.
        if (!d.rows.stored(id, { ...f, durationSec: end.durationSec, at: now() })) d.files.remove(f.file);
        await d.telephony.deleteStoredRecording(name).catch((err: unknown) => log.warn({ err }, 'Asterisk kept its copy of the recording'));
      } catch (err) {
        d.rows.failed(id, now());
        log.error({ err }, 'the finished recording could not be fetched from Asterisk');
      }
    });
    const stop = async () => {
      await live.stop().catch((err: unknown) => log.warn({ err }, 'stopping the recording failed'));
      // The bridge is destroyed only once Asterisk's recorder has left it: tearing a bridge down
      // under a live recording is where Asterisk 22 has crashed (asterisk/asterisk#1715).
      const wait = new AbortController();
      await Promise.race([live.finished, d.clock.delay(STOP_WAIT_MS, wait.signal).catch(() => {})]);
      wait.abort();
    };
    return { stop, stored };
  }
}
