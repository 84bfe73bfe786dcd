import type { Config } from '../config/schema.ts';
import { BereikError } from '../lib/errors.ts';
import type { TtsEngine } from './types.ts';
import type { MediaOptions } from './cache.ts';
import { EspeakTts, missingEspeakTools } from './espeak.ts';
import { SilentTts } from './silent.ts';

export function mediaOptions(config: Config): MediaOptions {
  return {
    cacheDir: config.tts.cacheDir,
    delivery: config.tts.delivery,
    asteriskPath: config.tts.asteriskPath,
    publicUrl: config.http.publicUrl,
  };
}

/**
 * The engine tts.engine names. 'espeak' without espeak-ng or sox installed stops the
 * start with a message saying how to fix it, rather than failing the first call.
 */
export function createTts(config: Config): TtsEngine {
  const media = mediaOptions(config);
  if (config.tts.engine === 'silent') return new SilentTts(media);
  const missing = missingEspeakTools();
  if (missing.length) {
    throw new BereikError(
      'TTS_FAILED',
      `tts.engine is 'espeak' but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed: ` +
        `run 'apt-get install espeak-ng sox', or set BEREIK_TTS_ENGINE=silent to run with silent prompts`,
    );
  }
  return new EspeakTts({ ...media, voices: { nl: config.tts.voiceNl, en: config.tts.voiceEn } });
}
