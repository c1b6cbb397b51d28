// What one call of `crosstalk hook` reports, read from the request the CLI passes on: which coding
// agent, which of its hook events, what that says about the session (core's session signals), and
// what identifies the session — the coding agent's own session id and the terminal the hook ran
// in. Pure; the request crossed a process boundary, so it is checked and bounded here.
import * as z from 'zod';
import type { SessionSignal } from '@crosstalk/core';

export const HOOK_AGENTS = ['claude-code', 'codex'] as const;
export type HookAgent = (typeof HOOK_AGENTS)[number];

export interface HookReport {
  agent: HookAgent;
  /** The hook event (`Stop`, `UserPromptSubmit`, …; `notify` for Codex's notify program). */
  event: string;
  /** What the event says about the session; null for events that say nothing. */
  signal: SessionSignal | null;
  /** The coding agent's own id of its session: Claude Code's session id, Codex's thread id. */
  agentSession: string | null;
  /** A submitted prompt (to recognise a wake-up line that was typed). */
  prompt: string | null;
  /** A Stop hook, which may hand the session its next turn by answering `block`. */
  stop: boolean;
  /** The Stop hook runs because an earlier Stop hook blocked. */
  stopHookActive: boolean;
  /** A background hook that waits for a turn to wake its idle session with. */
  wait: boolean;
  /** How long a waiting hook waits for this round. */
  waitMs: number;
  /** The hook process and its parent. */
  pid: number;
  ppid: number;
  /** The tmux server and pane the hook ran in, from its environment (may be another pane's). */
  tmuxSocket: string | null;
  tmuxPane: string | null;
  /** Claude Code's own process id, which its hooks get. */
  agentPid: number | null;
}

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/);
const pid = z
  .number()
  .int()
  .positive()
  .max(2 ** 32);

const RequestSchema = z.object({
  t: z.literal('hook'),
  agent: z.enum(HOOK_AGENTS),
  event: z.string().max(64).nullable().optional(),
  wait: z.boolean().optional(),
  waitMs: z.number().int().min(0).max(120_000).optional(),
  pid: pid,
  ppid: pid,
  env: z.record(z.string().max(64), z.string().max(4096)).optional(),
  payload: z.unknown(),
});

const text = (max: number) => z.string().max(max);
// Only these fields are read, each on its own: one that is odd is dropped, not the whole payload.
const PAYLOAD_FIELDS = {
  hook_event_name: text(64),
  session_id: id,
  notification_type: text(64),
  prompt: text(64 * 1024),
  stop_hook_active: z.boolean(),
  // Codex's notify program: `{"type": "agent-turn-complete", "thread-id": …}`.
  type: text(64),
  'thread-id': id,
};
type Payload = { -readonly [K in keyof typeof PAYLOAD_FIELDS]?: z.infer<(typeof PAYLOAD_FIELDS)[K]> };

function readPayload(value: unknown): Payload {
  const out: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, schema] of Object.entries(PAYLOAD_FIELDS)) {
    const field = schema.safeParse((value as Record<string, unknown>)[key]);
    if (field.success && field.data !== undefined) out[key] = field.data;
  }
  return out as Payload;
}

/** Notifications that mean a dialog waits for the person. */
const ASKING_NOTIFICATIONS = new Set(['permission_prompt', 'elicitation_dialog']);

/** Claude Code's and Codex's hook events (they share the names), and Codex's notify type. */
export function signalOf(event: string, payload: { notification_type?: string | undefined; type?: string | undefined }): SessionSignal | null {
  switch (event) {
    case 'SessionStart':
      return 'started';
    case 'UserPromptSubmit':
      return 'prompt';
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return 'tool';
    case 'PermissionRequest':
      return 'asking';
    case 'Notification':
      if (payload.notification_type === 'idle_prompt') return 'idle';
      return payload.notification_type !== undefined && ASKING_NOTIFICATIONS.has(payload.notification_type) ? 'asking' : null;
    case 'Stop':
    case 'StopFailure':
    case 'Interrupt':
      return 'stopped';
    case 'SessionEnd':
      return 'ended';
    case 'notify':
      return payload.type === 'agent-turn-complete' ? 'stopped' : null;
    default:
      return null;
  }
}

function positiveInt(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n > 0 && n <= 2 ** 32 ? n : null;
}

/** The report, or null for a request that is not a hook report anyone could have sent. */
export function readHookRequest(request: Record<string, unknown>): HookReport | null {
  const req = RequestSchema.safeParse(request);
  if (!req.success) return null;
  const payload = readPayload(req.data.payload);
  const notify = payload.type !== undefined && payload['thread-id'] !== undefined;
  // The event named by the payload wins: one command line serves every event.
  const event = payload.hook_event_name ?? (notify ? 'notify' : (req.data.event ?? ''));
  if (event === '') return null;
  const env = req.data.env ?? {};
  const tmux = env.TMUX;
  return {
    agent: req.data.agent,
    event,
    signal: signalOf(event, payload),
    agentSession: payload.session_id ?? payload['thread-id'] ?? null,
    prompt: payload.prompt ?? null,
    stop: event === 'Stop',
    stopHookActive: payload.stop_hook_active === true,
    wait: req.data.wait === true,
    waitMs: req.data.waitMs ?? 0,
    pid: req.data.pid,
    ppid: req.data.ppid,
    // TMUX is "<socket>,<server pid>,<session>"; a socket path with a comma is cut there, and then matches nothing.
    tmuxSocket: tmux ? (tmux.split(',')[0] ?? null) : null,
    tmuxPane: env.TMUX_PANE && /^%\d{1,9}$/.test(env.TMUX_PANE) ? env.TMUX_PANE : null,
    agentPid: positiveInt(env.CLAUDE_PID),
  };
}
