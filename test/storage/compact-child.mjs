// Runs one compaction of a relay data dir, for the suite that kills it at random moments.
//   node compact-child.mjs <data dir> <bytes per write>
// Prints `ready` once loaded (the kill delay counts from there), then the result as JSON.
import { compactLog } from '@crosstalk/relay';

const [dataDir, writeBytes] = process.argv.slice(2);
process.stdout.write('ready\n');
const result = await compactLog(dataDir, { writeBytes: Number(writeBytes) });
process.stdout.write(`${JSON.stringify(result)}\n`);
