import { describeSegment, resolveSegments } from '../../renderer/src/annotations';
import { attachFile } from '../../renderer/src/documents';
import { extractPdfText } from '../../renderer/src/documents/extract-text';
import { nextPdfWorkerReady } from '../../renderer/src/documents/viewers/pdfjs';
import { emptyCaseFields, startVaultWorker, type AnnotationFields } from '../../renderer/src/vault';
import { result, type Benchmark } from './harness';
import { fileFromBytes } from './random-bytes';
import { syntheticPdf } from './synthetic-pdf';

const PASSPHRASE = 'orchid lantern 47 granite meadow';
const ANNOTATIONS = 10_000;
const PAGES = 300;

/** A deterministic spread of quotes: every page, varied places and lengths. */
function annotationsFor(documentId: string, pages: readonly string[]): AnnotationFields[] {
  let state = 12345;
  const next = (limit: number) => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state % limit;
  };
  return Array.from({ length: ANNOTATIONS }, (_, index) => {
    const page = index % pages.length;
    const text = pages[page]!;
    const length = 20 + next(60);
    const start = next(Math.max(1, text.length - length));
    return {
      documentId,
      color: 'yellow',
      note: `note ${index}`,
      tags: [],
      link: null,
      target: {
        kind: 'text',
        extractor: 'pdf.js bench',
        segments: [{ ...describeSegment(text, page, start, start + length), rects: [] }],
      },
    };
  });
}

/**
 * Anchoring after unlock: read the 10,000 annotations and the document's
 * stored text from the vault, then place every annotation. The baseline is
 * extracting that document's text once with pdf.js (what intake does).
 */
export const annotationsBenchmark: Benchmark = {
  name: 'annotations',
  async run() {
    const vault = startVaultWorker();
    await vault.createVault(new TextEncoder().encode(PASSPHRASE));
    const { id: caseId } = await vault.createCase({ ...emptyCaseFields(), title: 'Anchoring benchmark' });
    const pdf = syntheticPdf(PAGES);
    const document = await attachFile(
      vault,
      caseId,
      fileFromBytes('300-pages.pdf', pdf),
      () => undefined,
      new AbortController().signal,
    );

    await nextPdfWorkerReady();
    const extractStart = performance.now();
    const text = await extractPdfText(pdf.slice());
    const extractMs = performance.now() - extractStart;
    await vault.saveDocumentText(caseId, document.id, text);
    const pages = text.pages.map((page) => page.text);
    await vault.importAnnotations(caseId, annotationsFor(document.id, pages));

    await vault.lock();
    await vault.unlock(new TextEncoder().encode(PASSPHRASE));
    const anchorStart = performance.now();
    const [records, stored] = await Promise.all([
      vault.listAnnotations(caseId, document.id),
      vault.getDocumentText(caseId, document.id),
    ]);
    const storedPages = stored!.pages.map((page) => page.text);
    const anchored = records.filter(
      (record) =>
        record.target.kind === 'text' && resolveSegments(record.target.segments, storedPages).status === 'anchored',
    ).length;
    const anchorMs = performance.now() - anchorStart;
    if (records.length !== ANNOTATIONS || anchored !== ANNOTATIONS)
      throw new Error(`anchored ${anchored} of ${records.length} annotations`);

    // A new extractor that adds a line to every page: every position is off, quotes are searched for.
    const shifted = storedPages.map((page) => `Running header added by another extractor\n${page}`);
    const sample = records.slice(0, 1000);
    const reanchorStart = performance.now();
    const reanchored = sample.filter(
      (record) =>
        record.target.kind === 'text' && resolveSegments(record.target.segments, shifted).status === 'reanchored',
    ).length;
    const reanchorMs = performance.now() - reanchorStart;
    if (reanchored !== sample.length) throw new Error(`re-anchored ${reanchored} of ${sample.length}`);
    await vault.lock();

    return [
      result({
        name: `anchoring ${ANNOTATIONS.toLocaleString('en')} annotations on a ${PAGES}-page PDF after unlock (read, decrypt, place) / extracting its text once with pdf.js`,
        value: anchorMs,
        baseline: extractMs,
        unit: 'ms',
        goal: 'under 1 s',
      }),
      result({
        name: `re-anchoring 1,000 of them after the page text shifted (fuzzy search) / extracting the text once`,
        value: reanchorMs,
        baseline: extractMs,
        unit: 'ms',
      }),
    ];
  },
};
