import sodium from 'libsodium-wrappers-sumo';
import { openRecord, sealRecord } from '../crypto/envelope';
import { VaultError } from '../crypto/errors';
import { MASTER_KEY_BYTES } from '../crypto/keys';
import type { VaultHeader } from '../crypto/header';
import type { VaultDatabase } from '../storage/database';

/**
 * The journal of a re-key under way: what a crash, a lock or a cancel needs
 * to finish (or undo) it. It lives in the `meta` table as one envelope
 * sealed with the records key of the master key the header now opens (the
 * "active" one), and holds the master key the rows are being moved from
 * (the "other" one). Whoever opens the vault opens the journal; nobody with
 * only the other master key (an old passphrase) does.
 *
 * Plaintext: the other master key (32 bytes) ‖ UTF-8 JSON of the state.
 * Key bytes never pass through a JavaScript string.
 */
export type RekeyAction = 'passphrase-changed' | 'recovery-key-replaced';

export interface RekeyState {
  /** 'forward': rows move to the new master key; 'back': a cancel moves them back to the old one. */
  direction: 'forward' | 'back';
  action: RekeyAction;
  /** The header the other master key opens (forward: the old header, which a cancel puts back). */
  otherHeader: VaultHeader;
}

export interface OpenJournal {
  state: RekeyState;
  otherMaster: Uint8Array;
}

const JOURNAL_ADDRESS = { table: 'rekey-journal', id: 'rekey' } as const;
const JOURNAL_SCHEMA = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A header as JSON: its byte fields as base64 (headers are public data: no key material in them). */
function headerToJson(header: VaultHeader): unknown {
  return JSON.parse(
    JSON.stringify(header, (_key, value: unknown) =>
      value instanceof Uint8Array ? { b64: sodium.to_base64(value) } : value,
    ),
  );
}

function headerFromJson(value: unknown): VaultHeader {
  return JSON.parse(JSON.stringify(value), (_key, field: unknown) =>
    field !== null && typeof field === 'object' && typeof (field as { b64?: unknown }).b64 === 'string'
      ? sodium.from_base64((field as { b64: string }).b64)
      : field,
  ) as VaultHeader;
}

export function sealJournal(activeRecordsKey: Uint8Array, journal: OpenJournal): Uint8Array {
  const state = encoder.encode(
    JSON.stringify({ ...journal.state, otherHeader: headerToJson(journal.state.otherHeader) }),
  );
  const plain = new Uint8Array(MASTER_KEY_BYTES + state.byteLength);
  plain.set(journal.otherMaster);
  plain.set(state, MASTER_KEY_BYTES);
  try {
    return sealRecord(activeRecordsKey, JOURNAL_ADDRESS, JOURNAL_SCHEMA, plain);
  } finally {
    sodium.memzero(plain);
  }
}

export async function readJournalRow(db: VaultDatabase): Promise<Uint8Array | undefined> {
  const row = await db.meta.get('rekey');
  return row?.id === 'rekey' ? row.env : undefined;
}

/** Opens the journal; a journal that does not open with the active key is damage, never a reason to go on. */
export function openJournal(activeRecordsKey: Uint8Array, env: Uint8Array): OpenJournal {
  const plain = openRecord(activeRecordsKey, JOURNAL_ADDRESS, env);
  try {
    if (plain.byteLength <= MASTER_KEY_BYTES) throw new Error('short');
    const state = JSON.parse(decoder.decode(plain.subarray(MASTER_KEY_BYTES))) as RekeyState;
    if (
      (state.direction !== 'forward' && state.direction !== 'back') ||
      (state.action !== 'passphrase-changed' && state.action !== 'recovery-key-replaced')
    )
      throw new Error('state');
    return {
      state: { ...state, otherHeader: headerFromJson(state.otherHeader) },
      otherMaster: plain.slice(0, MASTER_KEY_BYTES),
    };
  } catch {
    throw new VaultError('record-tampered', 'The record of an unfinished passphrase change is damaged.', 'rekey');
  } finally {
    sodium.memzero(plain);
  }
}
