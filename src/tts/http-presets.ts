/**
 * How each cloud TTS provider wants its request and gives its audio (src/tts/http.ts sends,
 * src/sim/tts-endpoint.ts answers the same shapes in tests). Amazon Polly is not here: it
 * needs AWS SigV4 request signing.
 */
export const HTTP_PRESET_NAMES = ['google', 'azure', 'generic'] as const;
export type HttpPresetName = (typeof HTTP_PRESET_NAMES)[number];

interface HttpRequestShape {
  headers: Record<string, string>;
  body: string;
}

export interface HttpPreset {
  /** The provider's own endpoint, used when tts.http.url is empty (Azure's depends on the region: no default). */
  defaultUrl: string;
  request(text: string, voice: string, key: string): HttpRequestShape;
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

