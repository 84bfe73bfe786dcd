/**
 * The daily planner (issue 13 §2): goes over every debtor with an open claim in batches
 * (keyset on debtor id), assigns the default strategy to a debtor without one, asks
 * plan.ts what is due today in the debtor's own time zone, records it as planned, then
 * carries the planned actions out:
 *   sms / email / whatsapp → the composer (a pay link; source 'strategy', the action row links the message;
 *     WhatsApp sends the approved pay-link template, skipped NO_WHATSAPP without a whatsapp section)
 *   call_ivr / call_agent → a contact in the strategy's call campaign, which the dialer calls
 *     under every rule it already enforces (windows, caps, quiet days, DNC)
 *   external → recorded as executed (a letter or visit is done elsewhere)
 * The stop conditions are checked again when an action is carried out: a claim paid between
 * planning and execution stops it (status 'stopped'), nothing is sent.
 * Memory stays bounded by the batch size; the reads per batch are a few range queries.
 */
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { ComposeResult, PayLinkRequest } from '../messaging/compose.ts';
import type { CampaignInput } from '../campaigns/service.ts';
import type { CampaignAction } from '../campaigns/lifecycle.ts';
import type { ActionRow, NewAction, NewAssignment, PlanningRow, StrategyRow } from '../store/strategies.ts';
import type { Store } from '../store/repositories.ts';
import type { ActionChannel, ActionType, CallCampaignMode } from '../store/types.ts';
import { actionDay, localDate } from './days.ts';
import { planToday, type DayVerdict, type PastEvent } from './plan.ts';
import { inChallengerShare, parseStrategy, type Step, type StopCondition, type StrategyDoc } from './schema.ts';
import { stopCondition, type DebtorFacts } from './segment.ts';

export interface PlannerDeps {
  store: Pick<Store, 'strategies' | 'campaigns' | 'events' | 'transaction'>;
  clock: Clock;
  log: Logger;
  composer: { payLink(r: PayLinkRequest): ComposeResult };
  /** Creates and starts the strategies' call campaigns (the campaigns service: validation, events, the dialer's poke). */
  campaigns?: { create(input: CampaignInput): { id: number }; transition(id: number, action: CampaignAction): unknown };
  /** E.164 the strategies' call campaigns show; without it call steps are skipped (NO_CALLER_ID). */
  callerId?: string;
  /** The strategy a debtor without one is assigned (its active version). */
  defaultStrategyId?: string;
  /** Country whose holidays and hours apply (debtors carry a zone, not a country). */
  country?: string;
  batchSize?: number;
  /** Called when call steps put contacts in a running campaign (the dialer looks at once). */
  onCallsQueued?: () => void;
}

export interface PlanCounts {
  today: string;
  debtors: number;
  assigned: number;
  planned: number;
  plannedBy: Partial<Record<ActionType, number>>;
  /** Debtors for whom the strategy stopped today, by condition. */
  stoppedBy: Partial<Record<StopCondition, number>>;
  /** Debtors with something due on a Sunday or holiday: done on the next allowed day. */
  waiting: number;
  noSegment: number;
  /** Debtors whose assigned strategy has no active version. */
  noStrategy: number;
}

export interface ExecuteCounts {
  executed: number;
  skipped: number;
  /** Stopped at execution: a stop condition came true after planning (a payment, a promise). */
  stopped: number;
  failed: number;
}

const CHANNEL: Record<ActionType, ActionChannel> = { sms: 'sms', email: 'email', whatsapp: 'whatsapp', call_ivr: 'phone', call_agent: 'phone', external: 'external' };

export class StrategyPlanner {
  private readonly parsed = new Map<string, StrategyDoc>();
  private running: Promise<PlanCounts & ExecuteCounts> | undefined;

  constructor(private readonly d: PlannerDeps) {}

  /**
   * Plans today for every debtor, then carries out what is planned. A second call while a run
   * is under way (the API twice, the API and a timer) gets that run's result: two runs side by
   * side could both send what one of them planned.
   */
  planDay(now = this.d.clock.now()): Promise<PlanCounts & ExecuteCounts> {
    this.running ??= (async () => {
      try {
        const planned = await this.plan(now);
        const done = await this.execute(now);
        this.d.store.strategies.recordRun(planned.today, { planned: planned.planned, executed: done.executed }, isoUtc(this.d.clock.now()));
        return { ...planned, ...done };
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Records today's due actions for every debtor with an open claim (nothing is sent). */
  async plan(now = this.d.clock.now()): Promise<PlanCounts> {
    const { store } = this.d;
    const nowIso = isoUtc(now);
    const active = new Map(store.strategies.active().map((s) => [s.id, s]));
    const fallback = active.get(this.d.defaultStrategyId ?? 'default');
    const counts: PlanCounts = { today: localDate(now, 'Europe/Amsterdam'), debtors: 0, assigned: 0, planned: 0, plannedBy: {}, stoppedBy: {}, waiting: 0, noSegment: 0, noStrategy: 0 };
    const days = new DayCache(now, this.d.country ?? 'NL');
    const batchSize = this.d.batchSize ?? 2000;
    for (let after: number | null = 0; after !== null; ) {
      const batch = store.strategies.planningBatch(after, batchSize);
      after = batch.lastId;
      const rows = batch.rows;
      const assignments: NewAssignment[] = [];
      const actions: NewAction[] = [];
      const segments: Array<{ debtorId: number; segment: string }> = [];
      for (const row of rows) {
        counts.debtors++;
        const today = days.today(row.timeZone);
        let assignment = row.assignment;
        if (!assignment) {
          if (!fallback) {
            counts.noStrategy++;
            continue;
          }
          const fresh = this.newAssignment(row.debtorId, fallback, active, today);
          assignments.push(fresh);
          assignment = fresh;
        }
        const version = active.get(assignment.strategyId);
        if (!version) {
          counts.noStrategy++;
          continue;
        }
        const strategy = this.strategy(version);
        const plan = planToday(strategy, facts(row), history(row, assignment.strategyId, today), today, days.verdict(today, row.timeZone));
        if (plan.kind === 'stop') counts.stoppedBy[plan.condition] = (counts.stoppedBy[plan.condition] ?? 0) + 1;
        else if (plan.kind === 'no_segment') counts.noSegment++;
        else if (plan.kind === 'wait') counts.waiting++;
        if (plan.kind === 'stop' || plan.kind === 'no_segment') continue;
        if (!row.assignment) (assignment as NewAssignment).segment = plan.segment;
        else if (plan.segment !== assignment.segment) segments.push({ debtorId: row.debtorId, segment: plan.segment });
        if (plan.kind !== 'act') continue;
        const segment = strategy.segments.find((s) => s.name === plan.segment)!;
        for (const due of plan.steps) {
          const step: Step = segment.steps[due.index]!;
          actions.push({
            debtorId: row.debtorId,
            strategyId: version.id,
            strategyVersion: version.version,
            arm: assignment.arm,
            segment: plan.segment,
            stepIndex: due.index,
            action: step.action,
            kind: step.kind ?? null,
            template: step.template ?? null,
            channel: CHANNEL[step.action],
            claimIds: row.claimIds,
            openCents: row.openCents,
            eventOn: due.eventOn ?? null,
            plannedFor: today,
          });
          counts.plannedBy[step.action] = (counts.plannedBy[step.action] ?? 0) + 1;
        }
      }
      store.transaction(() => {
        if (assignments.length) store.strategies.assign(assignments, nowIso);
        store.strategies.recordPlanned(actions, segments, nowIso);
      });
      counts.assigned += assignments.length;
      counts.planned += actions.length;
      await yieldToEventLoop();
    }
    this.d.log.info({ ...counts }, 'strategy: day planned');
    return counts;
  }

  /** The default strategy, or its challenger for the debtors in the challenger's share (when that strategy is active). */
  private newAssignment(debtorId: number, champion: StrategyRow, active: Map<string, StrategyRow>, today: string): NewAssignment {
    const split = this.strategy(champion).challenger;
    const challenger = split ? active.get(split.strategyId) : undefined;
    const arm = challenger && inChallengerShare(champion.id, debtorId, split!.sharePct) ? challenger : undefined;
    const chosen = arm ?? champion;
    return { debtorId, strategyId: chosen.id, strategyVersion: chosen.version, arm: arm ? 'challenger' : 'champion', startedOn: today, segment: null };
  }

  /** Carries out the planned actions whose day has come in their debtor's zone (at most `max`, oldest first). */
  async execute(now = this.d.clock.now(), o: { max?: number } = {}): Promise<ExecuteCounts> {
    const { store } = this.d;
    const counts: ExecuteCounts = { executed: 0, skipped: 0, stopped: 0, failed: 0 };
    const days = new DayCache(now, this.d.country ?? 'NL');
    // The latest local date anywhere: no zone is more than 14 h ahead of UTC.
    const upTo = localDate(now, 'Pacific/Kiritimati');
    let calls = false;
    const max = o.max ?? Infinity;
    for (let after = 0, seen = 0; seen < max; ) {
      const batch = store.strategies.planned(upTo, after, Math.min(500, max - seen));
      seen += batch.length;
      if (!batch.length) break;
      after = batch.at(-1)!.id;
      for (const a of batch) {
        const outcome = this.carryOut(a, now, days);
        if (outcome === 'later') continue;
        if (outcome === 'call') calls = true;
        counts[outcome === 'call' ? 'executed' : outcome]++;
      }
      await yieldToEventLoop();
    }
    if (calls) this.d.onCallsQueued?.();
    if (counts.executed + counts.skipped + counts.stopped + counts.failed > 0) this.d.log.info({ ...counts }, 'strategy: planned actions carried out');
    return counts;
  }

  /** What became of one planned action; 'later' when its day has not come yet in the debtor's zone (it stays planned). */
  private carryOut(a: ActionRow, now: number, days: DayCache): keyof ExecuteCounts | 'call' | 'later' {
    const { store } = this.d;
    const at = isoUtc(now);
    const row = store.strategies.planningRow(a.debtorId);
    const finish = (o: Parameters<typeof store.strategies.finish>[1]) => store.strategies.finish(a.id, o, at);
    if (!row) {
      finish({ status: 'stopped', reason: 'paid_in_full' });
      return 'stopped';
    }
    const today = days.today(row.timeZone);
    if (a.plannedFor > today) return 'later';
    const version = store.strategies.get(a.strategyId, a.strategyVersion);
    const stop = version ? stopCondition(this.strategy(version), facts(row), today) : null;
    if (stop) {
      finish({ status: 'stopped', reason: stop });
      return 'stopped';
    }
    try {
      switch (a.action) {
        case 'sms':
        case 'email':
        case 'whatsapp': {
          const r = this.d.composer.payLink({ source: 'strategy', debtorId: a.debtorId, channel: a.action });
          if (!r.ok) {
            finish({ status: 'skipped', reason: r.code });
            return 'skipped';
          }
          finish({ status: 'executed', messageId: r.message.id });
          return 'executed';
        }
        case 'call_ivr':
        case 'call_agent': {
          const step = version ? this.strategy(version).segments.find((s) => s.name === a.segment)?.steps[a.stepIndex] : undefined;
          const campaignId = this.callCampaign(version?.name ?? a.strategyId, a.action === 'call_ivr' ? 'agentless' : (step?.mode ?? 'progressive'));
          if (campaignId === undefined) {
            finish({ status: 'skipped', reason: 'NO_CALLER_ID' });
            return 'skipped';
          }
          const contactId = store.transaction(() => store.strategies.queueCall({ campaignId, claimId: row.claimIds[0]!, debtorId: a.debtorId }, at));
          if (contactId === undefined) {
            finish({ status: 'skipped', reason: 'CALL_IN_PROGRESS', campaignId });
            return 'skipped';
          }
          finish({ status: 'executed', campaignId, contactId });
          return 'call';
        }
        case 'external':
          finish({ status: 'executed' });
          return 'executed';
      }
    } catch (err) {
      this.d.log.error({ err, actionId: a.id, action: a.action }, 'strategy: an action failed');
      finish({ status: 'failed', reason: err instanceof Error ? err.message.slice(0, 200) : 'error' });
      return 'failed';
    }
  }

  /** The running call campaign of this strategy and mode, created and started on first use. */
  private callCampaign(strategyName: string, mode: CallCampaignMode): number | undefined {
    const { store, campaigns, callerId } = this.d;
    if (!campaigns || !callerId) return undefined;
    const name = `Strategy: ${strategyName} (${mode === 'agentless' ? 'IVR' : mode === 'progressive' ? 'agent' : `agent, ${mode}`})`;
    const found = store.strategies.campaignNamed(name);
    if (found && found.state !== 'finished') {
      if (found.state === 'draft') campaigns.transition(found.id, 'start');
      return found.id;
    }
    // A finished campaign (the dialer closes one with nothing left to call) is not reopened: a new one starts.
    const created = campaigns.create({ name, mode, callerId });
    campaigns.transition(created.id, 'start');
    return created.id;
  }

  private strategy(row: StrategyRow): StrategyDoc {
    const key = `${row.id}@${row.version}`;
    let s = this.parsed.get(key);
    if (!s) {
      const parsed = parseStrategy(JSON.parse(row.json));
      // Stored documents were validated when saved; one that no longer is (a newer rule) still runs as stored.
      s = parsed.ok ? parsed.strategy : (JSON.parse(row.json) as StrategyDoc);
      this.parsed.set(key, s);
    }
    return s;
  }
}

/** The debtor's facts from the planner's row. */
export function facts(r: PlanningRow): DebtorFacts {
  const channels = r.phones + (r.hasEmail ? 1 : 0);
  return {
    debtorId: r.debtorId,
    openClaims: r.openClaims,
    openCents: r.openCents,
    risk: r.risk,
    language: r.language,
    timeZone: r.timeZone,
    oldestDueDate: r.oldestDueDate,
    creditors: r.creditors,
    promisedUntil: r.promised > 0 ? r.promisedUntil : null,
    arranged: r.arranged > 0,
    disputed: r.disputed > 0,
    optedOutAll: channels > 0 && r.phonesOptedOut === r.phones && (!r.hasEmail || r.emailOptedOut),
    invalidAllNumbers: r.phones > 0 && r.badPhones === r.phones,
  };
}

function history(r: PlanningRow, strategyId: string, today: string) {
  const events: PastEvent[] = r.events.map((e) => ({ kind: e.kind, on: localDate(Date.parse(e.at), r.timeZone) }));
  if (r.promised > 0 && r.promisedUntil && r.promisedUntil < today) events.push({ kind: 'promise_broken', on: r.promisedUntil });
  return {
    startedOn: r.assignment?.startedOn ?? today,
    actions: r.actions.filter((a) => a.strategyId === strategyId),
    events,
  };
}

/** Today's local date and action-day verdict per zone, computed once per run. */
class DayCache {
  private readonly dates = new Map<string, string>();
  private readonly verdicts = new Map<string, DayVerdict>();
  constructor(
    private readonly now: number,
    private readonly country: string,
  ) {}

  today(zone: string): string {
    let d = this.dates.get(zone);
    if (d === undefined) this.dates.set(zone, (d = localDate(this.now, zone)));
    return d;
  }

  verdict(date: string, zone: string): DayVerdict {
    const key = `${zone}|${date}`;
    let v = this.verdicts.get(key);
    if (!v) this.verdicts.set(key, (v = actionDay(date, { timeZone: zone, country: this.country })));
    return v;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
