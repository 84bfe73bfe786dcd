/** A desktop's WebSocket (/agent/ws) as a test sees it: every message kept, and a wait for one. */
import WebSocket from 'ws';

export type Msg = { type: string; [k: string]: any };

/** A desktop socket that keeps every message and can wait for one. */
export async function desktop(url: string, token: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/agent/ws');
  const msgs: Msg[] = [];
  const waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  let closed: { code: number } | undefined;
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as Msg;
    msgs.push(m);
    for (const w of waiters.splice(0)) (w.pred(m) ? w.resolve(m) : waiters.push(w));
  });
  const closedP = new Promise<{ code: number }>((r) => ws.on('close', (code) => r((closed = { code }))));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'auth', token }));
  return {
    ws,
    msgs,
    closed: () => closed,
    whenClosed: () => closedP,
    /** The first message (already seen or still to come) that pred accepts; rejects after ms, listing what came. */
    next(pred: (m: Msg) => boolean, ms = 30_000): Promise<Msg> {
      const seen = msgs.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such desktop message in ${ms} ms; got types ${msgs.map((m) => m.type).join(', ')}`)), ms);
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

