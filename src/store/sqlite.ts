/**
 * The SQLite implementation of the store (src/store/repositories.ts): one per database
 * handle, built once by the composition root. The handle stays in here; the only way out
 * is sqliteHandle(), for tests that set rows up or look at them directly.
 */
import { AgentStore, agentHadDebtor, listAgentCases, loadCase } from './agents.ts';
import { countCallsByDisposition, createCall, getCall, listCalls, sqliteCallEffects, updateCall } from './calls.ts';
import { CampaignStore } from './campaigns.ts';
import { ClaimStore } from './claims.ts';
import { ContactStore } from './contacts.ts';
import { openDb, schemaVersion, type Db } from './db.ts';
import { DebtorStore } from './debtors.ts';
import { ConsoleReports } from './console-reports.ts';
import { DebtorLookup } from './debtor-lookup.ts';
import { DialerStore } from './dialer.ts';
import { claimDebtor, listDispositions, recordDisposition } from './dispositions.ts';
import { EventStore } from './events.ts';
import { MessageStore } from './messages.ts';
import { MessageReplyStore } from './message-replies.ts';
import { PaymentStore } from './payments.ts';
import { StrategyStore } from './strategies.ts';
import { RecordingStore } from './recordings.ts';
import { CallRecordingStore } from './call-recordings.ts';
import { ReportStore } from './reports.ts';
import { recomputeOnCommit } from './action-rollup.ts';
import { ImportStage, ImportStore } from './imports.ts';
import { recentLiveAttempts } from './pacing.ts';
import { sqliteCaseRepository } from './recognition.ts';
import type { ImportRepository, Store } from './repositories.ts';
import { timeTransactions } from './timed-transactions.ts';
import { TokenStore } from './tokens.ts';
import { AuditStore } from './audit.ts';
import { TtsAudioStore } from './tts-audio.ts';
import { ErasureStore } from './erasure.ts';

const stores = new WeakMap<Db, Store>();
const handles = new WeakMap<Store, Db>();

/** The store over this handle; the same one every time (its statements are prepared once). */
export function createSqliteStore(db: Db): Store {
  let store = stores.get(db);
  if (!store) {
    store = build(db);
    stores.set(db, store);
    handles.set(store, db);
  }
  return store;
}

/** Opens (creating and migrating if needed) the SQLite database at `path` and returns its store. */
export function openSqliteStore(path: string): Store {
  return createSqliteStore(openDb(path));
}

/** The handle behind a SQLite store: for tests, which set up and inspect rows below the repositories. */
export function sqliteHandle(store: Store): Db {
  const db = handles.get(store);
  if (!db) throw new Error('sqliteHandle: this store is not a SQLite store');
  return db;
}

function build(db: Db): Store {
  // First: every transaction the stores below make (some make theirs when built) keeps the
  // score-per-action rollup current before it commits.
  const actionReports = new ReportStore(db);
  recomputeOnCommit(db, actionReports.rollup);
  const importStore = new ImportStore(db);
  const imports = Object.assign(importStore, { stage: () => new ImportStage(db) }) as ImportRepository;
  const agents = new AgentStore(db);
  const recognition = sqliteCaseRepository(db);
  return {
    campaigns: new CampaignStore(db),
    debtors: new DebtorStore(db),
    debtorLookup: new DebtorLookup(db),
    reports: new ConsoleReports(db),
    claims: new ClaimStore(db),
    contacts: new ContactStore(db),
    calls: {
      create: (row) => createCall(db, row),
      update: (id, patch) => updateCall(db, id, patch),
      get: (id) => getCall(db, id),
      list: (filter) => listCalls(db, filter),
      countByDisposition: () => countCallsByDisposition(db),
      recentLiveAttempts: (sinceIso) => recentLiveAttempts(db, sinceIso),
    },
    callEffects: sqliteCallEffects(db),
    cases: { ...recognition, load: (debtorId, creditors) => loadCase(db, debtorId, creditors) },
    agents: {
      create: (a, now) => agents.create(a, now),
      get: (id) => agents.get(id),
      byEndpoint: (endpoint) => agents.byEndpoint(endpoint),
      list: () => agents.list(),
      update: (id, patch, now) => agents.update(id, patch, now),
      setState: (id, state, since) => agents.setState(id, state, since),
      countsByState: () => agents.countsByState(),
      delete: (id, now) => agents.delete(id, now),
      cases: (agentId, limit, creditors) => listAgentCases(db, agentId, limit, creditors),
      hadDebtor: (agentId, debtorId) => agentHadDebtor(db, agentId, debtorId),
    },
    dispositions: {
      record: (d) => recordDisposition(db, d),
      list: (filter) => listDispositions(db, filter),
      debtorOfClaim: (claimId) => claimDebtor(db, claimId),
    },
    tokens: new TokenStore(db),
    imports,
    events: new EventStore(db),
    dialer: new DialerStore(db),
    messages: new MessageStore(db),
    replies: new MessageReplyStore(db),
    payments: new PaymentStore(db),
    strategies: new StrategyStore(db),
    audit: new AuditStore(db),
    erasure: new ErasureStore(db),
    recordings: new RecordingStore(db),
    ttsAudio: new TtsAudioStore(db),
    callRecordings: new CallRecordingStore(db),
    actionReports,
    transaction: (work) => db.transaction(work)(),
    observeTransactions: (observe) => timeTransactions(db, observe),
    schemaVersion: () => schemaVersion(db),
    close: () => db.close(),
  };
}
