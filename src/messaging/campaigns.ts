/**
 * Message campaigns (mode `sms` or `email`): the imported file's debtors each get the pay
 * link once, through the outbox, with the same start / pause / finish lifecycle as a call
 * campaign. The dialer's counterpart for messages, and much simpler: composing is cheap,
 * and the outbox worker already holds every message to the windows, the cap and opt-outs.
 *
 * One round, for each running message campaign:
 *   - due pending contacts (in batches), one message per debtor: every open claim of the
 *     debtor goes in it, so a debtor with three claims in the file gets one message;
 *   - contact → done (`message_queued`), or closed with the reason it cannot be sent
 *     (no mobile number / e-mail address → invalid; opted out → dnc);
 *   - the campaign finishes when no contact is pending and none of its messages is still
 *     queued or being submitted.
 * Pausing a campaign holds its queued messages (the worker asks isHeld()); finishing it by
 * hand cancels them.
 */
import { isoUtc, type Clock, type TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { handlerErrors } from '../lib/handler-errors.ts';
import type { Store } from '../store/repositories.ts';
import type { CampaignRow } from '../store/dialer.ts';
import { parseStoredSettings } from '../campaigns/stored-settings.ts';
import type { MessageComposer } from './compose.ts';

export interface MessageCampaignOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  composer: MessageComposer;
  /** How often running message campaigns are looked at (clock ms). */
  intervalMs: number;
  /** Contacts composed per campaign per round. */
  batch?: number;
}

const NOT_SENDABLE_STATUS = { OPTED_OUT: 'dnc' } as const;

export class MessageCampaigns {
  private timer?: TimerHandle;
  private running = false;

  constructor(private readonly o: MessageCampaignOptions) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
  }

  /** A campaign was started or resumed: look now. */
  poke(): void {
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.o.clock.setTimeout(() => {
      try {
        this.round();
      } catch (err) {
        handlerErrors.report(this.o.log, 'timer', err, { mod: 'message-campaigns' });
      }
      if (this.running) this.schedule(this.o.intervalMs);
    }, ms);
  }

  /** One round over every running message campaign. Public so tests can step it. */
  round(): { queued: number; closed: number } {
    const { store } = this.o;
    let queued = 0;
    let closed = 0;
    for (const c of store.dialer.campaignsInState('running')) {
      const mode = c.mode;
      if (mode !== 'sms' && mode !== 'email') continue;
      const r = this.campaign({ ...c, mode });
      queued += r.queued;
      closed += r.closed;
    }
    return { queued, closed };
  }

  private campaign(c: CampaignRow & { mode: 'sms' | 'email' }): { queued: number; closed: number } {
    const { store, clock, composer } = this.o;
    const nowIso = isoUtc(clock.now());
    const settings = parseStoredSettings(c.settings);
    const sender = c.mode === 'sms' ? settings.smsSender : settings.emailFrom;
    let queued = 0;
    let closed = 0;
    const seen = new Set<number>();
    for (const due of store.dialer.dueContacts(c.id, nowIso, this.o.batch ?? 500)) {
      const ref = { campaignId: c.id, contactId: due.id };
      // The debtor's message already tells this claim too (one message per debtor).
      if (seen.has(due.debtorId)) {
        store.contacts.settleByMessage(ref, 'done', 'message_queued', nowIso);
        continue;
      }
      seen.add(due.debtorId);
      const r = composer.payLink({ source: 'campaign', campaignId: c.id, contactId: due.id, debtorId: due.debtorId, claimId: due.claimId, channel: c.mode, ...(sender ? { sender } : {}), ...(settings.smsReplyOptions ? { options: settings.smsReplyOptions } : {}) });
      if (r.ok) {
        store.contacts.settleByMessage(ref, 'done', 'message_queued', nowIso);
        queued++;
      } else {
        store.contacts.settleByMessage(ref, r.code === 'OPTED_OUT' ? NOT_SENDABLE_STATUS.OPTED_OUT : 'invalid', r.code.toLowerCase(), nowIso);
        closed++;
      }
    }
    if (store.messages.unsettled(c.id) === 0 && store.dialer.finishIfDone(c.id, nowIso)) this.o.log.info({ campaignId: c.id }, 'message campaign finished');
    return { queued, closed };
  }
}
