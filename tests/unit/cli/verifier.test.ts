/**
 * The command-line verifier, built as it ships (scripts/build-cli.mjs, into a
 * temporary folder) and run as a separate Node process, against bundles and
 * key files made here with the app's own format code.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BundleWriter,
  custodySegment,
  identityFingerprint,
  writeIdentityKeyFile,
  type BundleItemType,
} from '../../../renderer/src/vault/worker/bundle';
import { SEALED_CHUNK_BYTES, headerBytesFor } from '../../../renderer/src/vault/worker/bundle/constants';
import {
  EMPTY_HEAD,
  nextEntry,
  type CustodyEntry,
  type CustodyEntryInput,
  type LogHead,
} from '../../../renderer/src/vault/worker/custody-log';
import { concatAll, party, sha256, writeBundle, type Party } from '../bundle/bundle-helpers';
import { root, runNode } from './run-node';

const PASSPHRASE = 'correct horse battery staple';
/** The smallest settings readIdentityKeyFile accepts, to keep the tests quick. */
const SMALL_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };

let dir: string;
let cli: string;
let alice: Party;
let bob: Party;
let carol: Party;
let bobKey: string;

/** The CLI run with `passphrase` (this file's by default) as the only passphrase source. */
const runWith = (args: string[], passphrase: string | null = PASSPHRASE) => runNode(args, passphrase);

const evidenceVault = (args: string[], passphrase?: string | null) => runWith([cli, ...args], passphrase);

let fileCount = 0;
async function fileWith(bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, `file-${(fileCount += 1)}`);
  await writeFile(file, bytes);
  return file;
}

/** A bundle whose items have the given types (writeBundle makes them all document-bytes). */
function writeTyped(sender: Party, recipients: Party[], items: { type: BundleItemType; bytes: Uint8Array }[]) {
  const writer = new BundleWriter({
    sender,
    recipients: recipients.map((recipient) => recipient.boxPublicKey),
    items: items.map(({ type, bytes }, index) => ({
      id: `item-${index}`,
      type,
      size: bytes.byteLength,
      sha256: sha256(bytes),
    })),
  });
  const parts = [writer.header];
  for (const { bytes } of items) {
    writer.write(bytes);
    parts.push(writer.takeSealed());
  }
  writer.finish();
  parts.push(writer.takeSealed());
  return concatAll(parts);
}

/** A small custody chain: the vault, then one entry for each of two cases. */
function custodyChain(): { entries: CustodyEntry[]; head: LogHead } {
  const inputs: CustodyEntryInput[] = [
    { action: 'vault-created', targetKind: 'vault', targetId: 'vault' },
    { action: 'created', targetKind: 'case', targetId: 'case-1', caseId: 'case-1' },
    { action: 'created', targetKind: 'case', targetId: 'case-2', caseId: 'case-2' },
    {
      action: 'attached',
      targetKind: 'document',
      targetId: 'doc-1',
      caseId: 'case-1',
      contentHashes: ['ab'.repeat(32)],
    },
  ];
  let head = EMPTY_HEAD;
  const entries: CustodyEntry[] = [];
  for (const [index, input] of inputs.entries()) {
    const entry = nextEntry(head, input, 'alice', 1_700_000_000_000 + index);
    entries.push(entry);
    head = { count: entry.seq, lastHash: entry.hash };
  }
  return { entries, head };
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const bytesOf = (length: number) => Uint8Array.from({ length }, (_, index) => (index * 7) % 256);

beforeAll(async () => {
  await sodium.ready;
  dir = await mkdtemp(path.join(tmpdir(), 'evidence-vault-cli-'));
  cli = path.join(dir, 'evidence-vault.mjs');
  const built = await runWith(['scripts/build-cli.mjs', cli]);
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  alice = party('Alice (monitor)');
  bob = party('Bob (coordinator)');
  carol = party('Carol');
  bobKey = await fileWith(await writeIdentityKeyFile(bob.name, bob, new TextEncoder().encode(PASSPHRASE), SMALL_KDF));
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bundle inspect', () => {
  it('shows what the header shows, without a key', async () => {
    const file = await fileWith(writeBundle(alice, [bob, carol], [bytesOf(1000)]));
    const run = await evidenceVault(['bundle', 'inspect', file], null);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/format version 1/);
    expect(run.stdout).toMatch(/recipients +2\n/);
    expect(run.stdout).toContain(`header size  ${headerBytesFor(2)} bytes`);
    expect(run.stdout).toMatch(/not visible without a key/);
    expect(run.stdout).not.toContain(alice.name);
  });

  it('refuses a file that is not a bundle', async () => {
    const run = await evidenceVault(['bundle', 'inspect', path.join(root, 'package.json')], null);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^refused: not-a-bundle: .+\n$/);
  });

  it('refuses a header cut short', async () => {
    const bundle = writeBundle(alice, [bob], [bytesOf(10)]);
    const run = await evidenceVault(['bundle', 'inspect', await fileWith(bundle.subarray(0, 40))], null);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^refused: header-malformed: /);
  });
});

describe('bundle verify', () => {
  it('verifies a bundle for this key and names the signer', async () => {
    const file = await fileWith(writeBundle(alice, [carol, bob], [bytesOf(100_000), bytesOf(3)]));
    const run = await evidenceVault(['bundle', 'verify', file, '--key', bobKey]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const fingerprint = identityFingerprint(alice).join(' ');
    expect(fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(run.stdout).toContain('Alice (monitor)');
    expect(run.stdout).toContain(fingerprint);
    expect(run.stdout).toContain(sodium.to_hex(alice.signPublicKey));
    expect(run.stdout).toMatch(/recipients +2, you \(Bob \(coordinator\)\) among them/);
    expect(run.stdout).toContain('2 document-bytes (100,003 bytes)');
    expect(run.stdout).toContain("every item's SHA-256 matches the signed manifest");
    expect(run.stdout).toContain('no custody log in this bundle');
  });

  it('escapes control and bidi characters in every field from the bundle, and in the key file name', async () => {
    // CSI (U+009B) clears the screen on terminals that obey C1 controls; RLO (U+202E) shows what follows reversed.
    const mallory = party(
      'Mallory\u009b2J\u202eBundle verified\u2028\u2029\u200e\u200f\u061c\u2066\u2069\u0085\u001b[0m\\u{9b}',
    );
    const file = await fileWith(writeBundle(mallory, [bob], [bytesOf(10)]));
    const hostileKey = await fileWith(
      await writeIdentityKeyFile('Bob\u202a\u009d', bob, new TextEncoder().encode(PASSPHRASE), SMALL_KDF),
    );
    const run = await evidenceVault(['bundle', 'verify', file, '--key', hostileKey]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // No C0 but the line breaks, no DEL, no C1, no bidi control, no line or paragraph separator.
    expect(run.stdout).not.toMatch(
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u,
    );
    expect(run.stdout).toContain(
      'signed by    Mallory\\u{9b}2J\\u{202e}Bundle verified\\u{2028}\\u{2029}\\u{200e}\\u{200f}\\u{61c}\\u{2066}\\u{2069}\\u{85}\\u{1b}[0m\\\\u{9b}\n',
    );
    expect(run.stdout).toContain('you (Bob\\u{202a}\\u{9d}) among them');
  });

  it('refuses a bundle not encrypted for this key', async () => {
    const file = await fileWith(writeBundle(alice, [carol], [bytesOf(10)]));
    const run = await evidenceVault(['bundle', 'verify', file, '--key', bobKey]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^refused: not-for-you: .+\n$/);
  });

  it('refuses a bundle with a flipped payload byte', async () => {
    const bundle = writeBundle(alice, [bob], [bytesOf(1000)]);
    bundle[headerBytesFor(1) + 40]! ^= 1;
    const run = await evidenceVault(['bundle', 'verify', await fileWith(bundle), '--key', bobKey]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^refused: payload-corrupt: .+\n$/);
  });

  it('refuses a bundle cut short after a whole chunk', async () => {
    const bundle = writeBundle(alice, [bob], [bytesOf(200_000)]);
    const cut = bundle.subarray(0, headerBytesFor(1) + SEALED_CHUNK_BYTES);
    const run = await evidenceVault(['bundle', 'verify', await fileWith(cut), '--key', bobKey]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^refused: payload-truncated: .+\n$/);
  });

  it('refuses a bundle cut short in a chunk', async () => {
    const bundle = writeBundle(alice, [bob], [bytesOf(200_000)]);
    const run = await evidenceVault(['bundle', 'verify', await fileWith(bundle.subarray(0, 100_000)), '--key', bobKey]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^refused: payload-(truncated|corrupt): .+\n$/);
  });

  it('stops at a wrong passphrase with status 2', async () => {
    const file = await fileWith(writeBundle(alice, [bob], [bytesOf(10)]));
    const run = await evidenceVault(['bundle', 'verify', file, '--key', bobKey], 'not the passphrase');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Cannot open the key file: Wrong passphrase.*\n$/);
  });

  it('needs a passphrase when there is no terminal', async () => {
    const file = await fileWith(writeBundle(alice, [bob], [bytesOf(10)]));
    const run = await evidenceVault(['bundle', 'verify', file, '--key', bobKey], null);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/EVIDENCE_VAULT_KEY_PASSPHRASE/);
  });

  it('checks a custody log and counts its redacted entries', async () => {
    const { entries, head } = custodyChain();
    const segment = custodySegment(entries, head, (entry) => entry.caseId !== 'case-2');
    const file = await fileWith(
      writeTyped(
        alice,
        [bob],
        [
          { type: 'case', bytes: json({ id: 'case-1' }) },
          { type: 'custody-log', bytes: json(segment) },
        ],
      ),
    );
    const run = await evidenceVault(['bundle', 'verify', file, '--key', bobKey]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1 custody-log \(\d[\d,]* bytes\)/);
    expect(run.stdout).toMatch(/custody log +chain intact: 4 entries, 1 redacted/);
  });

  it('refuses a custody log with an altered entry, though the manifest signs its hash', async () => {
    const { entries, head } = custodyChain();
    const segment = custodySegment(entries, head, () => true);
    segment.entries[1] = { ...segment.entries[1]!, targetId: 'another-case' };
    const file = await fileWith(writeTyped(alice, [bob], [{ type: 'custody-log', bytes: json(segment) }]));
    const run = await evidenceVault(['bundle', 'verify', file, '--key', bobKey]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('refused: custody-log-invalid: custody log entry 2 was altered\n');
  });
});

describe('usage', () => {
  it.each([[[]], [['bundle']], [['bundle', 'verify', 'x']], [['bundle', 'inspect', 'x', '--key', 'k']], [['--nope']]])(
    'exits 2 with the usage for %j',
    async (args) => {
      const run = await evidenceVault(args, null);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage:');
    },
  );

  it('exits 2 when the bundle cannot be read', async () => {
    const run = await evidenceVault(['bundle', 'inspect', path.join(dir, 'missing')], null);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^Cannot read .*missing: ENOENT/);
  });

  it('reports a missing bundle before asking for a passphrase', async () => {
    const run = await evidenceVault(['bundle', 'verify', path.join(dir, 'missing'), '--key', bobKey], null);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^Cannot read .*missing: ENOENT/);
  });
});
