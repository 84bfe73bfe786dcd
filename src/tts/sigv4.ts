/**
 * AWS Signature Version 4 for one request (Amazon Polly's SynthesizeSpeech), just what a
 * POST with a JSON body and no query needs, after
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html. Checked
 * against the AWS SigV4 test suite's "get-vanilla" case (test/tts/tts-http-polly*.test.ts).
 */
import { createHash, createHmac } from 'node:crypto';

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to sign besides host and x-amz-date (lower-case names). */
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  now: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** The headers to send: the given ones, x-amz-date and authorization (fetch adds host itself). */
export function signV4(o: SignInput): Record<string, string> {
  const amzDate = o.now.toISOString().replace(/[-:]|\.\d{3}/g, ''); // 20150830T123600Z
  const day = amzDate.slice(0, 8);
  const signed: Record<string, string> = { ...o.headers, host: o.url.host, 'x-amz-date': amzDate };
  const names = Object.keys(signed).map((n) => n.toLowerCase()).sort();
  const value = (n: string) => Object.entries(signed).find(([k]) => k.toLowerCase() === n)![1].trim().replace(/\s+/g, ' ');
  const path = o.url.pathname.split('/').map((seg) => encodeURIComponent(decodeURIComponent(seg))).join('/') || '/';
  const query = [...o.url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  const canonical = [o.method, path, query, names.map((n) => `${n}:${value(n)}\n`).join(''), names.join(';'), sha256(o.body)].join('\n');
  const scope = `${day}/${o.region}/${o.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${o.secretAccessKey}`, day), o.region), o.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  const { host: _host, ...send } = signed;
  return { ...send, authorization: `AWS4-HMAC-SHA256 Credential=${o.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}
