// Worker thread entry: builds one snapshot (see snapshot-build.ts) and says how it went.
import { parentPort, workerData } from 'node:worker_threads';
import { buildSnapshot, type BuildSnapshotOptions } from './snapshot-build.js';

buildSnapshot(workerData as BuildSnapshotOptions).then(
  (built) => parentPort?.postMessage({ ok: true, ...built }),
  (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
