import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../../src/sim/scenario.ts';
import { DEFAULT_SCENARIO_FILE } from '../../src/sim/index.ts';
import { drawBehaviour } from '../../src/sim/population.ts';
import { isBereikError } from '../../src/lib/errors.ts';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected an error');
}

test('the default scenario file describes the contract phones of DESIGN.md', () => {
  const s = loadScenario(DEFAULT_SCENARIO_FILE);
  for (const p of ['PJSIP/debtor', 'PJSIP/hangup', 'PJSIP/busy', 'PJSIP/noanswer', 'PJSIP/unreachable', 'PJSIP/e404', 'PJSIP/e480', 'PJSIP/e503', 'PJSIP/e603', 'PJSIP/agent1']) {
    assert.ok(s.phones?.[p], `${p} is in the default scenario`);
  }
  assert.deepEqual(s.phones?.['PJSIP/debtor']?.keys?.map((k) => [k.keys, k.atMs]), [['1', 3000], ['2', 4500], ['#', 6000]]);
  assert.equal(s.phones?.['PJSIP/busy']?.outcome, 'busy');
  assert.ok(s.default, 'any other number has a default behaviour');
});

test('a misspelt outcome names the phone, the field and what is allowed', () => {
  const err = errorOf(() => parseScenario({ phones: { 'PJSIP/busy': { outcome: 'bussy' } } }, 'my.json'));
  assert.ok(isBereikError(err, 'CONFIG_INVALID'));
  assert.match(err.message, /my\.json/);
  assert.match(err.message, /phones\["PJSIP\/busy"\]\.outcome/);
  assert.match(err.message, /answer, machine, busy/);
  assert.match(err.message, /"bussy"/);
});

test('an unknown field is refused rather than silently ignored', () => {
  const err = errorOf(() => parseScenario({ phones: { '+31612345678': { ringMS: 2000 } } }));
  assert.match(err.message, /phones\["\+31612345678"\]: unknown field 'ringMS'/);
});

test('a key action needs exactly one moment and only phone keys', () => {
  assert.match(errorOf(() => parseScenario({ default: { keys: [{ keys: '1' }] } })).message, /default\.keys\[0\]: needs exactly one of atMs or afterPrompt/);
  assert.match(errorOf(() => parseScenario({ default: { keys: [{ atMs: 1, keys: 'x' }] } })).message, /default\.keys\[0\]\.keys: only 0-9/);
  assert.match(errorOf(() => parseScenario({ phones: { a: { ringMs: -1 } } })).message, /phones\["a"\]\.ringMs: must be a number ≥ 0/);
});

test("outcome 'sip' needs the SIP status, and it must be a failure status", () => {
  assert.match(errorOf(() => parseScenario({ phones: { 'PJSIP/e': { outcome: 'sip' } } })).message, /phones\["PJSIP\/e"\]\.sipStatus: is required/);
  assert.match(errorOf(() => parseScenario({ phones: { 'PJSIP/e': { outcome: 'sip', sipStatus: 200 } } })).message, /sipStatus: must be a number ≥ 400/);
});

test('inbound calls and populations are checked too', () => {
  assert.match(errorOf(() => parseScenario({ inbound: [{ at: 0, exten: '0201234567' }] })).message, /inbound\[0\]\.from/);
  assert.match(errorOf(() => parseScenario({ population: { weights: { answer: 0 } } })).message, /population\.weights: needs at least one weight above 0/);
  assert.match(errorOf(() => parseScenario({ population: { weights: { anwser: 1 } } })).message, /population\.weights key: must be one of/);
});

test('a file that is not JSON says so with its path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-sim-'));
  try {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ "phones": ');
    const err = errorOf(() => loadScenario(file));
    assert.ok(isBereikError(err, 'CONFIG_INVALID'));
    assert.match(err.message, /bad\.json: not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a population draws the same behaviour for the same number and attempt, in any order', () => {
  const pop = { seed: 7, weights: { answer: 5, busy: 2, noanswer: 2, machine: 1 } };
  const a = drawBehaviour(pop, '+31611111111', 0);
  drawBehaviour(pop, '+31622222222', 0);
  assert.deepEqual(drawBehaviour(pop, '+31611111111', 0), a);
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 2000; i++) {
    const o = drawBehaviour(pop, `+3161${String(i).padStart(7, '0')}`, 0).outcome ?? '';
    outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
  }
  // Shares follow the weights (50 % answer, 20 % busy, 20 % no answer, 10 % machine), within a few points.
  assert.ok(Math.abs((outcomes.get('answer') ?? 0) / 2000 - 0.5) < 0.05, `answer share ${outcomes.get('answer')}`);
  assert.ok(Math.abs((outcomes.get('machine') ?? 0) / 2000 - 0.1) < 0.03, `machine share ${outcomes.get('machine')}`);
});
