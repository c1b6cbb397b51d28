// The `spawn` section of the agent's config.json: this host's own policy for starting coding agents
// on request (docs/SPAWN.md). Off by default; validated once with the rest of the config.
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { ADMIN_ACTOR, hasUnsafeChars, isValidName, SESSION_KINDS } from '@crosstalk/core';

const requester = () => z.string().refine((s) => s === ADMIN_ACTOR || isValidName(s), 'a host name or "admin"');
const kindOf = () => z.enum(SESSION_KINDS.filter((k) => k !== 'human') as ['claude-code', 'codex', 'other']);
const argv = () => z.array(z.string().min(1).max(4096)).min(1).max(64);

export function spawnPolicySchema() {
  return z.strictObject({
    enabled: z.boolean().default(false),
    /** Hosts (or `admin`) that may spawn and kill here. */
    allow: z.array(requester()).max(256).default([]),
    kinds: z.array(kindOf()).max(3).default(['claude-code', 'codex']),
    /** Directories a spawned coding agent may work in, and below; compared by realpath. */
    roots: z
      .array(
        z
          .string()
          .min(1)
          .max(4096)
          .refine(isAbsolute, 'an absolute path')
          .refine((p) => !hasUnsafeChars(p), 'a path without control characters'),
      )
      .max(64)
      .default([]),
    maxSessions: z.number().int().min(0).max(64).default(2),
    /**
     * The command line of each kind, run in the resolved working directory; `--model <m>` is
     * appended when asked for. Defaults: `claude` and `codex` from PATH; `other` has none.
     */
    commands: z.partialRecord(kindOf(), argv()).default({}),
    /** How long a spawned coding agent has to report its start (its SessionStart hook). */
    readyTimeoutSeconds: z.number().int().min(1).max(600).default(60),
    /** Who besides this host may read its sessions' screens through the relay (`crosstalk peek`). */
    peek: z.array(requester()).max(256).default([ADMIN_ACTOR]),
  });
}

export type SpawnConfig = z.output<ReturnType<typeof spawnPolicySchema>>;

export const DEFAULT_COMMANDS: Readonly<Record<string, readonly string[]>> = { 'claude-code': ['claude'], codex: ['codex'] };
