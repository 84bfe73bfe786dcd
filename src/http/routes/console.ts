/**
 * The operator console: static pages (GET /console, no build step) over the API the
 * operator's token opens. The files hold no data, so they are public like /desktop; every
 * figure the pages show comes from an API route that checks the bearer token.
 *
 * Vendor modules are served from node_modules by an explicit table (never a path taken
 * from the URL); the console's own files are the .js/.css files of public/console.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { BereikError } from '../../lib/errors.ts';

const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'console');
const resolve = createRequire(import.meta.url);
/** A package's folder, found from its main file (htm's exports hide its package.json). */
function pkgDir(name: string): string {
  const main = resolve.resolve(name);
  const at = main.lastIndexOf(`/node_modules/${name}/`);
  return main.slice(0, at + `/node_modules/${name}`.length);
}

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
const typeOf = (file: string) => TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

/** URL name → file in node_modules. The import map in index.html names the first three. */
export const VENDOR: Record<string, string> = {
  'preact.mjs': join(pkgDir('preact'), 'dist', 'preact.mjs'),
  'hooks.mjs': join(pkgDir('preact'), 'hooks', 'dist', 'hooks.mjs'),
  'htm.mjs': join(pkgDir('htm'), 'dist', 'htm.module.js'),
  'uplot.mjs': join(pkgDir('uplot'), 'dist', 'uPlot.esm.js'),
  'uplot.css': join(pkgDir('uplot'), 'dist', 'uPlot.min.css'),
};
/** Vendor files are versioned by the lockfile: a day's cache is safe and saves the tablet a reload. */
const VENDOR_CACHE = 'public, max-age=86400';

const FileParams = Type.Object({ file: Type.String({ pattern: '^[a-z0-9-]+\\.(js|mjs|css)$' }) });
const notFound = (file: string) => new BereikError('NOT_FOUND', `no console file ${file}`, { file }, 404);

const routes: RouteModule = async (app) => {
  const missing = Object.values(VENDOR).filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`console: vendor files missing (npm ci?): ${missing.join(', ')}`);
  const own = new Set(readdirSync(CONSOLE_DIR).filter((f) => /\.(js|css)$/.test(f)));
  const page = { config: { public: true }, schema: { hide: true } } as const;

  app.get('/console', page, async (_req, reply) => {
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    return readFile(join(CONSOLE_DIR, 'index.html'));
  });
  app.get('/console/app/:file', { ...page, schema: { hide: true, params: FileParams } }, async (req, reply) => {
    if (!own.has(req.params.file)) throw notFound(req.params.file);
    reply.header('cache-control', 'no-cache').type(typeOf(req.params.file));
    return readFile(join(CONSOLE_DIR, req.params.file));
  });
  app.get('/console/vendor/:file', { ...page, schema: { hide: true, params: FileParams } }, async (req, reply) => {
    const path = VENDOR[req.params.file];
    if (!path) throw notFound(req.params.file);
    reply.header('cache-control', VENDOR_CACHE).type(typeOf(req.params.file));
    return readFile(path);
  });
};

export default routes;
