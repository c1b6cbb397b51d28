// The relay's data dir: who this relay is (relay.json), its admin key, its log, and where it
// listens. Created once; the epoch changes only when the log is replaced.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CrosstalkError, type Ed25519PublicJwk } from '@crosstalk/core';
import { generateEd25519, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import * as z from 'zod';
import { readJsonFile, syncDir, writeFileAtomic } from './files.js';
import { checkFormat, DATA_FORMAT, type Migration, migrateDataDir } from './format.js';

export const DATA_FILES = {
  relay: 'relay.json',
  adminKey: 'admin-key.json',
  log: 'events.log',
  snapshot: 'snapshot.json',
  lock: 'LOCK',
  listen: 'listen.json',
} as const;

const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const Iso = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/);
/** `format` (format.ts) is absent in a data dir of format 1. */
const RelayFileSchema = z.strictObject({ relayId: Id, epoch: Id, createdAt: Iso, format: z.number().int().min(1).max(1_000_000).optional() });
const KeyPart = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const AdminKeySchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: KeyPart,
  d: KeyPart,
  /** After `rotate-admin-key`: the public part of the key it replaced, accepted until `until`. */
  previous: z.strictObject({ x: KeyPart, until: Iso }).optional(),
});
const ListenSchema = z.strictObject({
  url: z
    .string()
    .max(300)
    .regex(/^https?:\/\/\S+$/),
  pid: z.number().int().positive(),
});

export interface RelayIdentity {
  relayId: string;
  /** Changes only when the log is replaced; agents then resync from seq 1. */
  epoch: string;
  createdAt: string;
}

export interface RelayInfo extends RelayIdentity {
  /** Where the relay last said it listens, and its pid; null when it is not running. */
  url: string | null;
  pid: number | null;
}

export function dataPath(dataDir: string, file: keyof typeof DATA_FILES): string {
  return join(dataDir, DATA_FILES[file]);
}

const newId = () => randomBytes(9).toString('base64url');

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function restrictMode(path: string, mode: number): Promise<void> {
  if (process.platform === 'win32') return;
  await chmod(path, mode);
}

async function createEmptyLog(dataDir: string): Promise<void> {
  await (await open(dataPath(dataDir, 'log'), 'a', 0o600)).close();
  await syncDir(dataDir);
}

/**
 * Creates the data dir (mode 0700) with relay.json, the admin key (mode 0600) and an empty log,
 * or checks an existing one. A data dir whose log is missing gets a new epoch: the log was
 * replaced, so every agent must resync.
 */
export async function initDataDir(dataDir: string): Promise<RelayIdentity & { dataDir: string; migration: Migration | null }> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await restrictMode(dir, 0o700);
  // Before anything else reads it: an older format is migrated (with a backup), a newer one refused.
  const migration = await migrateDataDir(dir);

  let identity = await readJsonFile(dataPath(dir, 'relay'), RelayFileSchema);
  if (!identity) {
    identity = { relayId: newId(), epoch: newId(), createdAt: new Date().toISOString(), format: DATA_FORMAT };
    await createEmptyLog(dir);
    await writeFileAtomic(dataPath(dir, 'relay'), `${JSON.stringify(identity, null, 2)}\n`, 0o644);
  } else if (!(await exists(dataPath(dir, 'log')))) {
    identity = await rotateEpoch(dir);
    await createEmptyLog(dir);
  }

  const keyPath = dataPath(dir, 'adminKey');
  if (!(await readJsonFile(keyPath, AdminKeySchema))) {
    const { privateJwk } = await generateEd25519();
    await writeFileAtomic(keyPath, `${JSON.stringify(privateJwk, null, 2)}\n`, 0o600);
  }
  await restrictMode(keyPath, 0o600);
  return { relayId: identity.relayId, epoch: identity.epoch, createdAt: identity.createdAt, dataDir: dir, migration };
}

/** Gives the relay a new epoch (after its log was replaced or cut short). */
export async function rotateEpoch(dataDir: string): Promise<RelayIdentity> {
  const current = await readJsonFile(dataPath(dataDir, 'relay'), RelayFileSchema);
  if (!current) throw new CrosstalkError('CONFIG_INVALID', `${dataPath(dataDir, 'relay')} is missing`);
  const next = { ...current, epoch: newId() };
  await writeFileAtomic(dataPath(dataDir, 'relay'), `${JSON.stringify(next, null, 2)}\n`, 0o644);
  return next;
}

function notARelayDir(dataDir: string): CrosstalkError {
  return new CrosstalkError('CONFIG_INVALID', `${resolve(dataDir)} is not a relay data dir (no ${DATA_FILES.relay})`, {
    hint:
      "relay admin commands run on the relay's machine, where its data dir holds the admin key: run this there " +
      '(for the docker image: `docker compose exec relay crosstalk …`), or pass the --data-dir of the relay that runs on this machine',
    details: { dataDir: resolve(dataDir) },
  });
}

/** relay.json plus listen.json, for local admin commands. */
export async function readRelayInfo(dataDir: string): Promise<RelayInfo> {
  await checkFormat(dataDir);
  const identity = await readJsonFile(dataPath(dataDir, 'relay'), RelayFileSchema);
  if (!identity) throw notARelayDir(dataDir);
  const listen = await readListen(dataDir);
  return { relayId: identity.relayId, epoch: identity.epoch, createdAt: identity.createdAt, url: listen?.url ?? null, pid: listen?.pid ?? null };
}

/** The admin private key; whoever can read it is the relay admin. */
export async function readAdminKey(dataDir: string): Promise<Ed25519PrivateJwk> {
  const key = await readJsonFile(dataPath(dataDir, 'adminKey'), AdminKeySchema);
  if (!key) throw notARelayDir(dataDir);
  return { kty: key.kty, crv: key.crv, x: key.x, d: key.d };
}

/** The admin key and, after a rotation, the public part of the key it replaced with the end of its overlap. */
export interface AdminKeyFile {
  key: Ed25519PrivateJwk;
  previous: { publicKey: Ed25519PublicJwk; until: string } | null;
}

export async function readAdminKeyFile(dataDir: string): Promise<AdminKeyFile> {
  const file = await readJsonFile(dataPath(dataDir, 'adminKey'), AdminKeySchema);
  if (!file) throw notARelayDir(dataDir);
  const previous = file.previous ? { publicKey: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: file.previous.x }, until: file.previous.until } : null;
  return { key: { kty: file.kty, crv: file.crv, x: file.x, d: file.d }, previous };
}

/** Replaces admin-key.json (mode 0600) at once: a reader sees the old key or the new one. */
export async function writeAdminKeyFile(dataDir: string, file: AdminKeyFile): Promise<void> {
  const previous = file.previous ? { x: file.previous.publicKey.x, until: file.previous.until } : undefined;
  await writeFileAtomic(dataPath(dataDir, 'adminKey'), `${JSON.stringify({ ...file.key, ...(previous ? { previous } : {}) }, null, 2)}\n`, 0o600);
}

export function publicPart(key: Ed25519PrivateJwk): Ed25519PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: key.x };
}

export async function writeListen(dataDir: string, listen: { url: string; pid: number }): Promise<void> {
  await writeFileAtomic(dataPath(dataDir, 'listen'), `${JSON.stringify(listen)}\n`, 0o644);
}

/** listen.json, or undefined when there is none or it is damaged: it is only a hint to local commands. */
async function readListen(dataDir: string): Promise<z.infer<typeof ListenSchema> | undefined> {
  return readJsonFile(dataPath(dataDir, 'listen'), ListenSchema).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'CONFIG_INVALID') return undefined;
    throw err;
  });
}

/** Removes listen.json if it still names this process. */
export async function removeListen(dataDir: string, pid: number): Promise<void> {
  const listen = await readListen(dataDir);
  if (listen?.pid !== pid) return;
  await unlink(dataPath(dataDir, 'listen')).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
