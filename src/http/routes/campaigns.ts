/** /campaigns: create, list, show, change, and move through the lifecycle. */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS, READERS } from '../auth.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { IdParams, Literals, Paging, errors } from '../schemas.ts';
import { CAMPAIGN_ACTIONS } from '../../campaigns/lifecycle.ts';
import { CampaignSettingsSchema } from '../../campaigns/settings.ts';
import { CAMPAIGN_MODES, CAMPAIGN_STATES, LANGUAGES } from '../../store/types.ts';

const Mode = Literals(CAMPAIGN_MODES);
const State = Literals(CAMPAIGN_STATES);
const Language = Literals(LANGUAGES);
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 country used to read national phone numbers, e.g. NL' });
/** Partial settings: merged onto the defaults (or the current settings) and validated in full by the service. */
const SettingsPatch = Type.Object({}, { additionalProperties: true, description: 'any subset of the campaign settings; see CampaignSettings' });

const Campaign = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    mode: Mode,
    state: State,
    callerId: Type.String(),
    language: Language,
    defaultCountry: Type.String(),
    settings: CampaignSettingsSchema,
    actions: Type.Array(Type.String(), { description: 'lifecycle actions possible now' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
    pausedReason: Type.Union([Type.String(), Type.Null()], { description: 'why the dialer paused the campaign (3 failing rounds in a row); null otherwise' }),
  },
  { $id: 'Campaign' },
);

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mode: Mode,
    callerId: Type.String({ format: 'e164', description: 'the recognisable number debtors see and can call back' }),
    language: Type.Optional(Language),
    defaultCountry: Type.Optional(Country),
    settings: Type.Optional(SettingsPatch),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(CreateBody, { additionalProperties: false });

const routes: RouteModule = async (app, { campaigns, store }) => {
  app.addSchema(Campaign);
  const CampaignRef = Type.Ref('Campaign');

  app.post('/campaigns', {
    config: { roles: OPERATORS, scope: 'all-creditors' },
    schema: { tags: ['campaigns'], summary: 'Create a campaign (state draft)', body: CreateBody, response: { 201: CampaignRef, ...errors(400) } },
  }, async (req, reply) => reply.status(201).send(campaigns.create(req.body)));

  app.get('/campaigns', {
    config: { roles: READERS, scope: 'creditor' },
    schema: {
      tags: ['campaigns'],
      summary: 'List campaigns',
      querystring: Type.Object({ ...Paging, state: Type.Optional(State) }),
      response: { 200: Type.Object({ items: Type.Array(CampaignRef), total: Type.Integer() }), ...errors(400) },
    },
  }, async (req) => {
    const creditors = creditorsOf(req);
    const limit = req.query.limit ?? 100;
    const offset = req.query.offset ?? 0;
    if (!creditors) return campaigns.list({ limit, offset, state: req.query.state });
    // A limited token sees the campaigns that hold its creditors' claims; campaigns are few, so filter then page.
    const mine = store.contacts.campaignsOf(creditors);
    const all = campaigns.list({ limit: Number.MAX_SAFE_INTEGER, offset: 0, state: req.query.state }).items.filter((c) => mine.has(c.id));
    return { items: all.slice(offset, offset + limit), total: all.length };
  });

  app.get('/campaigns/:id', {
    config: { roles: READERS, scope: 'creditor' },
    schema: { tags: ['campaigns'], summary: 'Show a campaign', params: IdParams, response: { 200: CampaignRef, ...errors(400, 404) } },
  }, async (req) => {
    const creditors = creditorsOf(req);
    if (creditors && !store.contacts.holdsClaimOf(req.params.id, creditors)) throw notFoundFor('campaign', req.params.id);
    return campaigns.get(req.params.id);
  });

  app.patch('/campaigns/:id', {
    config: { roles: OPERATORS, scope: 'all-creditors' },
    schema: {
      tags: ['campaigns'],
      summary: 'Change a campaign; settings are merged onto the current ones',
      params: IdParams,
      body: PatchBody,
      response: { 200: CampaignRef, ...errors(400, 404, 409) },
    },
  }, async (req) => campaigns.update(req.params.id, req.body));

  for (const action of CAMPAIGN_ACTIONS) {
    app.post(`/campaigns/:id/${action}`, {
      config: { roles: OPERATORS, scope: 'all-creditors' },
      schema: {
        tags: ['campaigns'],
        summary: `${action[0]!.toUpperCase()}${action.slice(1)} the campaign (draft → running ⇄ paused → finished)`,
        params: IdParams,
        response: { 200: CampaignRef, ...errors(400, 404, 409) },
      },
    }, async (req) => campaigns.transition(req.params.id, action));
  }
};

export default routes;
