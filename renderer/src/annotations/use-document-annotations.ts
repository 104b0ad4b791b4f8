import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AnnotationFields, AnnotationRecord, DocumentRecord, VaultClient } from '../vault';
import { codePointToUnit, resolveSegments, type AnchorStatus } from './anchoring';

/** A text annotation placed on the current page texts (UTF-16 offsets per page). */
export interface PlacedHighlight {
  id: string;
  page: number;
  start: number;
  end: number;
}

export interface AnnotationView {
  record: AnnotationRecord;
  /** Regions are always 'anchored': their geometry is the truth. */
  status: AnchorStatus | 'partial';
  /** Where the quote is now, per segment (none when orphaned). */
  placed: PlacedHighlight[];
  /** First page it is on (0-based), for ordering and scrolling. */
  page: number;
}

/**
 * A document's annotations: loaded from the vault, placed on the page texts
 * the viewer extracted (re-anchored when the text moved, orphaned when the
 * quote is gone), and created, edited or deleted through the vault.
 */
export function useDocumentAnnotations(
  vault: VaultClient,
  document: DocumentRecord,
  pageTexts: readonly string[] | null,
) {
  const [records, setRecords] = useState<AnnotationRecord[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    vault.listAnnotations(document.caseId, document.id).then(
      (loaded) => current && setRecords(loaded),
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [vault, document]);

  const views = useMemo<AnnotationView[]>(
    () =>
      records.map((record) => {
        if (record.target.kind === 'region')
          return { record, status: 'anchored', placed: [], page: record.target.page ?? 0 };
        const firstPage = record.target.segments[0]!.page;
        if (!pageTexts) return { record, status: 'anchored', placed: [], page: firstPage };
        const resolved = resolveSegments(record.target.segments, pageTexts);
        const placed = resolved.segments
          .filter((segment) => segment.status !== 'orphaned')
          .map((segment) => {
            const text = pageTexts[segment.page] ?? '';
            return {
              id: record.id,
              page: segment.page,
              start: codePointToUnit(text, segment.start),
              end: codePointToUnit(text, segment.end),
            };
          });
        return { record, status: resolved.status, placed, page: placed[0]?.page ?? firstPage };
      }),
    [records, pageTexts],
  );

  const create = useCallback(
    async (fields: AnnotationFields) => {
      const record = await vault.createAnnotation(document.caseId, fields);
      setRecords((previous) => [...previous, record]);
      return record;
    },
    [vault, document.caseId],
  );

  const update = useCallback(
    async (id: string, fields: AnnotationFields) => {
      const record = await vault.updateAnnotation(document.caseId, id, fields);
      setRecords((previous) => previous.map((entry) => (entry.id === id ? record : entry)));
      return record;
    },
    [vault, document.caseId],
  );

  const remove = useCallback(
    async (id: string) => {
      await vault.deleteAnnotation(document.caseId, id);
      setRecords((previous) => previous.filter((entry) => entry.id !== id));
    },
    [vault, document.caseId],
  );

  return { views, error, create, update, remove };
}
