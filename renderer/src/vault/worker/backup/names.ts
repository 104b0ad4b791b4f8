import { MAX_SEQ } from './constants';

/**
 * File names of a backup set. Every name is made here from hex ids and a
 * number: nothing the user typed, nothing a path could hide in. A set's
 * files sit side by side in one folder (a USB stick, a synced folder, or
 * the browser's downloads), told apart by the set id.
 */
const HEX32 = /^[0-9a-f]{32}$/;
const RUN_NAME = /^evb-([0-9a-f]{32})-(\d{6})\.run$/;
const PACK_NAME = /^evb-([0-9a-f]{32})-([0-9a-f]{32})\.pack$/;

export type BackupFileName = { set: string; kind: 'run'; seq: number } | { set: string; kind: 'pack'; pack: string };

export function runFileName(set: string, seq: number): string {
  if (!HEX32.test(set) || !Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError('bad run name');
  return `evb-${set}-${String(seq).padStart(6, '0')}.run`;
}

export function packFileName(set: string, pack: string): string {
  if (!HEX32.test(set) || !HEX32.test(pack)) throw new RangeError('bad pack name');
  return `evb-${set}-${pack}.pack`;
}

/** What a file name says, or null if it is not a name this format writes. */
export function parseBackupFileName(name: string): BackupFileName | null {
  const run = RUN_NAME.exec(name);
  if (run) {
    const seq = Number(run[2]);
    return seq >= 1 ? { set: run[1]!, kind: 'run', seq } : null;
  }
  const pack = PACK_NAME.exec(name);
  return pack ? { set: pack[1]!, kind: 'pack', pack: pack[2]! } : null;
}

export const isBackupFileName = (name: string): boolean => parseBackupFileName(name) !== null;
