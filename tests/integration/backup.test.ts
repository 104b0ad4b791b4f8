import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeSegment } from '../../renderer/src/annotations/anchoring';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields, type AnnotationFields } from '../../renderer/src/vault/model';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import { encodeRunFile, openRunFile } from '../../renderer/src/vault/worker/backup';
import { backupKeyOf } from '../../renderer/src/vault/worker/backup-service/bookkeeping';
import { recoveryAuthRow } from '../../renderer/src/vault/worker/backup-service/recovery-auth';
import { rekeyedHeader, unlockWithPassphrase, type VaultHeader } from '../../renderer/src/vault/worker/crypto/header';
import { rowNames } from '../../renderer/src/vault/worker/row-ids';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import { MemoryFolder } from '../support/backup-folder';
import {
  attach,
  bytes,
  codeOf,
  FAST_KDF,
  fixture,
  freshName,
  keysOfVault,
  newVault,
  passphraseBytes,
  vaultService,
} from '../support/vault-service';
import { koetSarayHearing } from '../fixtures/hearings';

beforeAll(async () => {
  await sodium.ready;
});

const PAGE = 'The defence lawyer was absent when the hearing opened; the judge refused an adjournment.';

function highlight(documentId: string, quote: string, note: string): AnnotationFields {
  const at = PAGE.indexOf(quote);
  return {
    documentId,
    color: 'yellow',
    note,
    tags: ['art-494'],
    link: null,
    target: {
      kind: 'text',
      extractor: 'utf-8',
      segments: [{ ...describeSegment(PAGE, 0, at, at + quote.length), rects: [] }],
    },
  };
}

/** A vault with a case, two documents (one a real PDF), an annotation, a hearing and a contact. */
async function filledVault() {
  const { db, vault } = vaultService(freshName('backup'));
  const { recoveryKey } = await vault.createVault(passphraseBytes());
  await vault.renameIdentity('Zqmonitor Sokha');
  const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Zqcase Koet Saray ក្រមព្រហ្មទណ្ឌ' });
  const letter = await attach(vault, caseId, 'zqletter.txt', bytes(PAGE));
  const pdf = await attach(vault, caseId, 'zqreport.pdf', fixture('mission-letter-koet-saray-2025-07-17.pdf'));
  const annotation = await vault.createAnnotation(
    caseId,
    highlight(letter.id, 'defence lawyer was absent', 'Zqnote first'),
  );
  await vault.saveHearing(caseId, null, koetSarayHearing());
  const other = vaultService(freshName('backup-contact')).vault;
  await other.createVault(passphraseBytes());
  await other.renameIdentity('Zqcoordinator');
  await vault.addContact(await other.identityCard());
  return { db, vault, recoveryKey, caseId, letter, pdf, annotation };
}

/** The set id of a folder's run files (one set). */
function parseSetOf(files: Map<string, Uint8Array>): string {
  const run = [...files.keys()].find((name) => name.endsWith('.run'))!;
  return /^evb-([0-9a-f]{32})-/.exec(run)![1]!;
}

/** Everything a user sees of a vault, for comparing a restore with its original. */
async function contents(vault: VaultWorkerApi) {
  const { cases } = await vault.listCases();
  const perCase = await Promise.all(
    cases.map(async (summary) => {
      const documents = await vault.listDocuments(summary.id);
      return {
        case: await vault.getCase(summary.id),
        documents: documents.map(({ id, name, sha256, size }) => ({ id, name, sha256, size })),
        verified: await Promise.all(documents.map((document) => vault.verifyDocument(summary.id, document.id))),
        annotations: await Promise.all(documents.map((document) => vault.listAnnotations(summary.id, document.id))),
        hearings: await vault.listHearings(summary.id),
      };
    }),
  );
  return {
    cases: perCase,
    identity: await vault.getIdentity(),
    contacts: await vault.listContacts(),
    settings: await vault.getSettings(),
  };
}

describe('encrypted backup and restore', () => {
  it('backs up, writes only what changed the second time, and restores with the recovery key to the same vault', async () => {
    const { vault, recoveryKey, caseId, letter, annotation } = await filledVault();
    const folder = new MemoryFolder();
    const first = await vault.backUp(folder);
    expect(first).toMatchObject({ seq: 1, newSet: true });
    expect(folder.names('run')).toHaveLength(1);

    await vault.updateAnnotation(
      caseId,
      annotation.id,
      highlight(letter.id, 'defence lawyer was absent', 'Zqnote second'),
    );
    const before = folder.bytesWritten;
    const second = await vault.backUp(folder);
    expect(second).toMatchObject({ seq: 2, newSet: false, set: first.set });
    // One annotation page, the custody log's new entries and head, the integrity map's touched rows: a few KiB.
    expect(folder.bytesWritten - before).toBeLessThan(64 * 1024);
    expect(second.rowsWritten).toBeLessThan(20);
    expect(await vault.listBackupSets()).toEqual([
      expect.objectContaining({ set: first.set, seq: 2, where: 'folder' }),
    ]);

    const original = await contents(vault);
    // Nothing of what was typed is readable in the folder.
    const everything = Buffer.concat([...folder.files.values()]);
    for (const marker of ['Zqcase', 'Zqnote', 'zqletter', 'Zqmonitor', 'Zqcoordinator', 'ក្រមព្រហ្មទណ្ឌ', 'Koet Saray'])
      expect(everything.includes(Buffer.from(marker))).toBe(false);

    // A new computer: restore with the recovery key (and a new passphrase).
    const fresh = vaultService(freshName('restored')).vault;
    expect(await fresh.inspectBackup(folder)).toEqual([expect.objectContaining({ set: first.set, runs: [1, 2] })]);
    const newPassphrase = bytes('quartz river 19 willow beacon');
    expect(await fresh.restoreBackup(folder, { kind: 'recovery-key', recoveryKey, newPassphrase }, {})).toEqual({
      set: first.set,
      seq: 2,
      proof: 'recovery-tag',
    });
    expect(await contents(fresh)).toEqual(original);
    const log = await fresh.verifyLog();
    expect(log.ok).toBe(true);
    const entries = (await fresh.listCustodyLog({ limit: 5 })).entries;
    expect(entries.map((entry) => entry.action).slice(0, 2)).toEqual(['recovered', 'restored-from-backup']);
    // The new passphrase opens it; the set goes on from run 2.
    await fresh.lock();
    await fresh.unlock(bytes('quartz river 19 willow beacon'));
    expect(await fresh.backUp(folder)).toMatchObject({ seq: 3, set: first.set, newSet: false });
    expect(await fresh.verifyBackup(folder, { rehash: true })).toMatchObject({
      runs: 3,
      latestSeq: 3,
      documentsRehashed: 2,
      matchesVault: true,
    });
  });

  it('restores an earlier run with the passphrase, and refuses to restore into an existing vault', async () => {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    const atFirst = await contents(vault);
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Zqrenamed' });
    await vault.backUp(folder);

    expect(await codeOf(vault.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {}))).toBe(
      'vault-exists',
    );
    const fresh = vaultService(freshName('restored')).vault;
    expect(
      await codeOf(
        fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: bytes('not the passphrase at all') }, {}),
      ),
    ).toBe('wrong-secret');
    await fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, { seq: 1 });
    expect((await contents(fresh)).cases).toEqual(atFirst.cases);
    // Restored from an earlier run, the vault does not write to that set again: its next backup starts a new one.
    const next = await fresh.backUp(folder);
    expect(next.newSet).toBe(true);
    expect(await fresh.listBackupSets()).toHaveLength(1);
  });

  it('goes on incrementally into downloads from what the vault kept, and restores from the files picked', async () => {
    const { vault, caseId } = await filledVault();
    const downloads = new MemoryFolder(false);
    await vault.backUp(downloads);
    const before = downloads.bytesWritten;
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Zqsecond title' });
    expect(await vault.backUp(downloads)).toMatchObject({ seq: 2, newSet: false });
    expect(downloads.bytesWritten - before).toBeLessThan(64 * 1024);
    expect(await vault.listBackupSets()).toEqual([expect.objectContaining({ where: 'downloads', seq: 2 })]);
    const original = await contents(vault);
    const picked = downloads.copy(true);
    const fresh = vaultService(freshName('restored')).vault;
    await fresh.restoreBackup(picked, { kind: 'passphrase', passphrase: passphraseBytes() }, { where: 'downloads' });
    expect(await contents(fresh)).toEqual(original);
  });

  it('reports the bytes restored as each batch is stored, several times a pack, rising to the total', async () => {
    const { vault } = await newVault('restore-progress');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Zqprogress' });
    // Random, so it stays as large sealed: two packs (16 MiB each at most), each stored in several batches.
    const recording = new Uint8Array(20 * 1024 * 1024);
    for (let offset = 0; offset < recording.length; offset += 65_536)
      crypto.getRandomValues(recording.subarray(offset, offset + 65_536));
    await attach(vault, caseId, 'zqrecording.bin', recording, { piece: 4 * 1024 * 1024 });
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    const packs = folder.names('pack').length;

    const reports: { restored: number; total: number }[] = [];
    const fresh = vaultService(freshName('restore-progress-into')).vault;
    await fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {}, (progress) =>
      reports.push({ ...progress }),
    );
    const total = reports[0]!.total;
    expect(total).toBeGreaterThan(recording.length);
    expect(reports.every((report) => report.total === total && report.restored <= total)).toBe(true);
    const values = reports.map((report) => report.restored);
    expect(values.every((value, index) => index === 0 || value > values[index - 1]!)).toBe(true);
    expect(values.at(-1)).toBe(total);
    // More often than once a pack: a large pack no longer holds the bar still while it is written.
    expect(reports.length).toBeGreaterThan(packs);
    expect(await fresh.listDocuments(caseId)).toEqual([expect.objectContaining({ name: 'zqrecording.bin' })]);
  });
});

describe('a damaged, incomplete or mixed backup set is refused with its reason, and nothing is restored', () => {
  async function twoRuns() {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Zqsecond' });
    await vault.backUp(folder);
    return { vault, folder };
  }

  async function refusal(vault: VaultWorkerApi, folder: MemoryFolder): Promise<[string, string, boolean]> {
    const verify = await vault.verifyBackup(folder).then(
      () => 'accepted',
      (error: { detail?: string }) => error.detail ?? 'no reason',
    );
    const { db, vault: fresh } = vaultService(freshName('restored'));
    const restore = await fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {}).then(
      () => 'accepted',
      (error: { detail?: string; code?: string }) => error.detail ?? error.code ?? 'no reason',
    );
    const empty = (await db.records.count()) + (await db.chunks.count()) + (await db.meta.count()) === 0;
    return [verify, restore, empty];
  }

  const flip = (bytes: Uint8Array, at: number) => {
    const copy = bytes.slice();
    copy[at]! ^= 1;
    return copy;
  };

  it('a bit flipped in a pack', async () => {
    const { vault, folder } = await twoRuns();
    const pack = folder.names('pack')[0]!;
    folder.files.set(pack, flip(folder.files.get(pack)!, 100));
    expect(await refusal(vault, folder)).toEqual(['pack-corrupt', 'pack-corrupt', true]);
  });

  it('a bit flipped in a run index', async () => {
    const { vault, folder } = await twoRuns();
    const run = folder.names('run')[1]!;
    const file = folder.files.get(run)!;
    folder.files.set(run, flip(file, file.byteLength - 30));
    expect(await refusal(vault, folder)).toEqual(['run-corrupt', 'run-corrupt', true]);
  });

  it('a missing pack, and a missing first run', async () => {
    const { vault, folder } = await twoRuns();
    const noPack = folder.copy();
    noPack.files.delete(folder.names('pack')[0]!);
    expect(await refusal(vault, noPack)).toEqual(['pack-missing', 'pack-missing', true]);
    const noRun = folder.copy();
    noRun.files.delete(folder.names('run')[0]!);
    expect(await refusal(vault, noRun)).toEqual(['run-missing', 'run-missing', true]);
  });

  it('two runs swapped', async () => {
    const { vault, folder } = await twoRuns();
    const [one, two] = folder.names('run') as [string, string];
    const first = folder.files.get(one)!;
    folder.files.set(one, folder.files.get(two)!);
    folder.files.set(two, first);
    expect(await refusal(vault, folder)).toEqual(['run-misnamed', 'run-misnamed', true]);
  });

  it('a run of another vault put in, under this set’s name', async () => {
    const { vault, folder } = await twoRuns();
    const stranger = await filledVault();
    const theirs = new MemoryFolder();
    await stranger.vault.backUp(theirs);
    await stranger.vault.backUp(theirs);
    folder.files.set(folder.names('run')[1]!, theirs.files.get(theirs.names('run')[1]!)!);
    expect((await refusal(vault, folder))[0]).toBe('run-misnamed');
  });

  it('the folder rolled back (its last run removed), and the vault rolled back to an older copy', async () => {
    const { vault, folder } = await twoRuns();
    const older = folder.copy();
    older.files.delete(folder.names('run')[1]!);
    expect(await codeOf(vault.backUp(older))).toBe('backup-refused');
    await expect(vault.backUp(older)).rejects.toMatchObject({ detail: 'set-behind-vault' });

    // The vault as it was at run 1 (an old disk image put back: restored here from the folder's copy of run 1)
    // believes run 1 is the set's last; the folder holds run 2, which the vault it came from wrote later.
    const { vault: stale } = vaultService(freshName('stale'));
    await stale.restoreBackup(older.copy(), { kind: 'passphrase', passphrase: passphraseBytes() }, {});
    await expect(stale.backUp(folder)).rejects.toMatchObject({ detail: 'vault-behind-set' });
  });

  it('after either refusal, a new set in the same folder is the way on; the old runs stay as they were', async () => {
    const { vault, folder } = await twoRuns();
    const older = folder.copy();
    older.files.delete(folder.names('run')[1]!);
    const before = new Map(older.files);
    const fresh = await vault.backUp(older, undefined, { newSet: true });
    expect(fresh).toMatchObject({ seq: 1, newSet: true });
    // Nothing of the old set was touched; the next run goes on with the new set, passing over the old one.
    for (const [name, bytes] of before) expect(older.files.get(name)).toEqual(bytes);
    expect(await vault.backUp(older)).toMatchObject({ seq: 2, set: fresh.set, newSet: false });
    expect(await vault.verifyBackup(older, { set: fresh.set })).toMatchObject({ latestSeq: 2, matchesVault: true });
    expect((await vault.listBackupSets()).map((set) => set.set)).toContain(fresh.set);
    expect((await vault.listBackupSets()).map((set) => set.set)).not.toContain(parseSetOf(before));

    // A vault put back to an older copy: it starts its own set beside the one it cannot continue.
    const { vault: stale } = vaultService(freshName('stale-new-set'));
    await stale.restoreBackup(
      older.copy(),
      { kind: 'passphrase', passphrase: passphraseBytes() },
      { set: parseSetOf(before) },
    );
    await expect(stale.backUp(folder)).rejects.toMatchObject({ detail: 'vault-behind-set' });
    const own = await stale.backUp(folder, undefined, { newSet: true });
    expect(await stale.backUp(folder)).toMatchObject({ seq: 2, set: own.set });
  });
});

describe('a backup cut short leaves the set as it was', () => {
  it('a failed write at any of 20 points: the earlier runs stay valid, the next run cleans up and succeeds', async () => {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    let runs = 1;
    let failed = 0;
    for (let point = 0; point < 20; point++) {
      await vault.updateCase(caseId, {
        ...emptyCaseFields(),
        title: `Zqtitle ${point}`,
        summary: 'x'.repeat(point * 400),
      });
      folder.writesLeft = point;
      const outcome = await vault.backUp(folder).then(
        (run) => run.seq,
        () => null,
      );
      folder.writesLeft = Infinity;
      if (outcome === null) failed += 1;
      else runs = outcome;
      // Whatever happened, the set verifies and ends at the last run that completed.
      expect(await vault.verifyBackup(folder)).toMatchObject({ runs, latestSeq: runs, matchesVault: true });
    }
    expect(failed).toBeGreaterThan(0);
    expect(runs).toBeGreaterThan(1);
    const last = await vault.backUp(folder);
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({
      latestSeq: last.seq,
      matchesVault: true,
    });
    // No pack is left that no run names.
    const named = folder.names('pack').length;
    expect(named).toBe((await vault.verifyBackup(folder)).packs);
  });

  it('a restore cut short at any of 20 points leaves no vault; a later restore succeeds', async () => {
    const { vault, caseId } = await filledVault();
    // Twelve runs, each with its run file and a pack: more than 20 reads to cut at.
    const folder = new MemoryFolder();
    for (let run = 1; run <= 12; run++) {
      await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}` });
      await vault.backUp(folder);
    }
    const original = await contents(vault);
    const { db, vault: fresh } = vaultService(freshName('restored'));
    let failed = 0;
    for (let point = 0; point < 20; point++) {
      folder.readsLeft = point;
      const outcome = await codeOf(
        fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {}),
      );
      folder.readsLeft = Infinity;
      if (outcome === 'no error') break;
      failed += 1;
      // Nothing at all: no header, no rows, no content.
      expect((await db.records.count()) + (await db.meta.count()) + (await db.chunks.count())).toBe(0);
    }
    expect(failed).toBe(20);
    await fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {});
    expect(await contents(fresh)).toEqual(original);
  });
});

describe('killed mid-run: the folder stops answering at a call, and the vault starts again', () => {
  /** Waits for `run` or for the folder to die under it; then lets the dead service reach its next folder call. */
  async function runOrDie<T>(run: Promise<T>, death: Promise<void>): Promise<T | 'killed'> {
    const outcome = await Promise.race([run, death.then(() => 'killed' as const)]);
    if (outcome === 'killed') await new Promise((resolve) => setTimeout(resolve, 20));
    return outcome;
  }

  it('a backup killed at each of its folder calls: the set stays valid, and the next run after a restart cleans up', async () => {
    const { db, vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    let service = vault;
    let runs = 1;
    let kills = 0;
    // Killed at the first call of a run, then the second, …, until a run gets through; and round again.
    let callsOfARun = Infinity;
    for (let point = 0; kills < 30; point++) {
      await service.updateCase(caseId, { ...emptyCaseFields(), title: `Zqkilled ${point}` });
      // Every third run also has a new document: content chunks in its packs.
      if (point % 3 === 0)
        await attach(service, caseId, `zqkilled-${point}.bin`, new Uint8Array(1_500_000).fill(point));
      const callsBefore = folder.calls;
      const outcome = await runOrDie(service.backUp(folder), folder.dieAfter(point % (callsOfARun + 1)));
      folder.revive();
      if (outcome === 'killed') {
        kills += 1;
        // A new process: the vault as the kill left it, unlocked again.
        service = vaultService(db.name).vault;
        await service.unlock(passphraseBytes());
      } else {
        runs = outcome.seq;
        callsOfARun = folder.calls - callsBefore;
        point = -1;
      }
      // Whatever happened, the set verifies, ends at the last run that completed, and the vault remembers that run.
      expect(await service.verifyBackup(folder)).toMatchObject({ runs, latestSeq: runs, matchesVault: true });
    }
    expect(runs).toBeGreaterThan(2);
    const last = await service.backUp(folder);
    expect(last.seq).toBe(runs + 1);
    expect(await service.verifyBackup(folder, { rehash: true })).toMatchObject({
      latestSeq: last.seq,
      matchesVault: true,
    });
    // The packs of every killed run were removed: none is left that no run names.
    expect(folder.names('pack').length).toBe((await service.verifyBackup(folder)).packs);
  }, 60_000);

  it('a restore killed at each of its folder calls leaves no vault; a restore after a restart gives the whole vault', async () => {
    const { db: originalDb, vault, caseId } = await filledVault();
    // Twelve runs, each with its run file and a pack: more than 20 reads to be killed at.
    const folder = new MemoryFolder();
    for (let run = 1; run <= 12; run++) {
      await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}` });
      await vault.backUp(folder);
    }
    const original = await contents(vault);
    const name = freshName('killed-restore');
    let kills = 0;
    for (let point = 0; ; point++) {
      const { vault: fresh } = vaultService(name);
      const outcome = await runOrDie(
        fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {}),
        folder.dieAfter(point),
      );
      folder.revive();
      if (outcome !== 'killed') break;
      kills += 1;
      // Started again after the kill: there is no vault.
      expect((await vaultService(name).vault.status()).state).toBe('no-vault');
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    // The restore that ran to its end cleared what the killed ones left, and holds exactly the vault backed up.
    const { db, vault: restored } = vaultService(name);
    expect((await restored.status()).state).toBe('locked');
    await restored.unlock(passphraseBytes());
    expect(await contents(restored)).toEqual(original);
    expect((await restored.verifyLog()).ok).toBe(true);
    // No content chunk left over from a killed restore, none missing.
    expect(await db.chunks.count()).toBe(await originalDb.chunks.count());
  });
});

describe('the last backup folder, for "Back up now" at a lock', () => {
  const REF = 'c2VhbGVkLWZvbGRlci1yZWY_-x';

  it('keeps the folder reference with the set, and says whether the vault changed since its last run', async () => {
    const { vault, caseId } = await filledVault();
    expect(await vault.lastBackupFolder()).toBeNull();
    const folder = new MemoryFolder();
    await vault.backUp(folder, undefined, { folderRef: REF });
    expect(await vault.lastBackupFolder()).toMatchObject({ folderRef: REF, changedSince: false });
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Zqchanged after the backup' });
    expect(await vault.lastBackupFolder()).toMatchObject({ folderRef: REF, changedSince: true });
    // A later run into the set without a reference keeps the one it has.
    await vault.backUp(folder);
    expect(await vault.lastBackupFolder()).toMatchObject({ folderRef: REF, changedSince: false });
    // A prune's own custody entry is not a change to back up.
    await vault.pruneBackup(folder, 1);
    expect(await vault.lastBackupFolder()).toMatchObject({ folderRef: REF, changedSince: false });
  });

  it("keeps no reference for downloads, and refuses one that is not the main process's opaque form", async () => {
    const { vault } = await filledVault();
    await vault.backUp(new MemoryFolder(false), undefined, { folderRef: REF });
    expect(await vault.lastBackupFolder()).toBeNull();
    const folder = new MemoryFolder();
    for (const folderRef of ['/media/usb/evidence', 'a'.repeat(2049), '']) {
      expect(await codeOf(vault.backUp(folder, undefined, { folderRef }))).toBe('invalid-input');
    }
    // Nothing was written for the refused calls.
    expect(folder.files.size).toBe(0);
  });
});

describe('a backup opened with the recovery key is trusted by its recovery tag', () => {
  /**
   * What someone who once saw vault A's header can make: a vault of their own (B), its backup rewritten so each
   * run carries a header with A's vault id and A's recovery public key, sealed to by B's master key (anyone can).
   */
  async function forgedFor(
    victimDb: VaultDatabase,
    tag: 'random' | 'none',
    { plantTagKey = false } = {},
  ): Promise<MemoryFolder> {
    const { db: forgerDb, vault: forger } = vaultService(freshName('forger'));
    await forger.createVault(passphraseBytes());
    const { id } = await forger.createCase({ ...emptyCaseFields(), title: 'Zqforged evidence' });
    await attach(forger, id, 'zqforged.txt', bytes('words the victim never wrote'));
    const victimHeader = ((await victimDb.meta.get('header')) as { header: VaultHeader }).header;
    if (plantTagKey) {
      // A tag key of the forger's choosing, named by the victim's recovery public key, among the rows.
      await forger.lock();
      const store = await VaultStore.open(forgerDb, await keysOfVault(forgerDb), 'forger');
      const publicKey = sodium.to_hex((victimHeader.recoverySlot as { publicKey: Uint8Array }).publicKey);
      await store.commit({ put: [await recoveryAuthRow(store, { publicKey, key: sodium.randombytes_buf(32) }, null)] });
      store.wipe();
      await forger.unlock(passphraseBytes());
    }
    const folder = new MemoryFolder();
    await forger.backUp(folder);
    const forgerHeader = ((await forgerDb.meta.get('header')) as { header: VaultHeader }).header;
    const masterKey = await unlockWithPassphrase(forgerHeader, passphraseBytes());
    const forgedHeader = await rekeyedHeader(victimHeader, masterKey, passphraseBytes(), null, FAST_KDF);
    const backupKey = backupKeyOf(masterKey);
    const [runName] = folder.names('run');
    const index = openRunFile(backupKey, folder.files.get(runName!)!);
    index.vault = sodium.to_hex(victimHeader.vaultId);
    if (tag === 'random') index.recoveryTag = sodium.to_hex(sodium.randombytes_buf(32));
    else delete index.recoveryTag;
    folder.files.set(runName!, encodeRunFile(backupKey, forgedHeader, index));
    return folder;
  }

  it('a set someone made to look like this vault: refused with a wrong tag, restored with a warning without one', async () => {
    const { db, recoveryKey } = await filledVault();
    const newPassphrase = () => bytes('quartz river 19 willow beacon');
    const withWrongTag = await forgedFor(db, 'random');
    const { db: freshDb, vault: fresh } = vaultService(freshName('forged-restore'));
    await expect(
      fresh.restoreBackup(withWrongTag, { kind: 'recovery-key', recoveryKey, newPassphrase: newPassphrase() }, {}),
    ).rejects.toMatchObject({ code: 'backup-refused', detail: 'not-authentic' });
    expect(await freshDb.records.count()).toBe(0);
    expect((await fresh.status()).state).toBe('no-vault');
    // Without a tag, it cannot be told from a backup made before tags: restored, and the app warns.
    const withoutTag = await forgedFor(db, 'none');
    expect(
      await fresh.restoreBackup(withoutTag, { kind: 'recovery-key', recoveryKey, newPassphrase: newPassphrase() }, {}),
    ).toMatchObject({ proof: 'none' });
    // The restored vault was not given the tag key: its own backups do not vouch for what may be a forgery.
    const laundered = new MemoryFolder();
    await fresh.backUp(laundered);
    expect(
      await vaultService(freshName('laundered')).vault.restoreBackup(
        laundered,
        { kind: 'recovery-key', recoveryKey, newPassphrase: newPassphrase() },
        {},
      ),
    ).toMatchObject({ proof: 'none' });
  });

  it('a tag key planted in a forged set is dropped at the restore: the genuine recovery key still proves later runs', async () => {
    const { db, recoveryKey } = await filledVault();
    const forged = await forgedFor(db, 'none', { plantTagKey: true });
    const restoreWith = (folder: MemoryFolder, name: string) =>
      vaultService(freshName(name)).vault.restoreBackup(
        folder,
        { kind: 'recovery-key', recoveryKey, newPassphrase: bytes('quartz river 19 willow beacon') },
        {},
      );
    const { vault: restored } = vaultService(freshName('planted'));
    expect(
      await restored.restoreBackup(
        forged,
        { kind: 'recovery-key', recoveryKey, newPassphrase: bytes('quartz river 19 willow beacon') },
        {},
      ),
    ).toMatchObject({ proof: 'none' });
    // Its runs carry no tag (not one made with the planted key, which the genuine recovery key would refuse).
    const next = new MemoryFolder();
    await restored.backUp(next);
    expect(await restoreWith(next, 'planted-next')).toMatchObject({ proof: 'none' });
  });

  it('a vault from before tags writes none; after a recovery with its key its runs carry one', async () => {
    const { db, vault, recoveryKey } = await filledVault();
    // As a vault of the version before: no recovery-auth record.
    await vault.lock();
    const keys = await keysOfVault(db);
    const store = await VaultStore.open(db, keys, 'test');
    await store.commit({
      delete: [{ table: 'recovery-auth', caseId: null, id: store.blind(rowNames.recoveryAuth()) }],
      derived: true,
    });
    store.wipe();
    await vault.unlock(passphraseBytes());
    const before = new MemoryFolder();
    await vault.backUp(before);
    const restoreWith = (folder: MemoryFolder) =>
      vaultService(freshName('tagless')).vault.restoreBackup(
        folder,
        { kind: 'recovery-key', recoveryKey, newPassphrase: bytes('quartz river 19 willow beacon') },
        {},
      );
    expect(await restoreWith(before)).toMatchObject({ proof: 'none' });
    // The passphrase proves a run by itself.
    expect(
      await vaultService(freshName('tagless-passphrase')).vault.restoreBackup(
        before,
        { kind: 'passphrase', passphrase: passphraseBytes() },
        {},
      ),
    ).toMatchObject({ proof: 'passphrase' });

    await vault.lock();
    await vault.recover(recoveryKey, passphraseBytes());
    const after = new MemoryFolder();
    await vault.backUp(after);
    expect(await restoreWith(after)).toMatchObject({ proof: 'recovery-tag' });
  });

  it("after a new recovery key, runs carry the new key's tag; the old set still proves itself to the old key", async () => {
    const { vault, recoveryKey: oldKey } = await filledVault();
    const old = new MemoryFolder();
    await vault.backUp(old);
    const { recoveryKey: newKey } = await vault.replaceRecoveryKey(passphraseBytes());
    await vault.whenRekeyStops();
    const fresh = new MemoryFolder();
    await vault.backUp(fresh);
    const restore = (folder: MemoryFolder, recoveryKey: string) =>
      vaultService(freshName('new-recovery-key')).vault.restoreBackup(
        folder,
        { kind: 'recovery-key', recoveryKey, newPassphrase: bytes('quartz river 19 willow beacon') },
        {},
      );
    expect(await restore(fresh, newKey)).toMatchObject({ proof: 'recovery-tag' });
    expect(await restore(old, oldKey)).toMatchObject({ proof: 'recovery-tag' });
    expect(await codeOf(restore(fresh, oldKey))).toBe('wrong-secret');
  });
});

describe('pruning keeps the last runs and removes what none of them needs', () => {
  it('a case deleted before the oldest kept run is gone from the folder; the kept runs still restore', async () => {
    const { db, vault, caseId } = await filledVault();
    const { id: doomed } = await vault.createCase({ ...emptyCaseFields(), title: 'Zqdoomed case' });
    await attach(vault, doomed, 'zqdoomed.txt', bytes('Zqdoomed content of a case that will be deleted'));
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    // Every stored row of the doomed case, as the backup copied it.
    const before = [...(await db.records.toArray()), ...(await db.chunks.toArray())];
    await vault.deleteCase(doomed);
    const remaining = new Set([...(await db.records.toArray()), ...(await db.chunks.toArray())].map((row) => row.id));
    // Its case record, document record and content chunk (and whatever else it had).
    const gone = before.filter((row) => !remaining.has(row.id));
    expect(gone.length).toBeGreaterThanOrEqual(3);
    for (let run = 2; run <= 4; run++) {
      await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}` });
      await vault.backUp(folder);
    }
    const inFolder = () => Buffer.concat([...folder.files.values()]);
    expect(gone.every((row) => inFolder().includes(Buffer.from(row.env)))).toBe(true);

    const pruned = await vault.pruneBackup(folder, 2);
    expect(pruned).toMatchObject({ keptRuns: 2, removedRuns: 4 });
    expect(folder.names('run')).toHaveLength(2);
    expect(gone.some((row) => inFolder().includes(Buffer.from(row.env)))).toBe(false);
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({
      runs: 2,
      latestSeq: 6,
      matchesVault: true,
    });
    expect((await vault.listCustodyLog({ limit: 1 })).entries[0]?.action).toBe('backup-pruned');

    // Both kept runs restore; the next run goes on from the pruned set.
    const original = await contents(vault);
    const fresh = vaultService(freshName('restored')).vault;
    await fresh.restoreBackup(folder.copy(), { kind: 'passphrase', passphrase: passphraseBytes() }, {});
    expect(await contents(fresh)).toEqual(original);
    const older = vaultService(freshName('restored')).vault;
    await older.restoreBackup(folder.copy(), { kind: 'passphrase', passphrase: passphraseBytes() }, { seq: 5 });
    expect((await older.getCase(caseId)).title).toBe('Zqrun 3');
    expect(await vault.backUp(folder)).toMatchObject({ seq: 7, newSet: false });
    expect(await vault.verifyBackup(folder)).toMatchObject({ runs: 3, latestSeq: 7 });
  });

  it('a prune cut short at any point leaves the set valid; the next backup and prune clean up', async () => {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    for (let run = 1; run <= 4; run++) {
      await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}`, summary: 'y'.repeat(run * 3000) });
      await vault.backUp(folder);
    }
    let failed = 0;
    for (let point = 0; point < 12; point++) {
      folder.writesLeft = point;
      const outcome = await codeOf(vault.pruneBackup(folder, 2));
      folder.writesLeft = Infinity;
      if (outcome === 'no error') break;
      failed += 1;
      const report = await vault.verifyBackup(folder);
      expect(report.matchesVault).toBe(true);
    }
    expect(failed).toBeGreaterThan(1);
    const next = await vault.backUp(folder);
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({
      latestSeq: next.seq,
      matchesVault: true,
    });
    await vault.pruneBackup(folder, 1);
    expect(folder.names('run')).toHaveLength(1);
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({ runs: 1, matchesVault: true });
  });
});

describe('a restore cancelled', () => {
  it('stops at the next pack, leaves no vault and no rows, and a later restore gives the whole vault', async () => {
    const { db: originalDb, vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    for (let run = 1; run <= 3; run++) {
      await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}` });
      await vault.backUp(folder);
    }
    expect(folder.names('pack').length).toBeGreaterThan(1);
    const original = await contents(vault);
    const { db, vault: fresh } = vaultService(freshName('cancelled-restore'));
    const passphrase = () => ({ kind: 'passphrase' as const, passphrase: passphraseBytes() });
    let progressSeen = 0;
    const refusal = await fresh
      .restoreBackup(folder, passphrase(), {}, () => {
        progressSeen += 1;
        void fresh.cancelRestore();
      })
      .then(
        () => null,
        (error: unknown) => error as { code: string; detail?: string },
      );
    expect(refusal).toMatchObject({ code: 'backup-refused', detail: 'cancelled' });
    expect(progressSeen).toBe(1);
    expect((await fresh.status()).state).toBe('no-vault');
    expect((await db.records.count()) + (await db.meta.count()) + (await db.chunks.count())).toBe(0);
    // A cancel is for that restore only: the next one runs to its end.
    await fresh.restoreBackup(folder, passphrase(), {});
    expect(await contents(fresh)).toEqual(original);
    expect(await db.chunks.count()).toBe(await originalDb.chunks.count());
  });
});

describe('a restore cut short by a crash', () => {
  it('leaves rows but no header: no vault, and a new vault starts empty of them', async () => {
    const { vault } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    const { db, vault: fresh } = vaultService(freshName('crashed'));
    // What a crash between the rows and the last transaction leaves: rows, no header.
    await fresh.restoreBackup(folder, { kind: 'passphrase', passphrase: passphraseBytes() }, {});
    await fresh.lock();
    await db.meta.delete('header');
    expect(await db.records.count()).toBeGreaterThan(0);
    const again = vaultService(db).vault;
    expect((await again.status()).state).toBe('no-vault');
    await again.createVault(passphraseBytes());
    expect((await again.listCases()).cases).toEqual([]);
    expect((await again.verifyLog()).ok).toBe(true);
  });
});

describe('the vault failing to record a run, a clean-up cut short, a stale copy of the vault', () => {
  function failingOnce(action: string) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the store as `this`
    const commit = VaultStore.prototype.commit;
    let failed = false;
    return vi.spyOn(VaultStore.prototype, 'commit').mockImplementation(function (this: VaultStore, change) {
      if (!failed && change.log?.some((entry) => entry.action === action)) {
        failed = true;
        return Promise.reject(new Error('the laptop disk is full'));
      }
      return commit.call(this, change);
    });
  }

  it('a run saved but not recorded stays whole, and the next run goes on from it', async () => {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    await vault.updateCase(caseId, { ...emptyCaseFields(), title: 'Zqsecond' });
    const spy = failingOnce('backed-up');
    await expect(vault.backUp(folder)).rejects.toThrow();
    spy.mockRestore();
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({ runs: 2, matchesVault: false });
    expect(await vault.backUp(folder)).toMatchObject({ seq: 3 });
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({ runs: 3, matchesVault: true });
  });

  it('a prune saved but not recorded stays whole; the next run goes on from it', async () => {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    for (let run = 1; run <= 4; run++) {
      await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}` });
      await vault.backUp(folder);
    }
    const spy = failingOnce('backup-pruned');
    await expect(vault.pruneBackup(folder, 2)).rejects.toThrow();
    spy.mockRestore();
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({ runs: 2, latestSeq: 6 });
    expect(await vault.backUp(folder)).toMatchObject({ seq: 7 });
    expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({ runs: 3, matchesVault: true });
  });

  it('a prune whose clean-up stops after any removal leaves a set that reads, backs up and restores', async () => {
    for (let stopAfter = 0; stopAfter <= 6; stopAfter++) {
      const { vault, caseId } = await filledVault();
      const folder = new MemoryFolder();
      for (let run = 1; run <= 4; run++) {
        await vault.updateCase(caseId, { ...emptyCaseFields(), title: `Zqrun ${run}` });
        await vault.backUp(folder);
      }
      folder.removesLeft = stopAfter;
      await vault.pruneBackup(folder, 2).catch(() => undefined);
      folder.removesLeft = Infinity;
      expect(await vault.verifyBackup(folder), `stopped after ${stopAfter}`).toMatchObject({ matchesVault: true });
      const next = await vault.backUp(folder);
      expect(await vault.verifyBackup(folder, { rehash: true })).toMatchObject({ latestSeq: next.seq });
      const fresh = vaultService(freshName('restored')).vault;
      await fresh.restoreBackup(folder.copy(), { kind: 'passphrase', passphrase: passphraseBytes() }, {});
      expect((await fresh.getCase(caseId)).title).toBe('Zqrun 4');
    }
  });

  it('a stale copy of the vault is refused however many entries it has added since', async () => {
    const { vault, caseId } = await filledVault();
    const folder = new MemoryFolder();
    await vault.backUp(folder);
    const atRunOne = folder.copy();
    // The stale copy: the vault as it was at run 1 (restored from the folder as it was then).
    const { vault: stale } = vaultService(freshName('stale'));
    await stale.restoreBackup(atRunOne, { kind: 'passphrase', passphrase: passphraseBytes() }, {});
    // The real vault goes on and backs up again.
    await vault.createCase({ ...emptyCaseFields(), title: 'Zqadded later' });
    await vault.backUp(folder);
    // The stale copy adds more entries than the real vault has, then tries the folder.
    for (let edit = 0; edit < 6; edit++)
      await stale.updateCase(caseId, { ...emptyCaseFields(), title: `Zqstale ${edit}` });
    await expect(stale.backUp(folder)).rejects.toMatchObject({ detail: 'vault-behind-set' });
  });
});
