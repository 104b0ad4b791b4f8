import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations/anchoring';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { openRecord } from '../../renderer/src/vault/worker/crypto/envelope';
import { unlockWithPassphrase, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { expandMasterKey } from '../../renderer/src/vault/worker/crypto/keys';
import { formatRecoveryKey, newRecoveryKey } from '../../renderer/src/vault/worker/crypto/recovery-key';
import { KeyDomain } from '../../renderer/src/vault/worker/rekey/domain';
import { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { koetSarayHearing } from '../fixtures/hearings';
import { formatOneHeader, withForeignRecoveryKey } from '../support/format-one-header';
import {
  FAST_KDF,
  attach,
  bytes,
  codeOf,
  exportAll,
  freshName,
  importAll,
  newVault,
  passphraseBytes,
  vaultService,
} from '../support/vault-service';

const NEW_PASSPHRASE = 'copper heron 82 willow quarry';
const PAGE = 'The defence lawyer was absent when the hearing opened, and the judge refused an adjournment.';

beforeAll(async () => {
  await sodium.ready;
});

/** A vault with one of every kind of record: cases, documents with text, an annotation, a hearing, a timeline
 * event, drafts of both owners, a contact and a received bundle (its receipt and created case). */
async function fullVault() {
  const { db, vault } = await newVault('rekey', 'Zqmonitor');
  const sender = await newVault('rekey-sender', 'Zqsender');
  await sender.vault.addContact(await vault.identityCard());
  await vault.addContact(await sender.vault.identityCard());
  const sent = await sender.vault.createCase({ ...emptyCaseFields(), title: 'Zqbundled case' });
  await attach(sender.vault, sent.id, 'bundled.txt', bytes('Zqbundled words'));
  const contact = (await sender.vault.listContacts())[0]!;
  const bundle = await exportAll(sender.vault, {
    cases: [{ caseId: sent.id, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
    recipients: [contact.id],
    includeSelf: false,
    includeCustodyLog: true,
  });
  const { importId } = await importAll(vault, bundle);
  await vault.commitBundleImport(importId, { resolutions: {}, acceptUnknownSigner: false });

  for (const title of ['Zqcase one', 'Zqcase two']) {
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title });
    const document = await attach(vault, caseId, `${title}.txt`, bytes(PAGE));
    await vault.saveDocumentText(caseId, document.id, { extractor: 'utf-8', pages: [{ text: PAGE, hasText: true }] });
    const at = PAGE.indexOf('judge');
    await vault.createAnnotation(caseId, {
      documentId: document.id,
      color: 'yellow',
      note: 'Zqnote',
      tags: [],
      link: null,
      target: { kind: 'text', extractor: 'utf-8', segments: [{ ...describeSegment(PAGE, 0, at, at + 5), rects: [] }] },
    });
    await vault.saveHearing(caseId, null, koetSarayHearing());
    await vault.saveTimelineEvent(caseId, null, {
      kind: 'arrest',
      date: '2024-03',
      person: 'Zqperson',
      description: '',
      sources: [],
    });
    await vault.saveDraft(`case:${caseId}`, { title: 'Zqcase draft' });
  }
  await vault.saveDraft('new-case', { title: 'Zqvault draft' });
  return { db, vault };
}

/** Everything the vault shows, in a comparable form. */
async function contents(vault: VaultWorkerApi) {
  const { cases, damaged } = await vault.listCases();
  const perCase = [];
  for (const summary of cases.sort((a, b) => a.id.localeCompare(b.id))) {
    const documents = await vault.listDocuments(summary.id);
    perCase.push({
      summary,
      draft: await vault.loadDraft(`case:${summary.id}`),
      documents: await Promise.all(
        documents.map(async (document) => ({
          document,
          content: sodium.to_hex(await vault.readDocument(summary.id, document.id)),
          text: await vault.getDocumentText(summary.id, document.id),
        })),
      ),
      annotations: await vault.listAnnotations(summary.id),
      hearings: await vault.listHearings(summary.id),
      timeline: await vault.listTimelineEvents(summary.id),
      history: (await vault.caseHistory(summary.id)).map(({ seq, hash, targetId }) => ({ seq, hash, targetId })),
    });
  }
  return {
    damaged,
    perCase,
    vaultDraft: await vault.loadDraft('new-case'),
    contacts: (await vault.listContacts()).map(({ name, signingKey, verified }) => ({ name, signingKey, verified })),
    identity: await vault.identityCard(),
    received: await vault.listReceivedBundles(),
    search: (await vault.search('adjournment')).length,
  };
}

async function rawRows(db: VaultDatabase) {
  return { records: await db.records.toArray(), log: await db.log.toArray(), blobs: await db.blobs.toArray() };
}

/** A copy of a database under a new name: each crash simulation starts from the same vault. */
async function cloneDatabase(from: VaultDatabase): Promise<VaultDatabase> {
  const to = new VaultDatabase(freshName('rekey-clone'));
  await to.open();
  for (const table of from.tables) await to.table(table.name).bulkPut(await table.toArray());
  return to;
}

describe('re-key on a passphrase change', () => {
  it('moves every record to new keys: everything reads as before, only the new passphrase opens', async () => {
    const { db, vault } = await fullVault();
    const before = await contents(vault);
    const { recoveryKey: shown } = await vault.changePassphrase(passphraseBytes(), bytes(NEW_PASSPHRASE));
    expect(shown).toBeNull();
    await vault.whenRekeyStops();
    expect(await vault.rekeyStatus()).toEqual({ running: false, outcome: 'finished', leftOut: 0, unchecked: false });
    expect(await contents(vault)).toEqual(before);
    expect(await vault.verifyLog()).toMatchObject({ ok: true });
    expect(await db.meta.get('rekey')).toBeUndefined();

    await vault.lock();
    expect(await codeOf(vault.unlock(passphraseBytes()))).toBe('wrong-secret');
    await vault.unlock(bytes(NEW_PASSPHRASE));
    expect(await contents(vault)).toEqual(before);
  });

  it('leaves nothing written after the change readable with the old passphrase, its header or its case keys', async () => {
    const { db, vault } = await fullVault();
    const oldHeader = (await db.meta.get('header')) as { id: 'header'; header: VaultHeader };
    const oldMaster = await unlockWithPassphrase(oldHeader.header, passphraseBytes());
    // Everything the old keys open today, as someone who copied the disk and forced the passphrase has it.
    const old = new KeyDomain(oldMaster.slice());
    const oldCaseKeys = (await db.records.where('kind').equals(old.kindName('case-key')).toArray())
      .map((row) => old.openCaseKeyRow(row)?.key)
      .filter((key): key is Uint8Array => key !== undefined);
    expect(oldCaseKeys.length).toBe(3);

    await vault.changePassphrase(passphraseBytes(), bytes(NEW_PASSPHRASE));
    await vault.whenRekeyStops();
    const caseId = (await vault.listCases()).cases[0]!.id;
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Zqwritten after the change' });
    await attach(vault, caseId, 'after.txt', bytes('Zqafter the change'));

    const oldKeys = expandMasterKey(oldMaster.slice());
    const keys = [oldKeys.records, oldKeys.custodyLog, ...oldCaseKeys];
    const { records, log, blobs } = await rawRows(db);
    const opensWithAnOldKey = (table: string, id: string, env: Uint8Array) =>
      keys.some((key) => {
        try {
          openRecord(key, { table, id }, env);
          return true;
        } catch {
          return false;
        }
      });
    const kinds = [...old.kindOfName.values()];
    for (const row of records) for (const kind of kinds) expect(opensWithAnOldKey(kind, row.id, row.env)).toBe(false);
    for (const row of log) expect(opensWithAnOldKey('log-entry', row.id, row.env)).toBe(false);
    for (const row of blobs) expect(opensWithAnOldKey('blob', row.id, row.env)).toBe(false);
    // No row carries a name the old blind-index key gives.
    for (const row of records) expect(old.kindOfName.has(row.kind)).toBe(false);

    // The old header put back: the old passphrase opens it, and the vault shows nothing.
    await vault.lock();
    await db.meta.put(oldHeader);
    const { vault: reopened } = vaultService(db);
    await reopened.unlock(passphraseBytes());
    expect((await reopened.listCases()).cases).toEqual([]);
    expect(await reopened.listContacts()).toEqual([]);
  });

  it('keeps the recovery key of a format 2 vault; a new recovery key re-keys too and retires the old one', async () => {
    const { vault } = vaultService(freshName('rekey-recovery'));
    const { recoveryKey } = await vault.createVault(passphraseBytes());
    await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase' });
    await vault.changePassphrase(passphraseBytes(), bytes(NEW_PASSPHRASE));
    await vault.whenRekeyStops();
    await vault.lock();
    await vault.recover(recoveryKey, bytes(NEW_PASSPHRASE));
    expect((await vault.listCases()).cases.map((summary) => summary.title)).toEqual(['Zqcase']);

    const { recoveryKey: replaced } = await vault.replaceRecoveryKey(bytes(NEW_PASSPHRASE));
    await vault.whenRekeyStops();
    await vault.lock();
    // The passphrase still opens it, and nothing else does (its slot was once sealed under the bytes the
    // passphrase check had already wiped: zeros of its length).
    expect(await codeOf(vault.unlock(new Uint8Array(NEW_PASSPHRASE.length)))).toBe('wrong-secret');
    await vault.unlock(bytes(NEW_PASSPHRASE));
    await vault.lock();
    expect(await codeOf(vault.recover(recoveryKey, bytes(NEW_PASSPHRASE)))).toBe('wrong-secret');
    await vault.recover(replaced, bytes(NEW_PASSPHRASE));
    expect((await vault.listCases()).cases.map((summary) => summary.title)).toEqual(['Zqcase']);
  });

  it('gives a vault with a format 1 header a new recovery key with its new keys', async () => {
    const { db, vault } = await newVault('rekey-format-one');
    await vault.createCase({ ...emptyCaseFields(), title: 'Zqlegacy case' });
    await vault.lock();
    const current = (await db.meta.get('header')) as { header: VaultHeader };
    const masterKey = await unlockWithPassphrase(current.header, passphraseBytes());
    const oldRecovery = newRecoveryKey();
    await db.meta.put({
      id: 'header',
      header: formatOneHeader(passphraseBytes(), oldRecovery, FAST_KDF, 0, masterKey).header,
    });
    await vault.unlock(passphraseBytes());
    const { recoveryKey: fresh } = await vault.changePassphrase(passphraseBytes(), bytes(NEW_PASSPHRASE));
    expect(fresh).not.toBeNull();
    await vault.whenRekeyStops();
    expect(((await db.meta.get('header')) as { header: VaultHeader }).header.formatVersion).toBe(2);
    await vault.lock();
    expect(await codeOf(vault.recover(formatRecoveryKey(oldRecovery), bytes(NEW_PASSPHRASE)))).toBe('wrong-secret');
    await vault.recover(fresh!, bytes(NEW_PASSPHRASE));
    expect((await vault.listCases()).cases.map((summary) => summary.title)).toEqual(['Zqlegacy case']);
  });

  it('refuses a recovery slot someone sealed a key of their own into', async () => {
    const { db, vault } = vaultService(freshName('rekey-forged-slot'));
    const { recoveryKey } = await vault.createVault(passphraseBytes());
    await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase' });
    await vault.lock();
    const { header } = (await db.meta.get('header')) as { header: VaultHeader };
    // Anyone can seal to the public key and make a MAC and checksum with a key they chose.
    await db.meta.put({ id: 'header', header: withForeignRecoveryKey(header) });
    expect(await codeOf(vault.recover(recoveryKey, bytes(NEW_PASSPHRASE)))).toBe('header-altered');
  });
});

describe('a re-key cut short', () => {
  const BATCH = 2;
  const NEW = () => bytes(NEW_PASSPHRASE);

  /** A crash: the hook throws at step `at` (the worker dies there: nothing after it runs). */
  const crashAt =
    (at: number, then?: () => void) =>
    (step: number): void => {
      if (step === at - 1) then?.();
      if (step === at) throw new Error(`simulated crash at step ${at}`);
    };

  // 22 crashes, each followed by two unlocks: about a second each.
  it(
    'leaves an openable, complete vault whichever of its steps a crash stops it at',
    { timeout: 120_000 },
    async () => {
      const { db, vault } = await fullVault();
      const before = await contents(vault);
      await vault.lock();

      // How many steps a whole re-key of this vault takes, in steps of BATCH rows.
      let steps = 0;
      const whole = vaultService(await cloneDatabase(db), {
        rekeyBatchSize: BATCH,
        rekeyAfterStep: (step) => void (steps = step),
      });
      await whole.vault.unlock(passphraseBytes());
      await whole.vault.changePassphrase(passphraseBytes(), NEW());
      await whole.vault.whenRekeyStops();
      expect(steps).toBeGreaterThanOrEqual(20);

      const points = Array.from({ length: 22 }, (_, index) => 1 + Math.round((index * (steps - 1)) / 21));
      for (const point of new Set(points)) {
        const copy = await cloneDatabase(db);
        const doomed = vaultService(copy, { rekeyBatchSize: BATCH, rekeyAfterStep: crashAt(point) });
        await doomed.vault.unlock(passphraseBytes());
        await doomed.vault.changePassphrase(passphraseBytes(), NEW());
        await doomed.vault.whenRekeyStops();
        expect(await doomed.vault.rekeyStatus(), `step ${point}`).toMatchObject({ outcome: 'failed' });

        // The next start: the change had committed, so the new passphrase opens, finishes the move, and all is there.
        const next = vaultService(copy, { rekeyBatchSize: BATCH });
        expect(await codeOf(next.vault.unlock(passphraseBytes())), `step ${point}`).toBe('wrong-secret');
        await next.vault.unlock(NEW());
        expect(await contents(next.vault), `step ${point}`).toEqual(before);
        expect(await next.vault.verifyLog(), `step ${point}`).toMatchObject({ ok: true });
        expect(await copy.meta.get('rekey')).toBeUndefined();
        copy.close();
      }
    },
  );

  it('a cancel moves everything back, also when a crash stops it on the way back', { timeout: 60_000 }, async () => {
    const { db, vault } = await fullVault();
    const before = await contents(vault);
    await vault.lock();

    const cancelled = vaultService(await cloneDatabase(db), {
      rekeyBatchSize: BATCH,
      rekeyAfterStep: (step) => {
        if (step === 8) void cancelled.vault.cancelRekey();
      },
    });
    await cancelled.vault.unlock(passphraseBytes());
    await cancelled.vault.changePassphrase(passphraseBytes(), NEW());
    await cancelled.vault.whenRekeyStops();
    expect(await cancelled.vault.rekeyStatus()).toEqual({ running: false, outcome: 'cancelled' });
    expect(await contents(cancelled.vault)).toEqual(before);
    await cancelled.vault.lock();
    expect(await codeOf(cancelled.vault.unlock(NEW()))).toBe('wrong-secret');
    await cancelled.vault.unlock(passphraseBytes());
    expect(await contents(cancelled.vault)).toEqual(before);

    for (const crash of [9, 12, 16]) {
      const copy = await cloneDatabase(db);
      const doomed = vaultService(copy, {
        rekeyBatchSize: BATCH,
        rekeyAfterStep: crashAt(crash, () => void doomed.vault.cancelRekey()),
      });
      await doomed.vault.unlock(passphraseBytes());
      await doomed.vault.changePassphrase(passphraseBytes(), NEW());
      await doomed.vault.whenRekeyStops();
      const next = vaultService(copy, { rekeyBatchSize: BATCH });
      expect(await codeOf(next.vault.unlock(NEW())), `crash ${crash}`).toBe('wrong-secret');
      await next.vault.unlock(passphraseBytes());
      expect(await next.vault.rekeyStatus()).toEqual({ running: false, outcome: 'cancelled' });
      expect(await contents(next.vault), `crash ${crash}`).toEqual(before);
      expect(await next.vault.verifyLog()).toMatchObject({ ok: true });
      copy.close();
    }
  });

  it('a lock during the move stops it; the next unlock finishes it', async () => {
    const { db, vault } = await fullVault();
    const before = await contents(vault);
    await vault.lock();
    const copy = await cloneDatabase(db);
    let locks = 0;
    const service = vaultService(copy, {
      rekeyBatchSize: BATCH,
      rekeyAfterStep: (step) => {
        if (step === 5 && locks++ === 0) void service.vault.lock();
      },
    });
    await service.vault.unlock(passphraseBytes());
    await service.vault.changePassphrase(passphraseBytes(), NEW());
    await service.vault.whenRekeyStops();
    expect(await codeOf(service.vault.listCases())).toBe('locked');
    expect(await copy.meta.get('rekey')).toBeDefined();
    await service.vault.unlock(NEW());
    expect(await contents(service.vault)).toEqual(before);
  });

  it('is refused while a record is rolled back, and leaves out an older copy put back while it was cut short', async () => {
    const { db, vault } = await newVault('rekey-rollback');
    const { id } = await vault.createCase({ ...emptyCaseFields(), title: 'Zqfirst title' });
    const older = (await db.records.get(id))!;
    await vault.updateCase(id, { ...emptyCaseFields(), title: 'Zqsecond title' });
    const current = (await db.records.get(id))!;

    // Rolled back before the change: the re-key would make it current, so it is refused until the user decides.
    await db.records.put(older);
    expect(await codeOf(vault.changePassphrase(passphraseBytes(), bytes(NEW_PASSPHRASE)))).toBe('record-rolled-back');
    await db.records.put(current);

    // Cut short after its first step (the case row not moved yet); meanwhile the older copy is put back.
    let locks = 0;
    const copy = await cloneDatabase(db);
    const service = vaultService(copy, {
      rekeyBatchSize: 1,
      rekeyAfterStep: (step) => {
        if (step === 1 && locks++ === 0) void service.vault.lock();
      },
    });
    await service.vault.unlock(passphraseBytes());
    await service.vault.changePassphrase(passphraseBytes(), bytes(NEW_PASSPHRASE));
    await service.vault.whenRekeyStops();
    expect((await copy.records.get(id))?.kind).toBe(current.kind);
    await copy.records.put(older);
    await service.vault.unlock(bytes(NEW_PASSPHRASE));
    expect(await service.vault.rekeyStatus()).toEqual({
      running: false,
      outcome: 'finished',
      leftOut: 1,
      unchecked: false,
    });
    expect((await service.vault.listCases()).cases.map((summary) => summary.title)).not.toContain('Zqfirst title');
  });
});
