import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StrategyDoc } from '../../src/strategy/schema.ts';
import type { DebtorFacts } from '../../src/strategy/segment.ts';

export const shippedDefault = (): StrategyDoc =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../config/strategies/default.json'), 'utf8')) as StrategyDoc;

/** A €120 medium-risk Dutch debtor with one claim due on 1 November 2026. */
export const facts = (over: Partial<DebtorFacts> = {}): DebtorFacts => ({
  debtorId: 1, openClaims: 1, openCents: 12_000, risk: 'medium', language: 'nl', timeZone: 'Europe/Amsterdam',
  oldestDueDate: '2026-11-01', creditors: ['Energie BV'], promisedUntil: null, arranged: false, disputed: false,
  optedOutAll: false, invalidAllNumbers: false, ...over,
});
