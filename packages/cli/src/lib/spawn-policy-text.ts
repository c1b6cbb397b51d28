// This host's spawn policy in one line, for `crosstalk doctor` and `crosstalk agent status`: whether
// anyone may start coding agents here, who, which, where and how many (docs/SPAWN.md).
import type { AgentConfig } from '@crosstalk/agent/home';
import { ok, warn, type Check } from './doctor-check.js';

const SPAWN_OFF_WORDS = 'spawn: off (no one may start a coding agent here; see docs/SPAWN.md)';

const list = (xs: readonly string[]) => (xs.length === 0 ? 'none' : xs.join(', '));
/** Who else may read this host's screens through the relay, said when it is not the default (the admin alone). */
const peekWords = (peek: readonly string[]) => (peek.length === 1 && peek[0] === 'admin' ? '' : `; screens readable from elsewhere by: ${list(peek)}`);

export function spawnPolicyWords(policy: AgentConfig['spawn']): string {
  if (!policy.enabled) return `${SPAWN_OFF_WORDS}${peekWords(policy.peek)}`;
  return (
    `spawn: ON: allowed: ${list(policy.allow)}; kinds: ${list(policy.kinds)}; roots: ${list(policy.roots)}; ` +
    `at most ${policy.maxSessions} at once${peekWords(policy.peek)} (remote code execution by design: see docs/SPAWN.md)`
  );
}

export function spawnPolicyCheck(config: AgentConfig | null): Check {
  if (!config?.spawn.enabled) return ok('spawn', config ? spawnPolicyWords(config.spawn) : SPAWN_OFF_WORDS);
  if (config.spawn.allow.length === 0 || config.spawn.roots.length === 0 || config.spawn.maxSessions === 0)
    return warn(
      'spawn',
      `${spawnPolicyWords(config.spawn)}; it allows nothing yet`,
      'list hosts in spawn.allow, directories in spawn.roots, and a maxSessions above 0',
    );
  return ok('spawn', spawnPolicyWords(config.spawn));
}
