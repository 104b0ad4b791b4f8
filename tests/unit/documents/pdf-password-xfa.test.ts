import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The app's pdfjs.ts on pdf.js's build for Node (mocks in place before the app's modules load below).
import '../../support/pdfjs-in-node';

const { openPdf, pdfOpenFailure } = await import('../../../renderer/src/documents/viewers/pdfjs');
const { extractOpenPdfText, extractPdfText } = await import('../../../renderer/src/documents/extract-text');
const { pdfXfaOf, xfaOfInfo } = await import('../../../renderer/src/documents/viewers/pdf-status');

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
/** The Khmer password of password-khmer-aes256.pdf (tests/fixtures/make-password-xfa-pdfs.mjs). */
const PASSWORD = 'ខ្មែរ-២០២៥';

describe('password-protected PDFs', () => {
  it('ask for the password, say when it is wrong, and open with the right (non-ASCII) one', async () => {
    const reasons: string[] = [];
    const answers = ['wrong password', PASSWORD];
    const { promise, destroy } = openPdf(fixture('password-khmer-aes256.pdf'), (request) => {
      reasons.push(request.reason);
      request.submit(answers.shift()!);
    });
    try {
      const document = await promise;
      expect(reasons).toEqual(['need', 'incorrect']);
      const text = await extractOpenPdfText(document);
      expect(text.pages).toHaveLength(1);
      expect(text.pages[0]?.text).toContain('Sangkatwitness');
      expect(text.pages[0]?.hasText).toBe(true);
      expect(text.xfa).toBeUndefined();
    } finally {
      await destroy();
    }
  });

  it('fail as "password" when the prompt is cancelled', async () => {
    const { promise, destroy } = openPdf(fixture('password-khmer-aes256.pdf'), (request) => request.cancel());
    const failure = await promise.then(
      () => 'opened',
      (error: unknown) => pdfOpenFailure(error),
    );
    await destroy();
    expect(failure).toBe('password');
  });

  it('get no text at intake, where no password is asked for', async () => {
    const failure = await extractPdfText(fixture('password-khmer-aes256.pdf')).then(
      () => 'extracted',
      (error: unknown) => pdfOpenFailure(error),
    );
    expect(failure).toBe('password');
  });
});

describe('XFA forms', () => {
  it('are told apart by what pdf.js reports of the AcroForm', () => {
    expect(xfaOfInfo({ IsXFAPresent: true, IsAcroFormPresent: false })).toBe('dynamic');
    expect(xfaOfInfo({ IsXFAPresent: true, IsAcroFormPresent: true })).toBe('hybrid');
    expect(xfaOfInfo({ IsXFAPresent: false, IsAcroFormPresent: true })).toBe('none');
    expect(xfaOfInfo(null)).toBe('none');
  });

  it('are detected in a dynamic XFA form, whose only PDF page is the "Please wait..." placeholder', async () => {
    const { promise, destroy } = openPdf(fixture('xfa-form-placeholder.pdf'));
    try {
      const document = await promise;
      expect(await pdfXfaOf(document)).toBe('dynamic');
      // Its text is stored marked as XFA, so nothing presents the placeholder's page as the document's content.
      const text = await extractOpenPdfText(document);
      expect(text.xfa).toBe('dynamic');
      expect(text.pages[0]?.text).toContain('Please wait');
    } finally {
      await destroy();
    }
  });

  it('are not reported for an ordinary PDF', async () => {
    const text = await extractPdfText(fixture('mission-letter-koet-saray-2025-07-17.pdf'));
    expect(text.xfa).toBeUndefined();
    expect(text.pages.length).toBeGreaterThan(0);
  });
});
