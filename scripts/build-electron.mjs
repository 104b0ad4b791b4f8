#!/usr/bin/env node
/**
 * Bundles the main process and the preload into dist-electron/*.cjs.
 *
 * The preload runs in a sandboxed renderer whose `require` only knows
 * 'electron' (and a few Node built-ins we do not use), so it must be one
 * self-contained CommonJS file. The build fails if it requires anything else.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist-electron');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(root, 'electron/main.ts')],
    outfile: path.join(outdir, 'main.cjs'),
  }),
  build({
    ...common,
    entryPoints: [path.join(root, 'electron/preload.ts')],
    outfile: path.join(outdir, 'preload.cjs'),
  }),
]);

const preload = await readFile(path.join(outdir, 'preload.cjs'), 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
const foreign = required.filter((name) => name !== 'electron');
if (foreign.length > 0 || /\brequire\(\s*[^"'`\s]/.test(preload)) {
  console.error(`preload.cjs must only require 'electron'; found: ${foreign.join(', ') || 'a dynamic require'}`);
  process.exit(1);
}

console.log('Built dist-electron/main.cjs and dist-electron/preload.cjs');
