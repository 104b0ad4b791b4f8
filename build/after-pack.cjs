'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads hooks as CommonJS */
/**
 * electron-builder afterPack hook: flips the Electron fuses of the packaged
 * binary (before signing), then reads them back.
 */
const path = require('node:path');
const { fuseTable, isE2eBuild } = require('./fuses.cjs');

/** Where the Electron binary (or .app bundle) lives in the packed output. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`after-pack: unsupported platform ${electronPlatformName}`);
  }
}

/** Maps the name-keyed table onto FuseV1Options and demands full coverage. */
function toFuseConfig(table, { FuseV1Options, FuseVersion }) {
  const names = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
  const missing = names.filter((name) => !(name in table));
  const unknown = Object.keys(table).filter((name) => !names.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `after-pack: fuse table out of date (missing: ${missing.join(', ') || '-'}; unknown: ${unknown.join(', ') || '-'})`,
    );
  }
  const config = { version: FuseVersion.V1, strictlyRequireAllFuses: true };
  for (const name of names) config[FuseV1Options[name]] = table[name];
  return config;
}

async function afterPack(context) {
  // @electron/fuses is ESM-only.
  const fuses = await import('@electron/fuses');
  const table = fuseTable({ e2e: isE2eBuild() });
  const config = toFuseConfig(table, fuses);
  const binary = electronBinaryPath(context);
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';

  // Patching the binary breaks its ad-hoc signature; macOS arm64 refuses to
  // start an unsigned binary, so re-sign ad hoc (real signing happens later).
  await fuses.flipFuses(binary, { ...config, resetAdHocDarwinSignature: isMac });

  const wire = await fuses.getCurrentFuseWire(binary);
  for (const [name, wanted] of Object.entries(table)) {
    const state = wire[fuses.FuseV1Options[name]];
    const expected = wanted ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE;
    if (state !== expected) throw new Error(`after-pack: fuse ${name} reads back as ${String(state)}`);
  }
  console.log(`after-pack: fuses set${isE2eBuild() ? ' (e2e build: inspector arguments enabled)' : ''}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.toFuseConfig = toFuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
