/**
 * Keeps one campaign's failure from stalling the others: the dialer works on each running
 * campaign in its own try, and this counts each campaign's failed rounds in a row. After
 * PAUSE_AFTER_FAILED_ROUNDS the campaign is paused with a reason the operator reads in
 * GET /campaigns/:id (and the log): the error, plus whatever its stored settings break
 * (campaigns saved before the API checked settings can hold a zone like "Mars/Olympus").
 */
import { settingProblems } from '../../campaigns/settings-check.ts';
import { isoUtc } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { CampaignRow, DialerRepository } from '../../store/dialer.ts';
import { campaignSettings } from './settings.ts';

export const PAUSE_AFTER_FAILED_ROUNDS = 3;
const MAX_REASON = 1000;

export class FailingCampaigns {
  private readonly streak = new Map<number, number>();

  constructor(private readonly deps: { store: DialerRepository; log: Logger }) {}

  /** The campaign's round went through: its count starts again. */
  ok(campaignId: number): void {
    this.streak.delete(campaignId);
  }

  /** Counts a failed round; pauses the campaign at the limit. True when it was paused now. */
  failed(campaign: CampaignRow, err: unknown, now: number): boolean {
    const { store, log } = this.deps;
    const rounds = (this.streak.get(campaign.id) ?? 0) + 1;
    this.streak.set(campaign.id, rounds);
    log.error({ err, campaignId: campaign.id, failedRounds: rounds }, 'dialer round failed for this campaign; other campaigns go on');
    if (rounds < PAUSE_AFTER_FAILED_ROUNDS) return false;
    this.streak.delete(campaign.id);
    const reason = pauseReason(campaign, err, rounds);
    if (!store.pauseFailing(campaign.id, reason, isoUtc(now))) return false;
    log.error({ campaignId: campaign.id, reason }, 'campaign paused by the dialer');
    return true;
  }
}

function pauseReason(campaign: CampaignRow, err: unknown, rounds: number): string {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const problems = isJson(campaign.settings)
    ? // What the dialer works with (defaults filled in), minus keys an older Bereik wrote: they break nothing.
      settingProblems(campaignSettings(campaign.settings))
        .filter((p) => p.rule !== 'unknown_field')
        .map((p) => p.message)
    : ['the stored settings are not valid JSON'];
  const advice = problems.length
    ? `; settings to correct (PATCH /campaigns/${campaign.id}), then resume: ${problems.join('; ')}`
    : '; the settings pass every check: see the log for the error';
  const reason = `the dialer failed on ${rounds} rounds in a row (${what})${advice}`;
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
