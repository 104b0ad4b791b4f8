import { describe, expect, it } from 'vitest';
import { extractedTextStatus } from '../../../renderer/src/documents/text-status';
import type { DocumentText } from '../../../renderer/src/vault';

const text = (pages: string[], xfa?: 'hybrid' | 'dynamic'): DocumentText => ({
  extractor: 'pdf.js 6.5.438',
  pages: pages.map((page) => ({ text: page, hasText: page.trim() !== '' })),
  ...(xfa ? { xfa } : {}),
});

describe('the "Extracted text" line', () => {
  it('waits while the stored text loads', () => {
    expect(extractedTextStatus('pdf', undefined, null)).toEqual({ kind: 'loading' });
  });

  it('says "not a PDF or text file" only for other kinds', () => {
    expect(extractedTextStatus('image', null, null)).toEqual({ kind: 'none' });
    expect(extractedTextStatus('pdf', null, null)).toEqual({ kind: 'pdf-none' });
  });

  it('says a password-protected PDF gets its text once opened with its password', () => {
    expect(extractedTextStatus('pdf', null, { state: 'locked' })).toEqual({ kind: 'locked' });
    expect(extractedTextStatus('pdf', null, { state: 'open', unlocked: true, xfa: 'none', fingerprint: null })).toEqual(
      {
        kind: 'extracting',
      },
    );
    // Stored once opened: an ordinary count, whatever the viewer last said.
    expect(
      extractedTextStatus('pdf', text(['a witness note']), {
        state: 'open',
        unlocked: true,
        xfa: 'none',
        fingerprint: null,
      }),
    ).toEqual({ kind: 'pages', pages: 1, scans: 0 });
  });

  it('never gives an XFA form’s placeholder pages as an ordinary page count', () => {
    expect(extractedTextStatus('pdf', text(['Please wait...'], 'dynamic'), null)).toEqual({
      kind: 'xfa',
      xfa: 'dynamic',
      pages: 1,
    });
    // Text stored before XFA was recorded: what the viewer found opening it decides.
    expect(
      extractedTextStatus('pdf', text(['Please wait...']), {
        state: 'open',
        unlocked: false,
        xfa: 'hybrid',
        fingerprint: null,
      }),
    ).toEqual({
      kind: 'xfa',
      xfa: 'hybrid',
      pages: 1,
    });
  });

  it('counts pages and pages without a text layer otherwise', () => {
    expect(
      extractedTextStatus('pdf', text(['one', '', 'three']), {
        state: 'open',
        unlocked: false,
        xfa: 'none',
        fingerprint: null,
      }),
    ).toEqual({ kind: 'pages', pages: 3, scans: 1 });
  });
});
