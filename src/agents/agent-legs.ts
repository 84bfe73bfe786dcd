/**
 * The calls rows of agent legs (AgentLegStore, transfer-deps.ts), through the calls
 * repository: a warm transfer writes through this and holds no database handle of its own.
 */
import type { CallRepository } from '../store/repositories.ts';
import type { AgentLegStore } from './transfer-deps.ts';

export function agentLegs(calls: Pick<CallRepository, 'create' | 'get' | 'update'>): AgentLegStore {
  return {
    open({ agentCallId, req, agent, at }) {
      calls.create({
        id: agentCallId,
        direction: 'agent',
        createdAt: at,
        parentCallId: calls.get(req.callId) ? req.callId : null,
        agentId: agent.id,
        debtorId: req.debtorId,
        campaignId: req.campaignId,
        toNumber: agent.endpoint,
        state: 'dialing',
      });
    },
    ringing(agentCallId, channelId) {
      calls.update(agentCallId, { channelId, state: 'ringing' });
    },
    answered(agentCallId, at) {
      calls.update(agentCallId, { state: 'up', answeredAt: at, disposition: 'answered' });
    },
    ended(agentCallId, at, end) {
      calls.update(agentCallId, { state: 'ended', endedAt: at, disposition: end.disposition, hangupCause: end.cause, hangupText: end.causeText });
    },
  };
}
