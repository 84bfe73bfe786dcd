/**
 * The daily retention job (docs/data-protection.md): applies config.retention once at start
 * and then every 24 hours of the injected clock, counts what it removed per kind on
 * /metrics (bereik_personal_data_removed_total), and logs the counts (numbers of rows, no
 * content). TTS audio has its own prune (src/tts/prune.ts, tts.cacheMaxAgeDays); the pass
 * forgets its owners (src/store/tts-audio.ts) after the same age.
 */
import { isoUtc, type Clock, type TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { ErasureRepository, TtsAudioRepository } from '../store/repositories.ts';
import type { RetentionKind, RetentionLimits } from '../store/retention.ts';
import type { Counter } from 'prom-client';

export const RETENTION_EVERY_MS = 24 * 3600_000;

export class RetentionJob {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly deps: {
      store: { erasure: ErasureRepository; ttsAudio: TtsAudioRepository };
      clock: Clock;
      log: Logger;
      limits: RetentionLimits;
      /** tts.cacheMaxAgeDays: the owner ledger forgets what the cache has pruned by then. */
      ttsAudioDays?: number;
      removed?: Counter<'kind'>;
      /** After each pass: files whose rows went (recordings of agent conversations) are removed. */
      afterPass?: () => void;
    },
  ) {}

  /** One pass now; returns the rows removed or anonymised per kind. */
  runOnce(): Record<RetentionKind | 'tts_audio_owners', number> {
    const now = this.deps.clock.now();
    const counts = {
      ...this.deps.store.erasure.applyRetention(this.deps.limits, now),
      tts_audio_owners: this.deps.ttsAudioDays ? this.deps.store.ttsAudio.expire(isoUtc(now - this.deps.ttsAudioDays * 86_400_000)) : 0,
    };
    this.deps.afterPass?.();
    for (const [kind, n] of Object.entries(counts)) if (n > 0) this.deps.removed?.inc({ kind }, n);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) this.deps.log.info({ removed: counts }, 'retention: expired personal data removed');
    return counts;
  }

  start(): void {
    const tick = () => {
      try {
        this.runOnce();
      } catch (err) {
        this.deps.log.error({ err }, 'retention pass failed; tried again in a day');
      }
      this.timer = this.deps.clock.setTimeout(tick, RETENTION_EVERY_MS);
    };
    tick();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
