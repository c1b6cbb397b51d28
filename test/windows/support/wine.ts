// Windows programs for the tier: the real CLI bundle run by the Windows node.exe under Wine, in a
// Wine prefix of the lab's own (a temp dir, its wineserver killed at cleanup). Wine maps the
// Unix root to Z:, so the repository's node_modules resolve from Z:\… as they do on Linux. A
// Windows program cannot write to a Unix pipe (EBADF), so output goes to files the lab's logs
// show, or to a tmux pane.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { execa } from 'execa';
import { CLI_BIN, type Lab } from '../../harness/index.js';
import type { Proc } from '../../harness/process.js';
import { findWine, findWineserver, WINDOWS_NODE } from './prereqs.js';

/** A Unix path as Windows programs under Wine see it. */
export const winPath = (unix: string): string => `Z:${unix.replace(/\//g, '\\')}`;

export interface WinResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class WinePrefix {
  private runs = 0;

  private constructor(
    private readonly lab: Lab,
    readonly dir: string,
    readonly wine: string,
    /** Prepended to the Windows PATH: a folder with `crosstalk.cmd`, as a global install makes. */
    readonly binDir: string,
  ) {}

  /**
   * A new prefix inside the lab, booted (the first start takes ~9 s, later ones about one).
   * `windows`: Wine's null display driver, so that a program started with a console of its own
   * (CREATE_NEW_CONSOLE) gets one without an X display: its window exists, off any screen.
   */
  static async create(lab: Lab, options: { windows?: boolean } = {}): Promise<WinePrefix> {
    const wine = findWine();
    if (!wine) throw new Error('Wine is not installed');
    const prefix = new WinePrefix(lab, join(lab.dir, 'wine'), wine, join(lab.dir, 'win-bin'));
    await mkdir(prefix.binDir, { recursive: true });
    // What `npm install -g` puts on PATH on Windows: a .cmd that runs node with the CLI.
    await writeFile(join(prefix.binDir, 'crosstalk.cmd'), `@"${winPath(WINDOWS_NODE)}" "${winPath(CLI_BIN)}" %*\r\n`);
    const boot = await prefix.run('boot', ['cmd.exe', '/c', 'exit'], { timeoutMs: 120_000 });
    if (boot.exitCode !== 0) throw new Error(`the Wine prefix did not boot: ${boot.stderr}`);
    if (options.windows) {
      const driver = await prefix.run('null display driver', ['reg', 'add', 'HKCU\\Software\\Wine\\Drivers', '/v', 'Graphics', '/d', 'null', '/f']);
      if (driver.exitCode !== 0) throw new Error(`the null display driver could not be set: ${driver.stderr}`);
      // Read at the next start of the prefix.
      await prefix.kill();
    }
    return prefix;
  }

  /** The user's Windows profile folder in this prefix (C:\users\<user>), as a Unix path. */
  get userProfile(): string {
    return join(this.dir, 'drive_c', 'users', userInfo().username);
  }

  /** The environment of every Wine process: the lab's (no CROSSTALK_HOME: the Windows default applies) plus Wine's. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      ...this.lab.env(),
      WINEPREFIX: this.dir,
      WINEDEBUG: '-all',
      WINEDLLOVERRIDES: 'winemenubuilder.exe=d',
      WINEPATH: winPath(this.binDir),
      NODE_SKIP_PLATFORM_CHECK: '1',
      ...extra,
    };
  }

  /** A Windows program run to its end, its output through files. */
  async run(name: string, argv: string[], options: { timeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<WinResult> {
    const n = ++this.runs;
    const out = join(this.lab.dir, `win-${n}.out`);
    const err = join(this.lab.dir, `win-${n}.err`);
    // Redirected by a shell: execa's own file output goes through a pipe.
    const r = await execa('/bin/sh', ['-c', 'exec "$0" "$@" >"$WIN_OUT" 2>"$WIN_ERR"', this.wine, ...argv], {
      env: this.env({ ...options.env, WIN_OUT: out, WIN_ERR: err }),
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: options.timeoutMs ?? 90_000,
    });
    const result = { exitCode: r.exitCode ?? (r.timedOut ? 124 : -1), stdout: await readFile(out, 'utf8'), stderr: await readFile(err, 'utf8') };
    this.lab.book
      .log(`$ [wine] ${name}: ${argv.join(' ')}`, 20_000)
      .write(`exit ${result.exitCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n`);
    return result;
  }

  /** `crosstalk …` as a Windows program: the real bundle run by node.exe. */
  cli(args: string[], options: { timeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<WinResult> {
    return this.run(`crosstalk ${args.join(' ')}`, [WINDOWS_NODE, winPath(CLI_BIN), ...args], options);
  }

  /** A long-running Windows program (stopped by the lab's cleanup), its output in files the lab's logs show. */
  spawn(name: string, argv: string[], env: Record<string, string | undefined> = {}): Proc {
    const out = join(this.lab.dir, `${name.replace(/\W+/g, '-')}.log`);
    this.lab.attachFile(name, out);
    const script = 'exec "$0" "$@" >>"$WIN_LOG" 2>&1';
    return this.lab.procs.spawn(name, '/bin/sh', ['-c', script, this.wine, ...argv], { env: this.env({ ...env, WIN_LOG: out }) });
  }

  /** Ends every process of the prefix and its wineserver. */
  async kill(): Promise<void> {
    await execa(findWineserver(this.wine), ['-k'], { env: this.env(), extendEnv: false, reject: false, timeout: 30_000 });
  }
}
