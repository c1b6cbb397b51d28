// Where crosstalk keeps its files on a machine: `CROSSTALK_HOME`, or `.crosstalk` in the user's
// home. One rule, called by the CLI and by the relay's and the agent's own entries with what they
// read from the environment, so no two of them can look in different places.
import { isAbsolute, join, resolve } from 'node:path';

export interface HomeInputs {
  /** `CROSSTALK_HOME`, if set. */
  crosstalkHome?: string | undefined;
  /** The user's home directory (os.homedir()). */
  userHome: string;
}

export function resolveHome(inputs: HomeInputs): string {
  const explicit = inputs.crosstalkHome?.trim();
  if (explicit) return isAbsolute(explicit) ? explicit : resolve(explicit);
  return join(inputs.userHome, '.crosstalk');
}

/** The data dir of a relay started from this home (`crosstalk up`, `relay serve`). */
export function relayDataDirOf(home: string): string {
  return join(home, 'relay');
}
