// Shared helpers for the end-to-end suites (CLI, demo, chaos, multi-host). See README.md.
export { runCli, type CliOptions, type CliResult } from './cli.js';
export { explain, Lab, type Agent, type Host, type Relay } from './lab.js';
export { Log, LogBook } from './logbook.js';
export { CLI_BIN, fixture, NODE, REPO } from './paths.js';
export { spawnProcess, type Exit, type ManagedProcess, type SpawnOptions } from './process.js';
export { scriptedSession, type ScriptedSession, type ScriptedSessionOptions } from './session.js';
export { PrivateTmux, tmuxInstalled, type Pane } from './tmux.js';
export { waitFor, type WaitOptions } from './wait.js';
