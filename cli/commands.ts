import { createReadStream } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import sodium from 'libsodium-wrappers-sumo';
import {
  BUNDLE_ITEM_TYPES,
  BundleError,
  BundleReader,
  KeyFileError,
  identityFingerprint,
  readHeaderFacts,
  readIdentityKeyFile,
  verifyCustodySegment,
  wipeIdentityKeys,
  type BundleEvent,
  type BundleItemType,
  type Manifest,
} from '../renderer/src/vault/worker/bundle';
import { MAGIC, MAX_RECIPIENTS, headerBytesFor } from '../renderer/src/vault/worker/bundle/constants';
import { CliFailure, EXIT_CANNOT_CHECK, EXIT_REFUSED, reasonOf } from './failure';
import { obtainPassphrase } from './passphrase';
import { printable } from './printable';

/** The largest header there can be: inspect never reads further. */
const MAX_HEADER_BYTES = headerBytesFor(MAX_RECIPIENTS);
/** The bundle is read in pieces of this size: memory stays flat whatever the file size. */
const READ_BYTES = 64 * 1024;
/** A custody log is held whole to be checked; a bigger one is refused rather than buffered. */
export const MAX_CUSTODY_LOG_BYTES = 64 * 1024 * 1024;
/** A key file is a few hundred bytes; anything much larger is not one (and is not read whole). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

const count = (value: number) => value.toLocaleString('en-US');
const counted = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;
const bytes = (value: number) => counted(value, 'byte', 'bytes');
/** One line of a report. The value may hold text from a bundle or a key file, so it is always made printable. */
const row = (label: string, value: string) => `  ${label.padEnd(13)}${printable(value)}`;

function cannotRead(file: string, error: unknown): CliFailure {
  return new CliFailure(EXIT_CANNOT_CHECK, `Cannot read ${file}: ${reasonOf(error)}`);
}

/** What anyone holding the file can learn, from the header alone: no key, no names. */
export async function inspect(file: string): Promise<string[]> {
  let size: number;
  const pieces: Uint8Array[] = [];
  try {
    size = (await stat(file)).size;
    const stream = createReadStream(file, { start: 0, end: MAX_HEADER_BYTES - 1 });
    for await (const piece of stream as AsyncIterable<Buffer>) pieces.push(piece);
  } catch (error) {
    throw cannotRead(file, error);
  }
  const start = Buffer.concat(pieces);
  const facts = readHeaderFacts(start);
  if (!facts || start.byteLength < facts.headerBytes)
    // As the reader decides: too short to even hold the magic is "not a bundle".
    throw new BundleError(
      facts || start.byteLength >= MAGIC.byteLength ? 'header-malformed' : 'not-a-bundle',
      'The bundle ends inside its header.',
    );
  return [
    `Evidence Vault bundle, format version ${facts.version}`,
    row('recipients', count(facts.recipients)),
    row('file size', bytes(size)),
    row('header size', bytes(facts.headerBytes)),
    row('encrypted', `${bytes(size - facts.headerBytes)} (signed manifest and items)`),
    '',
    'The sender and the recipients are not visible without a key: the header names nobody,',
    'and nothing here shows who made the file or whether it was altered.',
    'To check it: evidence-vault bundle verify <file> --key <identity-key-file>',
  ];
}

/** Running totals of one pass over the bundle: counts and sizes, never the items themselves. */
interface Tally {
  manifest: Manifest | null;
  items: Map<BundleItemType, { items: number; bytes: number }>;
  /** The custody-log item being read, if any: the only item bytes ever kept. */
  custody: { bytes: Uint8Array; filled: number } | null;
  custodyVerdicts: { entries: number; redacted: number }[];
}

function take(tally: Tally, events: BundleEvent[]): void {
  for (const event of events) {
    if (event.kind === 'manifest') {
      tally.manifest = event.manifest;
      // Sizes are signed, and the reader holds each item to its size: refuse before buffering anything.
      const tooLarge = event.manifest.items.find(
        (item) => item.type === 'custody-log' && item.size > MAX_CUSTODY_LOG_BYTES,
      );
      if (tooLarge)
        throw new CliFailure(
          EXIT_REFUSED,
          `refused: custody-log-too-large: The custody log is ${bytes(tooLarge.size)}; this verifier checks at most ${bytes(MAX_CUSTODY_LOG_BYTES)}.`,
        );
      continue;
    }
    const item = tally.manifest!.items[event.index]!;
    if (event.kind === 'item-data') {
      if (item.type !== 'custody-log') continue;
      tally.custody ??= { bytes: new Uint8Array(item.size), filled: 0 };
      // The reader reuses its arrays: copy.
      tally.custody.bytes.set(event.bytes, tally.custody.filled);
      tally.custody.filled += event.bytes.byteLength;
      continue;
    }
    // item-end: the item's SHA-256 matched the signed manifest.
    const totals = tally.items.get(item.type) ?? { items: 0, bytes: 0 };
    tally.items.set(item.type, { items: totals.items + 1, bytes: totals.bytes + item.size });
    if (item.type === 'custody-log') {
      const verdict = verifyCustodySegment(tally.custody?.bytes ?? new Uint8Array(0));
      tally.custody = null;
      if (!verdict.ok) throw new CliFailure(EXIT_REFUSED, `refused: custody-log-invalid: ${printable(verdict.reason)}`);
      tally.custodyVerdicts.push(verdict);
    }
  }
}

async function readKeyFile(keyFile: string): Promise<string> {
  try {
    if ((await stat(keyFile)).size > MAX_KEY_FILE_BYTES)
      throw new CliFailure(EXIT_CANNOT_CHECK, `${keyFile} is not an Evidence Vault identity key file (too large).`);
    return await readFile(keyFile, 'utf8');
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    throw cannotRead(keyFile, error);
  }
}

/**
 * Opens the bundle with the identity in `keyFile` and checks all of it in one
 * streaming pass: header MAC, every chunk, the signed manifest, every item's
 * SHA-256, and each custody log's chain.
 */
export async function verify(file: string, keyFile: string): Promise<string[]> {
  // Both files are checked before the passphrase is asked for, so a wrong path fails at once.
  await access(file).catch((error: unknown) => {
    throw cannotRead(file, error);
  });
  const keyText = await readKeyFile(keyFile);
  const passphrase = await obtainPassphrase();
  let keys: Awaited<ReturnType<typeof readIdentityKeyFile>>;
  try {
    keys = await readIdentityKeyFile(keyText, passphrase);
  } catch (error) {
    if (error instanceof KeyFileError)
      throw new CliFailure(EXIT_CANNOT_CHECK, `Cannot open the key file: ${error.message}`);
    throw error;
  }

  const tally: Tally = { manifest: null, items: new Map(), custody: null, custodyVerdicts: [] };
  try {
    const reader = new BundleReader(keys);
    const stream = createReadStream(file, { highWaterMark: READ_BYTES });
    try {
      for await (const piece of stream as AsyncIterable<Buffer>) take(tally, reader.push(piece));
    } catch (error) {
      // Leaving the loop by a throw closes the stream; only I/O errors are ours to word.
      if (error instanceof BundleError || error instanceof CliFailure) throw error;
      throw cannotRead(file, error);
    }
    take(tally, reader.finish());
  } finally {
    wipeIdentityKeys(keys);
  }
  return report(tally, keys.name);
}

function report(tally: Tally, you: string): string[] {
  // finish() returned, so the manifest arrived and every item it lists was read and matched.
  const manifest = tally.manifest!;
  const { sender } = manifest;
  const fingerprint = identityFingerprint({
    signPublicKey: sodium.from_hex(sender.signingKey),
    boxPublicKey: sodium.from_hex(sender.encryptionKey),
  });
  const totalBytes = manifest.items.reduce((sum, item) => sum + item.size, 0);
  const lines = [
    'Bundle verified.',
    // The name is whatever the sender typed: row() escapes the control and bidi characters that could rewrite
    // or reorder the lines printed around it (as it does every other field, though the schema admits only hex there).
    row('signed by', sender.name === '' ? '(no name given)' : sender.name),
    row('fingerprint', fingerprint.join(' ')),
    row('signing key', sender.signingKey),
    row('bundle id', manifest.bundleId),
    row('created at', manifest.createdAt),
    row('recipients', `${count(manifest.recipients.length)}, you (${you}) among them`),
    row('items', `${count(manifest.items.length)}, ${bytes(totalBytes)}`),
  ];
  for (const type of BUNDLE_ITEM_TYPES) {
    const totals = tally.items.get(type);
    if (totals) lines.push(row('', `  ${count(totals.items)} ${type} (${bytes(totals.bytes)})`));
  }
  lines.push(row('', "every item's SHA-256 matches the signed manifest"));
  if (tally.custodyVerdicts.length === 0) lines.push(row('custody log', 'no custody log in this bundle'));
  for (const verdict of tally.custodyVerdicts)
    lines.push(
      row(
        'custody log',
        `chain intact: ${counted(verdict.entries, 'entry', 'entries')}, ${count(verdict.redacted)} redacted (about cases not in this bundle)`,
      ),
    );
  lines.push(
    '',
    // The name is whatever the sender typed; only the key is proven.
    'The signature proves who holds the signing key, not who they are: compare the fingerprint',
    'with the one the sender gave you in person or by phone before trusting the name.',
  );
  return lines;
}
