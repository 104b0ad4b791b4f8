/**
 * Will Chromium's sandbox start for an unpackaged Electron on this Linux?
 *
 * Chromium sandboxes renderers with unprivileged user namespaces and falls
 * back to the SUID helper `chrome-sandbox` when it may not create them.
 * Ubuntu 24.04 and later forbid unprivileged user namespaces to programs
 * without an AppArmor profile (`kernel.apparmor_restrict_unprivileged_userns`);
 * some kernels switch them off altogether. npm installs `chrome-sandbox`
 * owned by the user, not SUID root, so on such a machine Electron aborts
 * with a cryptic message before any of the app's code runs. The installed
 * .deb is fine: its post-install script loads an AppArmor profile.
 *
 * This check reads only the kernel switches and the helper's owner and mode,
 * and says exactly what to run. It never suggests --no-sandbox: the app
 * refuses to start without its sandbox.
 */
import { readFileSync, statSync } from 'node:fs';

/** The kernel switches that decide whether unprivileged user namespaces work. */
export const USERNS_SWITCHES = Object.freeze({
  apparmorRestrict: '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
  debianClone: '/proc/sys/kernel/unprivileged_userns_clone',
  maxUserNamespaces: '/proc/sys/user/max_user_namespaces',
});

/** @param {string} path @param {(path: string) => string} readFile */
function readSwitch(path, readFile) {
  try {
    return readFile(path).trim();
  } catch {
    return null;
  }
}

/**
 * Why unprivileged user namespaces are unavailable, or null when they are.
 * @param {(path: string) => string} readFile
 */
export function usernsBlockedBy(readFile) {
  if (readSwitch(USERNS_SWITCHES.apparmorRestrict, readFile) === '1') return 'apparmor';
  if (readSwitch(USERNS_SWITCHES.debianClone, readFile) === '0') return 'kernel';
  if (readSwitch(USERNS_SWITCHES.maxUserNamespaces, readFile) === '0') return 'kernel';
  return null;
}

/** True when the helper is owned by root and has the set-user-id bit with mode 4755. */
export function isSuidRoot(stats) {
  return stats.uid === 0 && (stats.mode & 0o4000) !== 0 && (stats.mode & 0o777) === 0o755;
}

/**
 * @param {{
 *   platform: string,
 *   uid: number | undefined,
 *   electronBinary: string,
 *   chromeSandbox: string,
 *   readFile?: (path: string) => string,
 *   stat?: (path: string) => { uid: number, mode: number },
 * }} options
 * @returns {{ ok: true } | { ok: false, message: string }}
 */
export function checkLinuxSandbox(options) {
  const { platform, uid, electronBinary, chromeSandbox } = options;
  const readFile = options.readFile ?? ((path) => readFileSync(path, 'utf8'));
  const stat = options.stat ?? statSync;
  if (platform !== 'linux') return { ok: true };

  if (uid === 0) {
    return {
      ok: false,
      message: [
        'Evidence Vault will not start as root: Chromium refuses to sandbox a root process, and the app never',
        'runs without its sandbox. Start it as your ordinary user.',
      ].join('\n'),
    };
  }

  const blocked = usernsBlockedBy(readFile);
  if (blocked === null) return { ok: true };

  let helper;
  try {
    helper = stat(chromeSandbox);
  } catch {
    return {
      ok: false,
      message: `Electron's sandbox helper is missing (${chromeSandbox}). Run \`npm install\` once with network access.`,
    };
  }
  if (isSuidRoot(helper)) return { ok: true };

  const why =
    blocked === 'apparmor'
      ? 'This system lets only programs with an AppArmor profile create user namespaces (Ubuntu 24.04 and later)'
      : 'This kernel does not allow unprivileged user namespaces';
  return {
    ok: false,
    message: [
      `${why}, so Chromium's sandbox needs its set-user-id helper, and npm installed it without that.`,
      'Evidence Vault never runs without the sandbox. Fix it once (again after each `npm install` that updates Electron):',
      '',
      `  sudo chown root:root '${chromeSandbox}'`,
      `  sudo chmod 4755 '${chromeSandbox}'`,
      '',
      ...(blocked === 'apparmor'
        ? [
            'Or, instead, give the development Electron an AppArmor profile that allows user namespaces:',
            '',
            `  printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile evidence-vault-dev "%s" flags=(unconfined) {\\n  userns,\\n}\\n' '${electronBinary}' \\`,
            '    | sudo tee /etc/apparmor.d/evidence-vault-dev >/dev/null',
            '  sudo apparmor_parser -r /etc/apparmor.d/evidence-vault-dev',
            '',
          ]
        : []),
      'The installed .deb package needs neither: it sets this up itself.',
    ].join('\n'),
  };
}
