/**
 * Packs the built app the way `npm run dist` does (electron-builder, Linux
 * `dir` target) and checks what lands in app.asar: the built renderer, the
 * built main process and preload, package.json, and nothing else. Vite and
 * esbuild bundle every library the app loads, so a node_modules folder in the
 * archive is dead weight in every installer (pdfjs-dist alone is 38 MB, plus
 * the build machine's native canvas binary, which would also need signing).
 *
 * No Electron binary can be downloaded here, so an empty stand-in takes its
 * place (`electronDist`) and the fuse hook is off: only the archive is checked.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFile, ROOT } from './require-build';

const require = createRequire(import.meta.url);

interface PackageManifest {
  dependencies?: Record<string, string>;
  homepage?: string;
  repository?: { url?: string };
  author?: { name?: string; email?: string };
}
interface BuilderConfig {
  directories: Record<string, string>;
  linux: { maintainer: string };
}
interface ElectronBuilder {
  build(options: unknown): Promise<unknown>;
  Platform: { LINUX: { createTarget(type: string, arch: number): unknown } };
  Arch: { x64: number };
}

const builder = require('electron-builder') as ElectronBuilder;
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[] };
const config = require('../../build/electron-builder.config.cjs') as BuilderConfig;

/** Entries the archive may hold (asar lists them from its root, with a leading separator). */
const ALLOWED = [/^\/package\.json$/, /^\/dist(\/|$)/, /^\/dist-electron(\/(main|preload)\.cjs)?$/];

async function manifest(): Promise<PackageManifest> {
  return JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageManifest;
}

describe('package metadata', () => {
  it('lists no runtime dependencies (electron-builder would pack each into app.asar)', async () => {
    expect((await manifest()).dependencies ?? {}).toEqual({});
  });

  it('has the homepage, repository and author email that the deb needs', async () => {
    const { homepage, repository, author } = await manifest();
    expect(homepage).toMatch(/^https:\/\//);
    expect(repository?.url).toMatch(/^git\+https:\/\//);
    expect(author?.name).toBeTruthy();
    expect(author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
    expect(config.linux.maintainer).toBe(`${author?.name} <${author?.email}>`);
  });
});

describe('the packed app', () => {
  let work = '';
  let files: string[] = [];

  beforeAll(async () => {
    for (const built of ['dist/index.html', 'dist-electron/main.cjs', 'dist-electron/preload.cjs']) builtFile(built);
    work = await mkdtemp(path.join(tmpdir(), 'ev-pack-'));
    const fakeElectron = path.join(work, 'electron-dist');
    await mkdir(path.join(fakeElectron, 'resources'), { recursive: true });
    await writeFile(path.join(fakeElectron, 'electron'), '#!/bin/sh\nexit 1\n');
    await chmod(path.join(fakeElectron, 'electron'), 0o755);
    await writeFile(path.join(fakeElectron, 'chrome-sandbox'), '');
    await writeFile(path.join(fakeElectron, 'LICENSE'), '');
    const { version: electronVersion } = require('electron/package.json') as { version: string };

    await builder.build({
      projectDir: ROOT,
      targets: builder.Platform.LINUX.createTarget('dir', builder.Arch.x64),
      publish: 'never',
      config: {
        ...config,
        afterPack: null,
        electronDist: fakeElectron,
        electronVersion,
        directories: { ...config.directories, output: path.join(work, 'out') },
      },
    });
    const archive = path.join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
    files = asar.listPackage(archive, { isPack: false }).map((file) => file.split(path.sep).join('/'));
  });

  afterAll(async () => {
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('holds the built app', () => {
    for (const needed of [
      '/package.json',
      '/dist/index.html',
      '/dist-electron/main.cjs',
      '/dist-electron/preload.cjs',
    ]) {
      expect(files).toContain(needed);
    }
  });

  it('holds nothing else: no node_modules, no source maps', () => {
    expect(files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('unpacks nothing beside the archive', () => {
    expect(existsSync(path.join(work, 'out', 'linux-unpacked', 'resources', 'app.asar.unpacked'))).toBe(false);
  });
});
