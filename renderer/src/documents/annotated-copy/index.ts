export { annotatedCopyName, saveAnnotatedCopy } from './save-annotated-copy';
export { pdfAnnotationSpecs, PDF_COLORS, type PdfAnnotationSpec } from './pdf-annotations';
export { annotatedCopySummary } from './summary';
export {
  writeAnnotatedPdf,
  type AnnotatedCopyInput,
  type AnnotatedCopyResult,
  type SummaryLine,
} from './write-annotated-pdf';
