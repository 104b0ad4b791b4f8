import { z } from '../zod';
import { VaultError } from './crypto/errors';
import type { VaultHeader } from './crypto/header';
import type { VaultDatabase } from './storage/database';

const bytes = (length?: number) =>
  z.instanceof(Uint8Array).refine((value) => length === undefined || value.byteLength === length);
const count = z.number().int().nonnegative();
const slot = z.object({ nonce: bytes(24), wrappedKey: bytes(48) });
/** Format 2's recovery slot: a public key and the master key sealed to it (32 + 48 bytes). */
const boxSlot = z.object({ publicKey: bytes(32), sealedKey: bytes(80) });
// Exact types and lengths, so a damaged header is reported as damaged rather
// than failing somewhere inside the crypto.
const headerSchema = z.object({
  magic: z.string(),
  formatVersion: count,
  vaultId: bytes(16),
  createdAt: count,
  kdf: z.object({ algorithm: z.literal('argon2id13'), opsLimit: count, memLimit: count, salt: bytes(16) }),
  passphraseSlot: slot,
  recoverySlot: z.union([slot, boxSlot]),
  mac: bytes(32),
  checksum: bytes(32),
});

/** A stored header checked field by field (also the one a backup run carries). */
export function parseVaultHeader(value: unknown): VaultHeader {
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) throw new VaultError('header-damaged', 'The vault header is damaged: fields are missing.');
  return parsed.data;
}

export async function readHeader(db: VaultDatabase): Promise<VaultHeader | undefined> {
  const row = await db.meta.get('header');
  if (!row) return undefined;
  if (row.id !== 'header') throw new VaultError('header-damaged', 'The vault header is damaged.');
  return parseVaultHeader(row.header);
}

export async function writeHeader(db: VaultDatabase, header: VaultHeader): Promise<void> {
  await db.meta.put({ id: 'header', header });
}
