// Files as the agent writes and reads them, for the CLI too: atomic replacement, optional reads.
export { atomicWriteFile, replaceFile, syncDir, type AtomicWriteOptions } from './atomic-write.js';
export { readIfExists } from './read-if-exists.js';
