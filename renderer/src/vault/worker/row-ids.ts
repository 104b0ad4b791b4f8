/**
 * What the keyed hashes (blind indexes) that name stored rows are hashes
 * of: one place, so the services that find rows by them and the re-key
 * (rekey/), which names every row again under a new key, agree.
 */
export const rowNames = {
  /** A row's `kind`: its record kind. */
  kind: (kind: string) => `table:${kind}`,
  /** A row's `owner`: the case it belongs to. */
  owner: (caseId: string) => `case:${caseId}`,
  caseKey: (caseId: string) => `case-key:${caseId}`,
  draft: (name: string) => `draft:${name}`,
  contact: (signingKey: string) => `contact:${signingKey}`,
  annotationPage: (documentId: string, page: number) => `annotation-page:${documentId}:${page}`,
  documentText: (documentId: string) => `document-text:${documentId}`,
  /** A PDF's password, remembered at the user's request (documents-service.ts). */
  documentPassword: (documentId: string) => `document-password:${documentId}`,
  bundleReceipt: (bundleId: string, caseId: string) => `bundle-receipt:${bundleId}:${caseId}`,
  maintenance: () => 'maintenance',
  /** The queue of bundle files being opened (bundle-service/import-queue.ts). */
  bundleQueue: () => 'bundle-queue',
  /** What this vault remembers of one backup set it writes (backup-service/bookkeeping.ts). */
  backupSet: (setId: string) => `backup-set:${setId}`,
  /** The recovery keys' backup tag keys (backup-service/recovery-auth.ts). */
  recoveryAuth: () => 'recovery-auth',
  /** One shard of a kind's list index (list-index/). */
  listIndex: (kind: string, shard: number) => `list-index:${kind}:${shard}`,
  /** What the home screen counts over a listed kind (list-index/). */
  listSummary: (kind: string) => `list-summary:${kind}`,
  /** The ids of the custody log's last rows (list-index/log-tail.ts). */
  logTail: () => 'log-tail',
  /** One part of one term shard of the search index (search/term-shards/). */
  searchShard: (space: string, slot: number, part: number) => `search-shard:${space}:${slot}:${part}`,
  searchPiece: (slot: number, part: number) => `search-piece:${slot}:${part}`,
} as const;
