/**
 * Strategies over the API and the CLI: validated on save (each save a new version), made
 * active, the shipped default installed on first start, and today's plan run on demand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoUtc, type Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/repositories.ts';
import type { ActionRow, StrategyRow } from '../store/strategies.ts';
import type { ExecuteCounts, PlanCounts, StrategyPlanner } from './planner.ts';
import { parseStrategy, type Strategy } from './schema.ts';

/** The shipped strategies (config/strategies/). */
export const SHIPPED_DEFAULT = join(import.meta.dirname, '../../config/strategies/default.json');

export interface StoredStrategy {
  strategy: Strategy;
  active: boolean;
  createdAt: string;
}

export class StrategyService {
  constructor(private readonly d: { store: Pick<Store, 'strategies'>; clock: Clock; log: Logger; planner: Pick<StrategyPlanner, 'planDay'> }) {}

  /**
   * creditors (a token limited to them) here and below: the strategies that can take their
   * debtors, shown with only the segments that can (see forCreditors).
   */
  list(creditors: readonly string[] | null = null): StoredStrategy[] {
    return this.d.store.strategies.list(creditors).map((r) => forCreditors(toStored(r), creditors));
  }

  /** The active version (else the latest), or the version asked for. */
  get(id: string, version?: number, creditors: readonly string[] | null = null): StoredStrategy {
    const row = this.d.store.strategies.get(id, version, creditors);
    if (!row) throw new BereikError('NOT_FOUND', version === undefined ? `strategy ${id} does not exist` : `strategy ${id} has no version ${version}`);
    return forCreditors(toStored(row), creditors);
  }

  /** Newest first; a strategy with no version (or none the creditors may read) does not exist. */
  versions(id: string, creditors: readonly string[] | null = null): StoredStrategy[] {
    const rows = this.d.store.strategies.versions(id, creditors);
    if (!rows.length) throw new BereikError('NOT_FOUND', `strategy ${id} does not exist`);
    return rows.map((r) => forCreditors(toStored(r), creditors));
  }

  /** Validates and stores the document as the strategy's next version; refused with every problem, each naming its path. */
  save(doc: unknown, o: { activate: boolean }): StoredStrategy {
    const parsed = parseStrategy(doc);
    if (!parsed.ok) throw new BereikError('VALIDATION', parsed.problems.map((p) => p.message).join('; '), parsed.problems);
    const { version: _ignored, ...body } = parsed.strategy;
    const row = this.d.store.strategies.save({ id: body.id, name: body.name, json: JSON.stringify(body) }, o.activate, isoUtc(this.d.clock.now()));
    this.d.log.info({ strategyId: row.id, version: row.version, active: row.active }, 'strategy saved');
    return toStored(row);
  }

  activate(id: string, version: number): StoredStrategy {
    if (!this.d.store.strategies.activate(id, version, isoUtc(this.d.clock.now()))) throw new BereikError('NOT_FOUND', `strategy ${id} has no version ${version}`);
    this.d.log.info({ strategyId: id, version }, 'strategy activated');
    return this.get(id, version);
  }

  /** Installs the shipped default strategy, active, when no strategy called "default" exists yet. */
  installDefault(path = SHIPPED_DEFAULT): StoredStrategy | undefined {
    if (this.d.store.strategies.get('default')) return undefined;
    return this.save(JSON.parse(readFileSync(path, 'utf8')), { activate: true });
  }

  plan(now = this.d.clock.now()): Promise<PlanCounts & ExecuteCounts> {
    return this.d.planner.planDay(now);
  }

  actionsOf(debtorId: number, limit?: number, creditors: readonly string[] | null = null): ActionRow[] {
    return this.d.store.strategies.actionsOf(debtorId, limit, creditors);
  }
}

/**
 * What a token limited to creditors reads of a strategy: the segments that can take their
 * debtors, each naming only their creditors. Other creditors are other clients of the agency:
 * their names and rules are not theirs to see.
 */
function forCreditors(s: StoredStrategy, creditors: readonly string[] | null): StoredStrategy {
  if (!creditors) return s;
  const segments = s.strategy.segments
    .filter((g) => !g.match?.creditors || g.match.creditors.some((c) => creditors.includes(c)))
    .map((g) => (g.match?.creditors ? { ...g, match: { ...g.match, creditors: g.match.creditors.filter((c) => creditors.includes(c)) } } : g));
  return { ...s, strategy: { ...s.strategy, segments } };
}

function toStored(r: StrategyRow): StoredStrategy {
  return { strategy: { ...(JSON.parse(r.json) as Omit<Strategy, 'version'>), version: r.version }, active: r.active, createdAt: r.createdAt };
}
