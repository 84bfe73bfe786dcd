/**
 * A campaign in mode `sms`: an imported file, started over the API, each debtor gets one
 * pay-link SMS at their mobile (all their claims in it), a debtor without a mobile is
 * closed with the reason, pausing holds the messages, and the campaign finishes when every
 * message is out. Over the simulated SMSC, inside the sending window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/lib/clock.ts';
import { startTestApp } from '../helpers/app.ts';
import { contactsOf, createCampaign, uploadRaw } from '../helpers/imports.ts';
import { MONDAY_10_AMSTERDAM, until } from '../helpers/until.ts';

const CSV = [
  'Debiteurnummer;Naam;Telefoon;Email;Taal;Bedrag;Factuurnummer;Vervaldatum;Opdrachtgever;Betaallink',
  'S1;Jan Jansen;06-11111111;jan@example.nl;nl;€ 100,00;F-1;31-12-2026;Energie Noord BV;https://betaal.example.nl/p/1',
  'S1;Jan Jansen;06-11111111;jan@example.nl;nl;€ 50,50;F-2;31-12-2026;Energie Noord BV;https://betaal.example.nl/p/2',
  'S2;Mary Smith;06-22222222;;en;€ 75,00;F-3;31-12-2026;Energie Noord BV;https://betaal.example.nl/p/3',
  'S3;Piet Vast;020-3333333;;nl;€ 20,00;F-4;31-12-2026;Energie Noord BV;https://betaal.example.nl/p/4',
].join('\n');


test('an SMS campaign sends each debtor one message with all their claims, skips a landline, and finishes', async (t) => {
  const a = await startTestApp({ telephony: false, messaging: {}, clock: new ScaledClock(1, MONDAY_10_AMSTERDAM), config: { messages: { pollMs: 100 } } });
  t.after(() => a.close());
  const smsc = a.app.deps.messaging!.sims.smsc!;
  const id = await createCampaign(a, { name: 'sms run', mode: 'sms', settings: { smsSender: 'alphanumeric:EnergieNrd' } });
  assert.equal((await uploadRaw(a, id, CSV)).status, 201);

  // Before it starts, the operator sees the text the first debtor will get, its length and parts.
  const preview = await a.api(`/campaigns/${id}/messages/preview`);
  assert.equal(preview.status, 200, await preview.clone().text());
  const p = (await preview.json()) as { to: string; sender: string; body: string; sms: { encoding: string; parts: number; units: number } };
  assert.equal(p.to, '+31611111111');
  assert.equal(p.sender, 'alphanumeric:EnergieNrd');
  assert.match(p.body, /2 facturen/);
  assert.equal(p.sms.encoding, 'gsm7');
  assert.ok(p.sms.parts >= 1 && p.sms.units === [...p.body].length + (p.body.match(/[€\[\]{}^~|\\]/g)?.length ?? 0), JSON.stringify(p.sms));
  assert.equal(smsc.inbox('+31611111111').length, 0, 'a preview queues nothing');

  const paused = await a.api(`/campaigns/${id}/start`, { method: 'POST' });
  assert.equal(paused.status, 200, await paused.text());
  await until('both mobiles texted', () => smsc.inbox('+31611111111').length === 1 && smsc.inbox('+31622222222').length === 1);

  const jan = smsc.inbox('+31611111111')[0]!;
  assert.equal(jan.from, 'EnergieNrd', 'the campaign\'s own alphanumeric sender');
  assert.match(jan.text, /2 facturen/, 'one message for both of Jan\'s claims');
  assert.match(jan.text, /€ 150,50/);
  assert.doesNotMatch(jan.text, /Antwoord|BETAALD|STOP =/, 'an alphanumeric sender cannot take a reply, so none is asked');
  assert.match(jan.text, /\/u\/[A-Za-z0-9_-]{22}/, 'the opt-out is a link instead');
  assert.match(smsc.inbox('+31622222222')[0]!.text, /Pay at/, 'Mary reads English');

  const contacts = (await contactsOf(a, id)) as unknown as Array<{ debtorRef: string; status: string; result: string | null }>;
  const piet = contacts.find((c) => c.debtorRef === 'S3')!;
  assert.equal(piet.status, 'invalid');
  assert.equal(piet.result, 'no_mobile');
  await until('the campaign finished', async () => ((await (await a.api(`/campaigns/${id}`)).json()) as { state: string }).state === 'finished');
  const stats = (await (await a.api(`/campaigns/${id}/messages/stats`)).json()) as Record<string, number>;
  assert.equal(stats.sent, 2);
  assert.equal(await until('both delivered', async () => ((await (await a.api(`/campaigns/${id}/messages/stats`)).json()) as Record<string, number>).delivered === 2 || undefined), true);
});

test('numbered reply options: the SMS offers 1 and 2, and a debtor answering "2" asked for an arrangement', async (t) => {
  const a = await startTestApp({ telephony: false, messaging: {}, clock: new ScaledClock(1, MONDAY_10_AMSTERDAM), config: { messages: { pollMs: 100 } } });
  t.after(() => a.close());
  const smsc = a.app.deps.messaging!.sims.smsc!;
  const id = await createCampaign(a, { name: 'options', mode: 'sms', settings: { smsReplyOptions: ['paid', 'arrangement'] } });
  assert.equal((await uploadRaw(a, id, CSV.split('\n').slice(0, 2).join('\n'))).status, 201);
  assert.equal((await a.api(`/campaigns/${id}/start`, { method: 'POST' })).status, 200);
  const [sms] = await until('the SMS', () => smsc.inbox('+31611111111').length > 0 && smsc.inbox('+31611111111'));
  assert.match(sms!.text, /Antwoord 1 = .*betaald.*2 = .*regeling/i, sms!.text);
  await smsc.reply('+31611111111', sms!.from, '2');
  const row = await until('the reply stored', () => a.app.deps.store.replies.inbox({ status: 'waiting' })[0]);
  assert.equal(row.intent, 'option');
  assert.equal(row.optionDigit, '2');
  await until('the arrangement confirmation', () => smsc.inbox('+31611111111').some((m) => /betalingsregeling/i.test(m.text) && !/Betaal via/.test(m.text)));
});
