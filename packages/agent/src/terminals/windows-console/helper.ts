// The short-lived Windows helper: `node helper.js <pid> <settle ms> [<kind> <submit ms>]`, with
// the base64 INPUT_RECORDs of the text on stdin (a command line could not hold the longest line).
// Prints one JSON WakeOutcome line. `helper.js screen <pid> <rows>` prints the console's screen
// (screen.ts), `helper.js interrupt <pid>` sends its programs CTRL+C, each as one JSON line. It runs in
// its own process because attaching to a console detaches the caller from its own.
import { enterRecords, INPUT_RECORD_SIZE } from './records.js';
import { typeIntoConsole } from './sequence.js';
import { loadConsoleControl, loadKernel32 } from './kernel32.js';
import { interruptConsole, MAX_SCREEN_ROWS, readScreen } from './screen.js';
import { screenReaderFor } from '../screens/index.js';
import { failed, sleep, type WakeOutcome } from '../types.js';

/** The most stdin the helper reads: base64 of 64 Ki records. */
const HELPER_MAX_INPUT = Math.ceil((65_536 * INPUT_RECORD_SIZE * 4) / 3) + 16;

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > HELPER_MAX_INPUT) throw new Error('too much input');
  }
  return text.trim();
}

async function main(argv: readonly string[]): Promise<WakeOutcome> {
  const pid = Number(argv[0]);
  const settleMs = Number(argv[1]);
  const kind = argv[2];
  const submitMs = Number(argv[3] ?? 1_500);
  if (!Number.isSafeInteger(pid) || pid <= 0) return failed('wake-error', 'helper: bad pid');
  if (!Number.isFinite(settleMs) || settleMs < 0 || settleMs > 60_000) return failed('wake-error', 'helper: bad settle time');
  if (kind !== undefined && kind !== 'claude-code' && kind !== 'codex' && kind !== 'other') return failed('wake-error', 'helper: bad kind');
  if (!Number.isFinite(submitMs) || submitMs < 0 || submitMs > 60_000) return failed('wake-error', 'helper: bad submit time');
  const base64 = await readStdin();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return failed('wake-error', 'helper: records are not base64');
  const text = Buffer.from(base64, 'base64');
  if (text.length === 0 || text.length % INPUT_RECORD_SIZE !== 0) return failed('wake-error', 'helper: bad record buffer');
  if (process.platform !== 'win32') return failed('wake-error', 'helper: console wake-ups work only on Windows');
  let k32: Awaited<ReturnType<typeof loadKernel32>>;
  try {
    k32 = await loadKernel32();
  } catch (error) {
    return failed('wake-error', `helper: cannot load kernel32 through koffi: ${error instanceof Error ? error.message : String(error)}`);
  }
  return typeIntoConsole(k32, { pid, text, enter: enterRecords(), settleMs, sleep, reader: screenReaderFor(kind), submitMs });
}

/** `screen` and `interrupt`: one JSON line, `{error}` when it could not be done. */
async function other(mode: string, argv: readonly string[]): Promise<unknown> {
  const pid = Number(argv[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return { error: 'helper: bad pid' };
  if (process.platform !== 'win32') return { error: 'helper: consoles exist only on Windows' };
  const k32 = await loadKernel32();
  if (mode === 'interrupt') return interruptConsole(k32, await loadConsoleControl(), pid);
  const rows = Number(argv[1]);
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_SCREEN_ROWS) return { error: 'helper: bad row count' };
  return readScreen(k32, pid, rows);
}

const argv = process.argv.slice(2);
if (argv[0] === 'screen' || argv[0] === 'interrupt') {
  void other(argv[0], argv.slice(1))
    .catch((error: unknown) => ({ error: `helper: ${error instanceof Error ? error.message : String(error)}` }))
    .then((answer) => process.stdout.write(`${JSON.stringify(answer)}\n`));
} else
  void main(argv)
    .catch((error: unknown) => failed('wake-error', `helper: ${error instanceof Error ? error.message : String(error)}`))
    .then((outcome) => {
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
    });
