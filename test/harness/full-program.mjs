// `crosstalk` read by the full program only: what bin.ts runs for a command line its fast entry
// leaves, for any command line. The suites run a command through both to hold them to the same
// output (test/cli/fast-entry.test.ts).
import { createContext } from '../../packages/cli/dist/context.js';
import { main } from '../../packages/cli/dist/main.js';

const controller = new AbortController();
const stop = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const code = await main(process.argv.slice(2), createContext(process, controller.signal));
process.stdout.write('', () => process.exit(code));
