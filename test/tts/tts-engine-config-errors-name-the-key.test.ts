import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createTts } from '../../src/tts/create.ts';
import { FallbackTts } from '../../src/tts/fallback.ts';
import { CommandTts } from '../../src/tts/command.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { isBereikError } from '../../src/lib/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'bereik-tts-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HTTP = { preset: 'google', url: '', voiceNl: 'nl-NL-Wavenet-B', voiceEn: 'en-GB-Wavenet-A', timeoutMs: 3000, retries: 2, perSecond: 10 };
const COMMAND = { argv: [resolve('test/fixtures/tts/speak-tone.sh'), '--voice', '{voice}', '--out', '{out}'], voiceNl: 'nl.onnx', voiceEn: 'en.onnx', timeoutMs: 5000 };
const invalid = (re: RegExp) => (err: Error) => isBereikError(err, 'CONFIG_INVALID') && re.test(err.message);
const build = (tts: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => createTts(loadConfig(env, { tts: { cacheDir: dir, ...tts } }));

test('an unknown engine is refused naming tts.engine and what is allowed', () => {
  assert.throws(() => loadConfig({}, { tts: { engine: 'piper' } }), invalid(/tts\.engine = "piper".*expected espeak, silent, command, http, or a list of them/));
  assert.throws(() => loadConfig({ BEREIK_TTS_ENGINE: 'http,piper' }), invalid(/tts\.engine = "http,piper" \(from BEREIK_TTS_ENGINE\)/));
  assert.throws(() => build({ engine: ['silent', 'silent'] }), invalid(/tts\.engine lists "silent" twice/));
});

test('plain "silent" and "espeak" still work; a list, or "http,silent" from the environment, is a fallback chain in that order', () => {
  assert.ok(build({ engine: 'silent' }) instanceof SilentTts);
  const chain = build({ http: HTTP }, { BEREIK_TTS_ENGINE: 'http, silent', BEREIK_TTS_HTTP_KEY: 'secret' });
  assert.ok(chain instanceof FallbackTts);
  assert.deepEqual(chain.links.map((l) => l.name), ['http', 'silent']);
  assert.ok(build({ engine: ['command'], command: COMMAND }) instanceof CommandTts);
});

test('an engine listed without its settings names the missing key', () => {
  assert.throws(() => build({ engine: ['command', 'silent'] }), invalid(/tts\.engine lists "command" but tts\.command is not set/));
  assert.throws(() => build({ engine: ['http', 'silent'] }), invalid(/tts\.engine lists "http" but tts\.http is not set/));
});

test('bad command and http settings are refused naming the key', () => {
  assert.throws(() => loadConfig({}, { tts: { command: { ...COMMAND, argv: [] } } }), invalid(/tts\.command\.argv/));
  assert.throws(() => build({ engine: 'command', command: { ...COMMAND, argv: ['piper', '--model', '{model}'] } }), invalid(/tts\.command\.argv\[2\] = "\{model\}": unknown placeholder \{model\}/));
  assert.throws(() => loadConfig({}, { tts: { http: { ...HTTP, perSecond: 0 } } }), invalid(/tts\.http\.perSecond = 0 \(from code\).*> 0/));
  assert.throws(() => loadConfig({}, { tts: { http: { ...HTTP, preset: 'watson' } } }), invalid(/tts\.http\.preset = "watson".*"google", "azure", "polly", "generic"/));
  const polly = { ...HTTP, preset: 'polly', url: 'https://polly.eu-west-1.amazonaws.com/v1/speech', voiceNl: 'Laura:neural' };
  assert.throws(() => build({ engine: 'http', http: polly }, { BEREIK_TTS_HTTP_KEY: 'only-an-id' }), invalid(/tts\.http\.preset is polly: the key must be ACCESS_KEY_ID:SECRET_ACCESS_KEY/));
  assert.ok(build({ engine: 'http', http: polly }, { BEREIK_TTS_HTTP_KEY: 'AKID:secret' }));
  assert.throws(() => build({ engine: 'http', http: HTTP }), invalid(/tts\.http\.preset is google but no key is set: set BEREIK_TTS_HTTP_KEY or tts\.httpKeyFile/));
  assert.throws(() => build({ engine: 'http', http: { ...HTTP, url: 'http://tts.example.com/v1/text:synthesize' } }, { BEREIK_TTS_HTTP_KEY: 'k' }), invalid(/tts\.http\.url = .* must be https:\/\//));
  assert.throws(() => build({ engine: 'http', http: { ...HTTP, preset: 'azure' } }, { BEREIK_TTS_HTTP_KEY: 'k' }), invalid(/tts\.http\.url is empty and the azure preset has no default endpoint/));
});

test('the cloud key comes from the environment or a file, never from a config file, and is never shown', () => {
  const file = join(dir, 'extra.json');
  writeFileSync(file, JSON.stringify({ tts: { httpKey: 'leaked' } }));
  assert.throws(() => loadConfig({ BEREIK_CONFIG: file }), invalid(/tts\.httpKey must not be in a config file/));
  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, 'from-file\n');
  assert.equal(loadConfig({ BEREIK_TTS_HTTP_KEY_FILE: keyFile }).tts.httpKey, 'from-file');
  assert.equal(loadConfig({ BEREIK_TTS_HTTP_KEY: 'from-env' }).tts.httpKey, 'from-env');
  assert.throws(() => loadConfig({ BEREIK_TTS_HTTP_KEY: 'a', BEREIK_TTS_HTTP_KEY_FILE: keyFile }), invalid(/both set/));
  assert.throws(() => loadConfig({}, { tts: { httpKey: 42 } }), (err: Error) => /tts\.httpKey = \[hidden\]/.test(err.message));
});
