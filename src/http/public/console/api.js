// The API as the console sees it: the operator's bearer token (kept for this browser tab
// only) on every request, and errors with their code, message and per-field details.
const KEY = 'bereik.console.token';

const ROLE = 'bereik.console.role';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  save: (t) => sessionStorage.setItem(KEY, t),
  clear: () => (sessionStorage.removeItem(KEY), sessionStorage.removeItem(ROLE)),
  /** 'supervisor' (only the live calls), 'admin' (the book and the live calls) or 'operator'. */
  role: () => sessionStorage.getItem(ROLE) ?? 'operator',
  setRole: (r) => sessionStorage.setItem(ROLE, r),
};

/** An audio file behind the token, as an object URL an <audio> element can play. */
export async function audioUrl(path) {
  const res = await request(path);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return URL.createObjectURL(await res.blob());
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? null;
    this.details = body?.error?.details;
  }
}

async function request(path, { method = 'GET', json, body, headers = {} } = {}) {
  const h = { ...headers, authorization: `Bearer ${session.token()}` };
  if (json !== undefined) h['content-type'] = 'application/json';
  return fetch(path, { method, headers: h, body: json !== undefined ? JSON.stringify(json) : body });
}

/** JSON in, JSON out; a non-2xx answer throws ApiError. */
export async function api(path, opts) {
  const res = await request(path, opts);
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 401) dispatchEvent(new Event('bereik:unauthorised'));
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** A file behind the token (a plain link or <audio src> cannot send it), as a blob: URL; revoke it when done. */
export async function blobUrl(path) {
  const res = await request(path);
  if (res.status === 401) dispatchEvent(new Event('bereik:unauthorised'));
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return URL.createObjectURL(await res.blob());
}

/** A file behind the token, fetched, then saved under `name`. */
export async function download(path, name) {
  const url = await blobUrl(path);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The API's per-field messages, keyed as the form names its fields ('callerId',
 * 'settings.maxAttemptsPerDay'). Schema errors say 'body/settings/x', service errors
 * 'settings.x'; a nested path ('settings.callingWindows.0.start') belongs to its setting.
 */
export function fieldErrors(err) {
  const out = {};
  for (const d of Array.isArray(err?.details) ? err.details : []) {
    if (!d?.field) continue;
    const parts = String(d.field).replace(/^body\/?/, '').split(/[/.]/).filter(Boolean);
    const key = parts[0] === 'settings' ? parts.slice(0, 2).join('.') : parts[0] ?? '';
    (out[key] ??= []).push(d.message ?? err.message);
  }
  return out;
}

/**
 * A server-sent-events route read with fetch (EventSource cannot send the bearer header):
 * calls onEvent(name, data) for each event until the signal aborts. Resolves when the
 * stream ends; throws ApiError when the route refuses.
 */
export async function stream(path, onEvent, signal) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session.token()}`, accept: 'text/event-stream' }, signal });
  if (res.status === 401) dispatchEvent(new Event('bereik:unauthorised'));
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}
