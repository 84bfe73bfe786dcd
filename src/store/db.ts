import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BereikError } from '../lib/errors.ts';
import { prepareDbFolder, protectDbFiles } from './permissions.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are files NNN_name.sql; NNN is the schema version they bring the database to. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Opens (creating if needed) the SQLite database in WAL mode with foreign keys on,
 * applies pending migrations in one transaction each, and refuses a database whose
 * schema is newer than this code knows.
 */
const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement for this SQL, compiled once per database. Compiling costs more than
 * running the small queries a call makes several times (profile of issue 10: prepare()
 * was the costliest line of the store per call). Never call pluck(), raw() or expand()
 * on a shared statement: that would change it for every other user.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let mine = statements.get(db);
  if (!mine) statements.set(db, (mine = new Map()));
  let s = mine.get(sql);
  if (!s) mine.set(sql, (s = db.prepare(sql)));
  return s;
}

/**
 * Runs `work` in a transaction unless one is open: a single write made this way is one the
 * score-per-action rollup follows in the same commit (src/store/action-rollup.ts).
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.inTransaction ? work() : (db.transaction(work)() as T);
}

export function openDb(path: string, opts: { migrations?: Migration[] } = {}): Db {
  if (path !== ':memory:') prepareDbFolder(path);
  const db = new Database(path);
  if (path !== ':memory:') protectDbFiles(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Freed cells are zeroed whenever the page is written anyway (no extra I/O), so an old copy
  // of an erased person's row does not linger inside a page (docs/data-protection.md).
  db.pragma('secure_delete = FAST');
  migrate(db, opts.migrations ?? loadMigrations(), path);
  registerNumberHash(db);
  return db;
}

export function migrate(db: Db, migrations: Migration[], label = 'database'): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    db.close();
    throw new BereikError(
      'DB_TOO_NEW',
      `store: ${label} has schema version ${current}, but this Bereik knows versions up to ${latest}. ` +
        'It was written by a newer Bereik: upgrade Bereik, or restore a backup made for this version.',
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    // A migration that rebuilds a table (SQLite cannot change a CHECK in place) runs with
    // foreign keys off, as SQLite's documented procedure says, so dropping the old table
    // cascades nothing; the keys are checked before it commits.
    const keysOff = m.sql.startsWith(FOREIGN_KEYS_OFF);
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (keysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length) throw new Error(`store: migration ${m.name} leaves ${broken.length} broken foreign keys`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (keysOff) db.pragma('foreign_keys = ON');
    }
  }
}

/** First line of a migration that must run with foreign keys off (a table rebuild). */
const FOREIGN_KEYS_OFF = '-- bereik: foreign-keys off';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * SHA-256 of this database's own random salt and a phone number (or e-mail address)
 * (local_secrets, made by migration 016): what stays of an erased person's numbers
 * (docs/data-protection.md). Registered as the SQL function bereik_number_hash on every
 * connection, because a trigger on phones uses it.
 */
export function numberHash(db: Db, value: string): string {
  // One-shot hash: a trigger runs this for every phone an import writes once anyone was erased
  // (createHmac cost ~3.5 µs a row, this ~0.7 µs).
  return hash('sha256', `${saltOf(db)}\n${value.trim().toLowerCase()}`);
}

const salts = new WeakMap<Db, string>();
function saltOf(db: Db): string {
  let salt = salts.get(db);
  if (!salt) {
    const row = db.prepare(`SELECT value FROM local_secrets WHERE name = 'number_salt'`).get() as { value: string } | undefined;
    if (!row) throw new Error('store: local_secrets.number_salt is missing (migration 016 makes it)');
    salts.set(db, (salt = row.value));
  }
  return salt;
}

/** After migrating: the salt is read once here, because the function cannot query while its statement runs. */
export function registerNumberHash(db: Db): void {
  if (schemaVersion(db) >= 16) saltOf(db);
  db.function('bereik_number_hash', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? numberHash(db, v) : null));
}
