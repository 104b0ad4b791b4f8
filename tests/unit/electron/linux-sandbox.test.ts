import { describe, expect, it } from 'vitest';
import { checkLinuxSandbox as check, USERNS_SWITCHES as switches } from '../../../scripts/linux-sandbox.mjs';

type Check = ReturnType<typeof check> & { message?: string };

const BINARY = '/home/dev/ev/node_modules/electron/dist/electron';
const HELPER = '/home/dev/ev/node_modules/electron/dist/chrome-sandbox';
const S_IFREG = 0o100000;

function fakeProc(values: Record<string, string>): (path: string) => string {
  return (path) => {
    const value = values[path];
    if (value === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return `${value}\n`;
  };
}

function run(proc: Record<string, string>, helper: { uid: number; mode: number } | null, uid = 1000): Check {
  return check({
    platform: 'linux',
    uid,
    electronBinary: BINARY,
    chromeSandbox: HELPER,
    readFile: fakeProc(proc),
    stat: (path) => {
      if (path !== HELPER || helper === null) throw new Error(`ENOENT: ${path}`);
      return helper;
    },
  });
}

const userOwned = { uid: 1000, mode: S_IFREG | 0o755 };
const suidRoot = { uid: 0, mode: S_IFREG | 0o4755 };

describe('Linux sandbox preflight of npm start', () => {
  it('passes where unprivileged user namespaces are allowed, whatever the helper', () => {
    expect(run({ [switches.apparmorRestrict]: '0', [switches.maxUserNamespaces]: '63000' }, userOwned)).toEqual({
      ok: true,
    });
    expect(run({}, null)).toEqual({ ok: true });
  });

  it('stops on Ubuntu 24.04 (AppArmor restriction on) with an npm-installed helper, and prints the exact fix', () => {
    const result = run({ [switches.apparmorRestrict]: '1' }, userOwned);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('AppArmor');
    expect(result.message).toContain(`sudo chown root:root '${HELPER}'`);
    expect(result.message).toContain(`sudo chmod 4755 '${HELPER}'`);
    expect(result.message).toContain(BINARY);
    expect(result.message).toContain('apparmor_parser -r');
    expect(result.message).not.toMatch(/^\s*[^\n]*--no-sandbox/m);
  });

  it('passes under the AppArmor restriction once the helper is set-user-id root with mode 4755', () => {
    expect(run({ [switches.apparmorRestrict]: '1' }, suidRoot)).toEqual({ ok: true });
  });

  it.each([
    ['set-user-id but owned by the user', { uid: 1000, mode: S_IFREG | 0o4755 }],
    ['owned by root without set-user-id', { uid: 0, mode: S_IFREG | 0o755 }],
    ['set-user-id root but world-writable', { uid: 0, mode: S_IFREG | 0o4777 }],
  ])('does not accept a helper %s', (_label, helper) => {
    expect(run({ [switches.apparmorRestrict]: '1' }, helper).ok).toBe(false);
  });

  it.each([
    ['Debian kernels with unprivileged_userns_clone = 0', { [switches.debianClone]: '0' }],
    ['kernels with max_user_namespaces = 0', { [switches.maxUserNamespaces]: '0' }],
  ])('stops on %s with only the set-user-id fix', (_label, proc) => {
    const result = run(proc, userOwned);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('sudo chmod 4755');
    expect(result.message).not.toContain('apparmor_parser');
  });

  it('says the helper is missing when Electron was never downloaded', () => {
    const result = run({ [switches.apparmorRestrict]: '1' }, null);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('npm install');
  });

  it('refuses to start as root (Chromium cannot sandbox root)', () => {
    const result = run({}, suidRoot, 0);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('root');
  });

  it('checks nothing on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32']) {
      expect(
        check({
          platform,
          uid: 0,
          electronBinary: BINARY,
          chromeSandbox: HELPER,
          readFile: () => '1',
          stat: () => userOwned,
        }),
      ).toEqual({ ok: true });
    }
  });
});
