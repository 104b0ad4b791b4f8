import sodium from 'libsodium-wrappers-sumo';
import { VaultError } from '../crypto/errors';
import { deriveSubkey } from '../crypto/keys';
import type { VaultHeader } from '../crypto/header';
import type { VaultDatabase } from '../storage/database';
import { KeyDomain } from './domain';
import { openJournal, readJournalRow, sealJournal, type RekeyAction, type RekeyState } from './journal';
import { moveRows } from './move-rows';
import { IntegrityMap } from '../integrity-map';

/**
 * Re-keying: a passphrase change or a new recovery key gives the vault a
 * new master key, and every row sealed under a key derived from the old
 * one is sealed again (case keys are new too), so the old passphrase, or an
 * old header found in leftovers, opens nothing written afterwards.
 *
 * The change commits first, in one transaction: the new header and a
 * journal holding the old master key (sealed under the new one). From then
 * on only the new secret opens the vault; rows are moved step by step
 * (move-rows.ts), and whoever opens the vault next (a crash, a lock)
 * finishes the move before anything else. A cancel puts the old header back
 * with a journal pointing the other way, in one transaction, and moves the
 * rows back. At every moment the header opens the master key the journal
 * is sealed under: the vault opens with one secret or the other, never
 * with neither.
 */
export type { RekeyAction };
export { sealJournal, readJournalRow };

export interface RekeyProgress {
  /** 'forward': to the new keys; 'back': a cancel on its way back to the old ones. */
  direction: 'forward' | 'back';
  done: number;
  total: number;
  /** Whether Cancel may still turn it round (see RekeyRun). */
  cancellable: boolean;
}

/**
 * A re-key being run in this worker: its progress, and a cancel asked for.
 * Only the run begun by the user's own change may be cancelled: one cut
 * short and finished at the next unlock or recovery only goes forward (a
 * cancel there would bring back a passphrase the user had retired, and a
 * recovery builds its new header on the keys it found).
 */
export class RekeyRun {
  progress: RekeyProgress | null = null;
  private cancelAsked = false;

  constructor(readonly cancellable = false) {}

  cancel(): void {
    if (this.cancellable && this.progress?.direction !== 'back') this.cancelAsked = true;
  }

  get cancelRequested(): boolean {
    return this.cancelAsked;
  }
}

export interface RekeyOptions {
  run: RekeyRun;
  /** False once a lock came: the move stops after its current step, and the next unlock goes on with it. */
  stillWanted: () => boolean;
  batchSize?: number;
  /** After each committed step (tests stop here to simulate a crash). */
  afterStep?: (step: number) => Promise<void> | void;
}

export interface RekeyOutcome {
  header: VaultHeader;
  masterKey: Uint8Array;
  /** What finished: the action to log (forward), 'cancelled' (back), or null (there was no re-key). */
  finished: RekeyAction | 'cancelled' | null;
  /** Rows that opened with neither key (unreadable before the re-key too), left as they were. */
  unreadable: number;
  /** Rows the old keys' integrity map did not vouch for (put back while the move was cut short), left out. */
  rolledBack: number;
  /** The old keys' integrity map was gone or did not hold: no row could be checked. */
  unchecked: boolean;
}

/** Thrown out of a step to turn the move round (caught in finishRekey, never seen outside). */
class Cancelled extends Error {}
const DEFAULT_BATCH = 400;

export function recordsKeyOf(masterKey: Uint8Array): Uint8Array {
  return deriveSubkey(masterKey, 'records');
}

/** The journal that starts a re-key from `oldMaster` (opened by `oldHeader`) to `newMaster`. */
export function startJournal(
  newMaster: Uint8Array,
  oldMaster: Uint8Array,
  oldHeader: VaultHeader,
  action: RekeyAction,
): Uint8Array {
  const recordsKey = recordsKeyOf(newMaster);
  try {
    return sealJournal(recordsKey, {
      state: { direction: 'forward', action, otherHeader: oldHeader },
      otherMaster: oldMaster,
    });
  } finally {
    sodium.memzero(recordsKey);
  }
}

/** Whether this master key opens the journal of a re-key under way (false: there is none). Throws when the
 * journal is there and does not open. */
export async function hasOpenableJournal(db: VaultDatabase, masterKey: Uint8Array): Promise<boolean> {
  const env = await readJournalRow(db);
  if (!env) return false;
  const recordsKey = recordsKeyOf(masterKey);
  try {
    sodium.memzero(openJournal(recordsKey, env).otherMaster);
    return true;
  } finally {
    sodium.memzero(recordsKey);
  }
}

/**
 * Finishes the re-key under way, if any, with the master key the header
 * opens. Returns the header and master key the vault is left with (after a
 * cancel, the old ones: `masterKey` is then wiped). Does not remove the
 * journal: the caller does, in the same commit as the custody-log entry
 * (VaultStore.commit `rekeyJournal: null`).
 */
export async function finishRekey(
  db: VaultDatabase,
  header: VaultHeader,
  masterKey: Uint8Array,
  options: RekeyOptions,
): Promise<RekeyOutcome> {
  const env = await readJournalRow(db);
  if (!env) return { header, masterKey, finished: null, unreadable: 0, rolledBack: 0, unchecked: false };
  const recordsKey = recordsKeyOf(masterKey);
  let journal: { state: RekeyState; otherMaster: Uint8Array };
  try {
    journal = openJournal(recordsKey, env);
  } finally {
    sodium.memzero(recordsKey);
  }
  let activeHeader = header;
  let activeMaster = masterKey;
  let step = 0;
  let unchecked = false;
  for (;;) {
    const active = new KeyDomain(activeMaster.slice());
    const other = new KeyDomain(journal.otherMaster.slice());
    const cancellable = options.run.cancellable && journal.state.direction === 'forward';
    options.run.progress = { direction: journal.state.direction, done: 0, total: 1, cancellable };
    try {
      // On the way to new keys, the old keys' map says which rows are the versions last written.
      // A map that is gone or does not hold (put back or removed while the move was cut short) vouches for no
      // row: the move still finishes (the vault must open), and says the rows went unchecked.
      const otherMap = journal.state.direction === 'forward' ? new IntegrityMap(db, () => other.keys.records) : null;
      const vouched = otherMap !== null && (await otherMap.syncRoot()) && otherMap.state === 'ok';
      unchecked ||= otherMap !== null && !vouched;
      const { unreadable, rolledBack } = await moveRows(db, other, active, {
        otherMap: vouched ? otherMap : null,
        batchSize: options.batchSize ?? DEFAULT_BATCH,
        afterStep: async (done, total) => {
          options.run.progress = { direction: journal.state.direction, done, total, cancellable };
          step += 1;
          await options.afterStep?.(step);
          if (!options.stillWanted()) throw new VaultError('locked', 'The vault was locked during a re-key.');
          if (options.run.cancelRequested && journal.state.direction === 'forward') throw new Cancelled('cancelled');
        },
      });
      sodium.memzero(journal.otherMaster);
      return {
        header: activeHeader,
        masterKey: activeMaster,
        finished: journal.state.direction === 'forward' ? journal.state.action : 'cancelled',
        unreadable,
        rolledBack,
        unchecked,
      };
    } catch (error) {
      if (!(error instanceof Cancelled)) {
        sodium.memzero(journal.otherMaster);
        throw error;
      }
      // Back to the old keys: the old header, and a journal the other way, land together.
      const back = {
        state: { direction: 'back' as const, action: journal.state.action, otherHeader: activeHeader },
        otherMaster: activeMaster,
      };
      const backHeader = journal.state.otherHeader;
      const backKey = recordsKeyOf(journal.otherMaster);
      try {
        const sealed = sealJournal(backKey, back);
        await db.transaction('rw', db.meta, async () => {
          await db.meta.put({ id: 'header', header: backHeader });
          await db.meta.put({ id: 'rekey', env: sealed });
        });
      } finally {
        sodium.memzero(backKey);
      }
      activeMaster = journal.otherMaster;
      activeHeader = backHeader;
      journal = { state: back.state, otherMaster: back.otherMaster };
    } finally {
      active.wipe();
      other.wipe();
    }
  }
}
