export { ListIndex, noteListEntry, shardOf, LIST_INDEX_SHARDS, type ListIndexShard } from './list-index';
export { LogTail, LOG_TAIL_LENGTH } from './log-tail';
export {
  caseSummary,
  isAnnotatable,
  newerFirst,
  type AnnotationPageListing,
  type RecentDocument,
} from './list-entries';
