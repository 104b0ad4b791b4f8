import 'fake-indexeddb/auto';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import type { VaultDatabase } from '../../renderer/src/vault/worker/storage/database';
import {
  attach,
  bytes,
  codeOf,
  exportAll,
  fixture,
  newVault,
  passphraseBytes,
  readQueued,
} from '../support/vault-service';

/** The Khmer password of password-khmer-aes256.pdf, and a Latin one with accents. */
const KHMER_PASSWORD = 'ខ្មែរ-២០២៥';
const MARKER_PASSWORD = 'Zqpdfpassword-é';

async function vaultWithPdf(identity?: string) {
  const { db, vault } = await newVault('pdf-passwords', identity);
  const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Passwords case' });
  const pdf = await attach(vault, caseId, 'protected.pdf', fixture('password-khmer-aes256.pdf'));
  return { db, vault, caseId, pdf };
}

const text = (password: Uint8Array | null) => (password === null ? null : new TextDecoder().decode(password));

/** Every stored row of every table, as latin-1 text (bytes as they lie on disk). */
async function rawDump(db: VaultDatabase): Promise<string> {
  return JSON.stringify(await Promise.all(db.tables.map((table) => table.toArray())), (_key, value: unknown) =>
    value instanceof Uint8Array ? new TextDecoder('latin1').decode(value) : value,
  );
}

/** Every way a password could lie on disk as readable text: UTF-8 (as latin-1), UTF-16, JSON-escaped, base64. */
function diskForms(password: string): string[] {
  const utf8 = new TextEncoder().encode(password);
  return [
    new TextDecoder('latin1').decode(utf8),
    password,
    JSON.stringify(password).slice(1, -1),
    Buffer.from(utf8).toString('base64'),
    Buffer.from(utf8).toString('hex'),
  ];
}

beforeAll(async () => {
  await sodium.ready;
});

describe('a PDF password remembered in the vault', () => {
  it('is sealed (no form of it in the raw IndexedDB), given back as its bytes, and the bytes sent are wiped', async () => {
    const { db, vault, caseId, pdf } = await vaultWithPdf();
    expect(await vault.hasRememberedDocumentPassword(caseId, pdf.id)).toBe(false);
    expect(await vault.rememberedDocumentPassword(caseId, pdf.id)).toBeNull();

    const sent = bytes(KHMER_PASSWORD);
    await vault.rememberDocumentPassword(caseId, pdf.id, sent);
    expect(sent.every((byte) => byte === 0)).toBe(true);
    expect(await vault.hasRememberedDocumentPassword(caseId, pdf.id)).toBe(true);
    expect(text(await vault.rememberedDocumentPassword(caseId, pdf.id))).toBe(KHMER_PASSWORD);

    // Remembered again: replaced.
    await vault.rememberDocumentPassword(caseId, pdf.id, bytes(MARKER_PASSWORD));
    expect(text(await vault.rememberedDocumentPassword(caseId, pdf.id))).toBe(MARKER_PASSWORD);

    const dump = await rawDump(db);
    for (const form of [...diskForms(MARKER_PASSWORD), ...diskForms(KHMER_PASSWORD), 'document-password'])
      expect.soft(dump, form).not.toContain(form);
  });

  it('refuses what is not a PDF, an empty, an overlong or a non-UTF-8 password, and stores nothing then', async () => {
    const { vault, caseId, pdf } = await vaultWithPdf();
    const note = await attach(vault, caseId, 'note.txt', bytes('a plain note'));
    expect(await codeOf(vault.rememberDocumentPassword(caseId, note.id, bytes('secret')))).toBe('invalid-input');
    expect(await codeOf(vault.rememberDocumentPassword(caseId, pdf.id, new Uint8Array(0)))).toBe('invalid-input');
    expect(await codeOf(vault.rememberDocumentPassword(caseId, pdf.id, new Uint8Array(1025).fill(0x61)))).toBe(
      'invalid-input',
    );
    for (const notUtf8 of [
      [0xff, 0xfe],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xe1, 0x80],
    ])
      expect(
        await codeOf(vault.rememberDocumentPassword(caseId, pdf.id, new Uint8Array(notUtf8))),
        notUtf8.join(' '),
      ).toBe('invalid-input');
    expect(await codeOf(vault.rememberDocumentPassword(caseId, 'f'.repeat(32), bytes('secret')))).toBe('not-found');
    expect(await vault.hasRememberedDocumentPassword(caseId, pdf.id)).toBe(false);
    expect(await vault.hasRememberedDocumentPassword(caseId, note.id)).toBe(false);
  });

  it('is forgotten on request', async () => {
    const { vault, caseId, pdf } = await vaultWithPdf();
    await vault.rememberDocumentPassword(caseId, pdf.id, bytes(KHMER_PASSWORD));
    await vault.forgetDocumentPassword(caseId, pdf.id);
    expect(await vault.hasRememberedDocumentPassword(caseId, pdf.id)).toBe(false);
    expect(await vault.rememberedDocumentPassword(caseId, pdf.id)).toBeNull();
    // Forgetting what is not remembered changes nothing and is no error.
    await vault.forgetDocumentPassword(caseId, pdf.id);
  });

  it('is deleted in the same transaction as its document, and with its case', async () => {
    const { db, vault, caseId, pdf } = await vaultWithPdf();
    const ids = async () => new Set((await db.records.toArray()).map((row) => row.id));
    const before = await ids();
    await vault.rememberDocumentPassword(caseId, pdf.id, bytes(KHMER_PASSWORD));
    const added = [...(await ids())].filter((id) => !before.has(id));
    expect(added).toHaveLength(1); // the password's row: no custody entry, no list entry

    await vault.deleteDocument(caseId, pdf.id);
    expect((await ids()).has(added[0]!)).toBe(false);

    const other = await attach(vault, caseId, 'again.pdf', fixture('password-khmer-aes256.pdf'));
    await vault.rememberDocumentPassword(caseId, other.id, bytes(KHMER_PASSWORD));
    await vault.deleteCase(caseId);
    expect(await rawDump(db)).not.toContain(new TextDecoder('latin1').decode(bytes(KHMER_PASSWORD)));
  });

  it('survives a passphrase change (its row renamed under the new keys)', async () => {
    const { vault, caseId, pdf } = await vaultWithPdf();
    await vault.rememberDocumentPassword(caseId, pdf.id, bytes(KHMER_PASSWORD));
    await vault.changePassphrase(passphraseBytes(), bytes('copper heron 82 willow quarry'));
    await vault.whenRekeyStops();
    expect(text(await vault.rememberedDocumentPassword(caseId, pdf.id))).toBe(KHMER_PASSWORD);
    await vault.deleteDocument(caseId, pdf.id);
    expect(await vault.rememberedDocumentPassword(caseId, pdf.id).catch(() => 'gone')).toBe('gone');
  });

  it('is not carried in a bundle', async () => {
    const sender = await vaultWithPdf('Sender');
    const { vault: receiver } = await newVault('pdf-passwords-receiver', 'Receiver');
    await sender.vault.rememberDocumentPassword(sender.caseId, sender.pdf.id, bytes(KHMER_PASSWORD));
    const contact = await sender.vault.addContact(await receiver.identityCard());
    await receiver.addContact(await sender.vault.identityCard());
    const bundle = await exportAll(sender.vault, {
      cases: [{ caseId: sender.caseId, documentIds: 'all', annotations: true, hearings: true, timeline: true }],
      recipients: [contact.id],
      includeSelf: false,
      includeCustodyLog: true,
    });
    const [entry] = await receiver.queueBundleFiles([{ name: 'sent.evbundle', size: bundle.byteLength }]);
    const { preview } = await readQueued(receiver, entry!.id, bundle);
    expect(JSON.stringify(preview)).not.toContain('password');
    await receiver.acceptQueuedBundle(entry!.id, { resolutions: {}, acceptUnknownSigner: false });
    expect((await receiver.listDocuments(sender.caseId)).map((document) => document.id)).toEqual([sender.pdf.id]);
    expect(await receiver.hasRememberedDocumentPassword(sender.caseId, sender.pdf.id)).toBe(false);
  });
});
