// Starting a relay from the CLI: its options checked here, and socket errors turned into advice.
import { CrosstalkError } from '@crosstalk/core';

/** A relay that could not listen, explained. */
export function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new CrosstalkError('CONFIG_INVALID', `port ${port} on ${host} is already in use`, {
      hint: `stop the program that uses it (is a relay or \`crosstalk up\` already running?), or choose another port with --port`,
      details: { host, port },
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new CrosstalkError('CONFIG_INVALID', `cannot listen on ${host}: it is not an address of this machine`, {
      hint: 'use 127.0.0.1 for this machine only, 0.0.0.0 for every interface, or one of this machine\'s addresses',
    });
  }
  if (code === 'EACCES') {
    return new CrosstalkError('CONFIG_INVALID', `not allowed to listen on port ${port}`, { hint: 'use a port above 1023, e.g. the default 7717' });
  }
  return err;
}
