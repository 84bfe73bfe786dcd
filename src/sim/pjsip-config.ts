/**
 * ARI push configuration of PJSIP objects, as a real Asterisk with sorcery.conf's memory
 * wizard serves it (`/asterisk/config/dynamic/res_pjsip/{endpoint|auth|aor}/{id}`), and the
 * softphones that register with such an auth.
 *
 * A pushed endpoint cannot be dialled until a softphone registers on its AOR (a real
 * Asterisk answers an originate to an endpoint without contacts 500 "Allocation failed",
 * like an unknown one). `register()` is the simulated browser's REGISTER: the username and
 * password must match a pushed auth, whose endpoint then answers calls as the behaviour says.
 */
import { AriError } from './ari-error.ts';
import type { PhoneBehaviour } from './scenario.ts';

const TYPES = new Set(['endpoint', 'auth', 'aor']);

export interface SimPjsipHost {
  registerEndpoint(name: string, behaviour: PhoneBehaviour): void;
  forgetEndpoint(name: string): void;
}

type Fields = { attribute: string; value: string }[];

export class SimPjsipConfig {
  private readonly objects = new Map<string, Map<string, string>>();
  private readonly registered = new Set<string>();

  constructor(private readonly host: SimPjsipHost) {}

  /** Segments after /asterisk/config/dynamic: [configClass, objectType, id]. */
  handle(method: string, [cls, type, id]: string[], body: unknown): { status: number; body?: unknown } {
    if (cls !== 'res_pjsip' || !type || !TYPES.has(type) || !id) throw new AriError(404, { message: 'Configuration class not found' });
    const key = `${type}/${id}`;
    if (method === 'GET') {
      const o = this.objects.get(key);
      if (!o) throw new AriError(404, { message: 'Object not found' });
      return { status: 200, body: fieldsOf(o) };
    }
    if (method === 'DELETE') {
      if (!this.objects.delete(key)) throw new AriError(404, { message: 'Object not found' });
      if (type === 'endpoint' && this.registered.delete(id)) this.host.forgetEndpoint(id);
      return { status: 204 };
    }
    if (method !== 'PUT') throw new AriError(405, { message: 'Invalid method' });
    const fields = (body as { fields?: Fields } | undefined)?.fields;
    if (!Array.isArray(fields)) throw new AriError(400, { message: 'Fields must be provided' });
    const o = new Map<string, string>();
    for (const f of fields) {
      if (typeof f?.attribute !== 'string' || typeof f.value !== 'string') throw new AriError(400, { message: 'Field attribute and value must be strings' });
      o.set(f.attribute, f.value);
    }
    this.objects.set(key, o);
    return { status: 200, body: fieldsOf(o) };
  }

  /**
   * A softphone registers: the endpoint whose auth has this username and password becomes
   * reachable. Returns the endpoint, or undefined for a 401 (wrong or expired credentials).
   */
  register(username: string, password: string, behaviour: PhoneBehaviour = { outcome: 'answer', ringMs: 0 }): string | undefined {
    for (const [key, ep] of this.objects) {
      if (!key.startsWith('endpoint/')) continue;
      const auth = this.objects.get(`auth/${ep.get('auth') ?? ''}`);
      if (auth?.get('username') !== username || auth.get('password') !== password) continue;
      const id = key.slice('endpoint/'.length);
      this.registered.add(id);
      this.host.registerEndpoint(id, behaviour);
      return id;
    }
    return undefined;
  }

  /** The pushed object's fields (for tests), or undefined. */
  get(type: string, id: string): Record<string, string> | undefined {
    const o = this.objects.get(`${type}/${id}`);
    return o ? Object.fromEntries(o) : undefined;
  }

  ids(type: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${type}/`)).map((k) => k.slice(type.length + 1));
  }
}

function fieldsOf(o: Map<string, string>): Fields {
  return [...o].map(([attribute, value]) => ({ attribute, value }));
}
