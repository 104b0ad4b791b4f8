import { z } from '../zod';
import { VaultError } from './crypto/errors';
import type { VaultHeader } from './crypto/header';
import type { VaultDatabase } from './storage/database';

const bytes = z.instanceof(Uint8Array);
const slot = z.object({ nonce: bytes, wrappedKey: bytes });
const headerSchema = z.object({
  magic: z.string(),
  formatVersion: z.number(),
  vaultId: bytes,
  createdAt: z.number(),
  kdf: z.object({ algorithm: z.literal('argon2id13'), opsLimit: z.number(), memLimit: z.number(), salt: bytes }),
  passphraseSlot: slot,
  recoverySlot: slot,
  mac: bytes,
  checksum: bytes,
});

export async function readHeader(db: VaultDatabase): Promise<VaultHeader | undefined> {
  const row = await db.meta.get('header');
  if (!row) return undefined;
  if (row.id !== 'header') throw new VaultError('header-damaged', 'The vault header is damaged.');
  const parsed = headerSchema.safeParse(row.header);
  if (!parsed.success) throw new VaultError('header-damaged', 'The vault header is damaged: fields are missing.');
  return parsed.data;
}

export async function writeHeader(db: VaultDatabase, header: VaultHeader): Promise<void> {
  await db.meta.put({ id: 'header', header });
}
