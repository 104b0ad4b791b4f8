import 'fake-indexeddb/auto';
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import Dexie from 'dexie';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { VaultWorkerApi } from '../../renderer/src/vault/api';
import { emptyCaseFields, emptyProvenance } from '../../renderer/src/vault/model';
import { DEFAULT_DOCUMENT_VIEW, viewDocuments } from '../../renderer/src/vault/document-view';
import { CHUNK_SIZE, inlineCipherPool, type CipherPool } from '../../renderer/src/vault/worker/cipher-pool';
import { VaultError } from '../../renderer/src/vault/worker/crypto/errors';
import { VaultStore } from '../../renderer/src/vault/worker/vault-store';
import {
  attach as attachDocument,
  fixture,
  freshName,
  newVault,
  passphraseBytes,
  vaultService,
} from '../support/vault-service';

const randomBytes = (size: number) => new Uint8Array(nodeRandomBytes(size));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function vaultWithCase() {
  const { db, vault } = await newVault('documents');
  const created = await vault.createCase({ ...emptyCaseFields(), title: 'Documents case' });
  return { db, vault, caseId: created.id };
}

/** Feeds `bytes` to the vault in pieces of `piece` bytes, as the UI does. */
const attach = (vault: VaultWorkerApi, caseId: string, name: string, content: Uint8Array, piece = 100_000) =>
  attachDocument(vault, caseId, name, content, { obtainedFrom: 'court clerk', piece });

async function readAll(vault: VaultWorkerApi, caseId: string, documentId: string, size: number) {
  const parts: Uint8Array[] = [];
  for (let index = 0; index < Math.ceil(size / CHUNK_SIZE); index++)
    parts.push(await vault.readDocumentChunk(caseId, documentId, index));
  return new Uint8Array(Buffer.concat(parts));
}

beforeAll(async () => {
  await sodium.ready;
});

describe('document intake', () => {
  it('stores a PDF in encrypted chunks and gives back the exact bytes and their SHA-256', async () => {
    const { vault, caseId } = await vaultWithCase();
    const bytes = fixture('sg-report-ohchr-cambodia-2025-09-12.pdf');
    const record = await attach(vault, caseId, 'sg-report.pdf', bytes, 77_777);
    expect(record).toMatchObject({ kind: 'pdf', mimeType: 'application/pdf', size: bytes.byteLength });
    expect(record.sha256).toBe(sha256(bytes));
    expect(await readAll(vault, caseId, record.id, bytes.byteLength)).toEqual(bytes);
    expect(await vault.verifyDocument(caseId, record.id)).toEqual({ ok: true, sha256: sha256(bytes) });
    expect((await vault.listDocuments(caseId)).map((document) => document.name)).toEqual(['sg-report.pdf']);
  });

  it('sniffs the type from the bytes, not the name', async () => {
    const { vault, caseId } = await vaultWithCase();
    const pdfAsJpeg = await attach(vault, caseId, 'holiday.jpg', fixture('mission-letter-koet-saray-2025-07-17.pdf'));
    expect(pdfAsJpeg.kind).toBe('pdf');
    const photo = await attach(vault, caseId, 'scan.pdf', fixture('photo-of-letter-page1.jpg'));
    expect(photo).toMatchObject({ kind: 'image', mimeType: 'image/jpeg' });
    const khmer = await attach(vault, caseId, 'note.txt', fixture('khmer-hearing-note.txt'));
    expect(khmer.kind).toBe('text');
  });

  it('takes a 0-byte file and files of exactly one chunk, one chunk ± 1', async () => {
    const { vault, caseId } = await vaultWithCase();
    const empty = await attach(vault, caseId, 'empty.txt', new Uint8Array(0));
    expect(empty).toMatchObject({ size: 0, kind: 'other' });
    expect((await vault.verifyDocument(caseId, empty.id)).ok).toBe(true);
    for (const size of [CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1]) {
      const bytes = randomBytes(size);
      const record = await attach(vault, caseId, `random-${size}.bin`, bytes, 65_536);
      expect(await readAll(vault, caseId, record.id, size)).toEqual(bytes);
    }
  });

  it('pads only the last chunk at rest, to a multiple of 256 KiB: sizes show nothing finer', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const PAD = 256 * 1024;
    const overhead = 24 + 16; // nonce and Poly1305 tag
    const stored = async () =>
      (await db.chunks.toArray()).map((row) => row.env.byteLength - overhead).sort((a, b) => a - b);
    const expected: number[] = [];
    for (const size of [1, PAD, PAD + 1, CHUNK_SIZE + 3 * PAD + 1]) {
      const record = await attach(vault, caseId, `random-${size}.bin`, randomBytes(size));
      const last = size - Math.floor((size - 1) / CHUNK_SIZE) * CHUNK_SIZE;
      expected.push(...Array<number>(Math.floor((size - 1) / CHUNK_SIZE)).fill(CHUNK_SIZE));
      expected.push(Math.ceil(last / PAD) * PAD);
      expect((await vault.verifyDocument(caseId, record.id)).ok).toBe(true);
    }
    expect(await stored()).toEqual(expected.sort((a, b) => a - b));
    expect(expected).toEqual(expect.arrayContaining([PAD, 2 * PAD, CHUNK_SIZE]));
  });

  it('stores the same content once, and drops it only when no document points at it', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const bytes = fixture('photo-of-letter-page1.jpg');
    const first = await attach(vault, caseId, 'a.jpg', bytes);
    const second = await attach(vault, caseId, 'b.jpg', bytes);
    expect(await db.blobs.count()).toBe(1);
    expect(await db.chunks.count()).toBe(Math.ceil(bytes.byteLength / CHUNK_SIZE));
    await vault.deleteDocument(caseId, first.id);
    expect(await readAll(vault, caseId, second.id, bytes.byteLength)).toEqual(bytes);
    await vault.deleteDocument(caseId, second.id);
    expect(await db.blobs.count()).toBe(0);
    expect(await db.chunks.count()).toBe(0);
  });

  it('leaves nothing behind when cancelled, when the file changes size, or after a crash', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const bytes = randomBytes(3 * CHUNK_SIZE);

    const cancelled = await vault.beginIntake(caseId, 'cancelled.bin', bytes.byteLength);
    await vault.intakeChunk(cancelled, bytes.slice(0, 2 * CHUNK_SIZE));
    await vault.cancelIntake(cancelled);
    expect(await db.chunks.count()).toBe(0);

    const shrunk = await vault.beginIntake(caseId, 'shrunk.bin', bytes.byteLength);
    await vault.intakeChunk(shrunk, bytes.slice(0, CHUNK_SIZE + 5));
    await expect(vault.finishIntake(shrunk, emptyProvenance())).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await db.chunks.count()).toBe(0);

    const grown = await vault.beginIntake(caseId, 'grown.bin', 10);
    await expect(vault.intakeChunk(grown, bytes.slice(0, 11))).rejects.toMatchObject({ code: 'invalid-input' });
    await vault.cancelIntake(grown);

    // A crash: the worker dies mid-intake; the next session sweeps at unlock.
    await vault
      .beginIntake(caseId, 'crash.bin', bytes.byteLength)
      .then((id) => vault.intakeChunk(id, bytes.slice(0, 2 * CHUNK_SIZE)));
    // Chunks are written as they are sealed, after intakeChunk returns; never without the pending row the sweep
    // finds them by (it goes in the first chunks' transaction).
    await vi.waitFor(async () => expect(await db.chunks.count()).toBe(2));
    expect((await db.blobs.toArray()).filter((row) => row.tag === '')).toHaveLength(1);
    const { vault: restarted } = vaultService(db);
    await restarted.unlock(passphraseBytes());
    expect(await db.chunks.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    expect(await restarted.listDocuments(caseId)).toEqual([]);
  });

  it('stores no chunk without its pending row, even when the first write fails and a later one lands', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const bytes = randomBytes(3 * CHUNK_SIZE);
    const intakeId = await vault.beginIntake(caseId, 'first-write-fails.bin', bytes.byteLength);
    // The intake's first transaction (its first chunks and the pending row) fails, as a full disk would fail it.
    const transaction = db.transaction.bind(db);
    let failed = false;
    const spy = vi.spyOn(db, 'transaction').mockImplementation(((...args: unknown[]) => {
      if (failed || !args.includes(db.chunks)) return (transaction as (...all: unknown[]) => unknown)(...args);
      failed = true;
      return Dexie.Promise.reject(new Error('disk full'));
    }) as typeof db.transaction);
    await vault.intakeChunk(intakeId, bytes.slice(0, CHUNK_SIZE));
    await vi.waitFor(() => expect(failed).toBe(true));
    spy.mockRestore();
    await vault.intakeChunk(intakeId, bytes.slice(CHUNK_SIZE, 2 * CHUNK_SIZE));
    await vi.waitFor(async () => expect(await db.chunks.count()).toBe(1));
    // A crash now: the later chunk is stored, and so is the row the sweep at the next unlock removes it by.
    expect((await db.blobs.toArray()).filter((row) => row.tag === '')).toHaveLength(1);
    const { vault: restarted } = vaultService(db);
    await restarted.unlock(passphraseBytes());
    expect(await db.chunks.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
  });

  it('says after each piece how many bytes are sealed and stored: rising as it goes, never ahead of the disk', async () => {
    const pool = inlineCipherPool();
    // Seals take a while, as on a busy machine: the bytes sent run ahead of the bytes stored.
    const slow: CipherPool = {
      ...pool,
      sealChunks: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return pool.sealChunks(...args);
      },
    };
    const { db, vault } = vaultService(freshName('documents-stored-bytes'), { cipherPool: slow });
    await vault.createVault(passphraseBytes());
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Progress' });
    const bytes = randomBytes(12 * CHUNK_SIZE + 99);
    const intake = await vault.beginIntake(caseId, 'twelve-chunks.bin', bytes.byteLength);
    const reported: number[] = [];
    const piece = CHUNK_SIZE / 2;
    for (let sent = 0; sent < bytes.byteLength;) {
      const next = Math.min(bytes.byteLength, sent + piece);
      const stored = await vault.intakeChunk(intake, bytes.slice(sent, next));
      sent = next;
      // Never more than was sent, nor more than the chunks committed to the database hold.
      expect(stored).toBeLessThanOrEqual(sent);
      expect(stored).toBeLessThanOrEqual((await db.chunks.count()) * CHUNK_SIZE);
      expect(stored % CHUNK_SIZE).toBe(0); // whole chunks: only sealed bytes count
      reported.push(stored);
    }
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
    // It rose along the way (not all at the end) and trailed the reading by a bounded amount.
    expect(new Set(reported.filter((stored) => stored > 0)).size).toBeGreaterThanOrEqual(5);
    expect(bytes.byteLength - reported.at(-1)!).toBeLessThanOrEqual(8 * CHUNK_SIZE);
    const record = await vault.finishIntake(intake, emptyProvenance());
    expect(record.sha256).toBe(sha256(bytes));
  });

  it('refuses to finish a file one of whose chunks could not be sealed, and leaves nothing behind', async () => {
    const pool = inlineCipherPool();
    let seals = 0;
    const failing: CipherPool = {
      ...pool,
      // Slow seals, so later pieces wait on earlier ones (the second fails) before finish is reached.
      sealChunks: async (...args) => {
        const failing = ++seals === 2;
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (failing) throw new VaultError('engine-failed', 'worker died');
        return pool.sealChunks(...args);
      },
    };
    const { db, vault } = vaultService(freshName('documents-failing-pool'), { cipherPool: failing });
    await vault.createVault(passphraseBytes());
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Failing pool' });
    const bytes = randomBytes(5 * CHUNK_SIZE + 7);
    const intake = await vault.beginIntake(caseId, 'six-chunks.bin', bytes.byteLength);
    // Sent without waiting, as a caller may: finish must still see every chunk's fate.
    const writes = [0, 1, 2, 3, 4, 5].map((at) =>
      vault.intakeChunk(intake, bytes.slice(at * CHUNK_SIZE, Math.min(bytes.byteLength, (at + 1) * CHUNK_SIZE))),
    );
    const finishing = vault.finishIntake(intake, emptyProvenance());
    await Promise.allSettled(writes);
    await expect(finishing).rejects.toMatchObject({ code: 'engine-failed' });
    expect(await vault.listDocuments(caseId)).toEqual([]);
    await vi.waitFor(async () => {
      expect(await db.chunks.count()).toBe(0);
      expect(await db.blobs.count()).toBe(0);
    });
  });

  it('detects a flipped, swapped or missing chunk', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const bytes = randomBytes(2 * CHUNK_SIZE + 10);
    const record = await attach(vault, caseId, 'evidence.bin', bytes);
    const [first, second] = await db.chunks.orderBy('id').toArray();

    const flipped = first!.env.slice();
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    await db.chunks.put({ ...first!, env: flipped });
    expect((await vault.verifyDocument(caseId, record.id)).ok).toBe(false);
    await expect(vault.readDocumentChunk(caseId, record.id, 0)).rejects.toMatchObject({ code: 'record-tampered' });

    await db.chunks.put({ ...first!, env: second!.env });
    await db.chunks.put({ ...second!, env: first!.env });
    expect((await vault.verifyDocument(caseId, record.id)).ok).toBe(false);

    await db.chunks.put(first!);
    await db.chunks.put(second!);
    expect((await vault.verifyDocument(caseId, record.id)).ok).toBe(true);
    await db.chunks.delete(second!.id);
    expect((await vault.verifyDocument(caseId, record.id)).ok).toBe(false);
  });

  it('lists every document of the vault with its case, newest first, and survives a re-unlock', async () => {
    const { vault, caseId } = await vaultWithCase();
    const other = await vault.createCase({ ...emptyCaseFields(), title: 'Second case' });
    const first = await attach(vault, caseId, 'first.txt', fixture('khmer-hearing-note.txt'));
    const second = await attach(vault, other.id, 'second.pdf', fixture('khmer-hearing-note.pdf'));
    await vault.lock();
    await vault.unlock(passphraseBytes());
    const { documents, damaged } = await vault.listAllDocuments();
    expect(damaged).toEqual([]);
    expect(documents.map((document) => [document.name, document.caseId])).toEqual([
      [second.name, other.id],
      [first.name, caseId],
    ]);
  });

  it('gives the documents view in windows, filtered and sorted in the worker, and reads again after a change', async () => {
    const { vault, caseId } = await vaultWithCase();
    const other = await vault.createCase({ ...emptyCaseFields(), title: 'Land activists' });
    const names = ['b 10.txt', 'a 2.txt', 'c 1.txt'];
    for (const [at, name] of names.entries())
      await attach(vault, at === 1 ? other.id : caseId, name, new TextEncoder().encode(`note ${at}`));
    const view = { sortKey: 'name' as const, descending: false, text: '', kind: 'any' as const };
    const window = (offset: number, limit: number, changes: Partial<typeof view> = {}) =>
      vault.documentsPage({ view: { ...view, ...changes }, language: 'en', offset, limit });

    expect(await window(1, 1)).toMatchObject({ total: 3, matched: 3, offset: 1, damaged: [] });
    expect((await window(1, 5)).rows.map((row) => row.name)).toEqual(['b 10.txt', 'c 1.txt']);
    // Filtered on the case title (read only for such a view) and on the name.
    const byCase = await window(0, 10, { text: 'land' });
    expect(byCase).toMatchObject({ total: 3, matched: 1 });
    expect(byCase.rows[0]).toMatchObject({ name: 'a 2.txt', caseId: other.id });
    expect(Object.keys(byCase.rows[0]!).sort()).toEqual(
      ['caseId', 'description', 'id', 'intakeAt', 'kind', 'name', 'sha256', 'size'].sort(),
    );
    // A new document shows at once (the kept listings go with the change).
    await attach(vault, caseId, 'a 1.txt', new TextEncoder().encode('late'));
    expect((await window(0, 2)).rows.map((row) => row.name)).toEqual(['a 1.txt', 'a 2.txt']);
    // A window the page could not have asked for is refused.
    for (const bad of [
      { view, language: 'en', offset: -1, limit: 10 },
      { view, language: 'en', offset: 0, limit: 100_000 },
      { view: { ...view, sortKey: 'blobId' }, language: 'en', offset: 0, limit: 10 },
      { view, language: 'en" onerror', offset: 0, limit: 10 },
    ])
      await expect(vault.documentsPage(bad as never)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('gives the default view’s first page after unlock from the kept newest listings, without a deleted one', async () => {
    const { vault, caseId } = await vaultWithCase();
    const attached = [];
    for (const name of ['old.txt', 'middle.txt', 'new.txt']) {
      attached.push(await attach(vault, caseId, name, new TextEncoder().encode(name)));
      // The list index is made at the first list; the commits after it keep its summary.
      if (name === 'old.txt') await vault.listAllDocuments();
    }
    await vault.deleteDocument(caseId, attached[1]!.id);
    await vault.lock();
    await vault.unlock(passphraseBytes());
    const first = await vault.documentsPage({ view: DEFAULT_DOCUMENT_VIEW, language: 'en', offset: 0, limit: 200 });
    expect(first).toMatchObject({ total: 2, matched: 2, damaged: [] });
    expect(first.rows.map((row) => row.name)).toEqual(['new.txt', 'old.txt']);
    expect(first.rows).toEqual(viewDocuments((await vault.listAllDocuments()).documents, DEFAULT_DOCUMENT_VIEW));
  });

  it('reports a document record moved under another case as damaged', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const other = await vault.createCase({ ...emptyCaseFields(), title: 'Second case' });
    const moved = await attach(vault, caseId, 'moved.txt', fixture('khmer-hearing-note.txt'));
    const stays = await attach(vault, other.id, 'stays.txt', fixture('mission-letter-koet-saray-2025-07-17.txt'));
    // An attacker with disk access re-labels the row's owner: it no longer opens.
    const otherRow = await db.records.get(stays.id);
    await db.records.update(moved.id, { owner: otherRow!.owner });
    const { documents, damaged } = await vault.listAllDocuments();
    expect(documents.map((document) => document.id)).toEqual([stays.id]);
    expect(damaged).toEqual([moved.id]);
  });

  it('deleting a case takes a document whose intake finished meanwhile, content and all', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    await attach(vault, caseId, 'first.txt', new TextEncoder().encode('first'));
    const intakeId = await vault.beginIntake(caseId, 'late.txt', 4);
    await vault.intakeChunk(intakeId, new TextEncoder().encode('late'));
    // The intake finishes just after the deletion read what the case holds.
    const { caseRows } = VaultStore.prototype as { caseRows: (this: VaultStore, id: string) => Promise<unknown[]> };
    let raced = false;
    const spy = vi.spyOn(VaultStore.prototype, 'caseRows').mockImplementation(async function (this: VaultStore, id) {
      const rows = (await caseRows.call(this, id)) as Awaited<ReturnType<VaultStore['caseRows']>>;
      if (!raced) {
        raced = true;
        await vault.finishIntake(intakeId, emptyProvenance());
      }
      return rows;
    });
    try {
      await vault.deleteCase(caseId);
    } finally {
      spy.mockRestore();
    }
    expect(raced).toBe(true);
    expect(await vault.listAllDocuments()).toEqual({ documents: [], damaged: [] });
    expect(await db.blobs.count()).toBe(0);
    expect(await db.chunks.count()).toBe(0);
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('deleting a case releases its documents and their content', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    await attach(vault, caseId, 'a.pdf', fixture('khmer-hearing-note.pdf'));
    expect(await db.blobs.count()).toBe(1);
    await vault.deleteCase(caseId);
    expect(await db.blobs.count()).toBe(0);
    expect(await db.chunks.count()).toBe(0);
    expect((await vault.verifyLog()).ok).toBe(true);
  });

  it('records every intake in the custody log with the content hash', async () => {
    const { vault, caseId } = await vaultWithCase();
    const bytes = fixture('khmer-hearing-note.txt');
    const record = await attach(vault, caseId, 'note.txt', bytes);
    const history = await vault.caseHistory(caseId);
    expect(history.at(-1)).toMatchObject({ action: 'attached', targetId: record.id, contentHashes: [sha256(bytes)] });
  });

  it('keeps extracted text encrypted with the case and drops it with the document', async () => {
    const { db, vault, caseId } = await vaultWithCase();
    const record = await attach(vault, caseId, 'letter.pdf', fixture('mission-letter-koet-saray-2025-07-17.pdf'));
    expect(await vault.getDocumentText(caseId, record.id)).toBeNull();
    const text = { extractor: 'pdf.js 6.5.438', pages: [{ text: 'articles 494 and 495', hasText: true }] };
    await vault.saveDocumentText(caseId, record.id, text);
    expect(await vault.getDocumentText(caseId, record.id)).toEqual(text);
    const rows = await db.records.count();
    await vault.deleteDocument(caseId, record.id);
    expect(await db.records.count()).toBe(rows - 2);
    expect(await vault.getDocumentText(caseId, record.id)).toBeNull();
  });

  it("keeps a PDF text's page boxes and fingerprint (for annotation exports), and refuses a malformed fingerprint", async () => {
    const { vault, caseId } = await vaultWithCase();
    const record = await attach(vault, caseId, 'letter.pdf', fixture('mission-letter-koet-saray-2025-07-17.pdf'));
    const text = {
      extractor: 'pdf.js 6.5.438',
      pages: [
        {
          text: 'articles 494 and 495',
          hasText: true,
          box: [0, 0, 595.28, 841.89] as [number, number, number, number],
        },
      ],
      fingerprint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    };
    await vault.saveDocumentText(caseId, record.id, text);
    expect(await vault.getDocumentText(caseId, record.id)).toEqual(text);
    await expect(vault.saveDocumentText(caseId, record.id, { ...text, fingerprint: 'not hex' })).rejects.toThrow(
      /Invalid extracted text/,
    );
    expect(await vault.getDocumentText(caseId, record.id)).toEqual(text);
  });

  it('edits provenance and logs it', async () => {
    const { vault, caseId } = await vaultWithCase();
    const record = await attach(vault, caseId, 'note.txt', fixture('khmer-hearing-note.txt'));
    const updated = await vault.updateProvenance(caseId, record.id, {
      ...record.provenance,
      obtainedWhere: 'Kandal provincial court',
      originalDate: '2025-07',
    });
    expect((await vault.listDocuments(caseId))[0]?.provenance.obtainedWhere).toBe('Kandal provincial court');
    expect(updated.provenance.originalDate).toBe('2025-07');
    expect((await vault.caseHistory(caseId)).at(-1)).toMatchObject({ action: 'edited', targetKind: 'document' });
    await expect(
      vault.updateProvenance(caseId, record.id, { ...record.provenance, originalDate: 'last year' }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
