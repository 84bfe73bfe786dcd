import type { Config } from '../config/schema.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { AudioOwners, TtsEngine } from './types.ts';
import type { MediaOptions } from './cache.ts';
import { EspeakTts, missingEspeakTools } from './espeak.ts';
import { SilentTts } from './silent.ts';
import { COMMAND_PLACEHOLDERS, CommandTts } from './command.ts';
import { HTTP_PRESETS, HttpTts } from './http.ts';
import { FallbackTts } from './fallback.ts';

export function mediaOptions(config: Config): MediaOptions {
  return {
    cacheDir: config.tts.cacheDir,
    delivery: config.tts.delivery,
    asteriskPath: config.tts.asteriskPath,
    publicUrl: config.http.publicUrl,
  };
}

/** How long an engine that is not the last may take (tts.renderTimeoutMs' default). */
export const DEFAULT_RENDER_TIMEOUT_MS = 1500;

/** tts.engine as a list: "espeak", ["http", "espeak"], or "http,espeak" from the environment. */
export function engineNames(engine: Config['tts']['engine']): string[] {
  const names = Array.isArray(engine) ? [...engine] : engine.split(',').map((n) => n.trim());
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw invalid(`tts.engine lists "${twice}" twice: each engine once, in fallback order`);
  return names;
}

/**
 * The engine, or engines in fallback order, tts.engine names. A configuration that cannot
 * work (espeak-ng missing, the command engine without tts.command, a cloud service without
 * its key) stops the start with a message naming the key, rather than failing the first call.
 */
export function createTts(config: Config, opts: { log?: Logger; owners?: AudioOwners } = {}): TtsEngine {
  const media = { ...mediaOptions(config), owners: opts.owners };
  const links = engineNames(config.tts.engine).map((name) => ({ name, engine: createOne(name, config, media) }));
  if (links.length === 1) return links[0]!.engine;
  return new FallbackTts(links, config.tts.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS, opts.log?.child({ mod: 'tts' }));
}

function createOne(name: string, config: Config, media: MediaOptions): TtsEngine {
  const t = config.tts;
  switch (name) {
    case 'silent':
      return new SilentTts(media);
    case 'espeak': {
      const missing = missingEspeakTools();
      if (missing.length) {
        throw new BereikError(
          'TTS_FAILED',
          `tts.engine is 'espeak' but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed: ` +
            `run 'apt-get install espeak-ng sox', or set BEREIK_TTS_ENGINE=silent to run with silent prompts`,
        );
      }
      return new EspeakTts({ ...media, voices: { nl: t.voiceNl, en: t.voiceEn } });
    }
    case 'command': {
      const c = t.command;
      if (!c) throw invalid('tts.engine lists "command" but tts.command is not set (argv, voiceNl, voiceEn, timeoutMs: docs/tts-engines.md)');
      c.argv.forEach((arg, i) => {
        for (const p of arg.match(/\{[^{}]*\}/g) ?? []) {
          if (!(COMMAND_PLACEHOLDERS as readonly string[]).includes(p)) throw invalid(`tts.command.argv[${i}] = ${JSON.stringify(arg)}: unknown placeholder ${p} (known: ${COMMAND_PLACEHOLDERS.join(', ')})`);
        }
      });
      return new CommandTts({ ...media, argv: c.argv, voices: { nl: c.voiceNl, en: c.voiceEn }, timeoutMs: c.timeoutMs });
    }
    case 'http': {
      const h = t.http;
      if (!h) throw invalid('tts.engine lists "http" but tts.http is not set (preset, url, voiceNl, voiceEn, timeoutMs, retries, perSecond: docs/tts-engines.md)');
      const url = h.url || HTTP_PRESETS[h.preset].defaultUrl;
      if (!url) throw invalid(`tts.http.url is empty and the ${h.preset} preset has no default endpoint: set the service's URL`);
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw invalid(`tts.http.url = ${JSON.stringify(url)} is not a URL`);
      }
      // The key travels in a header: in clear text only to this machine.
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw invalid(`tts.http.url = ${JSON.stringify(url)} must be https:// (plain http:// only to loopback)`);
      const key = t.httpKey ?? '';
      if (!key && h.preset !== 'generic') throw invalid(`tts.http.preset is ${h.preset} but no key is set: set BEREIK_TTS_HTTP_KEY or tts.httpKeyFile (BEREIK_TTS_HTTP_KEY_FILE)`);
      if (h.preset === 'polly' && !/^[^:]+:.+$/.test(key)) throw invalid('tts.http.preset is polly: the key must be ACCESS_KEY_ID:SECRET_ACCESS_KEY (BEREIK_TTS_HTTP_KEY or tts.httpKeyFile)');
      return new HttpTts({ ...media, preset: h.preset, url, voices: { nl: h.voiceNl, en: h.voiceEn }, key, timeoutMs: h.timeoutMs, retries: h.retries, perSecond: h.perSecond });
    }
    default:
      throw invalid(`tts.engine: unknown engine "${name}"`);
  }
}

function invalid(message: string): BereikError {
  return new BereikError('CONFIG_INVALID', `config: ${message}`);
}
