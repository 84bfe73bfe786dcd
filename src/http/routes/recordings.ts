/**
 * Recorded prompts (docs/recorded-prompts.md):
 *   GET    /recordings/:lang               what can be recorded (prompt pieces, number words) and what is
 *   PUT    /recordings/:lang/:key          upload a take (admin; multipart `file`, or the raw WAV/MP3 body)
 *   GET    /recordings/:lang/:key/audio    the take a call starting now plays (WAV), to listen to
 *   DELETE /recordings/:lang/:key          stop using a take from the next call on (admin)
 *   GET    /recordings/:lang/preview       every prompt for a sample case: its parts in order
 *   GET    /recordings/:lang/preview/:key  one prompt for the sample case as one WAV
 */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { Literals, errors } from '../schemas.ts';
import { BereikError, isBereikError } from '../../lib/errors.ts';
import { makeTempDir } from '../../campaigns/import/temp.ts';
import { saveUpload } from './imports.ts';
import { LANGUAGES } from '../../tts/prompts.ts';
import { PROMPT_KEYS, type PromptKey } from '../../tts/types.ts';
import { previewAll, previewParts, previewWav, SAMPLE_VARS } from '../../recordings/preview.ts';

/** A spoken take is seconds long: 20 MB holds minutes of CD-quality WAV. */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const LangParams = Type.Object({ lang: Literals(LANGUAGES) });
const KeyParams = Type.Object({ lang: Literals(LANGUAGES), key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_.-]+$' }) });
const Part = Type.Object({
  source: Literals(['recording', 'tts'] as const),
  key: Type.Optional(Type.String({ description: 'the recording played (recording parts)' })),
  text: Type.String(),
  durationMs: Type.Optional(Type.Integer()),
});
const Slot = Type.Object({
  key: Type.String({ description: 'prompt pieces: <prompt>.<n>; words: word.<n>, word.and, word.euro, word.month-<m>' }),
  text: Type.String({ description: 'the words to say in the take' }),
  kind: Literals(['prompt', 'word'] as const),
  recorded: Type.Union([
    Type.Object({
      version: Type.Integer(),
      durationMs: Type.Integer(),
      uploadedAt: Type.String(),
      uploadedBy: Type.Union([Type.String(), Type.Null()]),
      file: Type.String(),
      current: Type.Boolean({ description: 'false: the prompt file was edited since; this take is not played' }),
    }),
    Type.Null(),
  ]),
});

const routes: RouteModule = async (app, deps) => {
  const engine = deps.engine;
  if (!engine) return;
  const library = engine.recordings;
  const catalog = engine.prompts;
  const tags = ['recordings'];
  // A raw upload reaches the route as a stream, like a raw CSV.
  app.addContentTypeParser(['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/mpeg', 'audio/mp3'], (_req, payload, done) => done(null, payload));

  app.get('/recordings/:lang', {
    config: { roles: OPERATORS, scope: 'none' },
    schema: { tags, summary: 'What can be recorded in a language, and what is recorded now', params: LangParams, response: {
      200: Type.Object({
        version: Type.Integer(),
        mayChange: Type.Boolean({ description: 'whether this token may upload and remove takes (admins): the console shows its controls only then' }),
        slots: Type.Array(Slot),
      }),
    } },
  }, async (req) => ({ version: library.versions()[req.params.lang], mayChange: req.auth?.role === 'admin', slots: library.slots(req.params.lang) }));

  app.put('/recordings/:lang/:key', {
    // A take is a voice saying the script: no debtor's data.
    config: { scope: 'none' },
    schema: {
      tags,
      summary: 'Upload a take for a prompt piece or a number word (admin)',
      description:
        'multipart/form-data with the field `file`, or the raw WAV or MP3 body (audio/wav, audio/mpeg, application/octet-stream). ' +
        'Converted to 8 kHz 16-bit mono, normalised to -3 dBFS, silence trimmed. Refused with RECORDING_* codes when not audio, silent, clipped or too long. ' +
        'Each upload is a new version of the language set; calls already running keep theirs.',
      consumes: ['multipart/form-data', 'audio/wav', 'audio/mpeg', 'application/octet-stream'],
      params: KeyParams,
      response: { 201: Type.Object({ lang: Type.String(), key: Type.String(), version: Type.Integer(), durationMs: Type.Integer(), file: Type.String() }), ...errors(400, 404, 413, 415, 422) },
    },
  }, async (req, reply) => {
    const dir = makeTempDir('upload');
    try {
      let path: string;
      try {
        ({ path } = await saveUpload(req, dir, MAX_UPLOAD_BYTES, 'the recording'));
      } catch (err) {
        if (!isBereikError(err) || err.code !== 'IMPORT_TOO_LARGE') throw err;
        reply.header('connection', 'close');
        throw new BereikError('RECORDING_TOO_LONG', `recording ${req.params.lang}/${req.params.key}: the upload is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, { key: req.params.key, limit: MAX_UPLOAD_BYTES });
      }
      const row = await library.upload(req.params.lang, req.params.key, path, req.auth?.name ?? null);
      return reply.code(201).send({ lang: row.lang, key: row.key, version: row.version, durationMs: row.durationMs ?? 0, file: row.file ?? '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  app.get('/recordings/:lang/:key/audio', {
    config: { roles: OPERATORS, scope: 'none' },
    schema: { tags, summary: 'The take a call starting now plays for a key, as stored (8 kHz 16-bit mono WAV)', params: KeyParams, response: { ...errors(404) } },
  }, async (req, reply) => reply.type('audio/wav').header('cache-control', 'no-store').send(await readFile(library.currentTake(req.params.lang, req.params.key))));

  app.delete('/recordings/:lang/:key', {
    // A take is a voice saying the script: no debtor's data.
    config: { scope: 'none' },
    schema: { tags, summary: 'Stop playing a take from the next call on (admin)', params: KeyParams, response: { 200: Type.Object({ version: Type.Integer() }), ...errors(404) } },
  }, async (req) => ({ version: library.remove(req.params.lang, req.params.key, req.auth?.name ?? null).version }));

  app.get('/recordings/:lang/preview', {
    config: { roles: OPERATORS, scope: 'none' },
    schema: {
      tags,
      summary: 'Every prompt as the debtor will hear it for a sample case: the parts in order',
      params: LangParams,
      response: { 200: Type.Object({ version: Type.Integer(), sample: Type.Unknown(), prompts: Type.Array(Type.Object({ key: Type.String(), parts: Type.Array(Part), wav: Type.String() })) }) },
    },
  }, async (req) => {
    const { lang } = req.params;
    const version = library.versions()[lang];
    const prompts = previewAll(catalog, lang, library.set(lang, version)).map(({ key, parts }) => ({
      key,
      parts: parts.map((p) => (p.source === 'recording' ? { source: p.source, key: p.key, text: p.text, durationMs: p.durationMs } : p)),
      wav: `/recordings/${lang}/preview/${key}`,
    }));
    return { version, sample: SAMPLE_VARS, prompts };
  });

  app.get('/recordings/:lang/preview/:key', {
    config: { roles: OPERATORS, scope: 'none' },
    schema: { tags, summary: 'One prompt for the sample case as one WAV (audio/wav), as the debtor will hear it', params: KeyParams, response: { ...errors(404) } },
  }, async (req, reply) => {
    const { lang, key } = req.params;
    if (!(PROMPT_KEYS as readonly string[]).includes(key)) throw new BereikError('NOT_FOUND', `no prompt "${key}" (known: ${PROMPT_KEYS.join(', ')})`);
    const parts = previewParts(catalog, key as PromptKey, lang, library.set(lang, library.versions()[lang]));
    const { wav, rendered } = await previewWav(parts, engine.tts, lang, [library.dir, deps.config.tts.cacheDir], (g) => library.join(g));
    return reply.type('audio/wav').header('x-bereik-parts', String(rendered.items?.length ?? 1)).send(wav);
  });
};

export default routes;
