// This host's private key: created by enrollment, readable only by the user.
import { readFile, stat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { CrosstalkError, parseJson, unreadableFile } from '@crosstalk/core';
import type { Ed25519PrivateJwk } from '@crosstalk/core/token';
import { atomicWriteFile } from '../fs/atomic-write.js';

const B64 = /^[A-Za-z0-9_-]{43}$/;
const PrivateJwkSchema = z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().regex(B64), d: z.string().regex(B64) });

export type CommandRunner = (file: string, args: string[]) => Promise<void>;

export async function readHostKey(path: string): Promise<Ed25519PrivateJwk> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CrosstalkError('NOT_ENROLLED', `no host key at ${path}`);
    throw unreadableFile(path, err);
  }
  const json = parseJson(text.slice(0, 4096));
  if (json === undefined) throw new CrosstalkError('CONFIG_INVALID', `${path} is not a valid key file`);
  const parsed = PrivateJwkSchema.safeParse(json);
  if (!parsed.success) throw new CrosstalkError('CONFIG_INVALID', `${path} is not an Ed25519 private key`);
  return { kty: 'OKP', crv: 'Ed25519', x: parsed.data.x, d: parsed.data.d };
}

/** `icacls` arguments that leave only the given user with access (Windows has no chmod). */
export function windowsOwnerOnlyAclArgs(path: string, user: string): string[] {
  return [path, '/inheritance:r', '/grant:r', `${user}:F`];
}

export interface KeyProtection {
  platform?: NodeJS.Platform;
  /** `DOMAIN\\user`: the one account left with access on Windows. */
  windowsUser?: string;
  /** Runs icacls; rejects when it fails. */
  run?: CommandRunner;
}

export async function writeHostKey(path: string, jwk: Ed25519PrivateJwk, options: KeyProtection = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await atomicWriteFile(path, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  await protectHostKey(path, options);
}

/** Windows has no chmod: icacls removes every inherited permission and grants the user alone. */
export async function protectHostKey(path: string, options: KeyProtection): Promise<void> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32' && options.run && options.windowsUser) {
    await options.run('icacls', windowsOwnerOnlyAclArgs(path, options.windowsUser));
  }
}

/** Problems with a key file's permissions on POSIX (group/other access), for `doctor`. */
export async function keyFileProblems(path: string, platform: NodeJS.Platform = process.platform): Promise<string[]> {
  if (platform === 'win32') return [];
  const st = await stat(path);
  const problems: string[] = [];
  if ((st.mode & 0o077) !== 0) problems.push(`${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  return problems;
}
