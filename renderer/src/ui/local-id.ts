let counter = 0;
/** Ids for rows inside one record, such as people and dates in a case (not secret, only unique). */
export function localId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
