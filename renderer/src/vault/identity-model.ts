import { keyBytes, z } from './zod';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * This vault's identity as stored: its name and secret keys, as bytes (sealed beside the other fields, never as
 * text). Schema 1 stored them as hex; record-kinds.ts reads that and the unlock rewrites it once.
 */
export const storedIdentitySchema = z.strictObject({
  name: z.string().max(200),
  signSecretKey: keyBytes(64),
  boxSecretKey: keyBytes(32),
  createdAt: z.number().int().nonnegative(),
});

/** A contact as stored: a person's public keys, as their card gave them, and whether they were verified. */
export const storedContactSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32,64}$/),
  name: z.string().trim().min(1).max(200),
  signingKey: hex32,
  encryptionKey: hex32,
  verified: z.boolean(),
  verifiedAt: z.number().int().nonnegative().nullable(),
  addedAt: z.number().int().nonnegative(),
});
