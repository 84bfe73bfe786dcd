/**
 * A contact strategy as data (issue 13 §2): segments, first match wins, each with a
 * timeline of steps by day offset or by event, and the stop conditions. Stored as JSON,
 * versioned (src/store/strategies.ts), validated here: every problem names its path
 * (`strategy.segments[1].steps[0].kind`), like campaign settings do.
 */
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { schemaProblems, shown, MAX_PROBLEMS, type SchemaProblem, type SchemaRule } from '../lib/schema-problems.ts';
import { ACTION_TYPES, LANGUAGES, RISKS } from '../store/types.ts';

/** Events a step may wait for; it fires on the local day after the event. */
export const STEP_EVENTS = ['no_answer', 'message_not_delivered', 'link_opened_not_paid', 'promise_broken'] as const;
export type StepEvent = (typeof STEP_EVENTS)[number];

/** Why a debtor's strategy stops; all on unless a strategy turns one off. */
export const STOP_CONDITIONS = ['paid_in_full', 'promise_active', 'arrangement', 'dispute', 'opted_out_all', 'invalid_all_numbers'] as const;
export type StopCondition = (typeof STOP_CONDITIONS)[number];

export const AGENT_MODES = ['predictive', 'progressive', 'preview'] as const;

/** A strategy's timeline is at most a year long. */
export const MAX_DAY = 365;
const MAX_CENTS = 1_000_000_000_00;

/** A union of the list's literals, typed as the list's members. */
const literals = <T extends readonly string[]>(list: T) => Type.Union(list.map((v) => Type.Literal(v))) as unknown as TUnion<Array<TLiteral<T[number]>>>;

const RangeSchema = (max: number) =>
  Type.Object({ min: Type.Optional(Type.Integer({ minimum: 0, maximum: max })), max: Type.Optional(Type.Integer({ minimum: 0, maximum: max })) }, { additionalProperties: false });

export const MatchSchema = Type.Object(
  {
    /** The debtor's total open amount (all open claims), in cents; min inclusive, max inclusive. */
    amountCents: Type.Optional(RangeSchema(MAX_CENTS)),
    risk: Type.Optional(Type.Array(literals(RISKS), { minItems: 1, uniqueItems: true })),
    /** Days since the oldest open claim's due date (0 on the due date; a claim without one counts 0). */
    ageDays: Type.Optional(RangeSchema(36_500)),
    /** Any of the debtor's open claims is from one of these creditors (exact name). */
    creditors: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 500 })),
    language: Type.Optional(Type.Array(literals(LANGUAGES), { minItems: 1, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type SegmentMatch = Static<typeof MatchSchema>;

export const StepSchema = Type.Object(
  {
    /** Days after the debtor entered the strategy (0 = the first day). Exactly one of day / on. */
    day: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DAY })),
    on: Type.Optional(literals(STEP_EVENTS)),
    action: literals(ACTION_TYPES),
    /** external: what was done elsewhere (letter, visit, …). */
    kind: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'a lower-case word such as letter or visit' })),
    template: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** call_agent only: how the agent campaign dials. */
    mode: Type.Optional(literals(AGENT_MODES)),
    /** May run on a day another action already ran (e.g. the e-mail beside the day-0 SMS). */
    sameDay: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Step = Static<typeof StepSchema>;

export const SegmentSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description: 'a short lower-case name such as small or high_risk' }),
    /** Omitted: matches every debtor (a catch-all, last). */
    match: Type.Optional(MatchSchema),
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type Segment = Static<typeof SegmentSchema>;

export const StrategySchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'a lower-case identifier such as default' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    /** Set by the store when saved (each save is a new version); a submitted value is ignored. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    segments: Type.Array(SegmentSchema, { minItems: 1, maxItems: 50 }),
    /**
     * Champion/challenger (issue 13 §5): this share of the debtors newly given this strategy
     * get the challenger strategy instead, chosen by a hash of the debtor id (stable).
     */
    challenger: Type.Optional(
      Type.Object(
        {
          strategyId: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'the id of another strategy' }),
          sharePct: Type.Integer({ minimum: 1, maximum: 50, description: 'per cent of new debtors, 1–50' }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Each condition is on unless set to false here. */
    stopConditions: Type.Optional(Type.Partial(Type.Object(Object.fromEntries(STOP_CONDITIONS.map((c) => [c, Type.Boolean()])) as Record<StopCondition, ReturnType<typeof Type.Boolean>>), { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type StrategyDoc = Static<typeof StrategySchema>;
export interface Strategy extends StrategyDoc {
  version: number;
}

export type StrategyRule = SchemaRule | 'step_trigger' | 'kind_needed' | 'mode_not_agent' | 'range_order' | 'duplicate_segment' | 'challenger_self';
export type StrategyProblem = SchemaProblem<StrategyRule>;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the schema cannot say: one trigger per step, a kind for external, a mode only for agents, min ≤ max. */
function meaningProblems(s: Json): StrategyProblem[] {
  const out: StrategyProblem[] = [];
  if (isObj(s.challenger) && s.challenger.strategyId === s.id) {
    out.push({ field: 'strategy.challenger.strategyId', rule: 'challenger_self', message: `strategy.challenger.strategyId ${shown(s.id)} is this strategy itself: name another strategy` });
  }
  if (!Array.isArray(s.segments)) return out;
  const names = new Set<unknown>();
  s.segments.forEach((seg: unknown, i) => {
    if (!isObj(seg)) return;
    const at = `strategy.segments[${i}]`;
    if (names.has(seg.name)) out.push({ field: `${at}.name`, rule: 'duplicate_segment', message: `${at}.name ${shown(seg.name)} is used by an earlier segment` });
    names.add(seg.name);
    if (isObj(seg.match)) {
      for (const key of ['amountCents', 'ageDays']) {
        const r = seg.match[key];
        if (isObj(r) && typeof r.min === 'number' && typeof r.max === 'number' && r.min > r.max) {
          out.push({ field: `${at}.match.${key}`, rule: 'range_order', message: `${at}.match.${key}.min (${r.min}) must not be above its max (${r.max})` });
        }
      }
    }
    if (!Array.isArray(seg.steps)) return;
    seg.steps.forEach((st: unknown, j) => {
      if (!isObj(st)) return;
      const f = `${at}.steps[${j}]`;
      if ((st.day === undefined) === (st.on === undefined)) {
        out.push({ field: f, rule: 'step_trigger', message: `${f} needs exactly one of "day" (days after the start) or "on" (an event: ${STEP_EVENTS.join(', ')})` });
      }
      if (st.action === 'external' && st.kind === undefined) out.push({ field: `${f}.kind`, rule: 'kind_needed', message: `${f}.kind is required for an external action (e.g. "letter", "visit")` });
      if (st.mode !== undefined && st.action !== 'call_agent') out.push({ field: `${f}.mode`, rule: 'mode_not_agent', message: `${f}.mode is only for call_agent steps, got action ${shown(st.action)}` });
    });
  });
  return out;
}

/** Every problem with this strategy document; [] when it is fine. */
export function strategyProblems(value: unknown): StrategyProblem[] {
  if (!isObj(value)) return [{ field: 'strategy', rule: 'type', message: 'strategy must be a JSON object' }];
  return [...schemaProblems(StrategySchema, value, 'strategy', 'field'), ...meaningProblems(value)].slice(0, MAX_PROBLEMS);
}

export type ParsedStrategy = { ok: true; strategy: StrategyDoc } | { ok: false; problems: StrategyProblem[] };

export function parseStrategy(value: unknown): ParsedStrategy {
  const problems = strategyProblems(value);
  return problems.length ? { ok: false, problems } : { ok: true, strategy: value as StrategyDoc };
}

/** Whether a stop condition applies under this strategy (all on by default). */
export function stopsOn(s: Pick<StrategyDoc, 'stopConditions'>, c: StopCondition): boolean {
  return s.stopConditions?.[c] !== false;
}

/**
 * Whether a debtor falls in the challenger's share: FNV-1a of "<strategy id>:<debtor id>",
 * bucketed to 0–9,999 (so 12 % is buckets 0–1,199). The same debtor always lands in the same
 * arm of the same strategy, and two strategies split their debtors independently.
 */
export function inChallengerShare(strategyId: string, debtorId: number, sharePct: number): boolean {
  const key = `${strategyId}:${debtorId}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 10_000 < sharePct * 100;
}
