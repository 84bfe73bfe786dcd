/**
 * Preview mode: the dialer never dials a preview campaign by itself (the pacer says 0);
 * an available agent asks for the next case, reads it, and clicks dial or skip.
 *
 * - next(agent): the first due contact of a running preview campaign that nobody else
 *   holds, checked against the attempt policy with an agent reserved — Ofcom lets an
 *   abandoned number be called within 72 h only then, so contacts waiting out an
 *   abandoned call are offered too — held for this agent;
 * - dial(agent, contact): the agent is reserved (registry 'reserve'), the contact is
 *   claimed with its call row carrying the agent (calls.agent_id), and the dialer
 *   originates it; on answer the flow rings only that agent (agent-outbound.ts);
 * - skip(agent, contact): lets go of it for the other agents.
 * An attempt that ends without reaching the agent (busy, no answer, machine) releases them.
 * A campaign that fails 3 looks in a row is paused with the reason (failing.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { isoUtc } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { BereikError } from '../../lib/errors.ts';
import type { AgentRegistry } from '../../agents/registry.ts';
import type { Agent } from '../../agents/types.ts';
import type { CallStore } from '../../calls/deps.ts';
import type { CampaignRow, DialerRepository, DueContact, PhoneRow } from '../../store/dialer.ts';
import { decideDue } from '../policy/attempts.ts';
import { historyRecord } from '../outcomes.ts';
import { FailingCampaigns } from './failing.ts';
import { callablePhones, otherClaimsOf, type Claimed } from './select.ts';
import { campaignSettings, countryOf } from './settings.ts';
import type { Recorded } from './record.ts';

export interface PreviewDeps {
  store: DialerRepository;
  calls: Pick<CallStore, 'update'>;
  registry: Pick<AgentRegistry, 'get' | 'apply' | 'tryApply'>;
  clock: Clock;
  log: Logger;
  /** The dialer's originate for a claimed contact (Dialer.placeClaimed). */
  place(campaign: CampaignRow, c: Claimed): Promise<boolean>;
}

export interface PreviewCase {
  campaignId: number;
  contactId: number;
  debtorId: number;
  claimId: number;
  /** The number that will be dialled (the agent sees it; it is their call). */
  phone: string;
}

/** Contacts read per campaign when looking for one to offer. */
const LOOK_AHEAD = 50;

export class PreviewService {
  /** contact → the agent holding it. */
  private readonly held = new Map<number, { agentId: number; campaign: CampaignRow; contact: DueContact; phone: PhoneRow }>();
  /** preview call → its agent, until the attempt is recorded. */
  private readonly dialled = new Map<string, number>();
  private readonly failing: FailingCampaigns;

  constructor(private readonly d: PreviewDeps) {
    this.failing = new FailingCampaigns({ store: d.store, log: d.log });
  }

  /** The next case for this agent, held for them; undefined when no preview campaign has one due. creditors: an agent limited to them is offered their claims only. */
  next(agentId: number, creditors: readonly string[] | null = null): PreviewCase | undefined {
    const agent = this.requireAgent(agentId, ['available']);
    // One case at a time: asking again lets go of the previous one.
    for (const [id, h] of this.held) if (h.agentId === agentId) this.held.delete(id);
    const now = this.d.clock.now();
    const busy = this.d.store.debtorsOnLiveCalls();
    for (const campaign of this.d.store.campaignsInState('running')) {
      if (campaign.mode !== 'preview') continue;
      // A campaign whose stored settings break the policy must not keep agents from the others.
      try {
        const offer = this.offerFrom(campaign, agent, now, busy, creditors);
        this.failing.ok(campaign.id);
        if (offer) return offer;
      } catch (err) {
        this.failing.failed(campaign, err, now);
      }
    }
    return undefined;
  }

  /** The first case of this campaign the agent may call now, held for them. */
  private offerFrom(campaign: CampaignRow, agent: Agent, now: number, busy: Set<number>, creditors: readonly string[] | null): PreviewCase | undefined {
    const agentId = agent.id;
    const settings = campaignSettings(campaign.settings);
    if (settings.agentSkill && !agent.skills.includes(settings.agentSkill)) return undefined;
    // Contacts put off until the abandoned-call quiet period is over are in reach: an agent is reserved.
    const horizon = isoUtc(now + settings.abandonQuietHours * 3600_000);
    for (const c of this.d.store.dueContacts(campaign.id, horizon, LOOK_AHEAD, creditors)) {
      if (this.held.has(c.id)) continue;
      const phone = callablePhones(this.d.store, c.debtorId).phones[0];
      if (!phone) continue;
      const history = this.d.store.attemptsOnClaim(c.debtorId, c.claimId).map(historyRecord);
      // The schedule stands (an agreed callback, a retry delay) unless it only waits out an abandoned call.
      const scheduled = history.at(-1)?.outcome !== 'abandoned' && c.nextAttemptAt ? Date.parse(c.nextAttemptAt) : null;
      const due = decideDue(
        { status: 'pending', attempts: c.attempts, nextAttemptAtMs: scheduled },
        history,
        now,
        settings,
        {
          timeZone: c.timeZone || settings.defaultTimeZone,
          country: countryOf(phone.e164, campaign.defaultCountry),
          dnc: false,
          callInProgress: busy.has(c.debtorId),
          agentReserved: true,
          otherClaims: otherClaimsOf(this.d.store, c, now, settings),
        },
      );
      if (!due.due) continue;
      this.held.set(c.id, { agentId, campaign, contact: c, phone });
      return { campaignId: campaign.id, contactId: c.id, debtorId: c.debtorId, claimId: c.claimId, phone: phone.e164 };
    }
    return undefined;
  }

  /** The agent clicked dial: reserve them and originate. Resolves with the call id. */
  async dial(agentId: number, contactId: number): Promise<string> {
    const h = this.holding(agentId, contactId);
    this.requireAgent(agentId, ['available']);
    const nowIso = isoUtc(this.d.clock.now());
    const callId = `out-${randomUUID()}`;
    const claimed = this.d.store.claim(
      { id: callId, campaignId: h.campaign.id, contactId, debtorId: h.contact.debtorId, phoneId: h.phone.id, from: h.campaign.callerId, to: h.phone.e164 },
      nowIso,
    );
    this.held.delete(contactId);
    if (!claimed) throw new BereikError('CONFLICT', `preview: contact ${contactId} is no longer waiting to be called`, undefined, 409);
    this.d.registry.apply(agentId, 'reserve');
    this.d.calls.update(callId, { agentId });
    this.dialled.set(callId, agentId);
    this.d.log.info({ callId, agentId, campaignId: h.campaign.id, contactId }, 'preview dial');
    await this.d.place(h.campaign, { callId, contact: h.contact, phone: h.phone });
    return callId;
  }

  /** The agent passes on this case; another agent may take it. */
  skip(agentId: number, contactId: number): void {
    this.holding(agentId, contactId);
    this.held.delete(contactId);
  }

  /** The dialer's onRecorded hook: a preview attempt is over; an agent still reserved for it is free again. */
  recorded(callId: string, _r: Recorded): void {
    const agentId = this.dialled.get(callId);
    if (agentId === undefined) return;
    this.dialled.delete(callId);
    if (this.d.registry.get(agentId)?.state === 'reserved') this.d.registry.tryApply(agentId, 'release');
  }

  private holding(agentId: number, contactId: number) {
    const h = this.held.get(contactId);
    if (!h || h.agentId !== agentId) throw new BereikError('NOT_FOUND', `preview: contact ${contactId} is not held by agent ${agentId} (ask GET /agent/preview/next first)`, undefined, 404);
    return h;
  }

  private requireAgent(agentId: number, states: string[]): Agent {
    const a = this.d.registry.get(agentId);
    if (!a) throw new BereikError('NOT_FOUND', `preview: no agent ${agentId}`, undefined, 404);
    if (!states.includes(a.state)) throw new BereikError('CONFLICT', `preview: agent ${agentId} is ${a.state}; set yourself available first`, { state: a.state }, 409);
    return a;
  }
}
