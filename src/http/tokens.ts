/**
 * Creating and checking bearer tokens, shared by the HTTP auth hook and `bereik token`.
 * A token is 32 random bytes (base64url) with a `brk_` prefix so it is recognisable in
 * a leaked config file; only its SHA-256 reaches the database.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TokenRepository } from '../store/repositories.ts';
import type { Role, TokenRow } from '../store/tokens.ts';
import type { Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedToken {
  id: number;
  token: string;
  role: Role;
  name: string;
}

export function createToken(tokens: Pick<TokenRepository, 'insert'>, clock: Clock, opts: { name: string; role: Role; agentId?: number | null; creditors?: string[] }): CreatedToken {
  const creditors = [...new Set((opts.creditors ?? []).map((c) => c.trim()).filter(Boolean))];
  // An admin erases, exports and hands out tokens across creditors: it cannot be limited.
  if (creditors.length && opts.role === 'admin') throw new BereikError('VALIDATION', 'an admin token cannot be limited to creditors; use role operator, agent or client');
  // A creditor's own staff never see the whole book.
  if (!creditors.length && opts.role === 'client') throw new BereikError('VALIDATION', 'a client token needs at least one creditor (--creditor NAME, repeatable)');
  const token = 'brk_' + randomBytes(32).toString('base64url');
  const id = tokens.insert({
    name: opts.name,
    role: opts.role,
    agentId: opts.agentId ?? null,
    hash: hashToken(token),
    now: new Date(clock.now()).toISOString(),
    creditors,
  });
  return { id, token, role: opts.role, name: opts.name };
}

/**
 * On a database without a live admin token, makes one so a fresh `npm start` is usable.
 * Returns it (to be printed once), or undefined when an admin already exists.
 */
export function ensureAdminToken(tokens: Pick<TokenRepository, 'insert' | 'countActive'>, clock: Clock): CreatedToken | undefined {
  if (tokens.countActive('admin') > 0) return undefined;
  return createToken(tokens, clock, { name: 'first-admin', role: 'admin' });
}

export type { Role, TokenRow };
