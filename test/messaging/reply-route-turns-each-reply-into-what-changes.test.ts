import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply, type ReplyOption } from '../../src/messaging/replies/parse.ts';
import { routeReply, type ReplyDebtorState, type ReplyEffect } from '../../src/messaging/replies/route.ts';

const STATE: ReplyDebtorState = { address: '+31612345678', creditor: 'Woonstad Noord', openClaimIds: [11, 12], smsOptedOut: false };
const OPTIONS: ReplyOption[] = [{ digit: '1', intent: 'paid' }, { digit: '2', intent: 'arrangement' }, { digit: '3', intent: 'callback' }];
const route = (text: string, over: Partial<ReplyDebtorState> = {}, options?: ReplyOption[]): ReplyEffect[] =>
  routeReply(parseReply(text, options ? { options } : {}), { ...STATE, ...over });

const PAID_NL: ReplyEffect = { kind: 'confirm', lang: 'nl', text: 'Dank u. We controleren uw betaling en nemen contact op als er iets niet klopt.' };
const ARRANGEMENT_NL: ReplyEffect = { kind: 'confirm', lang: 'nl', text: 'We bellen u binnen 2 werkdagen over een betalingsregeling.' };
const CALLBACK_NL: ReplyEffect = { kind: 'confirm', lang: 'nl', text: 'We bellen u binnen 2 werkdagen terug.' };

test('each reply becomes the changes a person would expect, in order', () => {
  const rows: [string, ReplyEffect[], Partial<ReplyDebtorState>?, ReplyOption[]?][] = [
    ['STOP', [
      { kind: 'optOut', channel: 'sms', address: '+31612345678' },
      { kind: 'confirm', lang: 'nl', text: 'U ontvangt geen sms meer van Woonstad Noord over deze vordering.' },
    ]],
    ['Unsubscribe', [
      { kind: 'optOut', channel: 'sms', address: '+31612345678' },
      { kind: 'confirm', lang: 'en', text: 'You will receive no more text messages from Woonstad Noord about this claim.' },
    ]],
    ['BETAALD', [
      { kind: 'claimReview', claimIds: [11, 12], reason: 'debtor_says_paid' },
      { kind: 'pauseContact', claimIds: [11, 12], reason: 'debtor_says_paid' },
      PAID_NL,
    ]],
    ['REGELING', [{ kind: 'callbackTask', claimIds: [11, 12], reason: 'arrangement' }, ARRANGEMENT_NL]],
    ['bel me', [{ kind: 'callbackTask', claimIds: [11, 12], reason: 'callback' }, CALLBACK_NL]],
    ['call me', [
      { kind: 'callbackTask', claimIds: [11, 12], reason: 'callback' },
      { kind: 'confirm', lang: 'en', text: 'We will call you back within 2 working days.' },
    ]],
    ['REGELING', [
      { kind: 'callbackTask', claimIds: [11, 12], reason: 'arrangement' },
      { kind: 'confirm', lang: 'en', text: 'We will call you within 3 working days about a payment plan.' },
    ], { language: 'en', callbackWorkingDays: 3 }],
    ['1', [
      { kind: 'claimReview', claimIds: [11, 12], reason: 'debtor_says_paid' },
      { kind: 'pauseContact', claimIds: [11, 12], reason: 'debtor_says_paid' },
      PAID_NL,
    ], {}, OPTIONS],
    ['3', [{ kind: 'callbackTask', claimIds: [11, 12], reason: 'callback' }, CALLBACK_NL], {}, OPTIONS],
    // For a person
    ['Waarom krijg ik dit?', [{ kind: 'inbox', reason: 'no_keyword' }]],
    ['ik heb niet betaald', [{ kind: 'inbox', reason: 'negation' }]],
    ['stop met bellen', [{ kind: 'inbox', reason: 'stop_calls', mentionsStop: true }]],
    ['7', [{ kind: 'inbox', reason: 'option_not_offered' }], {}, OPTIONS],
    ['1', [{ kind: 'inbox', reason: 'no_options_offered' }]],
    ['  ', [{ kind: 'inbox', reason: 'empty', empty: true }]],
    ['BETAALD', [{ kind: 'inbox', reason: 'no_open_claims' }], { openClaimIds: [] }],
  ];
  for (const [text, effects, over, options] of rows) assert.deepEqual(route(text, over, options), effects, `${JSON.stringify(text)} ${JSON.stringify(over ?? {})}`);
});

test('an opted-out number is never sent another SMS, but its requests still act', () => {
  const optedOut = { smsOptedOut: true };
  assert.deepEqual(route('STOP', optedOut), [], 'a second STOP: no second confirmation');
  assert.deepEqual(route('BETAALD', optedOut), [
    { kind: 'claimReview', claimIds: [11, 12], reason: 'debtor_says_paid' },
    { kind: 'pauseContact', claimIds: [11, 12], reason: 'debtor_says_paid' },
  ]);
  assert.deepEqual(route('BEL', optedOut), [{ kind: 'callbackTask', claimIds: [11, 12], reason: 'callback' }]);
  assert.deepEqual(route('Wie bent u?', optedOut), [{ kind: 'inbox', reason: 'no_keyword' }]);
});

test('a promise to pay with a date read from the reply is recorded and confirmed; without one a person reads it', () => {
  const friday = { promise: { ok: true as const, date: '2026-12-11', days: 2 } };
  assert.deepEqual(route('Ik betaal vrijdag', friday), [
    { kind: 'promiseToPay', claimIds: [11, 12], promiseDate: '2026-12-11' },
    { kind: 'confirm', lang: 'nl', text: 'Dank u. We noteren dat u uiterlijk vrijdag 11 december betaalt.' },
  ]);
  assert.deepEqual(route('It will be paid on Friday', friday), [
    { kind: 'promiseToPay', claimIds: [11, 12], promiseDate: '2026-12-11' },
    { kind: 'confirm', lang: 'en', text: 'Thank you. We have noted that you will pay by Friday 11 December.' },
  ]);
  // An opted-out number: the promise holds, no SMS goes to it.
  assert.deepEqual(route('Ik betaal vrijdag', { ...friday, smsOptedOut: true }), [{ kind: 'promiseToPay', claimIds: [11, 12], promiseDate: '2026-12-11' }]);
  assert.deepEqual(route('Ik betaal vrijdag', { ...friday, openClaimIds: [] }), [{ kind: 'inbox', reason: 'no_open_claims' }]);
  assert.deepEqual(route('Wordt 15 januari betaald', { promise: { ok: false, reason: 'date_too_far' } }), [{ kind: 'inbox', reason: 'promise', promise: 'date_too_far' }]);
  assert.deepEqual(route('Ik betaal binnenkort', { promise: { ok: false, reason: 'no_date' } }), [{ kind: 'inbox', reason: 'no_keyword', promise: 'no_date' }]);
});
