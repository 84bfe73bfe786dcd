/**
 * SIP accounts for the desktop's softphone (issue 16 §2, docs/agent-softphone.md): one per
 * agent, made by Bereik when the desktop asks for it and pushed to Asterisk over ARI as an
 * endpoint, auth and AOR of their own (`bereik-sp-<agentId>-<random>`), with a random
 * password the agent never sees or types. An account lives `ttlSec`; asking again renews it
 * (same credentials, so the browser's registration goes on); it is deleted from Asterisk at
 * logout, at expiry and at shutdown. A new account (a second login) replaces the old one.
 *
 * The line (line.ts) dials the account's endpoint like a desk phone: one code path for the
 * line whatever phone the agent has.
 */
import { randomBytes } from 'node:crypto';
import { isoUtc, type Clock, type TimerHandle } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { PjsipConfig } from '../telephony/ari-config.ts';

/** Seconds without RTP after which Asterisk hangs up a softphone's call (its line). */
export const RTP_TIMEOUT_SEC = 10;

export interface SoftphoneOptions {
  clock: Clock;
  log: Logger;
  pjsip: PjsipConfig;
  /** Where browsers reach Asterisk's SIP over WebSocket; '' = no softphone. */
  wsUrl: string;
  ttlSec: number;
  /** Endpoint codecs in order, e.g. ['ulaw', 'alaw']. */
  codecs: string[];
  /** Dialplan context of the endpoint: it dials nothing, Bereik calls it. */
  context?: string;
}

/** What the desktop gets: everything its SIP library needs to register. */
export interface SoftphoneAccount {
  /** The endpoint the line dials (PJSIP/<endpoint>). */
  endpoint: string;
  username: string;
  password: string;
  /** sip:<username>@<host of wsUrl> */
  uri: string;
  wsUrl: string;
  /** UTC ISO: after it Asterisk no longer knows the account. */
  expiresAt: string;
}

interface Entry {
  account: SoftphoneAccount;
  timer: TimerHandle;
}

export class SoftphoneAccounts {
  private readonly entries = new Map<number, Entry>();
  private readonly pending = new Map<number, Promise<SoftphoneAccount>>();

  constructor(private readonly o: SoftphoneOptions) {}

  get enabled(): boolean {
    return this.o.wsUrl !== '';
  }

  /** The dial string of the agent's live account, if any. */
  endpointOf(agentId: number): string | undefined {
    const e = this.entries.get(agentId);
    return e ? `PJSIP/${e.account.endpoint}` : undefined;
  }

  /** The agent's account: a live one renewed, else a new one pushed to Asterisk. */
  issue(agentId: number): Promise<SoftphoneAccount> {
    // Two tabs asking at once get the one account.
    let p = this.pending.get(agentId);
    if (!p) {
      p = this.create(agentId).finally(() => this.pending.delete(agentId));
      this.pending.set(agentId, p);
    }
    return p;
  }

  private async create(agentId: number): Promise<SoftphoneAccount> {
    if (!this.enabled) throw new BereikError('SOFTPHONE_DISABLED', 'the desktop softphone is off: set agents.softphoneWsUrl (docs/agent-softphone.md)', undefined, 409);
    const cur = this.entries.get(agentId);
    if (cur) {
      // Pushed again: an Asterisk restarted since has lost its memory wizard's objects.
      await this.push(agentId, cur.account.endpoint, cur.account.password);
      cur.timer.cancel();
      cur.account.expiresAt = this.expiry();
      cur.timer = this.expireLater(agentId, cur);
      return { ...cur.account };
    }
    const id = `bereik-sp-${agentId}-${randomBytes(4).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    await this.push(agentId, id, password);
    const host = new URL(this.o.wsUrl).hostname;
    const account: SoftphoneAccount = { endpoint: id, username: id, password, uri: `sip:${id}@${host}`, wsUrl: this.o.wsUrl, expiresAt: this.expiry() };
    const entry: Entry = { account, timer: undefined as unknown as TimerHandle };
    entry.timer = this.expireLater(agentId, entry);
    this.entries.set(agentId, entry);
    this.o.log.info({ agentId, endpoint: id }, 'softphone account issued');
    return { ...account };
  }

  /** Creates or replaces the account's three objects in Asterisk (PUT is idempotent). */
  private async push(agentId: number, id: string, password: string): Promise<void> {
    const p = this.o.pjsip;
    // The endpoint names its auth and AOR: they go first.
    await p.put('auth', id, { auth_type: 'userpass', username: id, password });
    await p.put('aor', id, { max_contacts: '1', remove_existing: 'yes' });
    await p.put('endpoint', id, {
      webrtc: 'yes',
      dtls_auto_generate_cert: 'yes',
      context: this.o.context ?? 'bereik-agents',
      disallow: 'all',
      allow: this.o.codecs.join(','),
      dtmf_mode: 'rfc4733',
      // A browser sends RTP all the time, muted too (silence): 10 s without any means the tab
      // or the machine is gone. Asterisk then hangs the line up, so Bereik pauses the agent
      // instead of putting debtors through to nobody (a closed tab sends a BYE first).
      rtp_timeout: String(RTP_TIMEOUT_SEC),
      auth: id,
      aors: id,
      // Agent names are personal data: the caller ID shows the agent's number only.
      callerid: `"Agent ${agentId}" <${agentId}>`,
    });
  }

  /** Deletes the agent's account from Asterisk (logout, expiry). */
  async revoke(agentId: number): Promise<void> {
    const e = this.entries.get(agentId);
    if (!e) return;
    this.entries.delete(agentId);
    e.timer.cancel();
    const id = e.account.endpoint;
    // The endpoint first: it refers to the other two.
    for (const type of ['endpoint', 'aor', 'auth'] as const) {
      await this.o.pjsip.delete(type, id).catch((err: unknown) => this.o.log.warn({ err, agentId, endpoint: id, type }, 'softphone account could not be deleted from Asterisk'));
    }
    this.o.log.info({ agentId, endpoint: id }, 'softphone account revoked');
  }

  async revokeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.revoke(id)));
  }

  private expiry(): string {
    return isoUtc(this.o.clock.now() + this.o.ttlSec * 1000);
  }

  private expireLater(agentId: number, e: Entry): TimerHandle {
    return this.o.clock.setTimeout(() => {
      if (this.entries.get(agentId) === e) void this.revoke(agentId);
    }, this.o.ttlSec * 1000);
  }
}
