import { useMemo } from 'react';
import { queryKeys, useVaultQuery } from '../session';
import type { DocumentRecord } from '../vault';

/**
 * Types an earlier version stored for files it could not tell apart: an office file (DOCX, ODT, XLSX) taken in
 * before office files were read is "application/octet-stream"; a HEIC photo taken in before HEIF brands were read
 * is "video/mp4" (its ftyp box). A document stored with one of these is sniffed again when it is opened.
 */
const GENERIC_STORED_TYPES = new Set(['application/octet-stream', 'video/mp4']);

/** Whether a document's stored type may be a stand-in for what its bytes are (see GENERIC_STORED_TYPES). */
export function hasGenericStoredType(document: Pick<DocumentRecord, 'mimeType' | 'size'>): boolean {
  return document.size > 0 && GENERIC_STORED_TYPES.has(document.mimeType);
}

/**
 * The type a document's bytes show now, read by the vault worker's sniffing (only for a generic stored type; any
 * other document is its record). Null while it is read. The record itself, its kind, case, bytes and SHA-256, is
 * never changed: the type is the viewer's alone.
 */
export function useSniffedType(document: DocumentRecord): { kind: DocumentRecord['kind']; mimeType: string } | null {
  const generic = hasGenericStoredType(document);
  const sniffed = useVaultQuery(
    [...queryKeys.document(document.caseId, document.id), 'sniffed'],
    (client) => client.sniffDocument(document.caseId, document.id),
    generic,
  );
  if (!generic) return document;
  // Unreadable (a missing chunk): shown as stored, and the viewer says what it says of that type.
  if (sniffed.isError) return document;
  return sniffed.data ?? null;
}

/**
 * The document as the viewer shows it: its record, with the kind and type its bytes show when it was stored with a
 * generic type (useSniffedType). Null while they are read.
 */
export function useViewedDocument(document: DocumentRecord): DocumentRecord | null {
  const sniffed = useSniffedType(document);
  const kind = sniffed?.kind;
  const mimeType = sniffed?.mimeType;
  return useMemo(
    () =>
      kind === undefined || mimeType === undefined
        ? null
        : kind === document.kind && mimeType === document.mimeType
          ? document
          : { ...document, kind, mimeType },
    [document, kind, mimeType],
  );
}
