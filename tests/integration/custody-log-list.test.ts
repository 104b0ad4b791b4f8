import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations/anchoring';
import type { CustodyLogRow, VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { attach, bytes, codeOf, exportAll, importAll, newVault } from '../support/vault-service';

beforeAll(async () => {
  await sodium.ready;
});

/** Every entry, page by page (`limit` at a time), as the log page reads them. */
async function everyPage(vault: VaultWorkerApi, limit: number): Promise<{ pages: number; rows: CustodyLogRow[] }> {
  const rows: CustodyLogRow[] = [];
  let pages = 0;
  let before: number | undefined;
  for (;;) {
    const page = await vault.listCustodyLog(before === undefined ? { limit } : { before, limit });
    pages += 1;
    rows.push(...page.entries);
    if (page.nextBefore === null) return { pages, rows };
    before = page.nextBefore;
  }
}

describe('listing the whole custody log', () => {
  it('lists every entry newest first, a page at a time, with its details opened and its case title', async () => {
    const { vault } = await newVault('custody-list', 'Zqmonitor Dara');
    const first = await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase Koet Saray' });
    await vault.updateCase(first.id, { ...emptyCaseFields(), title: 'Zqcase Koet Saray (appeal)' });
    const document = await attach(vault, first.id, 'note.txt', bytes('A note.'));
    const gone = await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase deleted later' });
    await vault.deleteCase(gone.id);

    const whole = await vault.listCustodyLog({ limit: 100 });
    const { count } = await vault.verifyLog();
    expect(whole.total).toBe(count);
    expect(whole.nextBefore).toBeNull();
    const seqs = whole.entries.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(seqs[0]).toBe(count);
    expect(whole.entries.slice(0, 5).map((entry) => [entry.action, entry.targetKind])).toEqual([
      ['deleted', null],
      ['created', null],
      ['attached', 'document'],
      ['edited', 'case'],
      ['created', 'case'],
    ]);
    // The deleted case's entries say only that (its key, and so its details, went with it).
    expect(whole.entries[0]).toMatchObject({ aboutDeletedCase: true, caseId: null, caseTitle: null });
    // Details opened in the worker, the title as it is now, and who: this vault's identity.
    expect(whole.entries[2]).toMatchObject({
      caseId: first.id,
      caseTitle: 'Zqcase Koet Saray (appeal)',
      aboutDeletedCase: false,
      who: { kind: 'self', name: 'Zqmonitor Dara' },
    });
    expect(whole.entries.at(-1)).toMatchObject({ seq: 1, action: 'vault-created', caseId: null, targetKind: 'vault' });
    expect(JSON.stringify(whole)).not.toContain(document.sha256);

    // Pages of two: the same entries in the same order, none twice.
    const paged = await everyPage(vault, 2);
    expect(paged.pages).toBe(Math.ceil(count / 2));
    expect(paged.rows).toEqual(whole.entries);
    const older = await vault.listCustodyLog({ before: 4, limit: 10 });
    expect(older.entries.map((entry) => entry.seq)).toEqual([3, 2, 1]);
    expect(older.total).toBe(count);

    // A new entry shows at once (what was kept is for the vault as it was).
    await vault.setCaseArchived(first.id, true);
    expect((await vault.listCustodyLog({ limit: 1 })).entries[0]).toMatchObject({
      seq: count + 1,
      action: 'archived',
      caseTitle: 'Zqcase Koet Saray (appeal)',
    });

    expect(await codeOf(vault.listCustodyLog({ limit: 0 }))).toBe('invalid-input');
    expect(await codeOf(vault.listCustodyLog({ limit: 1_000_000 }))).toBe('invalid-input');
    expect(await codeOf(vault.listCustodyLog({ before: 'x' as unknown as number, limit: 5 }))).toBe('invalid-input');
    await vault.lock();
    expect(await codeOf(vault.listCustodyLog({ limit: 5 }))).toBe('locked');
  });

  it("names the sender for what an import brought, and lists nothing of another vault's log", async () => {
    const a = await newVault('custody-list-a', 'Zqmonitor A');
    const b = await newVault('custody-list-b', 'Coordinator B');
    const contactOfB = await a.vault.addContact(await b.vault.identityCard());
    const made = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqcase sent across' });
    await attach(a.vault, made.id, 'letter.txt', bytes('A letter.'));
    const onlyInA = await a.vault.createCase({ ...emptyCaseFields(), title: 'Zqcase only in A' });
    const before = (await b.vault.listCustodyLog({ limit: 100 })).entries;
    expect(before.some((entry) => entry.caseId === made.id || entry.caseId === onlyInA.id)).toBe(false);

    const bundle = await exportAll(a.vault, {
      cases: [{ caseId: made.id, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
      recipients: [contactOfB.id],
      includeSelf: false,
      includeCustodyLog: true,
    });
    const { importId } = await importAll(b.vault, bundle);
    await b.vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: true });

    const { entries, total } = await b.vault.listCustodyLog({ limit: 100 });
    // B's log holds only B's own entries: none of A's (its other case never appears), its imports new.
    expect(total).toBe((await b.vault.verifyLog()).count);
    expect(entries.some((entry) => entry.caseId === onlyInA.id)).toBe(false);
    const imported = entries.filter((entry) => entry.action === 'imported');
    expect(imported.map((entry) => entry.targetKind).sort()).toEqual(['bundle', 'case', 'document']);
    for (const entry of imported)
      expect(entry).toMatchObject({
        caseId: made.id,
        caseTitle: 'Zqcase sent across',
        who: { kind: 'sender', name: 'Zqmonitor A' },
      });
    expect(entries.find((entry) => entry.action === 'vault-created')?.who).toEqual({
      kind: 'self',
      name: 'Coordinator B',
    });

    // The case deleted: its receipt (who sent the bundle) goes with it. Its import's entries then say the sender
    // is unknown, never that this vault imported them.
    await b.vault.deleteCase(made.id);
    expect((await b.vault.listReceivedBundles()).some((received) => received.signer.name === 'Zqmonitor A')).toBe(
      false,
    );
    const after = (await b.vault.listCustodyLog({ limit: 100 })).entries;
    const importedAfter = after.filter((entry) => entry.action === 'imported');
    expect(importedAfter).toHaveLength(imported.length);
    for (const entry of importedAfter)
      expect(entry).toMatchObject({ aboutDeletedCase: true, who: { kind: 'unknown-sender' } });
    expect(after.find((entry) => entry.action === 'deleted')?.who).toEqual({ kind: 'self', name: 'Coordinator B' });
    expect(after.find((entry) => entry.action === 'vault-created')?.who).toEqual({
      kind: 'self',
      name: 'Coordinator B',
    });
  });

  it('keeps naming this vault for what it imported itself outside a bundle (annotations from a file)', async () => {
    const { vault } = await newVault('custody-list-own-import', 'Zqmonitor Own');
    const made = await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase own import' });
    const text = 'The judge refused an adjournment.';
    const document = await attach(vault, made.id, 'note.txt', bytes(text));
    await vault.importAnnotations(made.id, [
      {
        documentId: document.id,
        color: 'yellow',
        note: 'Zqnote imported from a file',
        tags: [],
        link: null,
        target: {
          kind: 'text',
          extractor: 'utf-8',
          segments: [{ ...describeSegment(text, 0, 4, 9), rects: [] }],
        },
      },
    ]);
    const imported = (await vault.listCustodyLog({ limit: 100 })).entries.filter(
      (entry) => entry.action === 'imported',
    );
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ targetKind: 'annotation', who: { kind: 'self', name: 'Zqmonitor Own' } });
  });
});
