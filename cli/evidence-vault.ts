/**
 * evidence-vault: checks Evidence Vault bundles from the command line with
 * the app's own format code (renderer/src/vault/worker/bundle), so the app
 * and the verifier cannot disagree about what a valid bundle is.
 *
 *   evidence-vault bundle inspect <file>
 *   evidence-vault bundle verify <file> --key <identity-key-file>
 */
import { parseArgs } from 'node:util';
import sodium from 'libsodium-wrappers-sumo';
import { BundleError } from '../renderer/src/vault/worker/bundle';
import { prepareFastSha256 } from '../renderer/src/vault/worker/crypto/sha256';
import { inspect, verify } from './commands';
import { CliFailure, EXIT_CANNOT_CHECK, EXIT_OK, EXIT_REFUSED, reasonOf } from './failure';
import { PASSPHRASE_VARIABLE } from './passphrase';
import { printable } from './printable';

const USAGE = `Usage:
  evidence-vault bundle inspect <file>
  evidence-vault bundle verify <file> --key <identity-key-file>

inspect  shows what anyone can see in a bundle's header; needs no key.
verify   opens the bundle with your identity key file and checks all of it: the
         header, every encrypted chunk, the sender's signature, every item's
         SHA-256 and the custody log. The key file's passphrase is taken from
         ${PASSPHRASE_VARIABLE} if set, else asked for on the terminal.

Exit status: 0 everything checked holds; 1 the bundle is refused;
2 nothing could be checked (usage, key file, passphrase, unreadable file).`;

type Command = { name: 'help' } | { name: 'inspect'; file: string } | { name: 'verify'; file: string; key: string };

class UsageError extends Error {}

function parseCommand(args: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(reasonOf(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  const [group, name, file, ...extra] = positionals;
  if (group !== 'bundle' || (name !== 'inspect' && name !== 'verify'))
    throw new UsageError('Expected "bundle inspect" or "bundle verify".');
  if (file === undefined) throw new UsageError(`bundle ${name} needs a file.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`);
  if (name === 'inspect') {
    if (values.key !== undefined) throw new UsageError('bundle inspect takes no --key: it reads no secrets.');
    return { name, file };
  }
  if (values.key === undefined) throw new UsageError('bundle verify needs --key <identity-key-file>.');
  return { name, file, key: values.key };
}

async function run(args: string[]): Promise<number> {
  await Promise.all([sodium.ready, prepareFastSha256()]);
  let command: Command;
  try {
    command = parseCommand(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return EXIT_CANNOT_CHECK;
  }
  if (command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    const lines = command.name === 'inspect' ? await inspect(command.file) : await verify(command.file, command.key);
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BundleError) {
      // The reader words its refusals itself, but they may quote what the bundle says: printed as for a report.
      process.stderr.write(`refused: ${error.code}: ${printable(error.message)}\n`);
      return EXIT_REFUSED;
    }
    if (error instanceof CliFailure) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

// Anything but a clean 0 is the default: if the process ends early for any
// reason (a bug, a closed pipe), a script must not read it as "verified".
process.exitCode = EXIT_CANNOT_CHECK;
run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${reasonOf(error)}\n`);
    process.exitCode = EXIT_CANNOT_CHECK;
  },
);
