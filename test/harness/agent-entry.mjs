// Runs the host agent with timing knobs the command line does not offer (heartbeat, backoff),
// for the suites that need a dead link noticed in a second rather than in half a minute.
//   node agent-entry.mjs '{"home": "...", "tuning": {...}, "logLevel": "debug"}'
import { homeLayout, runAgent } from '@crosstalk/agent';

const options = JSON.parse(process.argv[2] ?? '{}');
const agent = await runAgent({ layout: homeLayout(options.home), logLevel: options.logLevel ?? 'info', tuning: options.tuning ?? {} });
const stop = () => void agent.stop();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
const result = await agent.stopped;
if (result.reason === 'fatal') process.stderr.write(`agent stopped: ${result.error.code} ${result.error.message}\n`);
process.exitCode = result.reason === 'fatal' ? result.error.exitCode : 0;
