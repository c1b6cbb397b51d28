// Full crosstalk homes for the wake-up benchmark: enrolled through the agent's real enrollment,
// each with its host agent running as its own process (`agent main.js run`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enroll, homeLayout, readAgentConfig, readHostKey } from '@crosstalk/agent';
import { createRelayClient } from '@crosstalk/client';
import { tokenSigner } from '@crosstalk/core/token';
import { fastSigner } from './tokens.mjs';
import { within } from './wait.mjs';

const AGENT_MAIN = fileURLToPath(new URL('../../packages/agent/dist/main.js', import.meta.url));

export async function enrolledHome(dir, name, relayUrl, admin) {
  const layout = homeLayout(join(dir, name));
  const { invite } = await admin.createInvite({ host: name });
  await enroll({ relayUrl, invite, host: name, layout });
  const config = await readAgentConfig(layout.config);
  const key = await readHostKey(layout.hostKey);
  const client = createRelayClient({ relayUrl, signer: await tokenSigner(key, name, config.relayId) });
  return { name, layout, config, key, client, fast: fastSigner(key, name, config.relayId) };
}

/** `baseEnv`: the environment the bench was started with; `nodeArgs`: extra node flags (profiling). */
export function runAgent(home, baseEnv, logLevel = 'warn', nodeArgs = []) {
  const lines = [];
  const child = spawn(process.execPath, [...nodeArgs, AGENT_MAIN, 'run', '--log-level', logLevel], {
    env: { ...baseEnv, CROSSTALK_HOME: home.layout.home, TMUX: '', TMUX_PANE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    lines.push(chunk.toString('utf8'));
    if (lines.length > 400) lines.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return {
    pid: child.pid,
    logs: () => `--- agent ${home.name} (pid ${child.pid})\n${lines.join('').slice(-20_000)}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await within(once(child, 'exit'), 15_000, `agent ${home.name} stop`).catch(() => child.kill('SIGKILL'));
    },
  };
}
