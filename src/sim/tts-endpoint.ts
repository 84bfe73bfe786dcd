/**
 * A simulated cloud TTS service on loopback, for tests and the benchmark: it answers the
 * request shapes src/tts/http.ts sends (Google `text:synthesize`, Azure
 * `cognitiveservices/v1`, Amazon Polly `v1/speech`, the generic JSON one) with real audio —
 * a tone as long as the text would take to say — and checks the key the way the provider
 * does (Polly: the SigV4 signature, recomputed with the secret; key "ACCESS_KEY_ID:SECRET"). Faults are
 * queued per request: 429 with Retry-After, 500, a slow answer, or bytes that are not audio.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentWav } from '../tts/wav.ts';
import { signV4 } from '../tts/sigv4.ts';
import type { HttpPresetName } from '../tts/http-presets.ts';

export type TtsFault = { kind: 'status'; status: 429 | 500 | 503; retryAfterSec?: number } | { kind: 'slow'; ms: number } | { kind: 'garbage' };

export interface TtsRequestSeen {
  preset: HttpPresetName;
  /** Wall time it arrived (ms). */
  at: number;
  text: string;
  voice: string;
  /** What was answered. */
  status: number;
}

export interface SimTtsEndpoint {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Every request, in order of arrival. */
  readonly requests: TtsRequestSeen[];
  /** The next requests meet these faults, one each, in order. */
  inject(...faults: TtsFault[]): void;
  /** Every request from now on meets this fault (undefined: none). */
  always(fault: TtsFault | undefined): void;
  close(): Promise<void>;
}

/** Characters spoken per second (the silent engine's estimate: src/tts/silent.ts). */
const CHARS_PER_SECOND = 14;

export async function startSimTtsEndpoint(opts: { key: string; port?: number }): Promise<SimTtsEndpoint> {
  const requests: TtsRequestSeen[] = [];
  const queued: TtsFault[] = [];
  let standing: TtsFault | undefined;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    let seen: Omit<TtsRequestSeen, 'status' | 'at'>;
    let keyOk: boolean;
    let answer: (wav: Buffer) => void;
    if (req.method === 'POST' && path === '/v1/text:synthesize') {
      const j = JSON.parse(body) as { input?: { text?: string; ssml?: string }; voice?: { name?: string }; audioConfig?: { audioEncoding?: string; sampleRateHertz?: number } };
      seen = { preset: 'google', text: j.input?.text ?? stripTags(j.input?.ssml ?? ''), voice: j.voice?.name ?? '' };
      keyOk = req.headers['x-goog-api-key'] === opts.key;
      const rate = j.audioConfig?.sampleRateHertz ?? 24000;
      answer = () => json(res, 200, { audioContent: toneWav(seen.text, rate).toString('base64') });
    } else if (req.method === 'POST' && path === '/cognitiveservices/v1') {
      seen = { preset: 'azure', text: stripTags(body), voice: /<voice[^>]*name=['"]([^'"]+)['"]/.exec(body)?.[1] ?? '' };
      keyOk = req.headers['ocp-apim-subscription-key'] === opts.key;
      const format = String(req.headers['x-microsoft-outputformat'] ?? '');
      if (format !== 'riff-8khz-16bit-mono-pcm') {
        record(seen, 400);
        return void res.writeHead(400).end(`unsupported output format ${format}`);
      }
      answer = () => audio(res, toneWav(seen.text, 8000));
    } else if (req.method === 'POST' && path === '/v1/speech') {
      const j = JSON.parse(body) as { Text?: string; VoiceId?: string; Engine?: string; OutputFormat?: string; SampleRate?: string };
      seen = { preset: 'polly', text: j.Text ?? '', voice: j.Engine ? `${j.VoiceId}:${j.Engine}` : (j.VoiceId ?? '') };
      keyOk = pollySignatureOk(req, body, opts.key);
      const rate = Number(j.SampleRate ?? 16000);
      answer = () => res.writeHead(200, { 'content-type': 'audio/pcm' }).end(toneWav(seen.text, rate).subarray(44));
    } else if (req.method === 'POST' && path === '/tts') {
      const j = JSON.parse(body) as { text?: string; voice?: string };
      seen = { preset: 'generic', text: j.text ?? '', voice: j.voice ?? '' };
      // A service of one's own may need no key: an empty one accepts requests without.
      keyOk = opts.key === '' ? req.headers.authorization === undefined : req.headers.authorization === `Bearer ${opts.key}`;
      answer = () => audio(res, toneWav(seen.text, 16000));
    } else {
      return void res.writeHead(404).end();
    }
    if (!keyOk) {
      record(seen, 401);
      return void res.writeHead(401).end('bad key');
    }
    const fault = queued.shift() ?? standing;
    if (fault?.kind === 'status') {
      record(seen, fault.status);
      res.writeHead(fault.status, fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {});
      return void res.end('try again later');
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    record(seen, 200);
    if (fault?.kind === 'garbage') return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(Buffer.from('<html>gateway says hello</html>'));
    answer(Buffer.alloc(0));
  }

  function record(seen: Omit<TtsRequestSeen, 'status' | 'at'>, status: number): void {
    requests.push({ ...seen, at: Date.now(), status });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (...faults) => void queued.push(...faults),
    always: (fault) => void (standing = fault),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Recomputes the request's SigV4 signature with the secret, for the date, region and headers it names. */
function pollySignatureOk(req: IncomingMessage, body: string, key: string): boolean {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/polly\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(auth);
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const [akid, secret = ''] = key.split(':');
  if (!m || m[1] !== akid || !/^\d{8}T\d{6}Z$/.test(amzDate)) return false;
  const now = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const headers: Record<string, string> = {};
  for (const name of m[3]!.split(';')) if (name !== 'host' && name !== 'x-amz-date') headers[name] = String(req.headers[name] ?? '');
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const expected = signV4({ method: req.method ?? 'POST', url, headers, body, accessKeyId: akid!, secretAccessKey: secret, region: m[2]!, service: 'polly', now });
  return expected.authorization === auth;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function stripTags(ssml: string): string {
  return ssml.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function audio(res: ServerResponse, wav: Buffer): void {
  res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
}

/** A 16-bit mono WAV of a 440 Hz tone at this rate, as long as the text would take to say. */
export function toneWav(text: string, sampleRate: number): Buffer {
  const buf = silentWav(Math.max(500, Math.round((text.length / CHARS_PER_SECOND) * 1000)), sampleRate);
  for (let i = 0, pos = 44; pos < buf.length; i++, pos += 2) buf.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), pos);
  return buf;
}
