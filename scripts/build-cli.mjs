#!/usr/bin/env node
/**
 * Bundles the command-line verifier into dist-cli/evidence-vault.mjs: one
 * file with the bundle format code, libsodium and zod inside, so it runs with
 * Node alone (no node_modules beside it) and is the `evidence-vault` bin.
 *
 *   node scripts/build-cli.mjs [outfile]
 *
 * The unit tests pass an outfile in a temporary folder, so what they run is
 * built with exactly these options.
 */
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'dist-cli/evidence-vault.mjs');

await build({
  entryPoints: [path.join(root, 'cli/evidence-vault.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
  legalComments: 'none',
});
// npm links bins as they are; the mode matters when the file is run directly.
await chmod(outfile, 0o755);

console.log(`Built ${path.relative(root, outfile)}`);
