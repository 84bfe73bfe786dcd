/**
 * bereik campaign start|pause|resume|finish|show ID
 * Works directly on the database, through the same service as the API. A running
 * `bereik serve` sees the new state on its next read of the campaign.
 */
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';
import { CAMPAIGN_ACTIONS, type CampaignAction } from '../campaigns/lifecycle.ts';

const USAGE = `usage: bereik campaign ${[...CAMPAIGN_ACTIONS, 'show'].join('|')} ID`;

export async function run(argv: string[]): Promise<number> {
  const [sub, idText] = argv;
  const id = Number(idText);
  if (!sub || !(CAMPAIGN_ACTIONS as readonly string[]).concat('show').includes(sub) || !Number.isInteger(id) || id < 1) {
    console.error(USAGE);
    return 2;
  }
  const s = openOffline();
  try {
    if (sub === 'show') {
      console.log(JSON.stringify(s.campaigns.get(id), null, 2));
      return 0;
    }
    const before = s.campaigns.get(id).state;
    const c = s.campaigns.transition(id, sub as CampaignAction);
    console.log(`campaign ${id} (${c.name}): ${before} → ${c.state}`);
    return 0;
  } catch (err) {
    if (err instanceof BereikError && err.code === 'CAMPAIGN_BAD_TRANSITION') {
      console.error(`bereik campaign: ${err.message} (possible: ${(err.details as { allowed: string[] }).allowed.join(', ') || 'nothing, it is finished'})`);
      return 1;
    }
    throw err;
  } finally {
    s.close();
  }
}
