/**
 * The store as the rest of Bereik sees it: one repository per aggregate, plain data in and
 * out (no statements, no handles), built once in the composition root and injected.
 *
 * Methods are synchronous: SQLite in process answers in microseconds and the dialer's tick
 * and a call's key → prompt path rely on that. A networked database (PostgreSQL, several
 * nodes) would implement these same shapes with methods returning promises; what that
 * takes is in docs/architecture.md ("The store").
 *
 * A repository backed by a class is given as the class's public shape (`Public<…>`): the
 * class is the SQLite implementation, the shape is the contract.
 */
import type { AgentStore, AgentCaseRow, CaseCall, CaseClaim, CaseDebtor, NewAgent } from './agents.ts';
import type { CallEffectRepository, CallListFilter, CallPatch, CallRow, NewCall } from './calls.ts';
export type { CallEffectRepository } from './calls.ts';
import type { CampaignStore } from './campaigns.ts';
import type { ClaimStore } from './claims.ts';
import type { ContactStore } from './contacts.ts';
import type { DebtorStore } from './debtors.ts';
import type { DebtorLookup } from './debtor-lookup.ts';
import type { ConsoleReports } from './console-reports.ts';
import type { DialerRepository } from './dialer.ts';
import type { DispositionRow, NewDisposition } from './dispositions.ts';
import type { EventStore } from './events.ts';
import type { MessageStore } from './messages.ts';
import type { MessageReplyStore } from './message-replies.ts';
import type { PaymentStore } from './payments.ts';
import type { StrategyStore } from './strategies.ts';
import type { RecordingStore } from './recordings.ts';
import type { CallRecordingStore } from './call-recordings.ts';
import type { ReportStore } from './reports.ts';
import type { ImportStage, ImportStore } from './imports.ts';
import type { RecentLiveAttempt } from './pacing.ts';
import type { TransactionObserver } from './timed-transactions.ts';
import type { TokenStore } from './tokens.ts';
import type { AuditStore } from './audit.ts';
import type { ErasureStore } from './erasure.ts';
import type { TtsAudioStore } from './tts-audio.ts';
import type { Agent, CallDirection, CallDisposition, CaseRow } from './types.ts';

/** The public methods of a class, without its private fields: the contract it implements. */
export type Public<T> = { [K in keyof T]: T[K] };

export type CampaignRepository = Public<CampaignStore>;
export type DebtorRepository = Public<DebtorStore>;
/** The console's read model: debtor search, profile and timeline, one page at a time (src/store/debtor-lookup.ts). */
export type DebtorLookupRepository = Public<DebtorLookup>;
/** The console's live figures, reports and do-not-call entries (src/store/console-reports.ts). */
export type ConsoleReportRepository = Public<ConsoleReports>;
export type ClaimRepository = Public<ClaimStore>;
export type ContactRepository = Public<ContactStore>;
export type TokenRepository = Public<TokenStore>;
/** The append-only access audit with its hash chain (src/store/audit.ts). */
export type AuditRepository = Public<AuditStore>;
/** Erasure, subject-access export and retention of personal data (src/store/erasure.ts). */
export type ErasureRepository = Public<ErasureStore>;
export type EventRepository = Public<EventStore>;
/** The outbox: messages, their states and receipts, caps (src/store/messages.ts). */
export type MessageRepository = Public<MessageStore>;
/** Replies, the inbox, opt-outs, tracked links and what replies change (src/store/message-replies.ts). */
export type MessageReplyRepository = Public<MessageReplyStore>;
/** Payments in, their files, matching lookups and what a payment does to its claim (src/store/payments.ts). */
export type PaymentRepository = Public<PaymentStore>;
/** Strategies and their versions, assignments, and every action planned and done (src/store/strategies.ts). */
export type StrategyRepository = Public<StrategyStore>;
/** Recorded prompts and number words, versioned per language (src/store/recordings.ts). */
export type RecordingRepository = Public<RecordingStore>;
/** Whose personalised TTS audio a cache file is (src/store/tts-audio.ts). */
export type TtsAudioRepository = Public<TtsAudioStore>;
export type CallRecordingRepository = Public<CallRecordingStore>;
/** What the score per action reads, per range of debtors, and imported actions (src/store/reports.ts). */
export type ReportRepository = Public<ReportStore>;
/** The dialer's hot queries: due contacts, claiming one for a call, recording its outcome. */
export type { DialerRepository };
export type ImportStaging = Public<ImportStage>;

export interface ImportRepository extends Public<ImportStore> {
  /** The staging area one import's write pass loads its batches through (one write pass at a time). */
  stage(): ImportStaging;
}

export interface CallRepository {
  create(row: NewCall): CallRow;
  update(id: string, patch: CallPatch): void;
  get(id: string): CallRow | undefined;
  /** Newest first. */
  list(filter?: CallListFilter): CallRow[];
  /** Calls by direction and disposition (for /metrics). */
  countByDisposition(): Array<{ direction: CallDirection; disposition: CallDisposition | null; n: number }>;
  /** Answered or abandoned outbound calls since then: what the pacer's abandon rate starts from. */
  recentLiveAttempts(sinceIso: string): RecentLiveAttempt[];
}

/** Who is on the line and what they owe: recognition, and the case an agent's screen shows. */
export interface CaseRepository {
  /** Outbound: the case of the contact the dialer called for this call id. */
  forCall(callId: string): CaseRow | undefined;
  /** Open claims of debtors with this phone, most urgent first. */
  byPhone(e164: string): CaseRow[];
  /** Open claims of the debtor with this number (debiteurnummer), most urgent first. */
  byDebtorRef(ref: string): CaseRow[];
  /** The campaign's contacts still to be called, in the dialer's order (for pre-rendering their prompts). */
  forCampaign(campaignId: number, limit: number): CaseRow[];
  /** Debtor, all claims (open first) and the last calls to or from them. */
  load(debtorId: number, creditors?: readonly string[] | null): { debtor: CaseDebtor; claims: CaseClaim[]; calls: CaseCall[] } | undefined;
}

export interface AgentRepository {
  create(a: NewAgent, now: string): Agent;
  get(id: number): Agent | undefined;
  byEndpoint(endpoint: string): Agent | undefined;
  list(): Agent[];
  update(id: number, patch: Partial<NewAgent>, now: string): Agent | undefined;
  setState(id: number, state: Agent['state'], since: string): void;
  /** Agents by state, for the pacer of agent campaigns. */
  countsByState(): Record<string, number>;
  /** Deletes the agent; its tokens are revoked. */
  delete(id: number, now: string): boolean;
  /** The transfers that reached this agent (agent legs), newest first. */
  cases(agentId: number, limit?: number, creditors?: readonly string[] | null): AgentCaseRow[];
  /** Whether this debtor's case was routed to this agent. */
  hadDebtor(agentId: number, debtorId: number): boolean;
}

export interface DispositionRepository {
  /** One unit: the disposition, the claim status it implies, a callback when asked, and the event. */
  record(d: NewDisposition): DispositionRow;
  list(filter?: { agentId?: number; claimId?: number; creditors?: readonly string[] | null }): DispositionRow[];
  /** The debtor a claim belongs to. */
  debtorOfClaim(claimId: number): number | undefined;
}

export interface Store {
  campaigns: CampaignRepository;
  debtors: DebtorRepository;
  debtorLookup: DebtorLookupRepository;
  reports: ConsoleReportRepository;
  claims: ClaimRepository;
  contacts: ContactRepository;
  calls: CallRepository;
  callEffects: CallEffectRepository;
  cases: CaseRepository;
  agents: AgentRepository;
  dispositions: DispositionRepository;
  tokens: TokenRepository;
  imports: ImportRepository;
  events: EventRepository;
  dialer: DialerRepository;
  messages: MessageRepository;
  replies: MessageReplyRepository;
  payments: PaymentRepository;
  strategies: StrategyRepository;
  audit: AuditRepository;
  erasure: ErasureRepository;
  recordings: RecordingRepository;
  ttsAudio: TtsAudioRepository;
  /** Recordings of agent conversations (docs/call-recordings.md). */
  callRecordings: CallRecordingRepository;
  actionReports: ReportRepository;
  /** Runs `work` as one unit: all of its writes land, or none (a nested unit joins its outer one). */
  transaction<T>(work: () => T): T;
  /** Times every unit of work (for /metrics); returns the function that stops it. */
  observeTransactions(observe: TransactionObserver): () => void;
  /** The schema version the database is at. */
  schemaVersion(): number;
  close(): void;
}
