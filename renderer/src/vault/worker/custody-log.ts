import sodium from 'libsodium-wrappers-sumo';
import { canonicalBytes } from './crypto/canonical';
import type { CustodyAction, CustodyTargetKind, LogVerification } from '../api';

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

/**
 * An entry as the vault reads it, with every detail: a vault-wide entry, or
 * one about a case that still exists. `salt` is set on entries whose
 * details are stored sealed with their case's key (see SealedEntry).
 */
export interface CustodyEntry extends CustodyEntryInput {
  seq: number;
  time: number;
  actor: string;
  previousHash: string;
  hash: string;
  /** Random, only on entries written sealed: part of the details' commitment (`detailCommitment`). */
  salt?: string;
  aboutDeletedCase?: undefined;
}

/** An entry's place in the chain: what every entry keeps readable with the log key. */
interface EntryPlace {
  seq: number;
  time: number;
  actor: string;
  action: CustodyAction;
  previousHash: string;
  hash: string;
}

/** An entry about a case since deleted: its details were sealed with that case's key, which is gone. */
export interface DeletedCaseEntry extends EntryPlace {
  aboutDeletedCase: true;
  targetKind?: undefined;
  targetId?: undefined;
  caseId?: undefined;
  contentHashes?: undefined;
  salt?: undefined;
}

export type LogEntryView = CustodyEntry | DeletedCaseEntry;

/**
 * How an entry about a case is stored (inside the custody-log key's
 * envelope): only what the chain needs is readable with the log key; the
 * details (what, which case, content hashes) are sealed with the case's key
 * (`detail`, an envelope, base64). The hash covers `commitment`, a SHA-256
 * of the details and a random salt, so the chain verifies without the case
 * key, and nobody without it can test a guess (a known file's SHA-256)
 * against it. `caseTag` (a keyed hash under the case key) finds the key;
 * it is not part of the chain.
 */
export interface SealedEntry {
  seq: number;
  time: number;
  actor: string;
  action: CustodyAction;
  caseTag: string;
  commitment: string;
  detail: string;
  previousHash: string;
  hash: string;
}

/** What a sealed entry's `detail` opens to. */
export interface CaseDetail {
  targetKind: CustodyTargetKind;
  targetId: string;
  caseId: string;
  contentHashes?: string[];
  salt: string;
}

/**
 * An entry written in the clear (to the log key) before details were
 * sealed, about a case deleted since: the details were dropped when the case
 * was, its hash kept as it was, so the chain (and copies of it in bundles
 * already sent) still links.
 */
export interface ReducedEntry extends EntryPlace {
  reduced: true;
}

/** Every shape an entry has on disk (under the custody-log key). */
export type StoredEntry = CustodyEntry | SealedEntry | ReducedEntry;

/** A case's tag in the log: a keyed hash under the case key, so it means nothing once the key is gone. */
export function custodyCaseTag(caseKey: Uint8Array): string {
  return sodium.to_hex(sodium.crypto_generichash(16, sodium.from_string('ev-custody-case-tag'), caseKey));
}

/** The address a sealed entry's details are bound to (its place in the chain). */
export function custodyDetailAddress(seq: number): { table: 'log-entry'; id: string } {
  return { table: 'log-entry', id: `detail:${seq}` };
}

export const isSealedEntry = (entry: StoredEntry): entry is SealedEntry => 'commitment' in entry;
export const isReducedEntry = (entry: StoredEntry): entry is ReducedEntry => 'reduced' in entry;

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

/** The details' commitment: SHA-256 over a random salt and every detail. */
export function detailCommitment(detail: CaseDetail): string {
  const bytes = canonicalBytes([
    'ev-custody-detail',
    detail.salt,
    detail.targetKind,
    detail.targetId,
    detail.caseId,
    (detail.contentHashes ?? []).join(','),
  ]);
  return sodium.to_hex(sodium.crypto_hash_sha256(bytes));
}

/** The hash of an entry whose details are sealed: over the readable fields and the details' commitment. */
export function sealedEntryHash(entry: {
  seq: number;
  time: number;
  actor: string;
  action: CustodyAction;
  commitment: string;
  previousHash: string;
}): string {
  const bytes = canonicalBytes([
    'ev-custody-entry-sealed',
    entry.seq,
    entry.time,
    entry.actor,
    entry.action,
    entry.commitment,
    entry.previousHash,
  ]);
  return sodium.to_hex(sodium.crypto_hash_sha256(bytes));
}

/**
 * The next entry about a case, both as the vault reads it and as it is
 * stored (but for `caseTag` and `detail`, which need the case key: the
 * store adds them).
 */
export function nextSealedEntry(
  head: LogHead,
  input: CustodyEntryInput & { caseId: string },
  actor: string,
  salt: string,
  time = Date.now(),
): { entry: CustodyEntry; detail: CaseDetail; commitment: string } {
  const detail: CaseDetail = {
    targetKind: input.targetKind,
    targetId: input.targetId,
    caseId: input.caseId,
    ...(input.contentHashes ? { contentHashes: input.contentHashes } : {}),
    salt,
  };
  const commitment = detailCommitment(detail);
  const readable = { seq: head.count + 1, time, actor, action: input.action, previousHash: head.lastHash };
  const hash = sealedEntryHash({ ...readable, commitment });
  return { entry: { ...input, ...readable, salt, hash }, detail, commitment };
}

/** The hash an entry as read must have: sealed entries (with `salt`) by their commitment, older ones by every field. */
export function viewHash(entry: Omit<CustodyEntry, 'hash'>): string {
  if (entry.salt === undefined) return entryHash(entry);
  if (entry.caseId === undefined) return '';
  const { salt, targetKind, targetId, caseId, contentHashes } = entry;
  const commitment = detailCommitment({ salt, targetKind, targetId, caseId, contentHashes });
  return sealedEntryHash({ ...entry, commitment });
}

/**
 * `record-rolled-back`: the chain holds (so `firstBrokenSeq` is `count + 1`),
 * but `rolledBack` records are not the versions the vault last wrote (an
 * older copy put back, a row dropped, a deleted one restored: see
 * integrity-map.ts). A broken chain also carries `rolledBack` when there are any.
 */
export type LogVerdict = LogVerification;

/**
 * Checks a decrypted log against its head. `unreadable` counts entries that
 * failed decryption (altered ciphertext): they show up as a missing seq.
 * Needs no case key: a sealed entry's hash covers its details' commitment.
 * A reduced entry (details dropped with its case) is checked by its links.
 */
export function verifyChain(entries: StoredEntry[], head: LogHead, unreadable: number): LogVerdict {
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
    if (entry.previousHash !== previousHash || !hashRecomputes(entry))
      return { ok: false, count: head.count, firstBrokenSeq: entry.seq, reason: 'altered' };
    previousHash = entry.hash;
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

function hashRecomputes(entry: StoredEntry): boolean {
  if (isReducedEntry(entry)) return /^[0-9a-f]{64}$/.test(entry.hash);
  if (isSealedEntry(entry)) return sealedEntryHash(entry) === entry.hash;
  const { hash, ...rest } = entry;
  return entryHash(rest) === hash;
}
