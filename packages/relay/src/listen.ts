// Opening the relay's port, and the one place a port it cannot have is put into words: every
// entry (the relay's own, `crosstalk relay serve`, `crosstalk up`) gets the same error and hint.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CrosstalkError } from '@crosstalk/core';

/** Listens on host:port; resolves with the port (0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const refused = (err: Error) => reject(listenError(err, host, port));
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** A socket error from listen, explained when it is one a person can fix. */
function listenError(err: Error, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new CrosstalkError('CONFIG_INVALID', `port ${port} on ${host} is already in use`, {
      hint: 'stop the program that uses it (is a relay or `crosstalk up` already running?), or choose another port with --port',
      details: { host, port },
      cause: err,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new CrosstalkError('CONFIG_INVALID', `cannot listen on ${host}: it is not an address of this machine`, {
      hint: "use 127.0.0.1 for this machine only, 0.0.0.0 for every interface, or one of this machine's addresses",
      details: { host, port },
      cause: err,
    });
  }
  if (code === 'EACCES') {
    return new CrosstalkError('CONFIG_INVALID', `not allowed to listen on port ${port}`, {
      hint: 'use a port above 1023, e.g. the default 7717',
      details: { host, port },
      cause: err,
    });
  }
  return err;
}
