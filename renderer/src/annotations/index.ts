export {
  CONTEXT_LENGTH,
  codePointToUnit,
  describeSegment,
  describeSelection,
  resolveSegment,
  resolveSegments,
  snapToGraphemes,
  type AnchorStatus,
  type ResolvedSegment,
  type TextQuote,
  type TextSegment,
} from './anchoring';
export { AnnotationSidebar, quoteOf, type EditField, type LinkOption } from './AnnotationSidebar';
export { SelectionToolbar, selectionBox } from './SelectionToolbar';
export { useDocumentAnnotations, type AnnotationView, type PlacedHighlight } from './use-document-annotations';
export { toAnnotationCollection, toWebAnnotation, type AnnotatedSource } from './web-annotation';
export { fromWebAnnotations } from './web-annotation-import';
export { CaseAnnotations } from './CaseAnnotations';
export { annotationRows, type AnnotationRow } from './report-export';
