// Two hosts (alpha, beta) enrolled with one relay, each with a running agent and one session
// joined without a terminal (a1, b1): the setting of the conversation suites.
import { expect } from 'vitest';
import { type AgentProc, explain, Lab, type Host } from '../harness/index.js';

type RelayOptions = Parameters<Lab['startRelay']>[0];
type AgentOptions = Parameters<Lab['startAgent']>[1];

export interface TwoHosts {
  lab: Lab;
  alpha: Host;
  beta: Host;
  /** The running agents of alpha and beta (their logs, to wait for what an agent did). */
  agents: { alpha: AgentProc; beta: AgentProc };
  /** Opens a conversation a1 → b1 and returns its id. */
  open(topic: string, extra?: string[]): Promise<string>;
}

/**
 * `relay`: how the relay is started (its `serve` flags, …), when a suite needs it otherwise;
 * `agents`: how both agents are started (a short reconnect backoff, for suites that restart the relay).
 */
export async function twoHosts(name: string, relay?: RelayOptions, agents: AgentOptions = {}): Promise<TwoHosts> {
  const lab = await Lab.create(name);
  await lab.startRelay(relay);
  const alpha = await lab.host('alpha');
  const beta = await lab.host('beta');
  const [alphaAgent, betaAgent] = await Promise.all([lab.startAgent(alpha, agents), lab.startAgent(beta, agents)]);
  for (const [host, session] of [
    [alpha, 'a1'],
    [beta, 'b1'],
  ] as const) {
    const r = await host.run(['join', '--as', session, '--no-wake']);
    expect(r.exitCode, explain(r)).toBe(0);
  }
  const open = async (topic: string, extra: string[] = []): Promise<string> => {
    const r = await alpha.run(['open', '--as', 'a1', '--topic', topic, '--with', 'b1', '--body', `About ${topic}.`, ...extra]);
    expect(r.exitCode, explain(r)).toBe(0);
    return r.stdout.trim();
  };
  return { lab, alpha, beta, agents: { alpha: alphaAgent, beta: betaAgent }, open };
}
