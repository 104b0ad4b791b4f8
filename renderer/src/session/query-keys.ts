/**
 * Names of vault reads, as query keys. A key is a path: refreshing ['case', id] also refreshes
 * ['case', id, 'documents'], so a write refreshes everything it can have changed by naming its case.
 */
export const queryKeys = {
  cases: ['cases'] as const,
  settings: ['settings'] as const,
  overview: ['overview'] as const,
  /** The backup sets this vault writes (Settings → Backup, the home screen's reminder). */
  backupSets: ['backup-sets'] as const,
  custodyLog: ['custody-log'] as const,
  identity: ['identity'] as const,
  contacts: ['contacts'] as const,
  receivedBundles: ['received-bundles'] as const,
  /** The bundle files being opened (Exchange → Receive). */
  bundleQueue: ['bundle-queue'] as const,
  /** Every case's hearings (monitoring). */
  allHearings: ['all-hearings'] as const,
  /** Every case's documents (the documents page). */
  allDocuments: ['all-documents'] as const,
  /** What a bundle of these choices would hold (keyed by the request itself). */
  bundleEstimate: (request: unknown) => ['bundle-estimate', request] as const,
  case: (caseId: string) => ['case', caseId] as const,
  caseDocuments: (caseId: string) => ['case', caseId, 'documents'] as const,
  caseHearings: (caseId: string) => ['case', caseId, 'hearings'] as const,
  caseAnnotations: (caseId: string) => ['case', caseId, 'annotations'] as const,
  caseHistory: (caseId: string) => ['case', caseId, 'history'] as const,
  caseTimeline: (caseId: string) => ['case', caseId, 'timeline'] as const,
  itemOrigin: (itemId: string) => ['item-origin', itemId] as const,
  document: (caseId: string, documentId: string) => ['case', caseId, 'documents', documentId] as const,
  hearing: (caseId: string, hearingId: string) => ['case', caseId, 'hearings', hearingId] as const,
};
