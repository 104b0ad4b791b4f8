import { describe, expect, it } from 'vitest';
import { bundleReceiptSchema } from '../../../renderer/src/vault/bundle-model';
import { upgradeRecord } from '../../../renderer/src/vault/worker/migrations';
import { RECORD_KINDS, RECORD_MIGRATIONS } from '../../../renderer/src/vault/worker/record-kinds';
import { BUNDLE_KINDS, TRAVELLING_KINDS } from '../../../renderer/src/vault/worker/record-kinds-bundle';

describe('the registry’s bundle half', () => {
  it('has one entry for every kind that travels, in the order a case is sent, and none for the others', () => {
    const travelling = Object.entries(RECORD_KINDS)
      .filter(([, entry]) => 'bundleItem' in entry)
      .map(([kind]) => kind);
    expect(TRAVELLING_KINDS).toEqual(travelling);
    expect(Object.keys(BUNDLE_KINDS)).toEqual(travelling);
    expect(TRAVELLING_KINDS[0]).toBe('case');
  });

  it('gives every stored kind a schema that refuses what is not its record', () => {
    for (const [kind, entry] of Object.entries(RECORD_KINDS))
      expect(entry.schema.safeParse({ nonsense: true }).success, kind).toBe(false);
  });

  it('reads a receipt of schema 1 (the sender’s segment whole, as text) as schema 2', () => {
    const receipt = {
      bundleId: 'f'.repeat(32),
      importedAt: 1,
      signer: { name: 'Zqsigner', signingKey: 'c'.repeat(64), status: 'verified' },
      headerHash: '0'.repeat(64),
      createdAt: '2025-01-01T00:00:00.000Z',
      items: {},
      taken: {},
      created: [],
    };
    const upgrade = (value: unknown) =>
      bundleReceiptSchema.parse(upgradeRecord(RECORD_MIGRATIONS, 'bundle-receipt', 1, value, 'test'));
    expect(upgrade({ ...receipt, custodyLog: '{"format":"x"}' }).custodyLog).toEqual({ text: '{"format":"x"}' });
    expect(upgrade({ ...receipt, custodyLog: null }).custodyLog).toBeNull();
  });
});
