/**
 * The simulated Graph endpoint: WhatsApp Business Cloud API over real HTTP on loopback, so
 * Bereik's production WhatsApp channel (fetch, status codes, JSON, signed webhooks) is what
 * tests exercise. Shares no code with src/messaging: it signs its webhooks itself.
 *
 * - POST /{version}/{phoneNumberId}/messages with `Authorization: Bearer <accessToken>`
 *   (else 401, code 190). A template or a text; answers { messages: [{ id: "wamid…" }] }.
 *   A free text to a number that has not written within 24 hours is refused like Meta:
 *   400, code 131047.
 * - Statuses, as signed webhooks to Bereik after `statusDelayMs`: sent, delivered, read;
 *   numbers ending in 99 → sent, failed with 131026 (not on WhatsApp).
 * - The handset: what each number received (`inbox(e164)`); `reply(from, text)` posts an
 *   inbound text as a signed webhook (`button(from, text)` a template's quick reply).
 * - Faults (`faults`): throttle the next N sends (429, code 130429, Retry-After), fail the
 *   next N with 500, refuse the next ones with given Graph codes, answer slowly, send each
 *   status (and each handset message) twice.
 * The webhook URL is set after Bereik listens (`setWebhookUrl`): in tests its port is random.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SystemClock, type Clock } from '../lib/clock.ts';

export interface HandsetWhatsApp {
  id: string;
  type: 'template' | 'text';
  /** A text's body, or the template's name. */
  text: string;
  template?: { name: string; language: string; params: string[] };
}

export interface SimWhatsAppGraphOptions {
  accessToken: string;
  appSecret: string;
  phoneNumberId: string;
  /** Our business number as Meta shows it (metadata.display_phone_number), digits. */
  displayNumber?: string;
  clock?: Clock;
  statusDelayMs?: number;
  webhookUrl?: string;
}

export interface SimWhatsAppGraph {
  /** e.g. http://127.0.0.1:41234 (whatsapp.graphUrl). */
  url: string;
  phoneNumberId: string;
  setWebhookUrl(url: string): void;
  inbox(e164: string): HandsetWhatsApp[];
  /** The handset writes a text; resolves with Bereik's HTTP status for the webhook. */
  reply(from: string, text: string): Promise<number>;
  /** The handset taps a template's quick-reply button. */
  button(from: string, text: string): Promise<number>;
  faults: {
    throttleNext: number;
    retryAfterSec: number;
    fail500Next: number;
    slowMs: number;
    duplicateStatuses: boolean;
    /** The next sends are refused with these Graph errors, in order (e.g. { status: 400, code: 131026 }). */
    errorNext: Array<{ status: number; code: number }>;
  };
  /** Sends accepted, and webhooks Bereik answered with something else than 200. */
  readonly accepted: number;
  readonly webhookFailures: number;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3_600_000;

export async function startSimWhatsAppGraph(o: SimWhatsAppGraphOptions): Promise<SimWhatsAppGraph> {
  const clock = o.clock ?? new SystemClock();
  const display = o.displayNumber ?? '31970105874';
  const delay = o.statusDelayMs ?? 20;
  let webhookUrl = o.webhookUrl ?? '';
  const boxes = new Map<string, HandsetWhatsApp[]>();
  const lastWrote = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();
  const faults: SimWhatsAppGraph['faults'] = { throttleNext: 0, retryAfterSec: 1, fail500Next: 0, slowMs: 0, duplicateStatuses: false, errorNext: [] };
  let accepted = 0;
  let webhookFailures = 0;
  let closed = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  async function post(value: Record<string, unknown>): Promise<number> {
    if (!webhookUrl || closed) return 0;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: display, phone_number_id: o.phoneNumberId }, ...value } }] }],
    });
    const signature = 'sha256=' + createHmac('sha256', o.appSecret).update(body).digest('hex');
    try {
      const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
      await res.arrayBuffer();
      if (res.status !== 200) webhookFailures++;
      return res.status;
    } catch {
      webhookFailures++;
      return 0;
    }
  }

  const seconds = () => String(Math.floor(clock.now() / 1000));

  function statuses(id: string, waId: string): void {
    const steps: Array<Record<string, unknown>> = waId.endsWith('99')
      ? [{ status: 'sent' }, { status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }] }]
      : [{ status: 'sent' }, { status: 'delivered' }, { status: 'read' }];
    track((async () => {
      for (const step of steps) {
        await clock.delay(delay);
        const status = { id, recipient_id: waId, timestamp: seconds(), ...step };
        await post({ statuses: [status] });
        if (faults.duplicateStatuses) await post({ statuses: [status] });
      }
    })());
  }

  function inbound(from: string, message: Record<string, unknown>): Promise<number> {
    const waId = from.replace(/^\+/, '');
    lastWrote.set(from, clock.now());
    const value = { contacts: [{ profile: { name: 'Handset' }, wa_id: waId }], messages: [{ from: waId, id: wamid(), timestamp: seconds(), ...message }] };
    return track((async () => {
      const status = await post(value);
      if (faults.duplicateStatuses) await post(value);
      return status;
    })());
  }

  const messagesPath = new RegExp(`^/v\\d+\\.\\d+/${o.phoneNumberId}/messages$`);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
      answer(status, { error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(8).toString('hex') } }, headers);
    if (req.method !== 'POST' || !messagesPath.test(req.url ?? '')) return error(404, 100, 'Unsupported post request');
    if (req.headers.authorization !== `Bearer ${o.accessToken}`) return error(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (faults.slowMs) await clock.delay(faults.slowMs);
    if (faults.throttleNext > 0) {
      faults.throttleNext--;
      return error(429, 130429, 'Rate limit hit', { 'retry-after': String(faults.retryAfterSec) });
    }
    if (faults.fail500Next > 0) {
      faults.fail500Next--;
      return error(500, 1, 'An unknown error occurred');
    }
    const refusal = faults.errorNext.shift();
    if (refusal) return error(refusal.status, refusal.code, `(#${refusal.code}) simulated refusal`);
    let msg: { messaging_product?: unknown; to?: unknown; type?: unknown; text?: { body?: unknown }; template?: { name?: unknown; language?: { code?: unknown }; components?: Array<{ type?: string; parameters?: Array<{ text?: unknown }> }> } };
    try {
      msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return error(400, 100, 'Invalid parameter: body is not JSON');
    }
    if (msg.messaging_product !== 'whatsapp' || typeof msg.to !== 'string' || !/^\d{6,15}$/.test(msg.to)) return error(400, 100, '(#100) Invalid parameter: to');
    const to = '+' + msg.to;
    const id = wamid();
    let got: HandsetWhatsApp;
    if (msg.type === 'text') {
      if (typeof msg.text?.body !== 'string' || !msg.text.body) return error(400, 100, '(#100) Invalid parameter: text.body');
      const last = lastWrote.get(to);
      if (last === undefined || clock.now() - last >= DAY_MS) return error(400, 131047, 'Re-engagement message: more than 24 hours have passed since the recipient last replied');
      got = { id, type: 'text', text: msg.text.body };
    } else if (msg.type === 'template') {
      const t = msg.template;
      if (typeof t?.name !== 'string' || typeof t.language?.code !== 'string') return error(400, 132000, 'Number of parameters does not match the expected number of params');
      const params = (t.components ?? []).filter((c) => c.type === 'body').flatMap((c) => c.parameters ?? []).map((p) => String(p.text ?? ''));
      got = { id, type: 'template', text: t.name, template: { name: t.name, language: t.language.code, params } };
    } else return error(400, 100, '(#100) Invalid parameter: type');
    accepted++;
    const box = boxes.get(to) ?? [];
    box.push(got);
    boxes.set(to, box);
    answer(200, { messaging_product: 'whatsapp', contacts: [{ input: msg.to, wa_id: msg.to }], messages: [{ id }] });
    statuses(id, msg.to);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    phoneNumberId: o.phoneNumberId,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    inbox: (e164) => [...(boxes.get(e164) ?? [])],
    reply: (from, text) => inbound(from, { type: 'text', text: { body: text } }),
    button: (from, text) => inbound(from, { type: 'button', button: { text, payload: text.toUpperCase() } }),
    faults,
    get accepted() {
      return accepted;
    },
    get webhookFailures() {
      return webhookFailures;
    },
    async close() {
      closed = true;
      await Promise.allSettled([...pending]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function wamid(): string {
  return 'wamid.' + randomBytes(24).toString('base64url');
}
