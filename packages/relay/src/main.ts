#!/usr/bin/env node
// `node packages/relay/dist/main.js serve [--port P] [--host H] [--data-dir D] [--log-level L]`:
// runs one relay until SIGTERM or SIGINT, then flushes the log and exits 0.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CrosstalkError, DEFAULT_PORT, EXIT } from '@crosstalk/core';
import { startRelay } from './relay.js';

const USAGE = `usage: main.js serve [--port <port>] [--host <address>] [--data-dir <dir>] [--log-level <level>]

  --port       port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host       address to listen on (default 127.0.0.1)
  --data-dir   relay data dir (default $CROSSTALK_HOME/relay or ~/.crosstalk/relay)
  --log-level  fatal, error, warn, info, debug, trace or silent (default info)
`;

function fail(error: unknown): never {
  const e = error instanceof CrosstalkError ? error : new CrosstalkError('INTERNAL', (error as Error)?.message ?? String(error));
  process.stderr.write(`error: ${e.message}\nhint: ${e.hint}\n`);
  process.exit(e.exitCode);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    process.exit(EXIT.usage);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length !== 1 || positionals[0] !== 'serve') {
    process.stderr.write(USAGE);
    process.exit(EXIT.usage);
  }
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port)) {
      process.stderr.write(`--port must be a number from 0 to 65535\n`);
      process.exit(EXIT.usage);
    }
    port = Number(values.port);
  }
  const home = process.env.CROSSTALK_HOME || join(homedir(), '.crosstalk');
  const dataDir = values['data-dir'] ?? join(home, 'relay');

  const host = values.host ?? '127.0.0.1';
  const relay = await startRelay({
    dataDir,
    port,
    host,
    ...(values['log-level'] === undefined ? {} : { logLevel: values['log-level'] }),
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      throw new CrosstalkError('CONFIG_INVALID', `port ${port} on ${host} is already in use`, { hint: 'stop whatever uses it, or pass another --port' });
    }
    if (err.code === 'EADDRNOTAVAIL') {
      throw new CrosstalkError('CONFIG_INVALID', `${host} is not an address of this machine`, { hint: 'pass --host 127.0.0.1, 0.0.0.0 or one of this machine\'s addresses' });
    }
    throw err;
  });
  process.stderr.write(`crosstalk relay listening on ${relay.url} (data dir ${dataDir})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`crosstalk relay: ${signal}, stopping\n`);
    relay.close().then(
      () => process.exit(EXIT.ok),
      (err: unknown) => fail(err),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  void relay.stopped.then((err) => {
    if (err) fail(new CrosstalkError('INTERNAL', `the relay stopped: ${err.message}`));
  });
}

main(process.argv.slice(2)).catch(fail);
