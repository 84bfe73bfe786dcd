/** The debtor page's actions through the API: only the debtor's own numbers go on the do-not-call list; a payment or promise needs a claim that exists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendAs, startTestApp } from '../helpers/app.ts';
import { createToken } from '../../src/http/tokens.ts';

const CSV = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Opdrachtgever\r\nB1;Bea Bel;06-55555501;€ 40,00;F-1;Water Zuid BV\r\n';

test('do-not-call takes the debtor’s own number in any form once; another number, a bad date or an unknown claim is refused by name', async (t) => {
  const h = await startTestApp();
  t.after(() => h.close());
  const c = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'A', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  await h.api(`/campaigns/${c.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
  const { items: [d] } = (await (await h.api('/debtors?q=B1')).json()) as { items: { id: number }[] };
  const dnc = (phone: string) => h.api(`/debtors/${d!.id}/dnc`, { method: 'POST', json: { phone } });

  const first = await dnc('06 5555 5501');
  assert.equal(first.status, 201);
  assert.deepEqual(await first.json(), { e164: '+31655555501', added: true });
  assert.deepEqual(await (await dnc('+31655555501')).json(), { e164: '+31655555501', added: false });
  const other = await dnc('06-12345678');
  assert.equal(other.status, 400);
  assert.match(((await other.json()) as { error: { message: string } }).error.message, new RegExp(`body/phone: not a number of debtor ${d!.id}`));
  assert.equal((await h.api(`/debtors/999999/dnc`, { method: 'POST', json: { phone: '0612345678' } })).status, 404);

  const tl = (await (await h.api(`/debtors/${d!.id}/timeline`)).json()) as { debtor: { claims: { id: number; status: string }[] } };
  const claim = tl.debtor.claims[0]!.id;
  const badDay = await h.api(`/claims/${claim}/payments`, { method: 'POST', json: { amountCents: 100, bookedOn: '23-11-2026' } });
  assert.equal(badDay.status, 400);
  assert.match(((await badDay.json()) as { error: { message: string } }).error.message, /bookedOn/);
  assert.equal((await h.api(`/claims/999999/promise`, { method: 'POST', json: { promiseDate: '2026-12-01' } })).status, 404);

  // Paid in full from the office: the claim is paid, as a bank payment would make it.
  const paid = await h.api(`/claims/${claim}/payments`, { method: 'POST', json: { amountCents: 4000, bookedOn: '2026-11-23' } });
  assert.equal(paid.status, 201);
  const after = (await (await h.api(`/debtors/${d!.id}/timeline`)).json()) as { debtor: { claims: { status: string; paidCents: number }[] } };
  assert.deepEqual([after.debtor.claims[0]!.status, after.debtor.claims[0]!.paidCents], ['paid', 4000]);
});

test('an operator limited to one creditor acts on that creditor’s debtors and claims only: another’s answers 404 and changes nothing', async (t) => {
  const h = await startTestApp();
  t.after(() => h.close());
  const { store, clock } = h.app.deps;
  const c = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'A', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  const csv = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Opdrachtgever\r\nB1;Bea Bel;06-55555501;€ 40,00;F-1;Acme\r\nZ1;Zef Zon;06-55555502;€ 50,00;F-2;Zeta\r\n';
  await h.api(`/campaigns/${c.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
  const person = async (ref: string) => {
    const { items: [d] } = (await (await h.api(`/debtors?q=${ref}`)).json()) as { items: { id: number }[] };
    const tl = (await (await h.api(`/debtors/${d!.id}/timeline`)).json()) as { debtor: { claims: { id: number }[] } };
    return { id: d!.id, claim: tl.debtor.claims[0]!.id };
  };
  const acme = await person('B1');
  const zeta = await person('Z1');
  const token = createToken(store.tokens, clock, { name: 'acme-op', role: 'operator', creditors: ['Acme'] }).token;

  assert.equal((await sendAs(h, token, 'POST', `/debtors/${zeta.id}/dnc`, { phone: '0655555502' })).status, 404);
  assert.equal((await sendAs(h, token, 'POST', `/claims/${zeta.claim}/payments`, { amountCents: 5000, bookedOn: '2026-11-23' })).status, 404);
  assert.equal((await sendAs(h, token, 'POST', `/claims/${zeta.claim}/promise`, { promiseDate: '2026-12-01' })).status, 404);
  const z = (await (await h.api(`/debtors/${zeta.id}/timeline`)).json()) as { debtor: { phones: { dnc: boolean }[]; claims: { status: string }[] } };
  assert.deepEqual([z.debtor.phones[0]!.dnc, z.debtor.claims[0]!.status], [false, 'open'], 'Zeta’s debtor is untouched');

  assert.equal((await sendAs(h, token, 'POST', `/debtors/${acme.id}/dnc`, { phone: '0655555501' })).status, 201);
  assert.equal((await sendAs(h, token, 'POST', `/claims/${acme.claim}/promise`, { promiseDate: '2026-12-01' })).status, 201);
  assert.equal((await sendAs(h, token, 'POST', `/claims/${acme.claim}/payments`, { amountCents: 4000, bookedOn: '2026-11-23' })).status, 201);
  const a = (await (await h.api(`/debtors/${acme.id}/timeline`)).json()) as { debtor: { phones: { dnc: boolean }[]; claims: { status: string }[] } };
  assert.deepEqual([a.debtor.phones[0]!.dnc, a.debtor.claims[0]!.status], [true, 'paid']);
});
