import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { find, parseXml, splitWindowsArgs } from './__fixtures__/xml.js';
import { planServiceInstall } from './plan.js';
import { encodeUtf16le, parseTaskState, quoteWindowsArg, renderEnvFile, renderTaskXml, taskPaths } from './schtasks.js';
import type { ServiceContext } from './types.js';

const base: ServiceContext = {
  platform: 'win32',
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  cliPath: 'C:\\Users\\me\\AppData\\Roaming\\npm\\node_modules\\crosstalk\\dist\\bin.js',
  crosstalkHome: 'C:\\Users\\me\\.crosstalk',
  homeDir: 'C:\\Users\\me',
  windowsUser: 'LAPTOP\\me',
};

function decodeTask(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes);
  expect([...buf.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  return buf.subarray(2).toString('utf16le');
}

describe('scheduled task', () => {
  it("starts `agent run` at the user's logon in the user's interactive session, restarts it, never stops it", () => {
    const task = parseXml(renderTaskXml({ ...base, logLevel: 'warn' }));
    expect(task.name).toBe('Task');
    expect(task.attrs.xmlns).toBe('http://schemas.microsoft.com/windows/2004/02/mit/task');
    expect(find(task, 'Triggers', 'LogonTrigger', 'UserId').text).toBe('LAPTOP\\me');
    expect(find(task, 'Triggers', 'LogonTrigger', 'Enabled').text).toBe('true');
    expect(find(task, 'Principals', 'Principal', 'UserId').text).toBe('LAPTOP\\me');
    expect(find(task, 'Principals', 'Principal', 'LogonType').text).toBe('InteractiveToken');
    expect(find(task, 'Settings', 'ExecutionTimeLimit').text).toBe('PT0S');
    expect(find(task, 'Settings', 'RestartOnFailure', 'Interval').text).toBe('PT1M');
    expect(Number(find(task, 'Settings', 'RestartOnFailure', 'Count').text)).toBeGreaterThan(0);
    expect(find(task, 'Settings', 'DisallowStartIfOnBatteries').text).toBe('false');
    expect(find(task, 'Settings', 'StopIfGoingOnBatteries').text).toBe('false');
    expect(find(task, 'Actions', 'Exec', 'Command').text).toBe('"C:\\Program Files\\nodejs\\node.exe"');
    expect(splitWindowsArgs(find(task, 'Actions', 'Exec', 'Arguments').text)).toEqual([
      `--env-file=${taskPaths(base).envFile}`,
      base.cliPath,
      'agent',
      'run',
      '--log-level',
      'warn',
    ]);
    expect(find(task, 'Actions', 'Exec', 'WorkingDirectory').text).toBe('C:\\Users\\me');
  });

  it('is written as UTF-16 with a byte order mark, as its declaration says', () => {
    const plan = planServiceInstall(base);
    const xmlFile = plan.files.find((f) => f.path === taskPaths(base).xml)!;
    const text = decodeTask(xmlFile.content as Uint8Array);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-16"?>')).toBe(true);
    expect(text).toBe(renderTaskXml(base));
    expect(decodeTask(encodeUtf16le('é ✓ 𝄞'))).toBe('é ✓ 𝄞');
  });

  it('escapes XML in the user name and every path', () => {
    const hostile = 'C:\\Users\\O\'Brien & <Co> "x"';
    const ctx = { ...base, windowsUser: "DOM\\O'Brien & <Co>", nodePath: `${hostile}\\node.exe`, cliPath: `${hostile}\\bin.js`, homeDir: hostile };
    const task = parseXml(renderTaskXml(ctx));
    expect(find(task, 'Triggers', 'LogonTrigger', 'UserId').text).toBe("DOM\\O'Brien & <Co>");
    expect(find(task, 'Actions', 'Exec', 'Command').text).toBe(`"${hostile}\\node.exe"`);
    expect(splitWindowsArgs(find(task, 'Actions', 'Exec', 'Arguments').text)[1]).toBe(`${hostile}\\bin.js`);
    expect(find(task, 'Actions', 'Exec', 'WorkingDirectory').text).toBe(hostile);
  });

  it('quotes arguments so the Windows command-line parser gives them back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Z \t"\\:.]{0,12}$/), { minLength: 1, maxLength: 5 }), (args) => {
        expect(splitWindowsArgs(args.map(quoteWindowsArg).join(' '))).toEqual(args);
      }),
    );
    expect(quoteWindowsArg('C:\\a b\\')).toBe('"C:\\a b\\\\"');
    expect(quoteWindowsArg('plain')).toBe('plain');
    expect(quoteWindowsArg('')).toBe('""');
  });

  it('reads the Status column of `schtasks /Query /FO CSV /NH`', () => {
    expect(parseTaskState('\r\n"\\crosstalk-agent","N/A","Running"\r\n')).toBe('Running');
    expect(parseTaskState('"\\crosstalk-agent","21.11.2026 09:00:00","Bereit"')).toBe('Bereit');
    expect(parseTaskState('ERROR: The system cannot find the file specified.')).toBeUndefined();
  });
});

describe('the env file the task passes to node', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ct-env-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives node exactly the values, backslashes, quotes and all', async () => {
    const values = {
      home: "C:\\Users\\O'Brien\\new dir\\.crosstalk # not a comment",
      other: 'C:\\tmp\\`tick`\\n\\x $HOME "q"',
    };
    const ctx = { ...base, crosstalkHome: values.home, environment: { CROSSTALK_EXTRA: values.other } };
    const file = join(dir, 'agent.env');
    await writeFile(file, renderEnvFile(ctx));
    const r = spawnSync(
      process.execPath,
      [`--env-file=${file}`, '-e', 'process.stdout.write(JSON.stringify([process.env.CROSSTALK_HOME, process.env.CROSSTALK_EXTRA]))'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([values.home, values.other]);
  });

  it('refuses a value it cannot quote and warns about variables node reads before the env file', () => {
    expect(() => renderEnvFile({ ...base, crosstalkHome: "C:\\a'b`c" })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    const plan = planServiceInstall({ ...base, environment: { NODE_EXTRA_CA_CERTS: 'C:\\ca.crt' } });
    expect(plan.warnings).toEqual([expect.stringMatching(/^NODE_EXTRA_CA_CERTS .*setx NODE_EXTRA_CA_CERTS/)]);
    expect(renderEnvFile({ ...base, environment: { NODE_EXTRA_CA_CERTS: 'C:\\ca.crt' } })).not.toContain('NODE_EXTRA_CA_CERTS');
  });
});
