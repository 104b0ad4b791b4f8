/**
 * Finalised records are signed off and never edited in place: an edit after
 * finalising starts a new draft version, and every finalised version stays
 * in the history (which the custody log also records).
 */

export interface FinalisedVersion<T> {
  version: number;
  finalisedAt: number;
  finalisedBy: string;
  value: T;
}

export interface VersionedRecord<T> {
  /** What the form shows: the latest draft, or the latest finalised value. */
  value: T;
  state: 'draft' | 'final';
  /** 1 for the first version; a new draft after a finalised one is the next number. */
  version: number;
  history: FinalisedVersion<T>[];
}

export function newVersioned<T>(value: T): VersionedRecord<T> {
  return { value, state: 'draft', version: 1, history: [] };
}

/** Signs off the current draft: it becomes a finalised version in the history. */
export function finalise<T>(record: VersionedRecord<T>, by: string, at: number): VersionedRecord<T> {
  if (record.state === 'final') throw new Error('This version is already finalised.');
  const snapshot: FinalisedVersion<T> = {
    version: record.version,
    finalisedAt: at,
    finalisedBy: by,
    value: structuredClone(record.value),
  };
  return { ...record, state: 'final', history: [...record.history, snapshot] };
}

/** Changes the record: a draft is edited; a finalised record gets a new draft version, its history untouched. */
export function edit<T>(record: VersionedRecord<T>, value: T): VersionedRecord<T> {
  if (record.state === 'draft') return { ...record, value };
  return { ...record, value, state: 'draft', version: record.version + 1 };
}

/** The latest signed-off value, if any (what reports and aggregates count). */
export function latestFinal<T>(record: VersionedRecord<T>): FinalisedVersion<T> | null {
  return record.history.at(-1) ?? null;
}
