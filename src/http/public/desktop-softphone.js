// The desktop's softphone (docs/agent-softphone.md): SIP over WebSocket to Asterisk with
// SIP.js 0.21, loaded as ES modules from /desktop/vendor/sip.js/ (no bundler, no CDN).
// Bereik issues the SIP account per login (POST /agent/softphone); the agent never types
// one. The softphone registers, and the agent's line (desktop-line.js) is Bereik calling
// it: the softphone answers that one call at once and keeps it for the whole session.
// Microphone and speaker choice, mute, a level meter, DTMF, reconnect with backoff, and a
// clear message when the browser refuses the microphone or has none. Dutch and English.
'use strict';
window.BereikDeskSoftphone = ({ $, api }) => {
  const STRINGS = {
    nl: {
      title: 'Telefoon in de browser', off: 'uit (bureautelefoon)', starting: 'verbinden…', registered: 'klaar', reconnecting: 'verbinding weg — opnieuw over {s} s',
      incall: 'lijn open', error: 'fout', nomic: 'geen microfoon',
      denied: 'De browser weigert de microfoon. Sta de microfoon toe voor deze pagina (het slotje naast het adres) en klik op Opnieuw.',
      missing: 'Geen microfoon gevonden. Sluit een headset aan en klik op Opnieuw.',
      busy: 'De microfoon is in gebruik door een ander programma. Sluit dat en klik op Opnieuw.',
      unsupported: 'Deze browser kan niet bellen (geen WebRTC of geen veilige verbinding: open de desktop via https).',
      mute: 'Dempen', unmute: 'Dempen opheffen', retry: 'Opnieuw', mic: 'Microfoon', speaker: 'Luidspreker', level: 'Niveau', dflt: 'Standaard',
      elsewhere: 'in ander tabblad',
      elsewhereLong: 'De telefoon is open in een ander tabblad van deze browser; daar komen de gesprekken binnen. Sluit dat tabblad om hier te bellen: dit tabblad neemt het dan over.',
    },
    en: {
      title: 'Browser phone', off: 'off (desk phone)', starting: 'connecting…', registered: 'ready', reconnecting: 'connection lost — retrying in {s} s',
      incall: 'line open', error: 'error', nomic: 'no microphone',
      denied: 'The browser refuses the microphone. Allow the microphone for this page (the padlock beside the address) and press Retry.',
      missing: 'No microphone found. Plug in a headset and press Retry.',
      busy: 'Another program is using the microphone. Close it and press Retry.',
      unsupported: 'This browser cannot make calls (no WebRTC, or not a secure page: open the desktop over https).',
      mute: 'Mute', unmute: 'Unmute', retry: 'Retry', mic: 'Microphone', speaker: 'Speaker', level: 'Level', dflt: 'Default',
      elsewhere: 'in another tab',
      elsewhereLong: 'The phone is open in another tab of this browser; calls come in there. Close that tab to phone from here: this tab then takes over.',
    },
  };
  // The agent's browser language: Dutch for nl-*, English otherwise.
  const lang = (navigator.language || 'en').toLowerCase().startsWith('nl') ? 'nl' : 'en';
  const t = (k, vars) => STRINGS[lang][k].replace(/\{(\w+)\}/g, (_, v) => String(vars?.[v] ?? ''));
  const MIC_KEY = 'bereik.softphone.mic';
  const SPEAKER_KEY = 'bereik.softphone.speaker';

  let SIP = null; // the SIP.js module, loaded on first use
  let account = null;
  let ua = null;
  let registerer = null;
  let session = null;
  let mic = null; // our own microphone stream: the meter's, cloned into each call
  let meter = null;
  let muted = false;
  let retries = 0;
  let retryTimer = null;
  let renewTimer = null;
  let stopped = true;
  let disabled = false; // Bereik has no softphone configured: the line rings the desk phone
  let ready = null; // { promise, resolve, reject } while waiting for a registration
  // One softphone per browser (Web Locks): the tab that holds the lock registers and has the
  // line; other tabs of the same agent show the cases, say where the phone is, and queue for
  // the lock, which the browser hands on when that tab closes.
  const LOCK = 'bereik-desktop-softphone';
  let held = !navigator.locks; // without Web Locks every tab tries (the last to register wins)
  let queued = false;
  let releaseLock = null;
  let onTakeOver = () => {};
  const audio = $('softphone-audio');

  for (const [id, key] of [['softphone-title', 'title'], ['softphone-mic-label', 'mic'], ['softphone-speaker-label', 'speaker'], ['softphone-level-label', 'level'], ['softphone-retry', 'retry']]) $(id).textContent = t(key);

  function status(state, text) {
    const el = $('softphone-status');
    el.dataset.state = state;
    el.textContent = text || t(state === 'no-mic' ? 'nomic' : state);
  }
  function say(message) {
    $('softphone-message').textContent = message || '';
    $('softphone-retry').hidden = !message;
  }
  function showMute() {
    const b = $('softphone-mute');
    b.setAttribute('aria-pressed', String(muted));
    b.textContent = muted ? t('unmute') : t('mute');
  }

  /** The microphone, or a message saying why not (the browser refused it, or there is none). */
  async function openMic() {
    if (!navigator.mediaDevices?.getUserMedia || !window.RTCPeerConnection) throw Object.assign(new Error(t('unsupported')), { state: 'error' });
    const id = localStorage.getItem(MIC_KEY);
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: id ? { deviceId: { ideal: id } } : true, video: false });
    } catch (e) {
      const key = e.name === 'NotAllowedError' || e.name === 'SecurityError' ? 'denied' : e.name === 'NotFoundError' || e.name === 'OverconstrainedError' ? 'missing' : e.name === 'NotReadableError' ? 'busy' : null;
      throw Object.assign(new Error(key ? t(key) : `${e.name}: ${e.message}`), { state: 'no-mic' });
    }
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const fill = (select, kind, key) => {
      const chosen = localStorage.getItem(key) || 'default';
      select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) => new Option(d.label || `${t(kind === 'audioinput' ? 'mic' : 'speaker')} ${i + 1}`, d.deviceId, false, d.deviceId === chosen)));
      if (!select.options.length) select.append(new Option(t('dflt'), 'default'));
    };
    fill($('softphone-mic'), 'audioinput', MIC_KEY);
    fill($('softphone-speaker'), 'audiooutput', SPEAKER_KEY);
    // setSinkId is Chromium's (and Firefox ≥ 116's): without it the system's output plays.
    $('softphone-speaker').disabled = typeof audio.setSinkId !== 'function';
  }

  function startMeter(stream) {
    meter?.close();
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const el = $('softphone-level');
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      // RMS on a 0–1 scale where normal speech sits around the middle.
      el.value = muted ? 0 : Math.min(1, Math.sqrt(sum / buf.length) * 4);
    }, 100);
    meter = { close: () => { clearInterval(timer); ctx.close().catch(() => {}); } };
  }

  function senders() {
    return session?.sessionDescriptionHandler?.peerConnection?.getSenders().filter((s) => s.track?.kind === 'audio') ?? [];
  }
  function applyMute() {
    for (const s of senders()) s.track.enabled = !muted;
    mic?.getAudioTracks().forEach((tr) => { tr.enabled = !muted; });
  }

  function playRemote() {
    const pc = session?.sessionDescriptionHandler?.peerConnection;
    if (!pc) return;
    const remote = new MediaStream(pc.getReceivers().map((r) => r.track).filter((tr) => tr?.kind === 'audio'));
    audio.srcObject = remote;
    const sink = localStorage.getItem(SPEAKER_KEY);
    if (sink && typeof audio.setSinkId === 'function') audio.setSinkId(sink).catch(() => {});
    audio.play().catch(() => {});
  }

  function onInvite(invitation) {
    // One call at a time: the line. Anything else while it is up is refused busy.
    if (session) return invitation.reject({ statusCode: 486 });
    session = invitation;
    invitation.stateChange.addListener((s) => {
      if (s === SIP.SessionState.Established) {
        status('incall');
        applyMute();
        playRemote();
      } else if (s === SIP.SessionState.Terminated) {
        if (session === invitation) session = null;
        audio.srcObject = null;
        if (!stopped) status(isRegistered() ? 'registered' : 'starting');
      }
    });
    invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } }).catch(() => {});
  }

  function scheduleReconnect() {
    if (stopped || retryTimer) return;
    const delay = Math.min(30000, 1000 * 2 ** retries);
    retries++;
    status('reconnecting', t('reconnecting', { s: Math.round(delay / 1000) }));
    retryTimer = setTimeout(async () => {
      retryTimer = null;
      try {
        await ua.reconnect();
      } catch {
        scheduleReconnect();
      }
    }, delay);
  }

  /**
   * Asterisk refused the registration (the account expired or was deleted while the
   * browser slept): drop this user agent and start over with the account Bereik gives now.
   */
  function restartLater() {
    if (stopped || retryTimer) return;
    const delay = Math.min(30000, 1000 * 2 ** retries);
    retries++;
    status('reconnecting', t('reconnecting', { s: Math.round(delay / 1000) }));
    retryTimer = setTimeout(async () => {
      retryTimer = null;
      const old = ua;
      ua = registerer = null;
      try {
        await old?.stop();
      } catch { /* gone already */ }
      start().catch(() => restartLater());
    }, delay);
  }

  async function register() {
    try {
      await registerer.register({ requestDelegate: { onReject: () => restartLater() } });
    } catch {
      scheduleReconnect();
    }
  }

  function settle(ok, err) {
    if (!ready) return;
    const r = ready;
    ready = null;
    if (ok) r.resolve(true);
    else r.reject(err);
  }

  async function startUa() {
    SIP ??= await import('/desktop/vendor/sip.js/index.js');
    const useMic = (constraints, sdh, options) => Promise.resolve(mic.clone());
    ua = new SIP.UserAgent({
      uri: SIP.UserAgent.makeURI(account.uri),
      transportOptions: { server: account.wsUrl, traceSip: false },
      authorizationUsername: account.username,
      authorizationPassword: account.password,
      logLevel: 'warn',
      userAgentString: 'Bereik desktop (SIP.js)',
      sessionDescriptionHandlerFactory: SIP.Web.defaultSessionDescriptionHandlerFactory(useMic),
      // No STUN/TURN of ours: Asterisk and the browser reach each other directly (docs: TURN for NAT).
      sessionDescriptionHandlerFactoryOptions: { iceGatheringTimeout: 1000, peerConnectionConfiguration: { iceServers: [] } },
      delegate: {
        onInvite,
        onConnect: () => { retries = 0; register(); },
        onDisconnect: (err) => { if (err) scheduleReconnect(); },
      },
    });
    registerer = new SIP.Registerer(ua, { expires: 300 });
    const mine = registerer;
    registerer.stateChange.addListener((s) => {
      if (registerer !== mine) return; // a user agent given up by restartLater()
      if (s === SIP.RegistererState.Registered) {
        retries = 0;
        if (!session) status('registered');
        settle(true);
      } else if (s === SIP.RegistererState.Unregistered && !stopped && ua?.isConnected()) {
        restartLater();
      }
    });
    try {
      await ua.start();
    } catch {
      // Asterisk's WebSocket is not there (yet): try again with backoff; ensure() waits.
      scheduleReconnect();
      return;
    }
    await register();
  }

  function renewLater() {
    clearTimeout(renewTimer);
    const ms = Math.max(30000, (Date.parse(account.expiresAt) - Date.now()) / 2);
    renewTimer = setTimeout(async () => {
      try {
        const next = await api('POST', '/agent/softphone');
        const changed = next.username !== account?.username;
        account = next;
        // Expired meanwhile: Bereik made a new account, so register that one.
        if (changed) restartLater();
      } catch { /* the next try is at the next half-time; the line says if it drops */ }
      if (!stopped) renewLater();
    }, ms);
  }

  /** Registered with Asterisk now (SIP.js is loaded only once a tab starts its phone). */
  function isRegistered() {
    return Boolean(SIP && registerer && registerer.state === SIP.RegistererState.Registered);
  }

  function hold() {
    held = true;
    return new Promise((release) => (releaseLock = release));
  }

  /** True when this tab holds the browser's one softphone; false while another tab does (this one queues). */
  function claim() {
    if (held) return Promise.resolve(true);
    return new Promise((answer) => {
      navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => {
        answer(Boolean(lock));
        if (lock) return hold();
        if (!queued) {
          queued = true;
          navigator.locks.request(LOCK, () => {
            queued = false;
            if (stopped) return undefined; // logged out meanwhile: hand it on
            const held = hold();
            say('');
            onTakeOver();
            return held;
          });
        }
        return undefined;
      });
    });
  }

  async function start() {
    stopped = false;
    say('');
    if (!ua) status('starting');
    try {
      account = await api('POST', '/agent/softphone');
    } catch (e) {
      if (e.code === 'SOFTPHONE_DISABLED') {
        disabled = true;
        $('softphone').hidden = true;
        status('off');
        return false;
      }
      throw e;
    }
    $('softphone').hidden = false;
    if (!(await claim())) {
      status('elsewhere', t('elsewhere'));
      $('softphone-message').textContent = t('elsewhereLong');
      $('softphone-retry').hidden = true;
      throw Object.assign(new Error(t('elsewhereLong')), { code: 'SOFTPHONE_ELSEWHERE' });
    }
    if (!mic) {
      try {
        mic = await openMic();
      } catch (e) {
        status(e.state || 'error');
        say(e.message);
        throw e;
      }
      applyMute();
      startMeter(mic);
      // Device names are only given once the microphone is allowed.
      await listDevices().catch(() => {});
    }
    renewLater();
    if (!ua) await startUa();
    else if (registerer.state !== SIP.RegistererState.Registered) scheduleReconnect();
    return true;
  }

  $('softphone-mute').addEventListener('click', () => {
    muted = !muted;
    applyMute();
    showMute();
  });
  $('softphone-mic').addEventListener('change', async (ev) => {
    localStorage.setItem(MIC_KEY, ev.target.value);
    try {
      const next = await openMic();
      mic?.getTracks().forEach((tr) => tr.stop());
      mic = next;
      applyMute();
      startMeter(mic);
      for (const s of senders()) await s.replaceTrack(mic.getAudioTracks()[0].clone());
      applyMute();
      say('');
    } catch (e) {
      say(e.message);
    }
  });
  $('softphone-speaker').addEventListener('change', (ev) => {
    localStorage.setItem(SPEAKER_KEY, ev.target.value);
    if (typeof audio.setSinkId === 'function') audio.setSinkId(ev.target.value).catch((e) => say(e.message));
  });
  for (const b of document.querySelectorAll('[data-dtmf]')) {
    b.addEventListener('click', () => {
      if (!session) return;
      const d = b.dataset.dtmf;
      // RFC 4733 in the RTP (what Asterisk's dtmf_mode = rfc4733 hears); SIP INFO if the browser cannot.
      if (!session.sessionDescriptionHandler?.sendDtmf(d)) {
        session.info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${d}\r\nDuration=160` } } }).catch(() => {});
      }
    });
  }
  showMute();
  // A tab that closes hangs its line up at once (BYE), so Bereik pauses the agent rather than
  // putting a debtor through to nobody; if the BYE is lost, Asterisk's rtp_timeout does it.
  window.addEventListener('pagehide', () => {
    try { session?.bye?.(); } catch { /* the page is going anyway */ }
  });

  return {
    /**
     * Resolves true once registered (the line may then be opened on this softphone), false
     * when the softphone is off (the line rings the desk phone); rejects with the reason
     * (microphone refused, no microphone) for the line to show and retry later.
     */
    ensure() {
      if (disabled) return Promise.resolve(false);
      if (!stopped && isRegistered()) return Promise.resolve(true);
      if (ready) return ready.promise;
      let resolve, reject;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      ready = { promise, resolve, reject };
      const mine = ready;
      start().then((on) => { if (!on) settle(true); }, (e) => settle(false, e));
      // The registration itself may take a reconnect or two: give it a bound.
      setTimeout(() => { if (ready === mine) settle(false, new Error(t('reconnecting', { s: '…' }))); }, 15000);
      return promise.then(() => true);
    },
    retryButton(fn) {
      $('softphone-retry').addEventListener('click', fn);
    },
    /** fn runs when this tab takes the softphone over from a tab that closed. */
    takeOver(fn) {
      onTakeOver = fn;
    },
    async stop() {
      stopped = true;
      settle(false, new Error('stopped'));
      clearTimeout(retryTimer);
      retryTimer = null;
      clearTimeout(renewTimer);
      try {
        await session?.bye?.();
      } catch { /* already gone */ }
      try {
        if (isRegistered()) await registerer.unregister();
        await ua?.stop();
      } catch { /* the account is deleted below either way */ }
      ua = registerer = session = null;
      meter?.close();
      mic?.getTracks().forEach((tr) => tr.stop());
      mic = null;
      if (account && held) await api('DELETE', '/agent/softphone').catch(() => {});
      account = null;
      releaseLock?.();
      releaseLock = null;
      held = !navigator.locks;
      status('off');
    },
  };
};
