import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { SpawnOptions } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import type { LockReason } from '../../../electron/host-api';
import {
  logindLineReason,
  logindSessionPath,
  SESSION_MONITORS,
  watchLinuxSessionLock,
  type MonitorChild,
  type SpawnMonitor,
} from '../../../electron/linux-session-lock';

/** A child process that emits what the test writes to its stdout. */
class FakeChild extends EventEmitter implements MonitorChild {
  readonly stdout = new PassThrough();
  readonly kill = vi.fn((_signal?: NodeJS.Signals) => true);
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly options: SpawnOptions,
  ) {
    super();
  }
  /** Writes output lines, then lets the stream deliver them. */
  async print(...lines: string[]): Promise<void> {
    this.stdout.write(lines.map((line) => `${line}\n`).join(''));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const OUR_SESSION = '/org/freedesktop/login1/session/_32';
const OTHER_SESSION = '/org/freedesktop/login1/session/_35';

// Captured from gdbus monitor and dbus-monitor (GLib 2.x, dbus 1.14).
const GDBUS_PREAMBLE = [
  'Monitoring signals from all objects owned by org.freedesktop.login1',
  'The name org.freedesktop.login1 is owned by :1.3',
];
const lockLine = (path: string) => `${path}: org.freedesktop.login1.Session.Lock ()`;
const lockedHintLine = (path: string, value: boolean) =>
  `${path}: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.login1.Session', {'LockedHint': <${value}>}, @as [])`;
const sleepLine = (value: boolean) =>
  `/org/freedesktop/login1: org.freedesktop.login1.Manager.PrepareForSleep (${value},)`;
const DBUS_MONITOR_PREAMBLE = [
  'signal time=1796190728.442127 sender=org.freedesktop.DBus -> destination=:1.0 serial=2 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameAcquired',
  '   string ":1.0"',
  'signal time=1796190728.442255 sender=org.freedesktop.DBus -> destination=:1.0 serial=4 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameLost',
  '   string ":1.0"',
];
const activeChanged = (path: string, iface: string, value: boolean) => [
  `signal time=1796190729.510912 sender=:1.2 -> destination=(null destination) serial=2 path=${path}; interface=${iface}; member=ActiveChanged`,
  `   boolean ${value}`,
];

function start(options: { sessionId?: string; platform?: NodeJS.Platform; spawn?: SpawnMonitor } = {}) {
  const children: FakeChild[] = [];
  const spawn = vi.fn<SpawnMonitor>(
    options.spawn ??
      ((command, args, spawnOptions) => {
        const child = new FakeChild(command, args, spawnOptions);
        children.push(child);
        return child;
      }),
  );
  const requestLock = vi.fn<(reason: LockReason) => void>();
  let clock = 1_000_000;
  const watcher = watchLinuxSessionLock({
    platform: options.platform ?? 'linux',
    sessionId: 'sessionId' in options ? options.sessionId : '2',
    requestLock,
    spawn,
    now: () => clock,
  });
  const gdbus = () => children.find((child) => child.command === 'gdbus')!;
  const dbusMonitor = () => children.find((child) => child.command === 'dbus-monitor')!;
  return {
    watcher,
    spawn,
    requestLock,
    children,
    gdbus,
    dbusMonitor,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('the monitors it starts', () => {
  it('starts nothing on macOS or Windows (Electron reports their screen lock)', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { spawn, watcher } = start({ platform });
      expect(spawn).not.toHaveBeenCalled();
      expect(() => watcher.stop()).not.toThrow();
    }
  });

  it('runs exactly the fixed commands, without a shell, reading only their stdout', () => {
    const { spawn } = start();
    expect(spawn.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['gdbus', ['monitor', '--system', '--dest', 'org.freedesktop.login1']],
      ['dbus-monitor', ['--session', "type='signal',member='ActiveChanged'"]],
    ]);
    for (const [, , options] of spawn.mock.calls) {
      expect(options.shell).toBe(false);
      expect(options.stdio).toEqual(['ignore', 'pipe', 'ignore']);
    }
    // No argument is built at run time: the same list whatever the session.
    expect(start({ sessionId: 'c7' }).spawn.mock.calls.map(([, args]) => args)).toEqual(
      SESSION_MONITORS.map((monitor) => monitor.args),
    );
  });
});

describe('logind (gdbus monitor --system)', () => {
  it("locks once on our session's Lock signal", async () => {
    const { gdbus, requestLock } = start();
    await gdbus().print(...GDBUS_PREAMBLE, lockLine(OUR_SESSION));
    expect(requestLock.mock.calls).toEqual([['lock-screen']]);
  });

  it('locks when our session reports LockedHint true, not false', async () => {
    const { gdbus, requestLock } = start();
    await gdbus().print(lockedHintLine(OUR_SESSION, false));
    expect(requestLock).not.toHaveBeenCalled();
    await gdbus().print(lockedHintLine(OUR_SESSION, true));
    expect(requestLock.mock.calls).toEqual([['lock-screen']]);
  });

  it("ignores another session's lock when ours is known", async () => {
    const { gdbus, requestLock } = start();
    await gdbus().print(lockLine(OTHER_SESSION), lockedHintLine(OTHER_SESSION, true));
    expect(requestLock).not.toHaveBeenCalled();
  });

  it('takes any session lock when our session is unknown', async () => {
    const { gdbus, requestLock } = start({ sessionId: undefined });
    await gdbus().print(lockLine(OTHER_SESSION));
    expect(requestLock.mock.calls).toEqual([['lock-screen']]);
  });

  it('locks on PrepareForSleep(true) as a suspend, not on the wake-up', async () => {
    const { gdbus, requestLock } = start();
    await gdbus().print(sleepLine(false));
    expect(requestLock).not.toHaveBeenCalled();
    await gdbus().print(sleepLine(true));
    expect(requestLock.mock.calls).toEqual([['suspend']]);
  });

  it('ignores unrelated lines', async () => {
    const { gdbus, requestLock } = start();
    await gdbus().print(
      ...GDBUS_PREAMBLE,
      `${OUR_SESSION}: org.freedesktop.login1.Session.Unlock ()`,
      `${OUR_SESSION}: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.login1.Session', {'IdleHint': <true>, 'IdleSinceHint': <uint64 1700000000>}, @as [])`,
      `${OUR_SESSION}: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.login1.Session', {}, @as ['LockedHint'])`,
      "/org/freedesktop/login1: org.freedesktop.login1.Manager.SessionNew ('3', objectpath '/org/freedesktop/login1/session/_33')",
      "/org/freedesktop/login1: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.login1.Manager', {'LidClosed': <true>}, @as [])",
      `x${lockLine(OUR_SESSION)}`,
      `${lockLine(OUR_SESSION)} trailing`,
      '',
    );
    expect(requestLock).not.toHaveBeenCalled();
  });

  it('reads lines split across chunks and CRLF endings', async () => {
    const { gdbus, requestLock } = start();
    const line = lockLine(OUR_SESSION);
    gdbus().stdout.write(line.slice(0, 20));
    await new Promise((resolve) => setImmediate(resolve));
    expect(requestLock).not.toHaveBeenCalled();
    gdbus().stdout.write(`${line.slice(20)}\r\n`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(requestLock.mock.calls).toEqual([['lock-screen']]);
  });

  it('drops an overlong line whole, including its tail', async () => {
    const { gdbus, requestLock } = start();
    // 20,000 characters and no newline yet: more than it keeps.
    gdbus().stdout.write('y'.repeat(20_000));
    await new Promise((resolve) => setImmediate(resolve));
    // The rest of that line looks like a lock, but it is not a line of its own.
    await gdbus().print(lockLine(OUR_SESSION));
    expect(requestLock).not.toHaveBeenCalled();
    await gdbus().print(lockLine(OUR_SESSION));
    expect(requestLock.mock.calls).toEqual([['lock-screen']]);
  });
});

describe('screen saver (dbus-monitor --session)', () => {
  it.each([
    ['/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver'],
    ['/org/freedesktop/ScreenSaver', 'org.freedesktop.ScreenSaver'],
    ['/ScreenSaver', 'org.freedesktop.ScreenSaver'],
    ['/org/cinnamon/ScreenSaver', 'org.cinnamon.ScreenSaver'],
  ])('locks on ActiveChanged(true) from %s', async (path, iface) => {
    const { dbusMonitor, requestLock } = start();
    await dbusMonitor().print(...DBUS_MONITOR_PREAMBLE, ...activeChanged(path, iface, true));
    expect(requestLock.mock.calls).toEqual([['lock-screen']]);
  });

  it('does not lock on ActiveChanged(false)', async () => {
    const { dbusMonitor, requestLock } = start();
    await dbusMonitor().print(...activeChanged('/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver', false));
    expect(requestLock).not.toHaveBeenCalled();
  });

  it('ignores ActiveChanged from other interfaces, and other signals', async () => {
    const { dbusMonitor, requestLock } = start();
    await dbusMonitor().print(
      ...DBUS_MONITOR_PREAMBLE,
      ...activeChanged('/org/example', 'org.example.Player', true),
      ...activeChanged('/org/example', 'org.example.ScreenSaverSettings', true),
      'signal time=1.0 sender=:1.9 -> destination=(null destination) serial=3 path=/org/gnome/ScreenSaver; interface=org.gnome.ScreenSaver; member=WakeUpScreen',
      '   boolean true',
    );
    expect(requestLock).not.toHaveBeenCalled();
  });

  it('reads only the first argument after the header', async () => {
    const { dbusMonitor, requestLock } = start();
    await dbusMonitor().print(
      ...activeChanged('/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver', false),
      '   boolean true',
    );
    expect(requestLock).not.toHaveBeenCalled();
  });
});

describe('several sources for one lock', () => {
  it('counts lock requests within two seconds once', async () => {
    const { gdbus, dbusMonitor, requestLock, advance } = start();
    await gdbus().print(lockedHintLine(OUR_SESSION, true));
    await dbusMonitor().print(...activeChanged('/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver', true));
    await gdbus().print(lockLine(OUR_SESSION));
    expect(requestLock).toHaveBeenCalledTimes(1);
    advance(2000);
    await gdbus().print(lockLine(OUR_SESSION));
    expect(requestLock).toHaveBeenCalledTimes(2);
  });
});

describe('failures stay inside', () => {
  it('survives a missing binary (spawn error) and a monitor that exits', () => {
    const { gdbus, dbusMonitor, requestLock, watcher } = start();
    expect(() =>
      gdbus().emit('error', Object.assign(new Error('spawn gdbus ENOENT'), { code: 'ENOENT' })),
    ).not.toThrow();
    expect(() => dbusMonitor().emit('exit', 1, null)).not.toThrow();
    expect(() => watcher.stop()).not.toThrow();
    expect(gdbus().kill).not.toHaveBeenCalled();
    expect(dbusMonitor().kill).not.toHaveBeenCalled();
    expect(requestLock).not.toHaveBeenCalled();
  });

  it('survives spawn throwing, and still starts the other monitor', async () => {
    const children: FakeChild[] = [];
    const { requestLock } = start({
      spawn: (command, args, options) => {
        if (command === 'gdbus') throw new Error('EACCES');
        const child = new FakeChild(command, args, options);
        children.push(child);
        return child;
      },
    });
    expect(children.map((child) => child.command)).toEqual(['dbus-monitor']);
    await children[0]!.print(...activeChanged('/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver', true));
    expect(requestLock).toHaveBeenCalledTimes(1);
  });

  it('survives a stdout error and a throwing lock request', async () => {
    const { gdbus, requestLock } = start();
    requestLock.mockImplementation(() => {
      throw new Error('window gone');
    });
    await expect(gdbus().print(lockLine(OUR_SESSION))).resolves.toBeUndefined();
    expect(requestLock).toHaveBeenCalledTimes(1);
    expect(() => gdbus().stdout.emit('error', new Error('EPIPE'))).not.toThrow();
  });
});

describe('stop', () => {
  it('kills the running monitors and ignores what they print afterwards', async () => {
    const { gdbus, dbusMonitor, requestLock, watcher } = start();
    watcher.stop();
    expect(gdbus().kill).toHaveBeenCalledWith('SIGTERM');
    expect(dbusMonitor().kill).toHaveBeenCalledWith('SIGTERM');
    await gdbus().print(lockLine(OUR_SESSION));
    expect(requestLock).not.toHaveBeenCalled();
    watcher.stop();
    expect(gdbus().kill).toHaveBeenCalledTimes(1);
  });
});

describe('logindSessionPath', () => {
  it.each([
    ['2', '/org/freedesktop/login1/session/_32'],
    ['12', '/org/freedesktop/login1/session/_312'],
    ['c1', '/org/freedesktop/login1/session/c1'],
    ['a-b', '/org/freedesktop/login1/session/a_2db'],
  ])('escapes session %s as logind does', (id, path) => {
    expect(logindSessionPath(id)).toBe(path);
  });

  it('is null without a session id', () => {
    expect(logindSessionPath(undefined)).toBeNull();
    expect(logindSessionPath('')).toBeNull();
  });

  it('matches only the exact path', () => {
    expect(logindLineReason(lockLine(`${OUR_SESSION}0`), OUR_SESSION)).toBeNull();
    expect(logindLineReason(lockLine(OUR_SESSION), OUR_SESSION)).toBe('lock-screen');
  });
});
