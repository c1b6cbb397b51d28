// The agent's configuration file: read, defaulted and validated once, written atomically.
import { readFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import * as z from 'zod';
import { CrosstalkError, hasUnsafeChars, LOG_LEVELS, NameSchema, unreadableFile } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { spawnPolicySchema } from './spawn-config.js';

const MAX_CONFIG_BYTES = 64 * 1024;

// Built on first use: most CLI calls read the config, few need every schema of the package.
function build() {
  const RelayUrl = z
    .string()
    .max(2048)
    .refine((s) => {
      if (!URL.canParse(s)) return false;
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
    }, 'an http(s) URL without credentials, query or fragment');

  const WakeSettingsSchema = z.strictObject({
    /** Remind a woken session that has not answered after this long. */
    nudgeAfterSeconds: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 3600)
      .default(600),
    /**
     * A session whose hooks say it went idle with a delivered turn unanswered is reminded after
     * this long, instead of after nudgeAfterSeconds.
     */
    idleGraceSeconds: z.number().int().min(1).max(3600).default(20),
    /** Reminders before the moderator is told. */
    maxNudges: z.number().int().min(0).max(10).default(2),
    /** Defer a wake-up if someone typed in the terminal this recently. */
    quietMs: z.number().int().min(0).max(60_000).default(2000),
    /** Pause between the text and the Enter key, for a coding agent of no measured kind. */
    enterDelayMs: z.number().int().min(300).max(10_000).default(300),
    /** The same pause for Claude Code and Codex; unset, the measured values (docs/WAKE.md). */
    enterDelayMsByKind: z
      .strictObject({ 'claude-code': z.number().int().min(0).max(10_000).optional(), codex: z.number().int().min(0).max(10_000).optional() })
      .optional(),
  });

  const SpawnPolicySchema = spawnPolicySchema();

  const AgentConfigSchema = z.strictObject({
    version: z.literal(1),
    relayUrl: RelayUrl,
    relayId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    host: NameSchema,
    conversationsDir: z
      .string()
      .min(1)
      .max(4096)
      .refine(isAbsolute, 'an absolute path')
      // Wake-up lines name the copy; a path they could not type faithfully is refused up front.
      .refine((p) => !hasUnsafeChars(p), 'a path without control, bidi or invisible characters'),
    wake: WakeSettingsSchema.default(WakeSettingsSchema.parse({})),
    /**
     * Disk the copies and their state files may take, in MiB. Past it the agent takes in no new
     * conversation (the cursor stays before it, so nothing is lost); raise it and restart to catch up.
     */
    diskBudgetMiB: z.number().int().min(1).max(1_048_576).default(1024),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /** Who may start coding agents here, which, where and how many (docs/SPAWN.md); off by default. */
    spawn: SpawnPolicySchema.default(SpawnPolicySchema.parse({})),
  });
  return { WakeSettingsSchema, AgentConfigSchema };
}

let built: ReturnType<typeof build> | undefined;
const schemas = (): ReturnType<typeof build> => (built ??= build());

export const AgentConfigSchema = z.lazy(() => schemas().AgentConfigSchema);

export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;

/** Reads and validates the config; NOT_ENROLLED when there is none, CONFIG_INVALID when it is bad. */
export async function readAgentConfig(path: string): Promise<AgentConfig> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CrosstalkError('NOT_ENROLLED', `no agent configuration at ${path}`);
    throw unreadableFile(path, err);
  }
  if (buf.length > MAX_CONFIG_BYTES) throw new CrosstalkError('CONFIG_INVALID', `${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new CrosstalkError('CONFIG_INVALID', `${path} is not valid JSON: ${err.message}`);
  }
  const parsed = AgentConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CrosstalkError('CONFIG_INVALID', `${path} is invalid: ${issues}`);
  }
  return parsed.data;
}

export async function writeAgentConfig(path: string, config: AgentConfigInput): Promise<AgentConfig> {
  const parsed = AgentConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CrosstalkError('CONFIG_INVALID', `refusing to write ${path}: ${issues}`, {
      hint: 'fix the value named in the message (e.g. --conversations-dir)',
    });
  }
  const valid = parsed.data;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await atomicWriteFile(path, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  return valid;
}
