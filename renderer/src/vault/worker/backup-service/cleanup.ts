import { packFileName, parseBackupFileName, type BackupTarget } from '../backup';

/**
 * Removes the set's files that `chain` does not hold: run files outside its
 * run numbers (the runs a prune replaced, or those of a prune cut short)
 * and packs none of its runs names (left by a run or a prune cut short).
 * The next run's number is then free, and nothing no run needs stays.
 */
export async function removeUnnamed(
  target: BackupTarget,
  files: readonly { name: string }[],
  set: string,
  chain: readonly { seq: number; index: { packs: readonly { id: string }[] } }[],
): Promise<{ runs: number; packs: number }> {
  const named = new Set(chain.flatMap((run) => run.index.packs.map((pack) => pack.id)));
  const seqs = new Set(chain.map((run) => run.seq));
  const removed = { runs: 0, packs: 0 };
  for (const file of files) {
    const name = parseBackupFileName(file.name);
    if (name?.set !== set) continue;
    if (name.kind === 'run' && !seqs.has(name.seq)) {
      await target.remove(file.name);
      removed.runs += 1;
    } else if (name.kind === 'pack' && !named.has(name.pack)) {
      await target.remove(packFileName(set, name.pack));
      removed.packs += 1;
    }
  }
  return removed;
}
