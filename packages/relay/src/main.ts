#!/usr/bin/env node
// `node packages/relay/dist/main.js serve [--port P] [--host H] [--data-dir D] [--log-level L]`:
// runs one relay until SIGTERM or SIGINT, then flushes the log and exits 0.
// The only place in the relay that reads the environment (CROSSTALK_HOME) and argv.
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { CrosstalkError, DEFAULT_PORT, EXIT, LOG_LEVELS, relayDataDirOf, resolveHome } from '@crosstalk/core';
import type { RelayOptions } from './options.js';
import { startRelay } from './relay.js';

const USAGE = `usage: main.js serve [--port <port>] [--host <address>] [--data-dir <dir>] [--log-level <level>]

  --port       port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host       address to listen on (default 127.0.0.1)
  --data-dir   relay data dir (default $CROSSTALK_HOME/relay or ~/.crosstalk/relay)
  --log-level  ${LOG_LEVELS.join(', ')} (default info)
`;

function fail(error: unknown): never {
  const e = error instanceof CrosstalkError ? error : new CrosstalkError('INTERNAL', (error as Error)?.message ?? String(error));
  process.stderr.write(`error: ${e.message}\nhint: ${e.hint}\n`);
  process.exit(e.exitCode);
}

function usage(message = ''): never {
  process.stderr.write(`${message}${USAGE}`);
  process.exit(EXIT.usage);
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
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
    // parseArgs explains an unknown or malformed option with an ERR_PARSE_ARGS_* code.
    if (!String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw err;
    return usage(`${(err as Error).message}\n`);
  }
}

/** The relay's options from argv, or null for --help. */
function serveOptions(argv: string[]): (RelayOptions & { dataDir: string }) | null {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) return null;
  if (positionals.length !== 1 || positionals[0] !== 'serve') usage();
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) usage('--port must be a number from 0 to 65535\n');
  return {
    dataDir: values['data-dir'] ?? relayDataDirOf(resolveHome({ crosstalkHome: process.env.CROSSTALK_HOME, userHome: homedir() })),
    port: values.port === undefined ? DEFAULT_PORT : Number(values.port),
    host: values.host ?? '127.0.0.1',
    ...(values['log-level'] === undefined ? {} : { logLevel: values['log-level'] }),
  };
}

async function main(argv: string[]): Promise<void> {
  const options = serveOptions(argv);
  if (options === null) {
    process.stdout.write(USAGE);
    return;
  }
  const relay = await startRelay(options);
  process.stderr.write(`crosstalk relay listening on ${relay.url} (data dir ${options.dataDir})\n`);

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
