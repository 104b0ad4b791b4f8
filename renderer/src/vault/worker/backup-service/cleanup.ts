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
  const first = chain[0]?.seq ?? Infinity;
  const runs = files.flatMap((file) => {
    const name = parseBackupFileName(file.name);
    return name?.set === set && name.kind === 'run' && !seqs.has(name.seq) ? [{ file: file.name, seq: name.seq }] : [];
  });
  // In an order that leaves a readable set if cut short: runs before the chain oldest first (what is left has no
  // start of its own and is passed over), runs after it newest first (what is left is an unfinished prune's start).
  const before = runs.filter((run) => run.seq < first).sort((a, b) => a.seq - b.seq);
  const after = runs.filter((run) => run.seq >= first).sort((a, b) => b.seq - a.seq);
  for (const run of [...before, ...after]) {
    await target.remove(run.file);
    removed.runs += 1;
  }
  for (const file of files) {
    const name = parseBackupFileName(file.name);
    if (name?.set === set && name.kind === 'pack' && !named.has(name.pack)) {
      await target.remove(packFileName(set, name.pack));
      removed.packs += 1;
    }
  }
  return removed;
}
