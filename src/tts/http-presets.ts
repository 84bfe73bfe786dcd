/**
 * How each cloud TTS provider wants its request and gives its audio (src/tts/http.ts sends,
 * src/sim/tts-endpoint.ts answers the same shapes in tests).
 */
import { signV4 } from './sigv4.ts';
import { pcmWav } from './wav.ts';
export const HTTP_PRESET_NAMES = ['google', 'azure', 'polly', 'generic'] as const;
export type HttpPresetName = (typeof HTTP_PRESET_NAMES)[number];

interface HttpRequestShape {
  headers: Record<string, string>;
  body: string;
}

export interface HttpPreset {
  /** The provider's own endpoint, used when tts.http.url is empty (Azure's depends on the region: no default). */
  defaultUrl: string;
  request(text: string, voice: string, key: string, url: URL, now: Date): HttpRequestShape;
  /** The WAV bytes out of the answer body. */
  audio(body: Buffer): Buffer;
}

/** "nl-NL-Wavenet-B" → "nl-NL": Google and Azure name voices after their locale. */
const localeOf = (voice: string) => /^[a-z]{2,3}-[A-Z]{2}/.exec(voice)?.[0] ?? 'nl-NL';

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export const HTTP_PRESETS: Record<HttpPresetName, HttpPreset> = {
  // https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize: LINEAR16 comes back as a WAV with header.
  google: {
    defaultUrl: 'https://texttospeech.googleapis.com/v1/text:synthesize',
    request: (text, voice, key) => ({
      headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
      body: JSON.stringify({ input: { text }, voice: { languageCode: localeOf(voice), name: voice }, audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 8000 } }),
    }),
    audio: (body) => {
      const content = (JSON.parse(body.toString('utf8')) as { audioContent?: unknown }).audioContent;
      if (typeof content !== 'string') throw new Error('answer has no audioContent');
      return Buffer.from(content, 'base64');
    },
  },
  // https://learn.microsoft.com/azure/ai-services/speech-service/rest-text-to-speech: SSML in, 8 kHz RIFF out.
  azure: {
    defaultUrl: '',
    request: (text, voice, key) => ({
      headers: {
        'content-type': 'application/ssml+xml',
        'ocp-apim-subscription-key': key,
        'x-microsoft-outputformat': 'riff-8khz-16bit-mono-pcm',
        'user-agent': 'bereik',
      },
      body: `<speak version='1.0' xml:lang='${localeOf(voice)}'><voice name='${xmlEscape(voice)}'>${xmlEscape(text)}</voice></speak>`,
    }),
    audio: (body) => body,
  },
  // https://docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html: SigV4-signed JSON in, raw 8 kHz PCM out.
  // The key is "ACCESS_KEY_ID:SECRET_ACCESS_KEY"; the voice "Laura" (standard engine) or "Laura:neural".
  polly: {
    defaultUrl: '',
    request: (text, voice, key, url, now) => {
      const [voiceId, engine] = voice.split(':');
      const body = JSON.stringify({ Text: text, VoiceId: voiceId, OutputFormat: 'pcm', SampleRate: '8000', TextType: 'text', ...(engine ? { Engine: engine } : {}) });
      const [accessKeyId = '', secretAccessKey = ''] = splitOnce(key, ':');
      const headers = signV4({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body, accessKeyId, secretAccessKey, region: pollyRegion(url), service: 'polly', now });
      return { headers, body };
    },
    audio: (body) => pcmWav(body, 8000),
  },
  // A service of one's own (or a gateway in front of one): JSON in, a WAV body out.
  generic: {
    defaultUrl: '',
    request: (text, voice, key) => ({
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ text, voice, format: 'wav' }),
    }),
    audio: (body) => body,
  },
};


/** polly.eu-west-1.amazonaws.com → eu-west-1; a host that does not say (the simulator) signs for us-east-1. */
export function pollyRegion(url: URL): string {
  return /^polly\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1] ?? 'us-east-1';
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}
