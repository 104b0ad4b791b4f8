import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { attach, bytes, passphraseBytes, vaultService } from '../support/vault-service';
import { koetSarayHearing } from '../fixtures/hearings';

beforeAll(async () => {
  await sodium.ready;
});

describe('home overview', () => {
  it('counts cases by status, hearings per month, signed-off answers, and lists documents still to annotate', async () => {
    const { vault } = vaultService('overview-1');
    await vault.createVault(passphraseBytes());
    const open = await vault.createCase({ ...emptyCaseFields(), title: 'Open case' });
    await vault.createCase({ ...emptyCaseFields(), title: 'On trial', status: 'on-trial' });
    const archived = await vault.createCase({ ...emptyCaseFields(), title: 'Old', status: 'closed' });
    await vault.setCaseArchived(archived.id, true);
    const signed = await vault.saveHearing(open.id, null, koetSarayHearing());
    await vault.finaliseHearing(open.id, signed.id);
    await vault.saveHearing(open.id, null, { ...koetSarayHearing(), date: '2025-07-30' });
    await vault.saveHearing(open.id, null, { ...koetSarayHearing(), date: '2025' });
    const document = await attach(vault, open.id, 'note.txt', bytes('A note.'));

    const overview = await vault.overview();
    expect(overview.casesByStatus).toEqual({ open: 1, 'on-trial': 1 });
    expect(overview.hearingsPerMonth).toEqual([{ month: '2025-07', count: 2 }]);
    // Only the signed-off hearing's three answers count.
    expect(overview.indicatorAnswers).toEqual({ 'not-respected': 1, respected: 1, concern: 1 });
    expect(overview.awaitingAnnotation.map((entry) => entry.documentId)).toEqual([document.id]);
    // "Every document has annotations" is said only when there are documents (issue 16).
    expect(overview.documentCount).toBe(1);
    expect(overview.recentActivity[0]).toMatchObject({ action: 'attached', targetKind: 'document' });

    // Kept until something changes: the same answer without reading the vault again, a new one after a change.
    const listAll = vi.spyOn(VaultStore.prototype, 'listSummary');
    expect(await vault.overview()).toEqual(overview);
    expect(listAll).not.toHaveBeenCalled();
    await vault.createCase({ ...emptyCaseFields(), title: 'Third', status: 'open' });
    expect((await vault.overview()).casesByStatus).toEqual({ open: 2, 'on-trial': 1 });
    expect(listAll).toHaveBeenCalled();
    listAll.mockRestore();
    // A custody-log entry alone (a bundle exported: nothing else written) shows in recent activity.
    const { exportId } = await vault.beginBundleExport({
      cases: [{ caseId: open.id, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
      recipients: [],
      includeSelf: true,
      includeCustodyLog: false,
    });
    while (await vault.readBundleExport(exportId));
    await vault.finishBundleExport(exportId);
    expect((await vault.overview()).recentActivity[0]).toMatchObject({ action: 'exported', targetKind: 'bundle' });
    await vault.lock();
    await expect(vault.overview()).rejects.toMatchObject({ code: 'locked' });
  });
});
