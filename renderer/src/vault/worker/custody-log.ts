import sodium from 'libsodium-wrappers-sumo';
import { canonicalBytes } from './crypto/canonical';
import type { CustodyAction, CustodyTargetKind } from '../api';

/**
 * The custody log: an append-only hash chain of everything done to the
 * vault. Each entry names the previous entry's hash, and a head record
 * (count and last hash) is updated in the same transaction, so an altered,
 * removed or reordered entry — including the last — breaks verification.
 */
export type { CustodyAction };

export interface CustodyEntryInput {
  action: CustodyAction;
  /** Kind of the target, e.g. "case". */
  targetKind: CustodyTargetKind;
  targetId: string;
  /** The case the target belongs to, for the per-case history view. */
  caseId?: string;
  /** Content hashes where relevant (e.g. SHA-256 of an attached file). */
  contentHashes?: string[];
}

export interface CustodyEntry extends CustodyEntryInput {
  seq: number;
  time: number;
  actor: string;
  previousHash: string;
  hash: string;
}

export interface LogHead {
  count: number;
  lastHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
export const EMPTY_HEAD: LogHead = { count: 0, lastHash: GENESIS_HASH };

export function entryHash(entry: Omit<CustodyEntry, 'hash'>): string {
  const bytes = canonicalBytes([
    'ev-custody-entry',
    entry.seq,
    entry.time,
    entry.actor,
    entry.action,
    entry.targetKind,
    entry.targetId,
    entry.caseId ?? '',
    (entry.contentHashes ?? []).join(','),
    entry.previousHash,
  ]);
  return sodium.to_hex(sodium.crypto_hash_sha256(bytes));
}

export function nextEntry(head: LogHead, input: CustodyEntryInput, actor: string, time = Date.now()): CustodyEntry {
  const withoutHash = { ...input, seq: head.count + 1, time, actor, previousHash: head.lastHash };
  return { ...withoutHash, hash: entryHash(withoutHash) };
}

export type LogVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; firstBrokenSeq: number; reason: 'missing' | 'altered' | 'out-of-order' | 'truncated' };

/**
 * Checks a decrypted log against its head. `unreadable` counts entries that
 * failed decryption (altered ciphertext): they show up as a missing seq.
 */
export function verifyChain(entries: CustodyEntry[], head: LogHead, unreadable: number): LogVerdict {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let previousHash = GENESIS_HASH;
  for (let index = 0; index < sorted.length; index++) {
    const entry = sorted[index]!;
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq)
      return {
        ok: false,
        count: head.count,
        firstBrokenSeq: expectedSeq,
        reason: entry.seq > expectedSeq ? (unreadable > 0 ? 'altered' : 'missing') : 'out-of-order',
      };
    const { hash, ...rest } = entry;
    if (entry.previousHash !== previousHash || entryHash(rest) !== hash)
      return { ok: false, count: head.count, firstBrokenSeq: entry.seq, reason: 'altered' };
    previousHash = hash;
  }
  if (sorted.length !== head.count || previousHash !== head.lastHash) {
    const firstBrokenSeq = sorted.length + 1;
    return {
      ok: false,
      count: head.count,
      firstBrokenSeq,
      reason: unreadable > 0 ? 'altered' : sorted.length < head.count ? 'truncated' : 'altered',
    };
  }
  if (unreadable > 0)
    // Every expected entry is there, but rows that do not open were slipped in.
    return { ok: false, count: head.count, firstBrokenSeq: head.count + 1, reason: 'altered' };
  return { ok: true, count: head.count };
}
