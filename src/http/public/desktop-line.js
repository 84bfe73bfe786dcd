// The agent's line (docs/agent-line.md): on login the desktop asks Bereik to open it (the
// agent's phone rings once); while it is open, debtors are put through without ringing.
// A dropped line is said on screen and opened again with backoff (2 s doubling to 30 s)
// for as long as the agent keeps "My line" ticked.
'use strict';
window.BereikDeskLine = ({ $, api, softphone }) => {
  const WANT_KEY = 'bereik.lineWanted';
  const LABELS = { none: 'no line', opening: 'opening — answer your phone', open: 'open', dropped: 'dropped' };
  let retries = 0;
  let timer = null;
  let busy = false;
  let server = { state: 'none' }; // the line as the server last said it
  const wanted = () => $('line-wanted').checked;
  $('line-wanted').checked = localStorage.getItem(WANT_KEY) !== '0';

  function show(line, extra) {
    const el = $('line');
    el.dataset.state = line.state;
    el.className = 'line ' + line.state;
    el.textContent = 'Line: ' + (LABELS[line.state] || line.state) + (line.reason && line.state === 'dropped' ? ` (${line.reason})` : '') + (extra || '');
  }

  function schedule(line) {
    clearTimeout(timer);
    const delay = Math.min(30000, 2000 * 2 ** retries);
    retries++;
    show(line, ` — you are paused; opening it again in ${Math.round(delay / 1000)} s`);
    timer = setTimeout(open, delay);
  }

  async function open() {
    clearTimeout(timer);
    timer = null;
    if (!wanted() || busy) return;
    busy = true;
    show({ state: 'opening' });
    try {
      // The browser phone registers first: Bereik then calls it (it answers by itself).
      if (softphone) await softphone.ensure();
      const line = await api('POST', '/agent/line');
      retries = 0;
      show(line);
    } catch (e) {
      // The phone is another tab's: that tab holds the line; this one shows what the server says.
      if (e.code === 'SOFTPHONE_ELSEWHERE') show(server);
      else if (wanted()) schedule({ state: 'dropped', reason: e.message });
    } finally {
      busy = false;
    }
  }

  softphone?.retryButton(() => { retries = 0; open(); });
  softphone?.takeOver(() => { retries = 0; open(); });

  $('line-wanted').addEventListener('change', () => {
    localStorage.setItem(WANT_KEY, wanted() ? '1' : '0');
    retries = 0;
    if (wanted()) open();
    else {
      clearTimeout(timer);
      api('DELETE', '/agent/line').then(show, () => {});
    }
  });

  return {
    /** Every (re)connect of the socket: the line as the server has it; open it if wanted. */
    hello(line) {
      server = line;
      show(line);
      if (wanted() && (line.state === 'none' || line.state === 'dropped') && !timer) open();
    },
    line(line) {
      server = line;
      if (busy) return;
      if (line.state === 'dropped' && wanted()) schedule(line);
      else show(line);
    },
    logout() {
      clearTimeout(timer);
      return api('DELETE', '/agent/line').catch(() => {});
    },
  };
};
