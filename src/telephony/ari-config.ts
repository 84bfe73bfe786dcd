/**
 * Two corners of ARI outside calls and bridges: pushed PJSIP configuration and a channel's
 * RTP statistics.
 *
 * Pushed configuration (`PUT /asterisk/config/dynamic/res_pjsip/{type}/{id}`, ARI ≥ 1.8):
 * Asterisk creates the sorcery object in the first wizard of that type that accepts writes.
 * pjsip.conf's config wizard does not, so sorcery.conf must give endpoint, auth and aor a
 * `memory` wizard too (config/asterisk/sorcery.conf); without it Asterisk answers 400/403
 * and the error says so. Proven on Asterisk 22.10.1 (docs/agent-softphone.md).
 *
 * RTP statistics (`GET /channels/{id}/rtp_statistics`, Asterisk ≥ 18.4): 404 when the
 * channel is gone, 404 too when it has no RTP instance (a Local channel): both are values.
 */
import { BereikError } from '../lib/errors.ts';
import { ariStatus, type AriRest } from './ari-rest.ts';

export const PJSIP_OBJECT_TYPES = ['endpoint', 'auth', 'aor'] as const;
export type PjsipObjectType = (typeof PJSIP_OBJECT_TYPES)[number];

/** What ARI's RTPstat model carries that Bereik reads (the rest is passed through). */
export interface RtpStatistics {
  txcount: number;
  rxcount: number;
  txploss: number;
  rxploss: number;
  [field: string]: unknown;
}

export interface PjsipConfig {
  /** Creates or replaces one object; `fields` as in pjsip.conf (`type` is implied by the path). */
  put(type: PjsipObjectType, id: string, fields: Record<string, string>): Promise<void>;
  /** Deletes one object; false when Asterisk has no such object (already gone). */
  delete(type: PjsipObjectType, id: string): Promise<boolean>;
}

const path = (type: PjsipObjectType, id: string) => `/asterisk/config/dynamic/res_pjsip/${type}/${encodeURIComponent(id)}`;

export function ariPjsipConfig(rest: AriRest): PjsipConfig {
  return {
    async put(type, id, fields) {
      try {
        await rest.request('PUT', path(type, id), undefined, { fields: Object.entries(fields).map(([attribute, value]) => ({ attribute, value })) });
      } catch (err) {
        const status = ariStatus(err);
        if (status === 400 || status === 403) {
          throw new BereikError('ARI_CONFIG_REFUSED', `Asterisk refused to create PJSIP ${type} ${id} (${(err as Error).message}); sorcery.conf needs a writable wizard for res_pjsip ${type} (${type}=memory), see docs/agent-softphone.md`, { type, id, status }, 503);
        }
        throw err;
      }
    },
    async delete(type, id) {
      try {
        await rest.request('DELETE', path(type, id));
        return true;
      } catch (err) {
        if (ariStatus(err) === 404) return false;
        throw err;
      }
    },
  };
}

/** A channel's RTP statistics, or undefined when the channel (or its RTP) is gone. */
export async function ariRtpStatistics(rest: AriRest, channelId: string): Promise<RtpStatistics | undefined> {
  try {
    const body = await rest.request<Record<string, unknown>>('GET', `/channels/${encodeURIComponent(channelId)}/rtp_statistics`);
    const num = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : 0);
    return { ...body, txcount: num('txcount'), rxcount: num('rxcount'), txploss: num('txploss'), rxploss: num('rxploss') };
  } catch (err) {
    if (ariStatus(err) === 404) return undefined;
    throw err;
  }
}
