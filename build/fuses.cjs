'use strict';
/**
 * The Electron fuse settings of every packaged build, as plain data so a unit
 * test can assert each value. Keys are @electron/fuses `FuseV1Options` names;
 * after-pack.cjs refuses to run if Electron has a fuse not listed here.
 */

/**
 * @param {{ e2e?: boolean }} [options] `e2e`: the Playwright artifact, which
 *   needs the inspector arguments to attach; never ship it.
 * @returns {Readonly<Record<string, boolean>>}
 */
function fuseTable(options = {}) {
  return Object.freeze({
    // Use utilityProcess instead; ELECTRON_RUN_AS_NODE turns the app into node.
    RunAsNode: false,
    // Off until builds are signed: it ties the cookie store to the OS key
    // store under the app's signing identity (the macOS keychain prompts for
    // every unsigned build), and the app keeps no cookies anyway. One-way once
    // turned on, so it is turned on together with signing.
    EnableCookieEncryption: false,
    // NODE_OPTIONS could --require arbitrary code into the main process.
    EnableNodeOptionsEnvironmentVariable: false,
    // --inspect would expose the main process to a debugger.
    EnableNodeCliInspectArguments: options.e2e === true,
    // app.asar hash checked at startup (macOS, Windows; no-op on Linux).
    EnableEmbeddedAsarIntegrityValidation: true,
    // Else a loose app/ folder next to app.asar bypasses the integrity check.
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    // We serve from a custom scheme; file:// gets no extra privileges.
    GrantFileProtocolExtraPrivileges: false,
    // libsodium and pdf.js run WebAssembly; trap handlers keep it fast and safe.
    WasmTrapHandlers: true,
  });
}

/** True when building the e2e artifact (EV_E2E_BUILD=1). */
function isE2eBuild(env = process.env) {
  return env.EV_E2E_BUILD === '1';
}

module.exports = { fuseTable, isE2eBuild };
