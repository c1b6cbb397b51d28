// The checks behind `crosstalk doctor`, in the order they print: the enrollment and the relay
// (doctor-relay.ts), then this host (doctor-host.ts), then what `skill install` put in place.
import { readLocalSessions, type HomeLayout } from '@crosstalk/agent';
import { agentCheck, commandCheck, copiesCheck, keysCheck, sessionChecks, tmuxCheck } from './doctor-host.js';
import type { Check } from './doctor-check.js';
import { authCheck, enrollmentCheck, relayChecks } from './doctor-relay.js';
import { spawnPolicyCheck } from './spawn-policy-text.js';

export type { Check } from './doctor-check.js';

export interface DoctorInputs {
  layout: HomeLayout;
  platform: NodeJS.Platform;
  /** Runs `tmux -V`; resolves with its version, or null when tmux is not installed. */
  tmuxVersion(): Promise<string | null>;
  /** Where `crosstalk` is found on PATH, or null. */
  crosstalkOnPath?: () => Promise<string | null>;
  /** What `crosstalk skill install` has put in place, given the kinds of the sessions joined here. */
  skills?: (kindsHere: ReadonlySet<string>) => Promise<Check[]>;
  now?: () => number;
}

export async function runChecks(inputs: DoctorInputs): Promise<Check[]> {
  const { layout, platform } = inputs;
  const enrollment = await enrollmentCheck(layout);
  const { config } = enrollment;
  const relay = await relayChecks(config, inputs.now ?? Date.now);
  const checks = [
    enrollment.check,
    ...relay.checks,
    await keysCheck(layout, platform),
    await authCheck(layout, config, relay.health),
    await agentCheck(layout, config),
  ];
  if (inputs.crosstalkOnPath) checks.push(await commandCheck(inputs.crosstalkOnPath));
  const sessions = await readLocalSessions(layout.sessions);
  checks.push(
    tmuxCheck(await inputs.tmuxVersion(), sessions, platform),
    ...(await sessionChecks(sessions, platform, layout, (config?.wake.idleGraceSeconds ?? 20) * 1000)),
  );
  if (inputs.skills) checks.push(...(await inputs.skills(new Set(sessions.map((s) => s.kind)))));
  checks.push(await copiesCheck(config));
  checks.push(spawnPolicyCheck(config));
  return checks;
}
