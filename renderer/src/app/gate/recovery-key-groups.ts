/** The recovery key as the worker formats it: groups of characters joined by dashes (crypto/recovery-key.ts). */
export function keyGroups(recoveryKey: string): string[] {
  return recoveryKey.split('-');
}

/** A group as typed, compared the way the worker parses keys: any case, no spaces, O→0, I/L→1. */
export function normaliseGroup(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * `howMany` distinct group positions (0-based, in order) out of `count`. Not a secret: it only makes the user
 * look at their copy rather than remember the screen's first group.
 */
export function pickGroups(count: number, howMany: number, random: () => number = Math.random): number[] {
  const positions = Array.from({ length: count }, (_, index) => index);
  for (let index = positions.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [positions[index], positions[other]] = [positions[other]!, positions[index]!];
  }
  return positions.slice(0, Math.min(howMany, count)).sort((a, b) => a - b);
}

/**
 * The file name a saved key gets: a date only. Nothing about the user, and nothing that says the file is a
 * recovery key or which app it opens: a file that does not say what it is tells a finder less.
 */
export function recoveryKeyFileName(now: Date): string {
  const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((part) => String(part).padStart(2, '0'));
  return `ev-${day.join('-')}.txt`;
}
