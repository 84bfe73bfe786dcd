/**
 * When a campaign starts: its shared prompts (src/tts/prewarm.ts) and then, contact by
 * contact in the order the dialer will call them, the identity question and the claim
 * message, in the background and within tts.prerender's count and size. The call then
 * finds its first prompt in the cache. The dialer does not wait for this: the first calls
 * ring for seconds before anyone hears a prompt, the pre-render runs ahead of them, and a
 * prompt it has not reached is rendered by the call (within tts.renderTimeoutMs when
 * engines are chained). Logs carry counts only, never a name or an amount.
 */
import type { Logger } from '../lib/log.ts';
import type { Language } from '../campaigns/settings.ts';
import type { CaseRepository } from '../store/repositories.ts';
import type { TtsEngine } from '../tts/types.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import { prerenderPersonal, prewarmPrompts, type PersonalPrompts, type PrerenderResult } from '../tts/prewarm.ts';
import type { CallDeps, RecordingSource } from './deps.ts';
import { toCallCase } from './from-store.ts';
import { menuOrder } from './menu.ts';
import { AGENTLESS_MENU } from './flows/serve-case.ts';
import { baseVars, caseLanguage, claimParts, identityParts, plannedParts } from './personal-prompts.ts';

export interface PrerenderSettings {
  maxContacts: number;
  maxBytes: number;
  concurrency: number;
}

export interface CampaignPrerenderDeps {
  tts: TtsEngine;
  prompts: PromptCatalog;
  cases: Pick<CaseRepository, 'forCampaign'>;
  defaults: Pick<CallDeps['defaults'], 'language' | 'settings'>;
  log: Logger;
  /** With recordings, only the values between them are synthesised, so only those are pre-rendered. */
  recordings?: RecordingSource | undefined;
}

export async function prerenderCampaign(deps: CampaignPrerenderDeps, campaignId: number, limits: PrerenderSettings, signal?: AbortSignal): Promise<PrerenderResult> {
  const t0 = Date.now();
  // One row more than the budget says whether the count was what stopped it.
  const cases = deps.cases.forCampaign(campaignId, limits.maxContacts + 1).map(toCallCase);
  const first = cases[0];
  if (first?.campaign) {
    const settings = first.campaign.settings ?? deps.defaults.settings;
    const warm = await prewarmPrompts(deps.tts, {
      lang: first.campaign.language ?? deps.defaults.language,
      vars: baseVars(settings, first),
      menus: first.campaign.mode === 'agentless' ? [menuOrder(AGENTLESS_MENU)] : [],
      catalog: deps.prompts,
    });
    if (warm.failed.length) deps.log.warn({ campaignId, failed: warm.failed.map((f) => f.key) }, 'prerender: shared prompts that could not be rendered');
  }
  let invalid = 0;
  const versions = deps.recordings?.versions();
  const setOf = (lang: Language) => (versions?.[lang] ? deps.recordings?.set(lang, versions[lang]) : undefined);
  function* personal(): Generator<PersonalPrompts> {
    for (const c of cases) {
      const lang: Language = caseLanguage(c, deps.defaults.language);
      const base = baseVars(c.campaign?.settings ?? deps.defaults.settings, c);
      try {
        const set = setOf(lang);
        const texts = [identityParts(c), claimParts(c)].flatMap((parts) => plannedParts(deps.prompts, lang, parts, base, set).flatMap((p) => (p.source === 'tts' ? [p.text] : [])));
        yield { lang, texts, owner: c.debtor.id };
      } catch {
        invalid++; // a value the prompt cannot say (PROMPT_INVALID): the call will meet it too, and log it there
      }
    }
  }
  const result = await prerenderPersonal(deps.tts, personal(), { maxContacts: limits.maxContacts, maxBytes: limits.maxBytes, concurrency: limits.concurrency, ...(signal ? { signal } : {}) });
  result.failed += invalid;
  deps.log.info({ campaignId, ...result, ms: Date.now() - t0 }, 'prerender: personalised prompts of the campaign rendered');
  return result;
}
