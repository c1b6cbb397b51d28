// The production command runner: execa with an argument array (no shell) and a timeout.
import type { ServiceCommandResult, ServiceRunner, ServiceCommand } from './types.js';

const MAX_OUTPUT_BYTES = 1024 * 1024;

export function execaServiceRunner(): ServiceRunner {
  return async (cmd: ServiceCommand): Promise<ServiceCommandResult> => {
    const { execa } = await import('execa');
    const result = await execa(cmd.file, cmd.args, {
      timeout: cmd.timeoutMs,
      reject: false,
      stdin: 'ignore',
      windowsHide: true,
      maxBuffer: MAX_OUTPUT_BYTES,
    });
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    let stderr = typeof result.stderr === 'string' ? result.stderr : '';
    // No exit code: the program could not start (not installed) or was killed.
    if (result.exitCode === undefined && stderr === '') stderr = result.shortMessage ?? `${cmd.file} failed`;
    return { exitCode: result.exitCode ?? (result.timedOut ? 124 : 127), stdout, stderr, timedOut: result.timedOut };
  };
}
