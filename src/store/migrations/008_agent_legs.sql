-- Which debtors were put through to an agent (AgentStore.hadDebtor, the agent's inbox in
-- MessageReplyStore): by agent and debtor, agent legs only. Without this every check
-- scanned the whole calls table (300k calls: ~17 ms each, once per connected agent for
-- every reply that lands).
CREATE INDEX calls_agent_legs ON calls (agent_id, debtor_id) WHERE direction = 'agent';
