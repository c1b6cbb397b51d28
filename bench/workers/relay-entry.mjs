// A relay in its own process for the load scenarios: startRelay with the options given as JSON
// in argv[2] (rate limits off, so the figures measure the relay and not its per-host limits).
// Over IPC it answers `memory` (after a full GC when node runs with --expose-gc) and `stop`.
import { readFileSync } from 'node:fs';
import { startRelay } from '@crosstalk/relay';

const options = JSON.parse(process.argv[2]);
const relay = await startRelay({ logLevel: 'warn', ...options, logDestination: process.stderr });

function rssBytes() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

process.on('message', async (/** @type {any} IPC from the benchmark */ msg) => {
  if (msg?.cmd === 'memory') {
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 50));
    globalThis.gc?.();
    process.send({ reply: 'memory', rss: rssBytes(), ...process.memoryUsage() });
  } else if (msg?.cmd === 'stop') {
    await relay.close();
    process.send({ reply: 'stopped' });
    process.disconnect();
  }
});
process.send({ reply: 'ready', url: relay.url, relayId: relay.relayId, epoch: relay.epoch });
