/**
 * bereik token create --role operator --name NAME [--agent-id N] [--creditor NAME ...]
 *   (--creditor, repeatable, limits the token to those creditors: docs/data-protection.md)
 * bereik token list
 * bereik token revoke ID
 * Works directly on the configured database. The token is printed once and stored only as SHA-256.
 */
import { parseArgs } from 'node:util';
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';
import { createToken } from '../http/tokens.ts';
import { ROLES, type Role } from '../store/types.ts';

const USAGE = 'usage: bereik token create --role admin|operator|agent|client|supervisor --name NAME [--agent-id N] [--creditor NAME ...] | token list | token revoke ID';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, name: { type: 'string' }, 'agent-id': { type: 'string' }, creditor: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    console.error(USAGE);
    return 2;
  }
  const s = openOffline();
  try {
    const store = s.store.tokens;
    if (sub === 'create') {
      const role = values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) throw new BereikError('VALIDATION', `--role must be one of ${ROLES.join(', ')}`);
      if (!values.name?.trim()) throw new BereikError('VALIDATION', '--name is required (who or what uses this token)');
      const agentId = values['agent-id'] === undefined ? null : Number(values['agent-id']);
      if (agentId !== null && (!Number.isInteger(agentId) || agentId < 1)) throw new BereikError('VALIDATION', '--agent-id must be a positive integer');
      if (agentId !== null && role !== 'agent' && role !== 'supervisor') throw new BereikError('VALIDATION', '--agent-id only applies to --role agent or supervisor (the supervisor is rung on that agent record\'s phone)');
      const t = createToken(store, s.clock, { name: values.name.trim(), role, agentId, creditors: values.creditor ?? [] });
      console.log(t.token);
      console.error(`token ${t.id} (${role}, ${t.name}) created; it is shown only this once: store it now.`);
      return 0;
    }
    if (sub === 'list') {
      console.log(['id', 'role', 'name', 'agent', 'created', 'last used', 'revoked', 'creditors'].join('\t'));
      for (const t of store.list()) {
        console.log([t.id, t.role, t.name, t.agentId ?? '', t.createdAt, t.lastUsedAt ?? '', t.revokedAt ?? '', t.creditors.join(',') || '*'].join('\t'));
      }
      return 0;
    }
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id < 1) throw new BereikError('VALIDATION', 'usage: bereik token revoke ID');
    if (!store.revoke(id, new Date(s.clock.now()).toISOString())) throw new BereikError('NOT_FOUND', `token ${id} does not exist or is already revoked`);
    console.log(`token ${id} revoked`);
    return 0;
  } finally {
    s.close();
  }
}
