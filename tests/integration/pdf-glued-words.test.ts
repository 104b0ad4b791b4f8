/**
 * Words pdf.js returns as separate text items with nothing between them are kept apart in the stored text, so
 * vault-wide search finds them (tests/fixtures/glued-words.pdf: the right column's "affidavit" and the left
 * column's next line "shuffle office", which pdf.js runs together as "affidavitshuffle").
 */
// Before pdfjs-in-node stubs `window`: fake-indexeddb installs itself on `window` when there is one.
import 'fake-indexeddb/auto';
import '../support/pdfjs-in-node';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyCaseFields } from '../../renderer/src/vault/model';
import { attach, fixture, newVault } from '../support/vault-service';

const { extractPdfText } = await import('../../renderer/src/documents/extract-text');
const { openPdf } = await import('../../renderer/src/documents/viewers/pdfjs');

beforeAll(async () => {
  await sodium.ready;
});

/** The page's text as pdf.js's items give it, joined with nothing between them (what was stored before). */
async function pdfjsItemsJoined(bytes: Uint8Array): Promise<string> {
  const { promise, destroy } = openPdf(bytes);
  try {
    const content = await (await (await promise).getPage(1)).getTextContent();
    return content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
  } finally {
    await destroy();
  }
}

describe('text pdf.js runs together', () => {
  it('is split where the items are apart, and found word by word by vault-wide search', async () => {
    expect(await pdfjsItemsJoined(fixture('glued-words.pdf'))).toBe('the first floor affidavitshuffle office');

    const { vault } = await newVault('glued-words');
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Specimens' });
    const document = await attach(vault, caseId, 'glued-words.pdf', fixture('glued-words.pdf'));
    const text = await extractPdfText(fixture('glued-words.pdf'));
    await vault.saveDocumentText(caseId, document.id, text);
    // The next line of the left column starts a line; nothing else changes.
    expect(text.pages.map((page) => page.text)).toEqual(['the first floor affidavit\nshuffle office']);

    const found = async (query: string) => (await vault.search(query)).map((hit) => `${hit.kind}:${hit.title}`);
    expect(await found('shuffle')).toContain('page:glued-words.pdf');
    expect(await found('affidavit')).toContain('page:glued-words.pdf');
    expect(await found('affidavitshuffle')).not.toContain('page:glued-words.pdf');
    await vault.lock();
  });
});
