/**
 * A campaign with a known day of calls for the report tests: the funnel and the answer
 * rate by Amsterdam hour are known in advance (EXPECTED), whatever day the test runs.
 */
import type { TestApp } from './app.ts';
import type { NewCall } from '../../src/store/calls.ts';

const CSV = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Opdrachtgever\r\nR1;Rita Rapport;06-11111101;€ 100,00;F-1;Water Zuid BV\r\nR2;Ruud Rapport;06-11111102;€ 200,00;F-2;Water Zuid BV\r\n';

/** Monday 23 Nov 2026 (winter time, UTC+1): 09:xx and 10:xx UTC are 10:00 and 11:00 in Amsterdam. */
export const REPORT_DAY = '2026-11-23';

export const EXPECTED = {
  funnel: { dialled: 6, answered: 4, identityConfirmed: 3, messageHeard: 2, paylink: 1, agent: 1, dispute: 0, paid: 1 },
  hour10: { hour: 10, dialled: 4, answered: 3, rate: 0.75 },
  hour11: { hour: 11, dialled: 2, answered: 1, rate: 0.5 },
};

export async function seedReportCampaign(h: TestApp): Promise<{ campaignId: number }> {
  const campaign = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Rapport', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  await h.api(`/campaigns/${campaign.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
  const call = (n: number, at: string, c: Partial<NewCall>): NewCall => ({ id: `rep-${campaign.id}-${n}`, direction: 'outbound', campaignId: campaign.id, createdAt: at, state: 'ended', ...c });
  const calls: NewCall[] = [
    call(1, '2026-11-23T09:05:00.000Z', { disposition: 'answered', identityConfirmed: true, messageHeard: true, result: 'paylink_requested' }),
    call(2, '2026-11-23T09:15:00.000Z', { disposition: 'answered', identityConfirmed: true, messageHeard: true, result: 'transferred' }),
    call(3, '2026-11-23T09:25:00.000Z', { disposition: 'answered', identityConfirmed: true, result: 'no_choice' }),
    call(4, '2026-11-23T09:35:00.000Z', { disposition: 'busy' }),
    call(5, '2026-11-23T10:05:00.000Z', { disposition: 'answered', result: 'identity_not_confirmed' }),
    call(6, '2026-11-23T10:15:00.000Z', { disposition: 'no_answer' }),
    // The day before and an inbound call: outside the report.
    call(7, '2026-11-22T22:59:00.000Z', { disposition: 'answered' }),
    { ...call(8, '2026-11-23T09:45:00.000Z', { disposition: 'answered' }), direction: 'inbound' },
  ];
  for (const c of calls) h.app.deps.store.calls.create(c);
  const { items } = (await (await h.api('/debtors?q=R1')).json()) as { items: { id: number }[] };
  const timeline = (await (await h.api(`/debtors/${items[0]!.id}/timeline`)).json()) as { debtor: { claims: { id: number }[] } };
  await h.api(`/claims/${timeline.debtor.claims[0]!.id}/payments`, { method: 'POST', json: { amountCents: 10_000, bookedOn: REPORT_DAY } });
  return { campaignId: campaign.id };
}
