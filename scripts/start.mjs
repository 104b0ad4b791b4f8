#!/usr/bin/env node
/**
 * `npm start`: checks that Chromium's sandbox can start on this machine,
 * then runs the built app in the development Electron with the arguments
 * given after `--` (e.g. `npm start -- --smoke`). Never adds --no-sandbox.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLinuxSandbox } from './linux-sandbox.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

let electronBinary;
try {
  // The electron package's main export is the path of its downloaded binary.
  electronBinary = require('electron');
} catch {
  console.error(
    'The Electron binary is not installed (its download needs network once). Run `npm install` with network access.',
  );
  process.exit(1);
}

const sandbox = checkLinuxSandbox({
  platform: process.platform,
  uid: process.getuid?.(),
  electronBinary,
  chromeSandbox: path.join(path.dirname(electronBinary), 'chrome-sandbox'),
});
if (!sandbox.ok) {
  console.error(sandbox.message);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('--no-sandbox')) {
  console.error('Evidence Vault never runs without the Chromium sandbox; drop --no-sandbox.');
  process.exit(1);
}

const child = spawn(electronBinary, ['.', ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`Could not start Electron: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
