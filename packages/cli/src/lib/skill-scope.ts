// Where `crosstalk skill install` (and doctor, which checks it) look: the project around the
// current directory, and this host's copies, which the agents are allowed to read.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readAgentConfig } from '@crosstalk/agent/home';
import { CrosstalkError } from '@crosstalk/core';
import type { CliContext } from '../handler.js';
import { layoutOf } from './home.js';

/** The git root above `dir`, or `dir` itself. */
export function projectRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return dir;
  }
}

/** Where this host keeps its copies: its configured folder once enrolled, else the default one. */
export async function conversationsDir(ctx: Pick<CliContext, 'crosstalkHome' | 'userHome'>): Promise<string> {
  const layout = layoutOf(ctx);
  try {
    return (await readAgentConfig(layout.config)).conversationsDir;
  } catch (err) {
    if (err instanceof CrosstalkError && err.code === 'NOT_ENROLLED') return layout.conversationsDir;
    throw err;
  }
}
