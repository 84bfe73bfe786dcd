/**
 * The agent desktops' live channel. Every socket of an agent gets the agent's state and
 * the case on their screen; a socket that (re)connects gets both at once, so a reload or
 * a dropped connection loses nothing. Knows nothing of the WebSocket library: it talks
 * to anything with send/close.
 */
import type { Agent } from './types.ts';
import type { ScreenPop } from './case.ts';
import type { LineInfo } from './line.ts';
import type { AgentDeskService } from './desk.ts';
import { SELF_SERVICE } from './states.ts';
import { OPEN_CLAIM_STATUSES } from '../store/types.ts';

const OPEN = new Set<string>(OPEN_CLAIM_STATUSES);
import { isBereikError, type ErrorCode } from '../lib/errors.ts';
import type { ClientMessage } from './desk-messages.ts';
import type { DeskInboxMessage, DeskMessage, DeskPush } from './desk-inbox.ts';

export interface DeskSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Server → desktop. */
export type ServerMessage =
  | { type: 'hello'; agent: Agent; case: ScreenPop | null; line: LineInfo }
  /** The agent's line opened, dropped (the desktop opens it again) or was closed. */
  | { type: 'line'; line: LineInfo }
  | { type: 'agent'; agent: Agent }
  | { type: 'case'; case: ScreenPop | null }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'pong' }
  | DeskInboxMessage
  /** A message to the debtor on screen, or one this agent sent, changed status. */
  | { type: 'message'; message: DeskMessage };

/**
 * What one desktop socket may see and who is told when it shows a case. A token limited to
 * creditors (docs/data-protection.md) sees a screen pop only with its creditors' claims, and
 * none at all when the case holds none of theirs; each case shown is audited once per socket.
 */
export interface SocketView {
  creditors: string[] | null;
  onScreenPop?: (pop: ScreenPop) => void;
  /**
   * A limited socket's reply and message pushes as it may see them (its inbox count, a reply
   * or message about its creditors), or null when the push is about another creditor. Without
   * it a limited socket gets no such pushes.
   */
  scoped?: (msg: Extract<ServerMessage, { type: 'inbox' | 'message' }>) => ServerMessage | null;
}
type Viewer = SocketView & { shownCallId?: string };

/** The screen pop as this socket may see it (null: nothing of its creditors). */
export function scopedPop(pop: ScreenPop | null, creditors: string[] | null): ScreenPop | null {
  if (!pop || !creditors) return pop;
  const claims = pop.claims.filter((c) => creditors.includes(c.creditor));
  if (!claims.length) return null;
  const ids = new Set(claims.map((c) => c.id));
  return { ...pop, claims, claimId: pop.claimId !== null && ids.has(pop.claimId) ? pop.claimId : null, openCents: claims.filter((c) => OPEN.has(c.status)).reduce((n, c) => n + c.amountCents, 0) };
}

export class DeskHub implements DeskPush {
  private readonly sockets = new Map<number, Map<DeskSocket, Viewer>>();
  private readonly onAgent = (a: Agent) => this.toAgent(a.id, { type: 'agent', agent: a });
  private readonly onPop = (agentId: number) => this.toAgent(agentId, { type: 'case', case: this.desk.activeCase(agentId) ?? null });
  private readonly onLine = (agentId: number, line: LineInfo) => this.toAgent(agentId, { type: 'line', line });
  private readonly onRemoved = (id: number) => {
    for (const s of this.sockets.get(id)?.keys() ?? []) s.close(4404, 'agent deleted');
    this.sockets.delete(id);
  };

  constructor(private readonly desk: AgentDeskService) {
    desk.on('agent', this.onAgent);
    desk.on('pop', this.onPop);
    desk.on('line', this.onLine);
    desk.registry.on('removed', this.onRemoved);
  }

  /** An authenticated socket for this agent: sends the current state and case at once. */
  attach(agentId: number, socket: DeskSocket, view: SocketView = { creditors: null }): boolean {
    const agent = this.desk.registry.get(agentId);
    if (!agent) return false;
    let set = this.sockets.get(agentId);
    if (!set) this.sockets.set(agentId, (set = new Map()));
    const viewer: Viewer = { ...view };
    set.set(socket, viewer);
    deliver(socket, viewer, { type: 'hello', agent, case: this.desk.activeCase(agentId) ?? null, line: this.desk.lines.info(agentId) });
    return true;
  }

  detach(agentId: number, socket: DeskSocket): void {
    this.sockets.get(agentId)?.delete(socket);
  }

  /**
   * A message from an agent's desktop, already checked (desk-messages.ts). A refused state
   * change is answered with its code; anything else thrown is a bug of ours, for the
   * socket edge (routes/desktop.ts) to answer INTERNAL, log and count.
   */
  handle(agentId: number, socket: DeskSocket, msg: ClientMessage): void {
    switch (msg.type) {
      case 'ping':
        return send(socket, { type: 'pong' });
      case 'auth':
        return this.refuse(socket, 'VALIDATION', 'this socket is already authenticated');
      case 'state':
        try {
          this.desk.registry.apply(agentId, SELF_SERVICE[msg.state]);
        } catch (err) {
          if (!isBereikError(err)) throw err;
          this.refuse(socket, err.code, err.message);
        }
    }
  }

  /** Tells a desktop what was wrong with its message. */
  refuse(socket: DeskSocket, code: ErrorCode, message: string): void {
    send(socket, { type: 'error', code, message });
  }

  connected(agentId: number): number {
    return this.sockets.get(agentId)?.size ?? 0;
  }

  /** Closes every desktop socket and stops listening to the desk (HTTP server closing). */
  closeAll(): void {
    this.desk.off('agent', this.onAgent);
    this.desk.off('pop', this.onPop);
    this.desk.off('line', this.onLine);
    this.desk.registry.off('removed', this.onRemoved);
    for (const set of this.sockets.values()) for (const s of set.keys()) s.close(1001, 'server stopping');
    this.sockets.clear();
  }

  /** Agents with at least one desktop open. */
  connectedAgents(): Iterable<number> {
    return [...this.sockets].filter(([, set]) => set.size > 0).map(([id]) => id);
  }

  debtorOnScreen(agentId: number): number | undefined {
    return this.desk.activeCase(agentId)?.debtor?.id;
  }

  push(agentId: number, msg: ServerMessage): void {
    this.toAgent(agentId, msg);
  }

  private toAgent(agentId: number, msg: ServerMessage): void {
    for (const [s, viewer] of this.sockets.get(agentId) ?? []) deliver(s, viewer, msg);
  }
}

/** Sends a message as this socket may see it; a case newly on its screen is audited once. */
function deliver(socket: DeskSocket, viewer: Viewer, msg: ServerMessage): void {
  if (viewer.creditors && (msg.type === 'inbox' || msg.type === 'message')) {
    const mine = viewer.scoped?.(msg);
    return mine ? send(socket, mine) : undefined;
  }
  if (msg.type !== 'hello' && msg.type !== 'case') return send(socket, msg);
  const pop = scopedPop(msg.case, viewer.creditors);
  if (pop && pop.callId !== viewer.shownCallId) {
    viewer.shownCallId = pop.callId;
    viewer.onScreenPop?.(pop);
  }
  send(socket, { ...msg, case: pop });
}

function send(socket: DeskSocket, msg: ServerMessage): void {
  try {
    socket.send(JSON.stringify(msg));
  } catch {
    // A socket that is closing: the desktop reconnects and gets the state in its hello.
  }
}
