/**
 * Campaign definitions and lifecycle, shared by the API and `bereik campaign`.
 * The dialer learns about state changes through the 'stateChanged' event rather than
 * polling; the store stays the source of truth (a restarted dialer reads the state).
 */
import { EventEmitter } from 'node:events';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { BereikError } from '../lib/errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { CampaignRecord } from '../store/campaigns.ts';
import type { CampaignRepository, EventRepository, Store } from '../store/repositories.ts';
import { allowedActions, nextState, type CampaignAction } from './lifecycle.ts';
import { looserThanLegal, mergeSettings } from './settings-merge.ts';
import { parseStoredSettings } from './stored-settings.ts';
import type { CampaignMode, CampaignSettings, CampaignState, Language } from './settings.ts';

export const E164 = /^\+[1-9]\d{6,14}$/;

export interface Campaign extends Omit<CampaignRecord, 'settings'> {
  settings: CampaignSettings;
  /** Lifecycle actions possible from the current state. */
  actions: CampaignAction[];
}

export interface CampaignInput {
  name: string;
  mode: CampaignMode;
  callerId: string;
  language?: Language;
  defaultCountry?: string;
  settings?: Partial<CampaignSettings> & Record<string, unknown>;
}

export interface StateChange {
  campaign: Campaign;
  from: CampaignState;
  to: CampaignState;
  action: CampaignAction;
}

interface CampaignEvents {
  stateChanged: [StateChange];
}

export class CampaignService {
  /** 'stateChanged' fires after the new state is stored. */
  readonly events = new EventEmitter<CampaignEvents>();
  private readonly store: CampaignRepository;
  private readonly log: EventRepository;

  /**
   * demoAllowed: whether this process dials the built-in simulated Asterisk, the only place a
   * demo campaign (settings.demo, dialled at any hour) may be created. Absent: never.
   */
  constructor(private readonly deps: { store: Pick<Store, 'campaigns' | 'events'>; clock: Clock; log: Logger; demoAllowed?: () => boolean }) {
    this.store = deps.store.campaigns;
    this.log = deps.store.events;
  }

  create(input: CampaignInput): Campaign {
    const fields = this.validate(input, this.checkDemo(mergeSettings(input.settings)));
    const now = this.now();
    const id = this.store.insert(fields, now);
    this.warnIfLooser(id, JSON.parse(fields.settings) as CampaignSettings);
    this.log.append({ at: now, kind: 'campaign.created', campaignId: id, data: { mode: fields.mode } });
    return this.get(id);
  }

  get(id: number): Campaign {
    const row = this.store.get(id);
    if (!row) throw new BereikError('NOT_FOUND', `campaign ${id} does not exist`);
    return toCampaign(row);
  }

  list(opts: { limit: number; offset: number; state?: CampaignState }): { items: Campaign[]; total: number } {
    const { items, total } = this.store.list(opts);
    return { items: items.map(toCampaign), total };
  }

  update(id: number, patch: Partial<CampaignInput>): Campaign {
    const cur = this.get(id);
    if (cur.state === 'finished') throw new BereikError('CONFLICT', `campaign ${id} is finished and can no longer be changed`);
    const settings = patch.settings === undefined ? cur.settings : this.checkDemo(mergeSettings(patch.settings, cur.settings));
    const fields = this.validate({ ...cur, ...stripUndefined(patch), settings }, settings);
    this.store.update(id, fields, this.now());
    if (patch.settings !== undefined) this.warnIfLooser(id, settings);
    return this.get(id);
  }

  transition(id: number, action: CampaignAction): Campaign {
    const cur = this.get(id);
    const to = nextState(cur.state, action);
    if (!to || !this.store.setState(id, cur.state, to, this.now())) {
      throw new BereikError('CAMPAIGN_BAD_TRANSITION', `campaign ${id} is ${cur.state}; it cannot ${action}`, {
        state: cur.state,
        allowed: allowedActions(cur.state),
      });
    }
    const campaign = this.get(id);
    this.log.append({ at: campaign.updatedAt, kind: 'campaign.state', campaignId: id, data: { from: cur.state, to, action } });
    this.deps.log.info({ campaignId: id, from: cur.state, to }, 'campaign state changed');
    this.events.emit('stateChanged', { campaign, from: cur.state, to, action });
    return campaign;
  }

  private validate(input: CampaignInput, settings: CampaignSettings) {
    const name = input.name?.trim();
    if (!name) throw new BereikError('VALIDATION', 'name must not be empty', [{ field: 'name' }]);
    if (!E164.test(input.callerId)) throw new BereikError('VALIDATION', `callerId must match E.164 (e.g. +31201234567), got ${input.callerId}`, [{ field: 'callerId' }]);
    const country = (input.defaultCountry ?? 'NL').toUpperCase();
    if (!isSupportedCountry(country as CountryCode)) {
      throw new BereikError('VALIDATION', `defaultCountry ${country} is not a known ISO 3166 country code`, [{ field: 'defaultCountry' }]);
    }
    return {
      name,
      mode: input.mode,
      callerId: input.callerId,
      language: input.language ?? 'nl',
      defaultCountry: country,
      settings: JSON.stringify(settings),
    };
  }

  private checkDemo(s: CampaignSettings): CampaignSettings {
    if (s.demo && !this.deps.demoAllowed?.()) {
      throw new BereikError(
        'VALIDATION',
        'settings.demo: a demo campaign is dialled at any hour, so it is only accepted while Bereik runs on its built-in simulated Asterisk (ari.url empty); this one calls real phones',
        [{ field: 'settings.demo', message: 'only on the built-in simulated Asterisk' }],
      );
    }
    return s;
  }

  private warnIfLooser(campaignId: number, s: CampaignSettings): void {
    const looser = looserThanLegal(s);
    if (looser.length > 0) this.deps.log.warn({ campaignId, looser }, 'campaign settings are looser than the legal defaults (allowLooserThanLegal)');
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}

function toCampaign(r: CampaignRecord): Campaign {
  const { settings, ...rest } = r;
  return { ...rest, settings: parseStoredSettings(settings), actions: allowedActions(r.state) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
