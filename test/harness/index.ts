// The end-to-end harness, in one place: what a suite imports. See docs/TESTING.md.
export { ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, launchChromium, skipBrowserTier } from './browser.js';
export { AgentProc, type AgentHome, type AgentProcOptions } from './agent.js';
export { explain, runCli, type CliOptions, type CliResult } from './cli.js';
export { FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
export { enrollHost, type EnrollHostOptions, type Home } from './homes.js';
export { InprocRelays, startInprocRelay, type EnrolledHost, type InprocRelay } from './inproc-relay.js';
export { Lab, type Host, type LabOptions } from './lab.js';
export { labPerTest } from './lab-per-test.js';
export { Log, LogBook } from './logbook.js';
export { loopback, setupNetwork, type HostNet, type Network } from './netns.js';
export { AGENT_MAIN, CLI_BIN, FULL_PROGRAM, NODE, RELAY_MAIN, REPO, repoFile } from './paths.js';
export { Proc, processAlive, Procs, runToEnd, type Exit, type Finished, type SpawnOptions } from './process.js';
export { RelayProc, type RelayProcOptions } from './relay.js';
export {
  scriptedSession,
  type Acted,
  type PaneSession,
  type Play,
  type PlayCommand,
  type PlayStep,
  type Ran,
  type ScriptedSession,
  type ScriptedSessionOptions,
} from './session.js';
export { pickSeed, rng, type Rng } from './seed.js';
export { PrivateTmux, type Pane } from '../../packages/agent/src/terminals/tmux/__fixtures__/private-tmux.js';
export { hmacWithPublicKey, signed, unsigned, type Claims } from './tokens.js';
