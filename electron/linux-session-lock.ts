/**
 * Linux: lock the vault when the desktop session locks.
 *
 * Electron's powerMonitor reports 'lock-screen' only on macOS and Windows. On
 * Linux the session's lock is announced on D-Bus, which Electron does not
 * expose, and a native module is not worth its risk for it. So this watches
 * two stock command-line monitors and reads their output line by line:
 *
 * - `gdbus monitor --system --dest org.freedesktop.login1` (GLib): logind's
 *   Session `Lock` signal and the session's `LockedHint` turning true (what
 *   GNOME, KDE and others set when their lock screen is up), plus
 *   `PrepareForSleep(true)` (Electron's own 'suspend' covers it too; this is
 *   a second source). `gdbus monitor` only adds ordinary match rules, so it
 *   works unprivileged, and it shows only signals sent by logind itself.
 * - `dbus-monitor --session` for `ActiveChanged(true)` on any `*.ScreenSaver`
 *   interface (org.freedesktop.ScreenSaver, org.gnome.ScreenSaver, …): the
 *   screen saver or lock screen came up.
 *
 * Everything here is best effort. A missing tool, a missing bus, a monitor
 * that exits: the watcher falls silent and the vault still locks after the
 * idle time and on suspend. Nothing in here may throw into the main process.
 *
 * Why spawning is safe here: the commands and their arguments are constants
 * of this file (nothing from the renderer, the user or a file reaches them),
 * there is no shell (`spawn` execs the binary directly, so no quoting or
 * metacharacters are interpreted), and the binaries are found on the user's
 * own PATH, which only someone who can already run code as the user can
 * change. The monitors get no stdin; their output is only matched against
 * fixed patterns, and the worst a forged line can do is lock the vault.
 */
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import type { LockReason } from './host-api';

/** The part of a ChildProcess this module uses (a test passes a fake). */
export interface MonitorChild {
  readonly stdout: NodeJS.ReadableStream | null;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: () => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
}

export type SpawnMonitor = (command: string, args: readonly string[], options: SpawnOptions) => MonitorChild;

type LineParser = (line: string) => LockReason | null;

const LOGIND_SESSION_PREFIX = '/org/freedesktop/login1/session/';

/**
 * logind's object path for a session id, escaped as sd-bus escapes labels:
 * every byte that is not [A-Za-z0-9], and a leading digit, becomes _xx.
 * Session "2" is /org/freedesktop/login1/session/_32, "c1" is …/c1.
 */
export function logindSessionPath(sessionId: string | undefined): string | null {
  if (!sessionId || sessionId.length > 64) return null;
  let label = '';
  for (const byte of Buffer.from(sessionId, 'utf8')) {
    const char = String.fromCharCode(byte);
    const keep = /[A-Za-z]/.test(char) || (label.length > 0 && /[0-9]/.test(char));
    label += keep ? char : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return LOGIND_SESSION_PREFIX + label;
}

/**
 * One line of `gdbus monitor --system --dest org.freedesktop.login1`, e.g.
 *   /org/freedesktop/login1/session/_32: org.freedesktop.login1.Session.Lock ()
 *   /org/freedesktop/login1/session/_32: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.login1.Session', {'LockedHint': <true>}, @as [])
 *   /org/freedesktop/login1: org.freedesktop.login1.Manager.PrepareForSleep (true,)
 * A session's lock counts when it is our session (`sessionPath`), or any
 * session when ours is unknown (locking too often is the safe mistake).
 */
export function logindLineReason(line: string, sessionPath: string | null): LockReason | null {
  if (/^\/org\/freedesktop\/login1: org\.freedesktop\.login1\.Manager\.PrepareForSleep \(true,?\)$/.test(line))
    return 'suspend';
  const signal = /^(\/org\/freedesktop\/login1\/session\/[A-Za-z0-9_]+): (.*)$/.exec(line);
  if (!signal) return null;
  const [, path, rest = ''] = signal;
  if (sessionPath !== null && path !== sessionPath) return null;
  if (rest === 'org.freedesktop.login1.Session.Lock ()') return 'lock-screen';
  if (
    rest.startsWith("org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.login1.Session', {") &&
    /[{,] ?'LockedHint': <true>[,}]/.test(rest)
  )
    return 'lock-screen';
  return null;
}

/**
 * Lines of `dbus-monitor --session`: a header line per message, then one
 * line per argument, e.g.
 *   signal time=… sender=:1.52 -> destination=(null destination) serial=9 path=/org/gnome/ScreenSaver; interface=org.gnome.ScreenSaver; member=ActiveChanged
 *      boolean true
 */
export function screenSaverLineParser(): LineParser {
  let activeChangedHeader = false;
  return (line) => {
    if (/^(signal|method call|method return|error) /.test(line)) {
      activeChangedHeader = /; interface=[A-Za-z0-9_.]*\.ScreenSaver; member=ActiveChanged$/.test(line);
      return null;
    }
    if (!activeChangedHeader) return null;
    // Only the first argument belongs to the signal we watch.
    activeChangedHeader = false;
    return /^\s*boolean true\s*$/.test(line) ? 'lock-screen' : null;
  };
}

/** The monitors: fixed binaries, fixed arguments (see the comment at the top). */
export const SESSION_MONITORS: readonly {
  command: string;
  args: readonly string[];
  parser: (sessionPath: string | null) => LineParser;
}[] = [
  {
    command: 'gdbus',
    args: ['monitor', '--system', '--dest', 'org.freedesktop.login1'],
    parser: (sessionPath) => (line) => logindLineReason(line, sessionPath),
  },
  {
    command: 'dbus-monitor',
    args: ['--session', "type='signal',member='ActiveChanged'"],
    parser: () => screenSaverLineParser(),
  },
];

/** Longest output line kept; anything longer is nothing we look for. */
const MAX_LINE_CHARS = 16 * 1024;

/** Calls `onLine` for each complete line of `stream`; never throws. */
function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  let discarding = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string | Buffer) => {
    buffered += String(chunk);
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      if (discarding) discarding = false;
      else onLine(line);
    }
    if (buffered.length > MAX_LINE_CHARS) {
      buffered = '';
      discarding = true;
    }
  });
  stream.on('error', () => undefined);
}

export interface SessionLockWatcher {
  /** Ends the monitors (at quit); harmless to call twice. */
  stop(): void;
}

/** Several sources report one screen lock: lock requests this close together count once. */
const COALESCE_MS = 2000;

export function watchLinuxSessionLock(options: {
  platform: NodeJS.Platform;
  requestLock: (reason: LockReason) => void;
  /** $XDG_SESSION_ID, so only our own session's lock counts. */
  sessionId?: string | undefined;
  spawn?: SpawnMonitor;
  now?: () => number;
}): SessionLockWatcher {
  if (options.platform !== 'linux') return { stop: () => undefined };
  const spawn: SpawnMonitor = options.spawn ?? nodeSpawn;
  const now = options.now ?? Date.now;
  const sessionPath = logindSessionPath(options.sessionId);
  const running = new Set<MonitorChild>();
  let stopped = false;
  let lastRequest = Number.NEGATIVE_INFINITY;

  const request = (reason: LockReason): void => {
    if (stopped || now() - lastRequest < COALESCE_MS) return;
    lastRequest = now();
    try {
      options.requestLock(reason);
    } catch {
      // The window may be gone; the next lock source will try again.
    }
  };

  for (const monitor of SESSION_MONITORS) {
    let child: MonitorChild;
    try {
      child = spawn(monitor.command, monitor.args, {
        shell: false,
        stdio: ['ignore', 'pipe', 'ignore'],
        windowsHide: true,
      });
    } catch {
      continue;
    }
    running.add(child);
    // A missing binary (ENOENT) arrives as 'error'; either way this source is gone for good.
    child.on('error', () => running.delete(child));
    child.on('exit', () => running.delete(child));
    const parse = monitor.parser(sessionPath);
    if (child.stdout)
      readLines(child.stdout, (line) => {
        const reason = parse(line);
        if (reason) request(reason);
      });
  }

  return {
    stop() {
      stopped = true;
      for (const child of running) {
        try {
          child.kill('SIGTERM');
        } catch {
          // Already gone.
        }
      }
      running.clear();
    },
  };
}
