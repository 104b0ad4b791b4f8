'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this config as CommonJS */
/**
 * electron-builder configuration. Fuses are flipped in after-pack.cjs.
 * EV_E2E_BUILD=1 builds the Playwright artifact (inspector fuse on) into its
 * own folder so it can never be mistaken for a release.
 */
const { isE2eBuild } = require('./fuses.cjs');
const { author } = require('../package.json');

const e2e = isE2eBuild();

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.evidencevault.app',
  productName: 'Evidence Vault',
  directories: {
    output: e2e ? 'release/e2e' : 'release',
    buildResources: 'build',
  },
  // Vite and esbuild bundle everything the app loads into dist/ and
  // dist-electron/, and package.json lists no runtime `dependencies`, so no
  // node_modules are packed (tests/unit/electron/packaging.test.ts checks the
  // packed list).
  files: ['dist/**', 'dist-electron/**', 'package.json', '!**/*.map'],
  asar: true,
  // Pure JS/wasm app: no native modules to rebuild.
  npmRebuild: false,
  // Offline app: nothing is ever uploaded or auto-updated.
  publish: null,
  afterPack: './build/after-pack.cjs',
  linux: {
    // Only the deb: its post-install script gives the app an AppArmor profile
    // that lets Chromium's sandbox start on Ubuntu 24.04 and later. An
    // AppImage mounts nosuid and has no profile there, so it could only run
    // with the sandbox off, which the app refuses.
    target: ['deb'],
    category: 'Office',
    maintainer: `${author.name} <${author.email}>`,
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    hardenedRuntime: true,
  },
};
