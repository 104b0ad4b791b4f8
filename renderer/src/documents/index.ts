export { DocumentsPanel } from './DocumentsPanel';
export { attachFile, documentChunks, readDocumentBytes, INTAKE_PIECE_BYTES } from './intake';
export { AllDocumentsPanel } from './AllDocumentsPanel';
export { DocumentReader } from './reader/DocumentReader';
export type { DocumentFind } from './DocumentViewer';
export { formatSize } from './document-list';
