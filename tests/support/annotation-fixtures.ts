import { describeSegment } from '../../renderer/src/annotations/anchoring';
import type { AnnotatedSource } from '../../renderer/src/annotations/web-annotation';
import { emptyProvenance, type AnnotationRecord, type DocumentRecord, type Rect } from '../../renderer/src/vault';

/**
 * One annotation of each kind the app makes (text highlight with and without note or tags, Khmer, across two pages,
 * on plain text, an image region, a region on a scanned page), on documents of each kind, for the export and import
 * tests.
 */

export const CASE_ID = '2'.repeat(32);
export const OTHER_CASE_ID = '7'.repeat(32);

function documentOf(
  id: string,
  sha: string,
  kind: DocumentRecord['kind'],
  mimeType: string,
  name: string,
): DocumentRecord {
  return {
    id: id.repeat(32),
    caseId: CASE_ID,
    blobId: '3'.repeat(32),
    name,
    size: 10,
    mimeType,
    kind,
    sha256: sha.repeat(64),
    intakeAt: 0,
    intakeBy: 'monitor',
    provenance: emptyProvenance(),
  };
}

export const pdf = documentOf('1', 'a', 'pdf', 'application/pdf', 'letter.pdf');
export const scan = documentOf('4', 'b', 'pdf', 'application/pdf', 'scanned-letter.pdf');
export const photo = documentOf('5', 'c', 'image', 'image/jpeg', 'photo.jpg');
export const note = documentOf('6', 'd', 'text', 'text/plain', 'hearing-note.txt');
export const DOCUMENTS = [pdf, scan, photo, note];

/** A US Letter page whose box does not start at 0 (a cropped page), and an A4 scan. */
export const PDF_BOX = [10, 20, 622, 812] as const;
export const SCAN_BOX = [0, 0, 595.28, 841.89] as const;

export const SOURCES = new Map<string, AnnotatedSource>([
  [
    pdf.id,
    {
      kind: 'pdf',
      mimeType: 'application/pdf',
      fingerprint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      pageBoxes: [PDF_BOX, PDF_BOX, PDF_BOX, PDF_BOX],
    },
  ],
  [scan.id, { kind: 'pdf', mimeType: 'application/pdf', fingerprint: 'aa'.repeat(16), pageBoxes: [SCAN_BOX] }],
  [photo.id, { kind: 'image', mimeType: 'image/jpeg' }],
  [note.id, { kind: 'text', mimeType: 'text/plain' }],
]);

/** The same documents in another case (other ids, same bytes). */
export const otherCase = (documents: readonly DocumentRecord[]) =>
  documents.map((document, index) => ({
    ...document,
    id: String(index + 8)
      .slice(-1)
      .repeat(32),
    caseId: OTHER_CASE_ID,
  }));

export const PAGE = 'The accused was charged under articles 494 and 495 of the Criminal Code for incitement.';
export const NEXT_PAGE = 'of the Criminal Code. The defence was not given the file.';
export const KHMER_PAGE = 'ជនជាប់ចោទ ក ត្រូវបានចោទប្រកាន់ពីបទញុះញង់ តាមមាត្រា ៤៩៤ និង ៤៩៥ នៃក្រមព្រហ្មទណ្ឌ។';

const segment = (text: string, page: number, exact: string, rects: Rect[] = []) => {
  const at = text.indexOf(exact);
  return { ...describeSegment(text, page, at, at + exact.length), rects };
};

const base = {
  caseId: CASE_ID,
  link: null,
  createdAt: Date.UTC(2025, 6, 17, 9, 30),
  updatedAt: Date.UTC(2025, 6, 18, 14, 5),
  createdBy: 'monitor-sokha',
};

export const highlight: AnnotationRecord = {
  ...base,
  id: 'a1'.repeat(16),
  documentId: pdf.id,
  source: pdf.sha256,
  color: 'yellow',
  note: '',
  tags: [],
  target: {
    kind: 'text',
    extractor: 'pdf.js 6.5.438',
    segments: [segment(PAGE, 2, 'articles 494 and 495', [{ x: 172.5, y: 700.25, width: 120, height: 12 }])],
  },
};

export const noted: AnnotationRecord = {
  ...highlight,
  id: 'a2'.repeat(16),
  color: 'orange',
  note: 'Charges quoted in the summons',
  tags: ['Criminal Code art. 494', 'fair trial: informed of charges'],
  link: 'f'.repeat(32),
};

export const khmer: AnnotationRecord = {
  ...highlight,
  id: 'a3'.repeat(16),
  color: 'green',
  note: 'ការចោទប្រកាន់ពីបទញុះញង់',
  tags: ['មាត្រា ៤៩៤'],
  target: {
    kind: 'text',
    extractor: 'pdf.js 6.5.438',
    segments: [segment(KHMER_PAGE, 0, 'មាត្រា ៤៩៤ និង ៤៩៥', [{ x: 300, y: 500, width: 90, height: 14 }])],
  },
};

export const twoPages: AnnotationRecord = {
  ...highlight,
  id: 'a4'.repeat(16),
  color: 'pink',
  note: 'The charge runs over the page break',
  target: {
    kind: 'text',
    extractor: 'pdf.js 6.5.438',
    segments: [
      segment(PAGE, 2, 'articles 494 and 495 of the Criminal Code for incitement.', [
        { x: 172.5, y: 60, width: 300, height: 12 },
      ]),
      segment(NEXT_PAGE, 3, 'of the Criminal Code.', [{ x: 82, y: 770, width: 110, height: 12 }]),
    ],
  },
};

export const plainText: AnnotationRecord = {
  ...highlight,
  id: 'a5'.repeat(16),
  documentId: note.id,
  source: note.sha256,
  note: 'Said in court',
  target: { kind: 'text', extractor: 'utf-8', segments: [segment(`Hearing note\n${PAGE}`, 0, 'charged under')] },
};

export const imageRegion: AnnotationRecord = {
  ...highlight,
  id: 'a6'.repeat(16),
  documentId: photo.id,
  source: photo.sha256,
  color: 'blue',
  note: '',
  tags: ['signature'],
  target: { kind: 'region', page: null, rect: { x: 10.5, y: 20.25, width: 300.75, height: 80 }, transcription: '' },
};

export const scanRegion: AnnotationRecord = {
  ...highlight,
  id: 'a7'.repeat(16),
  documentId: scan.id,
  source: scan.sha256,
  color: 'blue',
  note: 'Court stamp, bottom right',
  target: {
    kind: 'region',
    page: 0,
    rect: { x: 380.25, y: 90, width: 150.5, height: 60 },
    transcription: 'សាលាដំបូងខេត្តព្រះវិហារ',
  },
};

export const EVERY_KIND = { highlight, noted, khmer, twoPages, plainText, imageRegion, scanRegion };

/** What the user edits of a record: what an import gives back. */
export const fieldsOf = ({ documentId, color, note, tags, link, target }: AnnotationRecord) => ({
  documentId,
  color,
  note,
  tags,
  link,
  target,
});
