/**
 * The names of the drafts the editors keep while the user types (session/use-draft.ts, use-text-draft.ts): one
 * place, so the vault worker finds a draft from what it is a draft of, and deletes it with that (a document's
 * provenance draft with the document, an annotation's note with the annotation).
 *
 * A draft of something in a case is named `case:<case id>` or `case:<case id>/<what>:<id>`: it belongs to that
 * case (sealed with its key, deleted with it). `case:new` (a case not saved yet) and names not starting `case:` are
 * vault-wide.
 */
export const draftNames = {
  /** The case form: of an existing case, or of one not saved yet (null). */
  case: (caseId: string | null) => `case:${caseId ?? 'new'}`,
  /** A hearing's form (null: a new hearing). */
  hearing: (caseId: string, hearingId: string | null) => `case:${caseId}/hearing:${hearingId ?? 'new'}`,
  /** A timeline event's form (null: a new event). */
  event: (caseId: string, eventId: string | null) => `case:${caseId}/event:${eventId ?? 'new'}`,
  /** A document's provenance (its long description). */
  provenance: (caseId: string, documentId: string) => `case:${caseId}/provenance:${documentId}`,
  /** An annotation's note and transcription. */
  annotation: (caseId: string, annotationId: string) => `case:${caseId}/annotation:${annotationId}`,
} as const;

/** The longest draft name the vault takes. */
export const MAX_DRAFT_NAME_LENGTH = 200;

const CASE_DRAFT = /^case:([0-9a-f]{32})(?:\/[a-z-]{1,30}:[^/]{1,100})?$/;

/**
 * The case a draft name belongs to, null for a vault-wide draft, or undefined for a name the vault refuses: too
 * long, or starting `case:` without naming a case as draftNames do (it would otherwise be kept vault-wide, sealed
 * with the records key, and outlive the case it is about).
 */
export function draftOwner(name: unknown): string | null | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_DRAFT_NAME_LENGTH) return undefined;
  if (!name.startsWith('case:')) return null;
  if (name === draftNames.case(null)) return null;
  return CASE_DRAFT.exec(name)?.[1];
}
