import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields, emptyProvenance } from '../../renderer/src/vault/model';
import { runSelfTest } from '../../renderer/src/vault/worker/self-test';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { createVaultService } from '../../renderer/src/vault/worker/vault-service';
import { koetSarayHearing } from '../fixtures/hearings';

beforeAll(async () => {
  await sodium.ready;
});

describe('home overview', () => {
  it('counts cases by status, hearings per month, signed-off answers, and lists documents still to annotate', async () => {
    const vault = createVaultService(new VaultDatabase('overview-1'), {
      kdf: { opsLimit: 3, memLimit: 64 * 1024 * 1024 },
      health: runSelfTest,
    });
    await vault.createVault(new TextEncoder().encode('orchid lantern 47 granite meadow'));
    const open = await vault.createCase({ ...emptyCaseFields(), title: 'Open case' });
    await vault.createCase({ ...emptyCaseFields(), title: 'On trial', status: 'on-trial' });
    const archived = await vault.createCase({ ...emptyCaseFields(), title: 'Old', status: 'closed' });
    await vault.setCaseArchived(archived.id, true);
    const signed = await vault.saveHearing(open.id, null, koetSarayHearing());
    await vault.finaliseHearing(open.id, signed.id);
    await vault.saveHearing(open.id, null, { ...koetSarayHearing(), date: '2025-07-30' });
    await vault.saveHearing(open.id, null, { ...koetSarayHearing(), date: '2025' });
    const bytes = new TextEncoder().encode('A note.');
    const intakeId = await vault.beginIntake(open.id, 'note.txt', bytes.byteLength);
    await vault.intakeChunk(intakeId, bytes);
    const document = await vault.finishIntake(intakeId, emptyProvenance());

    const overview = await vault.overview();
    expect(overview.casesByStatus).toEqual({ open: 1, 'on-trial': 1 });
    expect(overview.hearingsPerMonth).toEqual([{ month: '2025-07', count: 2 }]);
    // Only the signed-off hearing's three answers count.
    expect(overview.indicatorAnswers).toEqual({ 'not-respected': 1, respected: 1, concern: 1 });
    expect(overview.awaitingAnnotation.map((entry) => entry.documentId)).toEqual([document.id]);
    expect(overview.recentActivity[0]).toMatchObject({ action: 'attached', targetKind: 'document' });
  });
});
