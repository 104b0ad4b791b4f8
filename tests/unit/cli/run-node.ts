import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root: where the CLI and its build script are run from. */
export const root = path.resolve(import.meta.dirname, '../../..');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script without a terminal, with `passphrase` as the only passphrase source (null: none). */
export function runNode(args: string[], passphrase: string | null): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.EVIDENCE_VAULT_KEY_PASSPHRASE;
  if (passphrase !== null) env.EVIDENCE_VAULT_KEY_PASSPHRASE = passphrase;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
