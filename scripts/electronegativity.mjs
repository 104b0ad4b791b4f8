#!/usr/bin/env node
/**
 * Electronegativity gate over electron/ (TypeScript), fully offline.
 *
 * The CLI exits 0 even with HIGH findings, so this calls its run() API and
 * fails on:
 *   - any HIGH or MEDIUM finding with FIRM or CERTAIN confidence that is not
 *     disabled in code;
 *   - any `eng-disable` comment without a written reason
 *     (format: `eng-disable CHECK_ID -- why it does not apply`), or one on a
 *     file's first line (that would silence the check for the whole file);
 *   - any file Electronegativity could not parse (it would be skipped silently).
 */
import Module, { createRequire } from 'node:module';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scanDir = path.join(root, 'electron');
const require = createRequire(import.meta.url);

const GATED_SEVERITIES = new Set(['HIGH', 'MEDIUM']);
const GATED_CONFIDENCES = new Set(['FIRM', 'CERTAIN']);
const MIN_REASON_LENGTH = 15;

/**
 * Electronegativity fetches translations and Electron's release list with
 * `got` on every run. Replace `got`, as its code resolves it, with a stub
 * that always fails: no request leaves this machine and the result does not
 * depend on connectivity. (The release-list check is also excluded below;
 * Electron updates are tracked through the lockfile instead.)
 */
function disableNetwork(engEntry) {
  const gotPath = createRequire(engEntry).resolve('got');
  const offline = () => Promise.reject(new Error('network disabled by scripts/electronegativity.mjs'));
  offline.get = offline;
  offline.head = offline;
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.exports = offline;
  stub.loaded = true;
  require.cache[gotPath] = stub;
}

async function listSourceFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(?:[cm]?[jt]sx?)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every eng-disable comment must say why; none may be file-wide. */
async function checkDisableComments(files) {
  const problems = [];
  const disabled = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, index) => {
      // Same directive syntax Electronegativity itself recognises.
      const at = line.search(/(?:\/\*|\/\/)[ \t]*eng-disable\b/);
      if (at === -1) return;
      const where = `${path.relative(root, file)}:${index + 1}`;
      const match = /eng-disable[ \t]+([A-Z0-9_]+(?:[ \t,]+[A-Z0-9_]+)*)[ \t]+--[ \t]+(.+?)(?:\*\/)?\s*$/.exec(
        line.slice(at),
      );
      if (match === null || (match[2] ?? '').trim().length < MIN_REASON_LENGTH) {
        problems.push(`${where}: eng-disable without a reason (write "eng-disable CHECK_ID -- why")`);
      } else if (index === 0) {
        problems.push(`${where}: file-wide eng-disable is not allowed; disable on the finding's line`);
      } else {
        disabled.push(`${where}: ${match[1]} -- ${(match[2] ?? '').trim()}`);
      }
    });
  }
  return { problems, disabled };
}

async function main() {
  const engEntry = require.resolve('@doyensec/electronegativity');
  disableNetwork(engEntry);
  const run = require(engEntry);
  const electronVersion = JSON.parse(
    await readFile(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version;

  // Deterministic English messages whatever the machine's locale.
  process.env.LANG = 'en-US';
  // Its translation loader logs a (harmless) failure; keep the output clean.
  const log = console.log;
  console.log = (...args) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Could not retrieve updated translations')) return;
    log(...args);
  };
  let result;
  try {
    result = await run(
      {
        input: scanDir,
        isRelative: true,
        electronVersionOverride: electronVersion,
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
        severitySet: 'INFORMATIONAL',
        confidenceSet: 'TENTATIVE',
      },
      false,
    );
  } finally {
    console.log = log;
  }

  const files = await listSourceFiles(scanDir);
  const failures = [];

  console.log(
    `Electronegativity ${require('@doyensec/electronegativity/package.json').version}: ` +
      `${result.atomicChecks} atomic + ${result.globalChecks} global checks, Electron ${electronVersion}, ` +
      `${files.length} files in ${path.relative(root, scanDir)}/`,
  );
  if (files.length === 0) failures.push('no source files were scanned');

  for (const error of result.errors) {
    const line = `parse ${error.tolerable ? 'warning' : 'error'}: ${error.file}: ${error.message}`;
    console.log(`  ${line}`);
    if (!error.tolerable) failures.push(line);
  }

  const issues = [...result.issues].sort(
    (a, b) => b.severity.value - a.severity.value || b.confidence.value - a.confidence.value,
  );
  console.log(issues.length === 0 ? '\nFindings: none' : `\nFindings (${issues.length}):`);
  for (const issue of issues) {
    const gated = GATED_SEVERITIES.has(issue.severity.name) && GATED_CONFIDENCES.has(issue.confidence.name);
    const where = issue.file === 'N/A' ? 'global' : `${issue.file}:${issue.location.line}:${issue.location.column}`;
    const description = String(issue.description ?? '').split('\n')[0];
    const line = `${issue.severity.name}/${issue.confidence.name} ${issue.id} ${where}${issue.manualReview ? ' (review)' : ''} - ${description}`;
    console.log(`  ${gated ? 'FAIL' : 'info'} ${line}`);
    if (gated) failures.push(line);
  }

  const { problems, disabled } = await checkDisableComments(files);
  if (disabled.length > 0) {
    console.log(`\nDisabled in code (${disabled.length}):`);
    for (const line of disabled) console.log(`  ${line}`);
  }
  for (const problem of problems) {
    console.log(`  FAIL ${problem}`);
    failures.push(problem);
  }

  if (failures.length > 0) {
    console.error(`\nElectronegativity gate FAILED: ${failures.length} problem(s).`);
    process.exit(1);
  }
  console.log('\nElectronegativity gate passed.');
}

main().catch((error) => {
  console.error('Electronegativity gate could not run:', error instanceof Error ? error.message : error);
  process.exit(1);
});
