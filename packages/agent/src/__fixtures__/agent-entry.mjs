// Test entry: runs the built agent with short timings, and optionally kills itself (SIGKILL)
// right after a copy is written and before the cursor covering it is persisted.
//   node agent-entry.mjs '{"home": "...", "tuning": {...}, "crashArm": "<file>", "wake": {...}}'
// `wake` overrides the config's wake settings, also below their production minimums.
// With `crashArm`, the first copy written while that file exists triggers the kill; the file is
// removed first so a restart does not kill again.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { homeLayout, readAgentConfig, runAgent } from '../../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const hooks = {};
if (options.crashArm) {
  hooks.afterCopyWritten = ({ conversation, seq }) => {
    if (!existsSync(options.crashArm)) return;
    rmSync(options.crashArm);
    writeFileSync(`${options.crashArm}.fired`, JSON.stringify({ conversation, seq }));
    process.kill(process.pid, 'SIGKILL');
  };
}
const layout = homeLayout(options.home);
let config;
if (options.wake) {
  const stored = await readAgentConfig(layout.config);
  config = { ...stored, wake: { ...stored.wake, ...options.wake } };
}
const agent = await runAgent({
  layout,
  config,
  logLevel: options.logLevel ?? 'debug',
  hooks,
  tuning: { heartbeatMs: 2000, backoff: { baseMs: 50, capMs: 500 }, presenceIntervalMs: 1000, replayTimeoutMs: 3000, ...options.tuning },
});
process.once('SIGTERM', () => void agent.stop());
const result = await agent.stopped;
process.exitCode = result.reason === 'fatal' ? 3 : 0;
