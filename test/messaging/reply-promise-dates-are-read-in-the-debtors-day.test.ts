import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPromise, speaksOfPaying, spokenDate, type PromiseContext } from '../../src/messaging/replies/promise.ts';

const AMS = 'Europe/Amsterdam';
// Wednesday 9 December 2026, 11:00 in Amsterdam: the fixed clock of most rows.
const WED = Date.parse('2026-12-09T10:00:00Z');
// Wednesday 30 December 2026: month and year end.
const YEAR_END = Date.parse('2026-12-30T10:00:00Z');
// 00:30 on Sunday 28 March 2027 in Amsterdam (23:30 UTC on the 27th), the night clocks go forward.
const DST_SPRING = Date.parse('2027-03-27T23:30:00Z');
// 00:30 on Sunday 25 October 2026 in Amsterdam (22:30 UTC on the 24th), the night clocks go back.
const DST_AUTUMN = Date.parse('2026-10-24T22:30:00Z');

/** The date read (YYYY-MM-DD), or why a person must read the reply. */
type Row = [text: string, expected: string, ctx?: Partial<PromiseContext>];

function read(text: string, ctx: Partial<PromiseContext> = {}): string {
  const r = readPromise(text, { now: WED, timeZone: AMS, ...ctx });
  return r.ok ? r.date : r.reason;
}

test('promise dates in Dutch, read in the debtor\'s day with a fixed clock', () => {
  const rows: Row[] = [
    ['Ik betaal vandaag', '2026-12-09'],
    ['Wordt morgen betaald', '2026-12-10'],
    ['Ik betaal overmorgen', '2026-12-11'],
    ['Ik betaal vrijdag', '2026-12-11'],
    ['ik betaal maandag', '2026-12-14'],
    ['Ik betaal aanstaande dinsdag', '2026-12-15'],
    // The weekday it is today: today or in a week? A person asks.
    ['Ik betaal woensdag', 'date_ambiguous'],
    ['Ik betaal volgende vrijdag', 'date_ambiguous'],
    // Next week: its Friday (the promise is "at the latest").
    ['Ik betaal volgende week', '2026-12-18'],
    ['betaal ik komende week', '2026-12-18'],
    ['Ik betaal volgende week dinsdag', '2026-12-15'],
    ['ik betaal deze week', '2026-12-11'],
    ['Ik betaal op 15 december', '2026-12-15'],
    ['Betaal 15-12', '2026-12-15'],
    ['Ik betaal 15/12', '2026-12-15'],
    ['ik betaal 15 dec', '2026-12-15'],
    ['Ik betaal de 15e december', '2026-12-15'],
    ['Ik maak het op 15-12-2026 over', '2026-12-15'],
    ['Ik betaal eind van de maand', '2026-12-31'],
    ['Betaling volgt einde maand', '2026-12-31'],
    ['Ik betaal over 3 dagen', '2026-12-12'],
    ['ik betaal over een week', '2026-12-16'],
    ['Ik betaal binnen twee weken', '2026-12-23'],
    // What a person must read.
    ['Ik betaal 1 december', 'date_past'],
    ['Ik betaal op 15 januari', 'date_too_far'],
    ['Ik betaal eind volgende maand', 'date_too_far'],
    ['Ik betaal binnenkort', 'no_date'],
    ['Ik betaal morgen of vrijdag', 'date_ambiguous'],
    ['Ik betaal na vrijdag', 'date_ambiguous'],
    ['Ik betaal 31-02', 'date_invalid'],
    ['Ik betaal vrijdag niet', 'negation'],
    ['Kan ik vrijdag betalen?', 'question'],
    ['Ik betaal morgen de helft', 'partial'],
    ['Als mijn salaris binnen is betaal ik vrijdag', 'conditional'],
    ['Ik betaal misschien vrijdag', 'conditional'],
    ['Ik betaal vrijdag 50 euro', 'amount'],
    ['Ik betaal vrijdag €50', 'amount'],
  ];
  for (const [text, want, ctx] of rows) assert.equal(read(text, ctx), want, text);
});

test('promise dates in English', () => {
  const en = { language: 'en' as const };
  const rows: Row[] = [
    ['I will pay today', '2026-12-09', en],
    ['I will pay tomorrow', '2026-12-10', en],
    ['I will pay the day after tomorrow', '2026-12-11', en],
    ['I will pay on Friday', '2026-12-11', en],
    ['I pay this Saturday', '2026-12-12', en],
    ['I will pay Wednesday', 'date_ambiguous', en],
    ['I will pay next Friday', 'date_ambiguous', en],
    ['It will be paid next week', '2026-12-18', en],
    ['I will pay this week', '2026-12-11', en],
    ['I will pay on December 15', '2026-12-15', en],
    ['I will pay on Dec 15th', '2026-12-15', en],
    ['I will pay on the 15th of December', '2026-12-15', en],
    ['Payment on 15 December 2026', '2026-12-15', en],
    ['I will pay 12/15', '2026-12-15', en],
    // Day-month or month-day: both possible in English.
    ['I will pay 11/12', 'date_ambiguous', en],
    ['I will pay at the end of the month', '2026-12-31', en],
    ['I will pay in 3 days', '2026-12-12', en],
    ['I will pay in a week', '2026-12-16', en],
    ['I will pay within 10 days', '2026-12-19', en],
    ['I paid on December 1', 'date_past', en],
    ['I will pay on January 20', 'date_too_far', en],
    ['I will pay soon', 'no_date', en],
    ['I cannot pay tomorrow', 'negation', en],
    ['When can I pay?', 'question', en],
    ['I will pay half tomorrow', 'partial', en],
    ['I will try to pay on Friday', 'conditional', en],
    ['I may pay on Friday', 'conditional', en],
    ['I will pay on May 4', 'date_too_far', en],
  ];
  for (const [text, want, ctx] of rows) assert.equal(read(text, ctx), want, text);
});

test('across the year end, the maximum and a time zone', () => {
  const rows: Row[] = [
    ['Ik betaal morgen', '2026-12-31', { now: YEAR_END }],
    ['Ik betaal overmorgen', '2027-01-01', { now: YEAR_END }],
    ['Ik betaal vrijdag', '2027-01-01', { now: YEAR_END }],
    ['Ik betaal op 2 januari', '2027-01-02', { now: YEAR_END }],
    ['Ik betaal 4-1', '2027-01-04', { now: YEAR_END }],
    ['Ik betaal eind van de maand', '2026-12-31', { now: YEAR_END }],
    ['Ik betaal eind volgende maand', '2027-01-31', { now: YEAR_END, maxDays: 40 }],
    ['Ik betaal volgende week', '2027-01-08', { now: YEAR_END }],
    ['Ik betaal op 15 december', 'date_past', { now: YEAR_END }],
    ['Ik betaal op 15-12-2027', 'date_too_far', { now: YEAR_END }],
    // The maximum is configurable and inclusive.
    ['Ik betaal over 30 dagen', '2027-01-08'],
    ['Ik betaal over 31 dagen', 'date_too_far'],
    ['Ik betaal over 10 dagen', 'date_too_far', { maxDays: 7 }],
    ['Ik betaal over 7 dagen', '2026-12-16', { maxDays: 7 }],
    // 22:00 on Tuesday in New York while it is already Wednesday in UTC: tomorrow is Wednesday.
    ['I will pay tomorrow', '2026-12-09', { now: Date.parse('2026-12-09T03:00:00Z'), timeZone: 'America/New_York' }],
  ];
  for (const [text, want, ctx] of rows) assert.equal(read(text, ctx), want, text);
});

test('across the DST changes, today is the debtor\'s local day', () => {
  const rows: Row[] = [
    // 23:30 UTC on Saturday is already Sunday 28 March in Amsterdam.
    ['Ik betaal morgen', '2027-03-29', { now: DST_SPRING }],
    ['Ik betaal vandaag', '2027-03-28', { now: DST_SPRING }],
    ['Ik betaal vrijdag', '2027-04-02', { now: DST_SPRING }],
    ['Ik betaal eind van de maand', '2027-03-31', { now: DST_SPRING }],
    ['Ik betaal zondag', 'date_ambiguous', { now: DST_SPRING }],
    // 22:30 UTC on Saturday is Sunday 25 October in Amsterdam.
    ['Ik betaal over 3 dagen', '2026-10-28', { now: DST_AUTUMN }],
    ['Ik betaal volgende week', '2026-10-30', { now: DST_AUTUMN }],
    ['Ik betaal morgen', '2026-10-26', { now: DST_AUTUMN }],
  ];
  for (const [text, want, ctx] of rows) assert.equal(read(text, ctx), want, text);
});

test('only a reply that speaks of paying can be a promise', () => {
  for (const t of ['Ik betaal vrijdag', 'Wordt morgen betaald', 'Ik maak het morgen over', 'I will pay next week', 'Payment tomorrow', 'Ik stort het vrijdag']) assert.equal(speaksOfPaying(t), true, t);
  for (const t of ['Ik ben vrijdag thuis', 'Call me tomorrow', 'Morgen', 'vrijdag']) assert.equal(speaksOfPaying(t), false, t);
});

test('the confirmation names the date as people say it', () => {
  assert.equal(spokenDate('2026-12-11', 'nl'), 'vrijdag 11 december');
  assert.equal(spokenDate('2026-12-11', 'en'), 'Friday 11 December');
  assert.equal(spokenDate('2027-01-01', 'nl'), 'vrijdag 1 januari');
});
