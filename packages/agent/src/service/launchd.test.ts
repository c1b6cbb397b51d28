import { describe, expect, it } from 'vitest';
import { parseXml, plistValue } from './__fixtures__/xml.js';
import { launchdPlistPath, parseLaunchdState, renderLaunchdPlist } from './launchd.js';
import type { ServiceContext } from './types.js';

const base: ServiceContext = {
  platform: 'darwin',
  nodePath: '/opt/homebrew/bin/node',
  cliPath: '/opt/homebrew/lib/node_modules/crosstalk/dist/bin.js',
  crosstalkHome: '/Users/u/.crosstalk',
  homeDir: '/Users/u',
  uid: 501,
};

describe('launchd agent', () => {
  it('is a well-formed plist that runs `agent run` at load, keeps it alive and logs to the crosstalk home', () => {
    const plist = plistValue(parseXml(renderLaunchdPlist({ ...base, logLevel: 'info' })));
    expect(plist).toEqual({
      Label: 'dev.crosstalk.agent',
      ProgramArguments: [base.nodePath, base.cliPath, 'agent', 'run', '--log-level', 'info'],
      EnvironmentVariables: { CROSSTALK_HOME: '/Users/u/.crosstalk' },
      WorkingDirectory: '/Users/u',
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 5,
      ProcessType: 'Interactive',
      StandardOutPath: '/Users/u/.crosstalk/logs/agent.out.log',
      StandardErrorPath: '/Users/u/.crosstalk/logs/agent.err.log',
    });
    expect(launchdPlistPath(base)).toBe('/Users/u/Library/LaunchAgents/dev.crosstalk.agent.plist');
  });

  it('escapes XML in every value so paths and variables read back unchanged', () => {
    const hostile = `/Users/a&b <c> "d" 'e' ]]> &amp;`;
    const xml = renderLaunchdPlist({
      ...base,
      nodePath: `${hostile}/node`,
      cliPath: `${hostile}/bin.js`,
      crosstalkHome: `${hostile}/home`,
      environment: { NODE_EXTRA_CA_CERTS: `${hostile}/ca.crt` },
    });
    const plist = plistValue(parseXml(xml)) as Record<string, unknown>;
    expect(plist.ProgramArguments).toEqual([`${hostile}/node`, `${hostile}/bin.js`, 'agent', 'run']);
    expect(plist.EnvironmentVariables).toEqual({ CROSSTALK_HOME: `${hostile}/home`, NODE_EXTRA_CA_CERTS: `${hostile}/ca.crt` });
    expect(plist.StandardErrorPath).toBe(`${hostile}/home/logs/agent.err.log`);
  });

  it('is checked by a reader that refuses malformed XML', () => {
    expect(() => parseXml('<dict><string>a & b</string></dict>')).toThrow(/bad character data/);
    expect(() => parseXml('<dict><string>a</dict></string>')).toThrow(/closes/);
    expect(() => parseXml('<dict><string>a</string>')).toThrow(/unclosed/);
  });

  it('reads the state from `launchctl print`', () => {
    expect(parseLaunchdState('gui/501/dev.crosstalk.agent = {\n\tactive count = 1\n\tstate = running\n\tpid = 812\n}')).toBe('running');
    expect(parseLaunchdState('gui/501/dev.crosstalk.agent = {\n\tstate = not running\n}')).toBe('not running');
    expect(parseLaunchdState('Could not find service')).toBeUndefined();
  });
});
