import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { CliFailure, EXIT_CANNOT_CHECK } from './failure';

/** Lets scripts (and tests) supply the passphrase without a terminal. */
export const PASSPHRASE_VARIABLE = 'EVIDENCE_VAULT_KEY_PASSPHRASE';

/**
 * The key file's passphrase as UTF-8 bytes, encoded as the app encodes what
 * is typed (no normalisation), so the same passphrase opens the file in both.
 * The caller hands the bytes to readIdentityKeyFile, which wipes them.
 */
export async function obtainPassphrase(): Promise<Uint8Array> {
  const fromEnvironment = process.env[PASSPHRASE_VARIABLE];
  if (fromEnvironment !== undefined) return new TextEncoder().encode(fromEnvironment);
  if (!process.stdin.isTTY)
    throw new CliFailure(
      EXIT_CANNOT_CHECK,
      `No passphrase: there is no terminal to ask on; set ${PASSPHRASE_VARIABLE} to run without one.`,
    );
  return new TextEncoder().encode(await askWithoutEcho('Passphrase for the key file: '));
}

async function askWithoutEcho(prompt: string): Promise<string> {
  // readline echoes what is typed to its output; giving it a stream that drops
  // everything keeps the passphrase off the screen (the terminal is in raw mode).
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: process.stdin, output: muted, terminal: true });
  // Ctrl-C or Ctrl-D must end the wait: an unanswered question would let the
  // process drain and exit with whatever status was set.
  const cancel = new AbortController();
  lines.on('SIGINT', () => cancel.abort());
  lines.on('close', () => cancel.abort());
  process.stderr.write(prompt);
  try {
    return await lines.question('', { signal: cancel.signal });
  } catch {
    throw new CliFailure(EXIT_CANNOT_CHECK, 'No passphrase given.');
  } finally {
    lines.close();
    process.stderr.write('\n');
  }
}
