// Runs one relay with options the command line does not offer (a short heartbeat, no rate
// limits), for the suites that need them. Same library, same log, same shutdown as main.js.
//   node relay-entry.mjs '{"dataDir": "...", "host": "127.0.0.1", "port": 0, "heartbeatMs": 500}'
import { startRelay } from '@crosstalk/relay';

const options = JSON.parse(process.argv[2] ?? '{}');
const relay = await startRelay({ ...options, logDestination: process.stderr });
process.stderr.write(`crosstalk relay listening on ${relay.url}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  relay.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
void relay.stopped.then((err) => {
  if (err) {
    process.stderr.write(`relay stopped: ${err.message}\n`);
    process.exit(1);
  }
});
