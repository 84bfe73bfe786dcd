// Bereik agent desktop, messages: the replies inbox (take, answer by SMS, close) and, on the
// case screen, the pay link by SMS or e-mail, a short text with a live part counter, and what
// was sent to the debtor with its status. Plain JS like desktop.js, which creates it with
// its helpers and hands it the socket's messages; the server sends numbers masked.
'use strict';
window.BereikDeskMessages = function (ctx) {
  const { $, api } = ctx;
  const INTENTS = { free_text: 'Free text', arrangement: 'Asks for a payment arrangement', callback: 'Asks to be called', paid: 'Says it is paid', option: 'Chose an option', stop: 'Stop' };
  const STATUSES = { queued: 'Queued', submitting: 'Sending', submitted: 'Sent', delivered: 'Delivered', failed: 'Failed', expired: 'Expired', uncertain: 'Uncertain', cancelled: 'Cancelled' };
  const say = (el, v) => { el.textContent = v; };
  const when = (iso) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
  let me = null;
  let debtorId = null; // the debtor on screen
  const inboxItems = new Map(); // reply id → its list element
  const sentRows = new Map(); // message id → its table row

  // ---- counting SMS parts as the text is typed -------------------------------------------
  function counter(textarea, out) {
    let timer = null;
    let asked = 0;
    const update = () => {
      const value = textarea.value;
      if (!value.trim()) return (out.textContent = '');
      const mine = ++asked;
      api('POST', '/agent/messages/measure', { text: value }).then((m) => {
        if (mine !== asked) return; // an older answer arriving late
        const kind = m.encoding === 'ucs2' ? ' · special characters: 70 per SMS' : '';
        out.textContent = m.parts === 1 ? `${m.units} of ${m.perPart} characters · 1 SMS${kind}` : `${m.units} characters · ${m.parts} SMS (${m.perPart} each)${kind}`;
        out.dataset.parts = String(m.parts);
      }, () => {});
    };
    textarea.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    return () => {
      textarea.value = '';
      out.textContent = '';
      delete out.dataset.parts;
    };
  }

  // ---- the inbox ---------------------------------------------------------------------------
  function setCount(n) {
    const badge = $('inbox-count');
    badge.textContent = String(n);
    badge.classList.toggle('waiting', n > 0);
    $('inbox-toggle').setAttribute('aria-label', `Inbox, ${n} ${n === 1 ? 'reply' : 'replies'} waiting`);
  }

  function inboxStatus(msg) {
    say($('inbox-status'), msg);
  }

  function removeReply(id) {
    const li = inboxItems.get(id);
    if (li) li.remove();
    inboxItems.delete(id);
    $('inbox-empty').hidden = inboxItems.size > 0;
  }

  function replyElement(r) {
    const li = document.createElement('li');
    li.setAttribute('data-testid', 'inbox-item');
    li.dataset.id = String(r.id);
    const head = document.createElement('div');
    const who = document.createElement('strong');
    const meta = document.createElement('small');
    const state = document.createElement('span');
    state.className = 'reply-state';
    state.setAttribute('data-testid', 'inbox-item-state');
    head.append(who, ' ', meta, ' ', state);
    const body = document.createElement('p');
    body.className = 'reply-body';
    const take = button('Take', 'inbox-take', () => act(r.id, 'take', 'Taken: it is yours now.'));
    const close = button('Close', 'inbox-close', () => act(r.id, 'close', 'Closed.'));
    close.className = 'quiet';
    const form = document.createElement('form');
    form.className = 'answer';
    const label = document.createElement('label');
    const area = document.createElement('textarea');
    area.id = `answer-${r.id}`;
    area.rows = 2;
    area.maxLength = 1600;
    area.setAttribute('data-testid', 'inbox-answer-text');
    label.htmlFor = area.id;
    label.textContent = 'Answer by SMS';
    const count = document.createElement('span');
    count.className = 'counter';
    count.id = `answer-count-${r.id}`;
    count.setAttribute('aria-live', 'polite');
    area.setAttribute('aria-describedby', count.id);
    const send = document.createElement('button');
    send.type = 'submit';
    send.textContent = 'Send answer';
    send.setAttribute('data-testid', 'inbox-answer-send');
    form.append(label, area, count, send);
    const clear = counter(area, count);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!area.value.trim()) return inboxStatus('Write the answer first.');
      try {
        const m = await api('POST', `/agent/inbox/${r.id}/answer`, { text: area.value });
        clear();
        removeReply(r.id);
        inboxStatus(`Answer sent to ${m.to}.`);
        if (m.debtorId === debtorId) showSent(m);
      } catch (e) {
        inboxStatus(e.message);
      }
    });
    li.append(head, body, take, close, form);
    li.parts = { who, meta, state, body, take, form };
    return li;
  }

  function button(label, testid, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.setAttribute('data-testid', testid);
    b.addEventListener('click', onClick);
    return b;
  }

  async function act(id, verb, done) {
    try {
      const r = await api('POST', `/agent/inbox/${id}/${verb}`);
      if (r.status === 'closed') removeReply(id);
      else showReply(r);
      inboxStatus(done);
    } catch (e) {
      inboxStatus(e.message);
    }
  }

  /** Adds or updates one reply in place, so an answer being typed survives a push. */
  function showReply(r) {
    let li = inboxItems.get(r.id);
    if (!li) {
      li = replyElement(r);
      inboxItems.set(r.id, li);
      const list = $('inbox-list');
      const after = [...list.children].find((el) => Number(el.dataset.id) < r.id);
      list.insertBefore(li, after || null);
    }
    const p = li.parts;
    p.who.textContent = r.debtorName || 'Unknown number';
    p.meta.textContent = `${r.from} · ${when(r.receivedAt)} UTC · ${INTENTS[r.intent] || r.intent}`;
    p.body.textContent = r.body;
    const mine = r.status === 'assigned' && r.agentId === me;
    p.state.textContent = mine ? 'yours' : 'open';
    li.dataset.status = r.status;
    p.take.hidden = mine;
    p.form.hidden = r.debtorId == null;
    $('inbox-empty').hidden = true;
  }

  async function loadInbox() {
    try {
      const data = await api('GET', '/agent/inbox');
      for (const id of [...inboxItems.keys()]) if (!data.items.some((r) => r.id === id)) removeReply(id);
      for (const r of data.items.slice().reverse()) showReply(r);
      setCount(data.count);
      $('inbox-empty').hidden = data.items.length > 0;
    } catch (e) {
      inboxStatus(e.message);
    }
  }

  $('inbox-toggle').addEventListener('click', () => {
    const open = $('inbox').hidden;
    $('inbox').hidden = !open;
    $('inbox-toggle').setAttribute('aria-expanded', String(open));
  });

  // ---- messages to the debtor on screen ------------------------------------------------------
  function showSent(m) {
    let tr = sentRows.get(m.id);
    if (!tr) {
      tr = document.createElement('tr');
      tr.setAttribute('data-testid', 'msg-row');
      tr.dataset.id = String(m.id);
      sentRows.set(m.id, tr);
      const list = $('msg-list');
      const after = [...list.children].find((el) => Number(el.dataset.id) < m.id);
      list.insertBefore(tr, after || null);
    }
    // A queued message with a reason waits (outside the sending window, the cap reached).
    const status = (STATUSES[m.status] || m.status) + (m.error ? (m.status === 'queued' ? ` — waits: ${m.error}` : ` (${m.error})`) : '');
    const cells = [when(m.createdAt), m.channel === 'email' ? 'E-mail' : 'SMS', m.to, m.body.length > 90 ? m.body.slice(0, 90) + '…' : m.body, status];
    tr.replaceChildren(...cells.map((v) => {
      const td = document.createElement('td');
      td.textContent = v || '—';
      return td;
    }));
    tr.lastChild.setAttribute('data-testid', 'msg-status-cell');
    tr.dataset.status = m.status;
  }

  async function loadSent(id) {
    try {
      const data = await api('GET', `/agent/debtors/${id}/messages`);
      if (id !== debtorId) return;
      for (const m of data.items) showSent(m);
    } catch (e) {
      say($('msg-status'), e.message);
    }
  }

  async function send(body, done) {
    if (debtorId == null) return;
    say($('msg-status'), 'Sending…');
    try {
      const m = await api('POST', `/agent/debtors/${debtorId}/messages`, body);
      showSent(m);
      say($('msg-status'), done);
      return true;
    } catch (e) {
      say($('msg-status'), e.message);
      return false;
    }
  }

  $('send-paylink-sms').addEventListener('click', () => send({ channel: 'sms', kind: 'paylink' }, 'Pay link queued for SMS.'));
  $('send-paylink-email').addEventListener('click', () => send({ channel: 'email', kind: 'paylink' }, 'Pay link queued for e-mail.'));
  const clearText = counter($('msg-text'), $('msg-counter'));
  $('msg-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!$('msg-text').value.trim()) return say($('msg-status'), 'Write the text first.');
    if (await send({ channel: 'sms', kind: 'text', text: $('msg-text').value }, 'SMS queued.')) clearText();
  });

  return {
    /** The socket said hello: who we are, then the inbox as it is now. */
    hello(agent) {
      me = agent.id;
      loadInbox();
      // Statuses that changed while the socket was down.
      if (debtorId != null) loadSent(debtorId);
    },
    /** A socket `inbox` message: one reply added, changed or gone, and the new count. */
    inbox(msg) {
      setCount(msg.count);
      if (msg.row) showReply(msg.row);
      if (msg.gone != null) removeReply(msg.gone);
    },
    /** A socket `message` message: a message to the debtor on screen (or one we sent) moved on. */
    message(msg) {
      if (msg.message.debtorId === debtorId) showSent(msg.message);
    },
    /** The case on screen changed; a new debtor gets their own list. */
    showCase(c, fresh) {
      const id = c && c.debtor ? c.debtor.id : null;
      $('messages').hidden = id == null;
      if (!fresh && id === debtorId) return;
      debtorId = id;
      sentRows.clear();
      $('msg-list').replaceChildren();
      say($('msg-status'), '');
      clearText();
      if (id != null) loadSent(id);
    },
  };
};
