import sodium from 'libsodium-wrappers-sumo';
import { envelopeSchemaVersion, openJson, sealJson } from '../crypto/envelope';
import { blindIndex, expandMasterKey, wipeKeys, type VaultKeys } from '../crypto/keys';
import { upgradeRecord } from '../migrations';
import { RECORD_KINDS, RECORD_MIGRATIONS, type RecordKind } from '../record-kinds';
import { rowNames } from '../row-ids';
import type { RecordRow } from '../storage/database';

/**
 * Everything one master key names and seals rows with: its subkeys, the
 * keyed hashes of every record kind and case (what rows carry as `kind` and
 * `owner`), and the case keys stored under it. A re-key works with two: the
 * domain rows are moved from ("other") and the one they are moved to
 * ("active").
 */
export class KeyDomain {
  readonly keys: VaultKeys;
  /** Record kind by the keyed hash rows carry. */
  readonly kindOfName = new Map<string, RecordKind>();
  private readonly nameOfKind = new Map<RecordKind, string>();
  readonly caseKeys = new Map<string, Uint8Array>();
  /** Case id by the keyed hash rows carry as `owner`. */
  readonly caseOfOwner = new Map<string, string>();

  constructor(master: Uint8Array) {
    this.keys = expandMasterKey(master);
    for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
      const name = this.blind(rowNames.kind(kind));
      this.kindOfName.set(name, kind);
      this.nameOfKind.set(kind, name);
    }
  }

  blind(value: string): string {
    return blindIndex(this.keys.blindIndex, value);
  }

  kindName(kind: RecordKind): string {
    return this.nameOfKind.get(kind)!;
  }

  ownerName(caseId: string): string {
    return this.blind(rowNames.owner(caseId));
  }

  /** Remembers a case's key (and the owner hash its rows carry). */
  addCaseKey(caseId: string, key: Uint8Array): void {
    this.caseKeys.set(caseId, key);
    this.caseOfOwner.set(this.ownerName(caseId), caseId);
  }

  /**
   * A case-key row's case and key; null when it does not open or names another case than its id says. The key
   * is stored as bytes (crypto/key-bytes.ts); a row of schema 1 (base64) is decoded by the registry's migration.
   */
  openCaseKeyRow(row: RecordRow): { caseId: string; key: Uint8Array } | null {
    try {
      const opened = openJson(this.keys.records, { table: 'case-key', id: row.id }, row.env);
      const value = upgradeRecord(RECORD_MIGRATIONS, 'case-key', envelopeSchemaVersion(row.env), opened, row.id) as {
        caseId?: unknown;
        key?: unknown;
      };
      const { caseId, key } = value;
      if (
        typeof caseId !== 'string' ||
        !(key instanceof Uint8Array) ||
        key.byteLength !== 32 ||
        this.blind(rowNames.caseKey(caseId)) !== row.id
      ) {
        if (key instanceof Uint8Array) sodium.memzero(key);
        return null;
      }
      return { caseId, key };
    } catch {
      return null;
    }
  }

  /** The row that stores a case key: the key as bytes, never as text (crypto/key-bytes.ts). */
  sealCaseKeyRow(caseId: string, key: Uint8Array): RecordRow {
    const id = this.blind(rowNames.caseKey(caseId));
    const env = sealJson(this.keys.records, { table: 'case-key', id }, RECORD_KINDS['case-key'].migrations.current, {
      caseId,
      key,
    });
    return { id, kind: this.kindName('case-key'), owner: '', env };
  }

  wipe(): void {
    for (const key of this.caseKeys.values()) sodium.memzero(key);
    this.caseKeys.clear();
    wipeKeys(this.keys);
  }
}
