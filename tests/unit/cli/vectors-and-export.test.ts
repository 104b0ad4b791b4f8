/**
 * The command-line verifier against the published test vectors (each must
 * give the recorded outcome) and against a bundle exported by a real vault.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields, emptyProvenance } from '../../../renderer/src/vault/model';
import { writeIdentityKeyFile } from '../../../renderer/src/vault/worker/bundle';
import { runSelfTest } from '../../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../../renderer/src/vault/worker/storage/database';
import { createVaultService } from '../../../renderer/src/vault/worker/vault-service';
import { root, runNode } from './run-node';

const VECTORS = path.join(root, 'tests/vectors/bundle');
const PASSPHRASE = 'correct horse battery staple';
const SMALL_KDF = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };

let dir: string;
let cli: string;

const run = (args: string[]) => runNode(args, PASSPHRASE);

/** The key file of a vector party (keys from 32 copies of a seed byte, as docs/bundle-format.md says). */
async function seededKeyFile(name: string, seedByte: number): Promise<string> {
  const seed = new Uint8Array(32).fill(seedByte);
  const sign = sodium.crypto_sign_seed_keypair(seed);
  const box = sodium.crypto_box_seed_keypair(seed);
  const file = path.join(dir, `${name}.key.json`);
  const keys = {
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
  };
  await writeFile(file, await writeIdentityKeyFile(name, keys, new TextEncoder().encode(PASSPHRASE), SMALL_KDF));
  return file;
}

beforeAll(async () => {
  await sodium.ready;
  dir = await mkdtemp(path.join(tmpdir(), 'evidence-vault-cli-vectors-'));
  cli = path.join(dir, 'evidence-vault.mjs');
  const built = await run(['scripts/build-cli.mjs', cli]);
  expect(built.status).toBe(0);
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the verifier and the test vectors', () => {
  it('gives every vector its recorded outcome (exit 0 only for the valid ones)', async () => {
    const keys = {
      alice: await seededKeyFile('alice', 0xa1),
      bob: await seededKeyFile('bob', 0xb0),
      carol: await seededKeyFile('carol', 0xc0),
    };
    const index = JSON.parse(await readFile(path.join(VECTORS, 'index.json'), 'utf8')) as {
      file: string;
      reader: keyof typeof keys;
      expect: string;
    }[];
    for (const vector of index) {
      const result = await run([
        cli,
        'bundle',
        'verify',
        path.join(VECTORS, vector.file),
        '--key',
        keys[vector.reader],
      ]);
      if (vector.expect === 'ok') expect(result.status, `${vector.file}: ${result.stderr}`).toBe(0);
      else {
        expect(result.status, vector.file).toBe(1);
        expect(result.stderr, vector.file).toContain(`refused: ${vector.expect}:`);
      }
    }
  }, 120_000);
});

describe('the verifier and a vault', () => {
  it("verifies a bundle the vault exported, its signer and the sender's custody log", async () => {
    const vault = createVaultService(new VaultDatabase('cli-export'), { kdf: SMALL_KDF, health: runSelfTest });
    const vaultPassphrase = 'orchid lantern 47 granite meadow';
    await vault.createVault(new TextEncoder().encode(vaultPassphrase));
    await vault.renameIdentity('Monitor in Siem Reap');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Exported case' });
    const content = new TextEncoder().encode('Hearing adjourned; lawyer absent at the start.');
    const intakeId = await vault.beginIntake(caseId, 'note.txt', content.byteLength);
    await vault.intakeChunk(intakeId, content);
    await vault.finishIntake(intakeId, emptyProvenance());
    const { exportId } = await vault.beginBundleExport({
      cases: [{ caseId, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
      recipients: [],
      includeSelf: true,
      includeCustodyLog: true,
    });
    const parts: Uint8Array[] = [];
    for (let piece = await vault.readBundleExport(exportId); piece; piece = await vault.readBundleExport(exportId))
      parts.push(piece);
    const bundle = path.join(dir, 'export.evbundle');
    await writeFile(bundle, Buffer.concat(parts));
    const keyFile = path.join(dir, 'vault.key.json');
    await writeFile(
      keyFile,
      await vault.identityKeyFile(new TextEncoder().encode(vaultPassphrase), new TextEncoder().encode(PASSPHRASE)),
    );
    const identity = await vault.getIdentity();

    const result = await run([cli, 'bundle', 'verify', bundle, '--key', keyFile]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Monitor in Siem Reap');
    expect(result.stdout).toContain(identity.fingerprint.slice(0, 4).join(' '));
    expect(result.stdout).toMatch(/chain intact/);

    const tampered = Buffer.concat(parts);
    tampered[tampered.byteLength - 30]! ^= 1;
    await writeFile(bundle, tampered);
    const refused = await run([cli, 'bundle', 'verify', bundle, '--key', keyFile]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^refused: payload-corrupt: /);
  }, 60_000);
});
