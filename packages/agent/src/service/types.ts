// The agent as a per-user service: what the generators need and what the installers do.
// Everything a plan depends on is passed in, so plans are pure and installers testable.

export type ServicePlatform = 'linux' | 'darwin' | 'win32';

export interface ServiceContext {
  platform: ServicePlatform;
  /** Absolute path of the node executable (process.execPath). */
  nodePath: string;
  /** Absolute path of the CLI's bin script (packages/cli/dist/bundle/bin.js as installed). */
  cliPath: string;
  /** The crosstalk home the service must use; always set explicitly as CROSSTALK_HOME. */
  crosstalkHome: string;
  /** The user's home directory (os.homedir()). */
  homeDir: string;
  /** Linux: XDG_CONFIG_HOME when set; systemd then looks for user units there instead of ~/.config. */
  xdgConfigHome?: string | undefined;
  /** `--log-level` for `crosstalk agent run`; the agent's default when absent. */
  logLevel?: string | undefined;
  /** Extra environment for the service, e.g. NODE_EXTRA_CA_CERTS for a relay behind a private CA. */
  environment?: Readonly<Record<string, string>> | undefined;
  /** macOS: the user's numeric id, for the `gui/<uid>` launchd domain. */
  uid?: number | undefined;
  /** Windows: the account the task runs as and whose logon starts it (`DOMAIN\user`). */
  windowsUser?: string | undefined;
}

export interface ServiceFile {
  path: string;
  content: string | Uint8Array;
  /** POSIX mode of the file. */
  mode: number;
}

export interface ServiceCommand {
  file: string;
  args: string[];
  timeoutMs: number;
  /** A failure is expected and harmless (stopping a service that is not loaded). */
  ignoreFailure?: boolean;
}

export interface ServiceCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the command was killed for running past its timeout. */
  timedOut?: boolean;
}

/** Runs one command without a shell. Production: execa with an argument array and a timeout. */
export type ServiceRunner = (command: ServiceCommand) => Promise<ServiceCommandResult>;

export interface ServiceInstallPlan {
  /** Directories to create first (log directories launchd will not create). */
  dirs: string[];
  files: ServiceFile[];
  commands: ServiceCommand[];
  /** What the service will not get as asked, with what to do instead. */
  warnings: string[];
}

export interface ServiceUninstallPlan {
  /** Commands that stop and unregister the service, run before the files go. */
  commands: ServiceCommand[];
  /** Files the install wrote. */
  files: string[];
  /** Commands to run after the files are gone (systemd re-reads its units). */
  after: ServiceCommand[];
}

export interface ServiceStatus {
  platform: ServicePlatform;
  /** The unit, plist or task that defines the service. */
  definition: string;
  installed: boolean;
  running: boolean;
  /** The service manager's own word for the state (`active`, `running`, `Ready`, …). */
  state: string;
  /** The service manager's message when it could not answer. */
  detail?: string;
}
