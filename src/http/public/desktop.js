// Bereik agent desktop: plain JS, no build step. The token lives in sessionStorage so a
// reload keeps the agent logged in; the WebSocket reconnects with backoff and the server
// sends the current state and case in its hello, so nothing is lost across a drop.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'bereik.agentToken';
  const euro = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
  const PHASES = { ringing: 'Ringing', whisper: 'Whisper', connected: 'Connected', ended: 'Ended' };
  const REASONS = { menu: 'chose to speak to an agent', segment: 'put straight through (risk or amount)', callback: 'calling back', unknown_caller: 'unknown caller' };
  let ws = null;
  let retries = 0;
  let reconnectTimer = null;
  let current = null; // the case on screen
  let loggedOut = false;

  const token = () => sessionStorage.getItem(TOKEN_KEY);
  // The inbox and the messages to the debtor on screen (desktop-messages.js, loaded first).
  const messages = window.BereikDeskMessages({ $, api });
  // The agent's line (desktop-line.js): opened on login, opened again after a drop.
  // With the softphone (desktop-softphone.js) the line is Bereik calling this browser.
  const softphone = window.BereikDeskSoftphone({ $, api });
  const line = window.BereikDeskLine({ $, api, softphone });
  const money = (cents) => euro.format(cents / 100);
  const text = (el, v) => { el.textContent = v == null || v === '' ? '—' : String(v); };

  function showLogin(message) {
    $('login').hidden = false;
    $('desk').hidden = true;
    $('login-error').textContent = message || '';
  }

  function setConn(on, label) {
    const el = $('conn');
    el.className = 'conn ' + (on ? 'on' : 'off');
    el.textContent = label;
  }

  function connect() {
    clearTimeout(reconnectTimer);
    if (!token()) return showLogin();
    const url = location.origin.replace(/^http/, 'ws') + '/agent/ws';
    const sock = new WebSocket(url);
    ws = sock;
    setConn(false, retries ? 'reconnecting…' : 'connecting…');
    sock.onopen = () => sock.send(JSON.stringify({ type: 'auth', token: token() }));
    sock.onmessage = (ev) => onMessage(JSON.parse(ev.data));
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      if (ev.code === 4401 || ev.code === 4404) {
        sessionStorage.removeItem(TOKEN_KEY);
        return showLogin(ev.code === 4401 ? 'That token was not accepted.' : 'This agent was removed.');
      }
      if (loggedOut) return;
      // Backoff with jitter: 0.5 s doubling to 10 s, so a restarting server is not stormed.
      const delay = Math.min(10000, 500 * 2 ** retries) * (0.75 + Math.random() / 2);
      retries++;
      setConn(false, 'disconnected — retrying');
      reconnectTimer = setTimeout(connect, delay);
    };
  }

  function onMessage(msg) {
    if (msg.type === 'hello') {
      retries = 0;
      setConn(true, 'connected');
      $('login').hidden = true;
      $('desk').hidden = false;
      showAgent(msg.agent);
      showCase(msg.case);
      messages.hello(msg.agent);
      line.hello(msg.line);
    } else if (msg.type === 'agent') showAgent(msg.agent);
    else if (msg.type === 'case') showCase(msg.case);
    else if (msg.type === 'line') line.line(msg.line);
    else if (msg.type === 'inbox') messages.inbox(msg);
    else if (msg.type === 'message') messages.message(msg);
    else if (msg.type === 'error') text($('notice'), msg.message);
  }

  let lastState = null;
  function showAgent(a) {
    if (lastState !== 'paused' && a.state === 'paused' && $('line').dataset.state === 'dropped') text($('notice'), 'Your line dropped, so you are paused. It is being opened again: answer your phone, then press Available.');
    else if (lastState === 'ringing' && a.state === 'paused') text($('notice'), 'A call rang out on your phone, so you are paused. Press Available when you are back.');
    else if (a.state === 'available' || a.state === 'talking') $('notice').textContent = '';
    lastState = a.state;
    text($('agent-name'), a.name);
    const s = $('agent-state');
    s.textContent = a.state.replace('_', ' ');
    s.className = 'state ' + a.state;
    s.dataset.state = a.state;
    $('wrapup-end').hidden = !(a.state === 'wrap_up' || (a.state === 'available' && current && current.phase === 'ended'));
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const [v, cls] of cells) {
      const td = document.createElement('td');
      td.textContent = v == null || v === '' ? '—' : String(v);
      if (cls) td.className = cls;
      tr.appendChild(td);
    }
    return tr;
  }

  function showCase(c) {
    const fresh = !current || !c || current.agentCallId !== c.agentCallId;
    current = c;
    $('case').hidden = !c;
    $('idle').hidden = !!c;
    messages.showCase(c, fresh);
    if (!c) return;
    $('case').dataset.phase = c.phase;
    text($('case-phase'), PHASES[c.phase] || c.phase);
    text($('debtor-name'), c.debtor ? c.debtor.name : 'Unknown caller');
    text($('debtor-ref'), c.debtor ? c.debtor.externalRef : '');
    const risk = c.debtor ? c.debtor.risk : null;
    text($('risk'), risk);
    $('risk').className = risk === 'high' ? 'risk-high' : '';
    text($('open-total'), money(c.openCents));
    text($('reason'), REASONS[c.reason] || c.reason);
    text($('keys'), c.dtmfPath.split('').join(' '));
    text($('whisper'), c.whisper);
    const claims = $('claims');
    claims.replaceChildren(...c.claims.map((k) => row([[k.invoiceRef], [k.creditor], [money(k.amountCents), 'num'], [k.dueDate], [k.status]])));
    $('history').replaceChildren(...c.history.map((h) => row([[h.createdAt.replace('T', ' ').slice(0, 16)], [h.direction], [h.result || h.disposition], [h.dtmfPath.split('').join(' ')]])));
    if (fresh) {
      $('d-claim').replaceChildren(...c.claims.map((k) => new Option(`${k.invoiceRef} · ${money(k.amountCents)}`, String(k.id), false, k.id === c.claimId)));
      $('dispo').reset();
      if (c.claimId) $('d-claim').value = String(c.claimId);
      text($('d-status'), '');
      toggleFields();
    }
    $('wrapup-end').hidden = c.phase !== 'ended';
  }

  function toggleFields() {
    const kind = $('d-kind').value;
    for (const l of document.querySelectorAll('#dispo label[data-for]')) l.hidden = !l.dataset.for.split(' ').includes(kind);
  }

  /** "1.234,56" or "1234.56" → cents; null when empty or not an amount. */
  function cents(v) {
    const s = v.trim().replace(/\s|€/g, '');
    if (!s) return null;
    const norm = /,\d{1,2}$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
    const n = Number(norm);
    return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : NaN;
  }

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: { authorization: 'Bearer ' + token(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = res.status === 204 ? null : await res.json();
    if (!res.ok) throw Object.assign(new Error((data && data.error && data.error.message) || 'HTTP ' + res.status), { code: data && data.error && data.error.code });
    return data;
  }

  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    loggedOut = false;
    retries = 0;
    connect();
  });
  $('logout').addEventListener('click', async () => {
    loggedOut = true;
    await line.logout();
    await softphone.stop();
    sessionStorage.removeItem(TOKEN_KEY);
    if (ws) ws.close();
    showLogin();
  });
  for (const b of document.querySelectorAll('button[data-state]')) {
    b.addEventListener('click', () => {
      text($('notice'), '');
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'state', state: b.dataset.state }));
      else api('POST', '/agent/state', { state: b.dataset.state }).then(showAgent, (e) => text($('notice'), e.message));
    });
  }
  $('d-kind').addEventListener('change', toggleFields);
  $('dispo').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!current) return;
    const kind = $('d-kind').value;
    const body = { claimId: Number($('d-claim').value), callId: current.callId, kind };
    const note = $('d-note').value.trim();
    if (note) body.note = note;
    if (kind === 'promise_to_pay') body.promiseDate = $('d-date').value;
    if (kind === 'promise_to_pay' || kind === 'payment_arrangement') {
      const c = cents($('d-amount').value);
      if (Number.isNaN(c)) return text($('d-status'), 'The amount is not a number.');
      if (c !== null) body.amountCents = c;
    }
    if (kind === 'callback' && $('d-callback').value) body.callbackAt = new Date($('d-callback').value).toISOString();
    try {
      await api('POST', '/agent/dispositions', body);
      text($('d-status'), 'Saved.');
    } catch (e) {
      text($('d-status'), e.message);
    }
  });
  // Preview campaigns: the agent asks for the next case, reads it, and dials or skips it.
  // Once the debtor answers, the call arrives as an ordinary screen pop over the socket.
  let previewCase = null;
  function showPreview(c) {
    previewCase = c;
    $('pv-case').hidden = !c;
    if (!c) return;
    text($('pv-name'), c.debtor ? c.debtor.name : '');
    text($('pv-ref'), c.debtor ? c.debtor.externalRef : '');
    text($('pv-phone'), c.phone);
    text($('pv-risk'), c.debtor ? c.debtor.risk : '');
    $('pv-claims').replaceChildren(...c.claims.map((k) => row([[k.invoiceRef], [k.creditor], [money(k.amountCents), 'num'], [k.dueDate], [k.status]])));
    $('pv-history').replaceChildren(...c.history.map((h) => row([[h.createdAt.replace('T', ' ').slice(0, 16)], [h.direction], [h.result || h.disposition], [(h.dtmfPath || '').split('').join(' ')]])));
  }
  $('preview-next').addEventListener('click', async () => {
    text($('pv-status'), '');
    try {
      const c = await api('GET', '/agent/preview/next');
      showPreview(c);
      if (!c) text($('pv-status'), 'No preview case is due now.');
    } catch (e) {
      showPreview(null);
      text($('pv-status'), e.message);
    }
  });
  /** Dial or skip the case on screen; the answer is said in the status line. */
  function previewAction(verb, done) {
    return async () => {
      if (!previewCase) return;
      try {
        await api('POST', `/agent/preview/${previewCase.contactId}/${verb}`);
        showPreview(null);
        text($('pv-status'), done);
      } catch (e) {
        text($('pv-status'), e.message);
      }
    };
  }
  $('pv-dial').addEventListener('click', previewAction('dial', 'Dialling… you are put through when the debtor answers.'));
  $('pv-skip').addEventListener('click', previewAction('skip', 'Skipped.'));

  $('wrapup-end').addEventListener('click', () => {
    api('POST', '/agent/wrapup/end').then(showAgent, (e) => text($('notice'), e.message));
  });

  connect();
})();
