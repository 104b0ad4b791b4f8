'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this config as CommonJS */
/**
 * electron-builder configuration. Fuses are flipped in after-pack.cjs.
 * EV_E2E_BUILD=1 builds the Playwright artifact (inspector fuse on) into its
 * own folder so it can never be mistaken for a release.
 */
const { isE2eBuild } = require('./fuses.cjs');

const e2e = isE2eBuild();

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.evidencevault.app',
  productName: 'Evidence Vault',
  directories: {
    output: e2e ? 'release/e2e' : 'release',
    buildResources: 'build',
  },
  files: ['dist/**', 'dist-electron/**', 'package.json', '!**/*.map'],
  asar: true,
  // Pure JS/wasm app: no native modules to rebuild.
  npmRebuild: false,
  // Offline app: nothing is ever uploaded or auto-updated.
  publish: null,
  afterPack: './build/after-pack.cjs',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    maintainer: 'Evidence Vault project',
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
