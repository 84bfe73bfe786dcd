/**
 * The calls rows of agent legs in SQLite (AgentLegStore, transfer-deps.ts): a warm
 * transfer writes through this and holds no database handle of its own.
 */
import type { Db } from '../store/db.ts';
import { createCall, getCall, updateCall } from '../store/calls.ts';
import type { AgentLegStore } from './transfer-deps.ts';

export function sqliteAgentLegs(db: Db): AgentLegStore {
  return {
    open({ agentCallId, req, agent, at }) {
      createCall(db, {
        id: agentCallId,
        direction: 'agent',
        createdAt: at,
        parentCallId: getCall(db, req.callId) ? req.callId : null,
        agentId: agent.id,
        debtorId: req.debtorId,
        campaignId: req.campaignId,
        toNumber: agent.endpoint,
        state: 'dialing',
      });
    },
    ringing(agentCallId, channelId) {
      updateCall(db, agentCallId, { channelId, state: 'ringing' });
    },
    answered(agentCallId, at) {
      updateCall(db, agentCallId, { state: 'up', answeredAt: at, disposition: 'answered' });
    },
    ended(agentCallId, at, end) {
      updateCall(db, agentCallId, { state: 'ended', endedAt: at, disposition: end.disposition, hangupCause: end.cause, hangupText: end.causeText });
    },
  };
}
