import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

interface FusesModule {
  fuseTable: (options?: { e2e?: boolean }) => Readonly<Record<string, boolean>>;
  isE2eBuild: (env?: Record<string, string | undefined>) => boolean;
}
interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName: string };
}
type AfterPack = (context: AfterPackContext) => Promise<void>;
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  afterPack: string;
  publish: unknown;
  directories: { output: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const require = createRequire(import.meta.url);
const { fuseTable, isE2eBuild } = require('../../../build/fuses.cjs') as FusesModule;

const ALL_FUSES = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));

describe('release fuse table', () => {
  const table = fuseTable();

  it.each([
    ['RunAsNode', false],
    ['EnableCookieEncryption', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['OnlyLoadAppFromAsar', true],
    ['LoadBrowserProcessSpecificV8Snapshot', false],
    ['GrantFileProtocolExtraPrivileges', false],
    ['WasmTrapHandlers', true],
  ])('%s is %s', (name, value) => {
    expect(table[name]).toBe(value);
  });

  it('sets every fuse the installed @electron/fuses knows, and no other', () => {
    expect(Object.keys(table).sort()).toEqual([...ALL_FUSES].sort());
  });
});

describe('e2e fuse table', () => {
  it('differs from the release only by enabling the inspector arguments', () => {
    const release = fuseTable();
    const e2e = fuseTable({ e2e: true });
    expect(e2e.EnableNodeCliInspectArguments).toBe(true);
    for (const name of ALL_FUSES) {
      if (name !== 'EnableNodeCliInspectArguments') expect(e2e[name]).toBe(release[name]);
    }
  });

  it('is selected by EV_E2E_BUILD=1 only', () => {
    expect(isE2eBuild({ EV_E2E_BUILD: '1' })).toBe(true);
    expect(isE2eBuild({ EV_E2E_BUILD: '0' })).toBe(false);
    expect(isE2eBuild({ EV_E2E_BUILD: 'true' })).toBe(false);
    expect(isE2eBuild({})).toBe(false);
  });
});

describe('after-pack hook on a binary with a fuse wire', () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  let dir: string;
  let savedEnv: string | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ev-fuses-'));
    savedEnv = process.env.EV_E2E_BUILD;
    delete process.env.EV_E2E_BUILD;
    // A fake binary: sentinel, wire version 1, wire length, then the fuses in
    // alternating states so that flips in both directions are observable.
    const states = ALL_FUSES.map((_, i) => (i % 2 === 0 ? FuseState.ENABLE : FuseState.DISABLE));
    const wire = Buffer.from([1, ALL_FUSES.length, ...states]);
    const binary = Buffer.concat([Buffer.alloc(1000, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(1000, 7)]);
    await writeFile(path.join(dir, 'evidence-vault'), binary);
  });

  afterEach(async () => {
    if (savedEnv === undefined) delete process.env.EV_E2E_BUILD;
    else process.env.EV_E2E_BUILD = savedEnv;
    await rm(dir, { recursive: true, force: true });
  });

  const context = (): AfterPackContext => ({
    appOutDir: dir,
    electronPlatformName: 'linux',
    packager: { appInfo: { productFilename: 'Evidence Vault' }, executableName: 'evidence-vault' },
  });

  it('flips every fuse to the release table', async () => {
    const afterPack = require('../../../build/after-pack.cjs') as AfterPack;
    await afterPack(context());
    const wire = await getCurrentFuseWire(path.join(dir, 'evidence-vault'));
    const table = fuseTable();
    for (const name of ALL_FUSES) {
      const index = FuseV1Options[name as keyof typeof FuseV1Options];
      expect([name, wire[index]]).toEqual([name, table[name] ? FuseState.ENABLE : FuseState.DISABLE]);
    }
    // Nothing outside the wire was touched.
    const bytes = await readFile(path.join(dir, 'evidence-vault'));
    expect(bytes.subarray(0, 1000).every((b) => b === 7)).toBe(true);
  });

  it('enables only the inspector fuse extra for EV_E2E_BUILD=1', async () => {
    process.env.EV_E2E_BUILD = '1';
    const afterPack = require('../../../build/after-pack.cjs') as AfterPack;
    await afterPack(context());
    const wire = await getCurrentFuseWire(path.join(dir, 'evidence-vault'));
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
  });
});

describe('electron-builder config', () => {
  const config = require('../../../build/electron-builder.config.cjs') as BuilderConfig;

  it('identifies the app', () => {
    expect(config.appId).toBe('org.evidencevault.app');
    expect(config.productName).toBe('Evidence Vault');
  });

  it('packs only the built app into an asar', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'dist-electron/**', 'package.json']));
  });

  it('flips fuses in afterPack and never publishes', () => {
    expect(config.afterPack).toBe('./build/after-pack.cjs');
    expect(config.publish).toBeNull();
  });

  it('builds the deb (keeps the sandbox on), NSIS and DMG into release/', () => {
    expect(config.directories.output).toBe('release');
    expect(config.linux.target).toEqual(['deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });
});
