// The agent's applied state on disk, so a restart resumes instead of replaying everything:
// one file per conversation, the session registry, and the cursor `{epoch, seq}`, which is
// written only after the conversations and copies it covers are written, and the conversations'
// files fsynced (see replica.ts). A conversation's file holds its turns' bodies (its JSON with
// `turns` last, so that new turns can be appended to the bytes written last: appending.ts), and
// is where the agent reads them back (bodies.ts).
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import {
  ConversationSchema,
  emptyState,
  isValidName,
  schemaOnce,
  SessionSchema,
  type Conversation,
  type RelayState,
  type Session,
  unreadableFile,
} from '@crosstalk/core';
import { atomicWriteFile, replaceFile } from '../fs/atomic-write.js';
import { buildState } from './appending.js';
import { readJson } from '../fs/read-json.js';
import { withoutBody } from './bodies.js';

export interface Cursor {
  /** The relay this state came from; another relay id means the state is dropped. */
  relayId: string;
  /** The relay log's epoch; null before the first welcome. */
  epoch: string | null;
  /** Seq of the last event whose effects are on disk. */
  seq: number;
}

// Built on first use: the CLI loads this module and never reads these files.
const cursorFile = schemaOnce(() =>
  z.strictObject({
    version: z.literal(1),
    relayId: z.string().min(1).max(64),
    epoch: z.string().min(1).max(64).nullable(),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
);
const sessionsFile = schemaOnce(() => z.strictObject({ version: z.literal(1), sessions: z.array(SessionSchema).max(1_000_000) }));

/** A conversation file may be large (1000 turns of 64 KiB); anything beyond is not ours. */
const MAX_CONVERSATION_FILE = 512 * 1024 * 1024;
const MAX_SMALL_FILE = 256 * 1024 * 1024;

export interface LoadedState {
  cursor: Cursor;
  state: RelayState;
  /** Why the stored state was dropped, if it was. */
  dropped: string | null;
}

export class StateStore {
  readonly dir: string;
  /** Where the conversations' files are (a batch syncs it once after replacing them). */
  readonly conversationsDir: string;

  constructor(stateDir: string) {
    this.dir = stateDir;
    this.conversationsDir = join(stateDir, 'conversations');
  }

  private get cursorPath(): string {
    return join(this.dir, 'cursor.json');
  }

  private get sessionsPath(): string {
    return join(this.dir, 'sessions.json');
  }

  conversationPath(id: string): string {
    return join(this.conversationsDir, `${id}.json`);
  }

  async ensureDirs(): Promise<void> {
    await mkdir(this.conversationsDir, { recursive: true, mode: 0o700 });
  }

  /**
   * Reads the stored state. Damage, or state from another relay, drops it all: the agent then
   * rebuilds from seq 0, which is always correct, only slower. A file that is there but cannot be
   * read is no damage: it stops the load with FILE_UNREADABLE, and nothing is dropped.
   */
  async load(relayId: string, visit?: (c: Conversation) => Promise<void>): Promise<LoadedState> {
    await this.ensureDirs();
    const fresh = (dropped: string | null): LoadedState => ({ cursor: { relayId, epoch: null, seq: 0 }, state: emptyState(), dropped });
    const cursorJson = await readJson(this.cursorPath, MAX_SMALL_FILE);
    if (cursorJson === undefined) return fresh(null);
    const cursor = cursorFile().safeParse(cursorJson);
    if (!cursor.success) return this.dropAll(fresh, `${this.cursorPath} is damaged`);
    if (cursor.data.relayId !== relayId) return this.dropAll(fresh, `the stored state belongs to relay ${cursor.data.relayId}, not ${relayId}`);

    const state = emptyState();
    state.seq = cursor.data.seq;
    const damaged = (await this.loadSessions(state)) ?? (await this.loadConversations(state, visit));
    if (damaged !== null) return this.dropAll(fresh, `${damaged} is damaged`);
    return { cursor: { relayId, epoch: cursor.data.epoch, seq: cursor.data.seq }, state, dropped: null };
  }

  /** Fills in the session registry; the file's path when it is damaged. */
  private async loadSessions(state: RelayState): Promise<string | null> {
    const json = await readJson(this.sessionsPath, MAX_SMALL_FILE);
    if (json === undefined) return null;
    const sessions = sessionsFile().safeParse(json);
    if (!sessions.success) return this.sessionsPath;
    for (const s of sessions.data.sessions) state.sessions.set(s.name, s);
    return null;
  }

  /**
   * Fills in every stored conversation, without its bodies (`visit` sees each whole first); the
   * path of the first damaged file, if one is.
   */
  private async loadConversations(state: RelayState, visit: ((c: Conversation) => Promise<void>) | undefined): Promise<string | null> {
    let files: string[];
    try {
      files = await readdir(this.conversationsDir);
    } catch (err) {
      throw unreadableFile(this.conversationsDir, err);
    }
    for (const file of files) {
      if (!file.endsWith('.json')) continue;
      const id = file.slice(0, -'.json'.length);
      if (!isValidName(id)) continue;
      const path = join(this.conversationsDir, file);
      const parsed = ConversationSchema.safeParse(await readJson(path, MAX_CONVERSATION_FILE));
      if (!parsed.success || parsed.data.id !== id) return path;
      await visit?.(parsed.data);
      state.conversations.set(id, { ...parsed.data, turns: parsed.data.turns.map(withoutBody) });
    }
    return null;
  }

  /**
   * The bodies of a conversation's turns, read back from its file (which this agent wrote, and
   * checked whole when it loaded); undefined when there is none or it is not one of ours.
   */
  async readBodies(id: string): Promise<string[] | undefined> {
    const json = (await readJson(this.conversationPath(id), MAX_CONVERSATION_FILE)) as { id?: unknown; turns?: unknown } | null | undefined;
    if (json?.id !== id || !Array.isArray(json.turns)) return undefined;
    const bodies = json.turns.map((t: { body?: unknown } | null) => t?.body);
    return bodies.every((b): b is string => typeof b === 'string') ? bodies : undefined;
  }

  /** A conversation's file, whole (bodies included); undefined when there is none or it is damaged. */
  async readConversation(id: string): Promise<Conversation | undefined> {
    const parsed = ConversationSchema.safeParse(await readJson(this.conversationPath(id), MAX_CONVERSATION_FILE));
    return parsed.success && parsed.data.id === id ? parsed.data : undefined;
  }

  private async dropAll(fresh: (why: string) => LoadedState, why: string): Promise<LoadedState> {
    await this.clear();
    return fresh(why);
  }

  /** Removes every stored conversation, the registry and the cursor. */
  async clear(): Promise<void> {
    await rm(this.cursorPath, { force: true });
    await rm(this.sessionsPath, { force: true });
    await rm(this.conversationsDir, { recursive: true, force: true });
    await this.ensureDirs();
  }

  /** Writes a conversation's state; the bytes written. */
  async writeConversation(c: Conversation): Promise<number> {
    const { parts, size } = buildState(c);
    await atomicWriteFile(this.conversationPath(c.id), Buffer.concat(parts), { mode: 0o600 });
    return size;
  }

  /**
   * Replaces a conversation's state file with bytes built by appending.ts, not yet synced: the
   * replica syncs it, and the folder, before the cursor that covers it. Its mtime.
   */
  replaceConversation(id: string, parts: readonly Uint8Array[]): Promise<number> {
    return replaceFile(this.conversationPath(id), parts, { mode: 0o600 });
  }

  /** Forgets a deleted conversation. */
  async removeConversation(id: string): Promise<void> {
    await rm(this.conversationPath(id), { force: true });
  }

  async writeSessions(sessions: Iterable<Session>): Promise<void> {
    await atomicWriteFile(this.sessionsPath, JSON.stringify({ version: 1, sessions: [...sessions] }), { mode: 0o600 });
  }

  async writeCursor(cursor: Cursor): Promise<void> {
    await atomicWriteFile(this.cursorPath, `${JSON.stringify({ version: 1, ...cursor })}\n`, { mode: 0o600 });
  }
}
