import type { VaultClient } from './client';
import type { VaultConnection } from './connection';

/** How long a lock lets the worker wipe its keys and drop unfinished intakes and bundles before ending it. */
export const LOCK_GRACE_MS = 3000;

/**
 * How long a lock waits for a vault creation under way (Argon2id at 256 MiB and one transaction: seconds) to
 * finish before ending the worker anyway.
 */
export const CREATION_WAIT_MS = 60_000;

/**
 * How long a lock waits for saves already sent (connection.ts, SAVE_CALLS) to be answered, alongside the drafts'
 * flush and as long: a Save pressed just before the lock is kept, a stuck one does not keep the vault open.
 */
export const SAVE_WAIT_MS = 2000;

export interface LockTiming {
  lockGraceMs: number;
  creationWaitMs: number;
  saveWaitMs: number;
}

/**
 * What a lock that came during vault creation left for the user to see, shown over the fresh (locked) vault:
 * - created: the vault was made; its recovery key had not been seen yet and is shown now, until the user says it
 *   is written down;
 * - not-created: the creation failed; nothing was kept;
 * - unknown: the creation did not finish in time; the vault may or may not exist.
 */
export type CreationAfterLock =
  { outcome: 'created'; recoveryKey: string } | { outcome: 'not-created' } | { outcome: 'unknown' };

export interface VaultRunnerState {
  /** The current worker's client; a new one after each lock. */
  readonly client: VaultClient;
  /** Counts the workers started so far (0 for the first): a key for the UI that must start over with each. */
  readonly generation: number;
  readonly creation: CreationAfterLock | null;
}

type Settled<T> = { ok: true; value: T } | { ok: false } | { ok: 'timeout' };

function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: 'timeout' }), ms);
  });
  const settled = promise.then(
    (value): Settled<T> => ({ ok: true, value }),
    (): Settled<T> => ({ ok: false }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

const lockedError = () => Object.assign(new Error('The vault is locked.'), { name: 'VaultError', code: 'locked' });

/**
 * Runs the vault worker and replaces it at every lock: the old worker is ended, and with its heap go every key,
 * every decrypted value and whatever libsodium.js left in freed memory; a fresh worker serves the next unlock.
 *
 * - **Locks are serialised.** Closing a laptop lid fires suspend and lock-screen together: a lock asked for while
 *   one is under way joins it, so two requests end exactly one worker and start exactly one. A worker that never
 *   held a key (a lock at the unlock screen) is kept.
 * - **Calls settle.** The connection answers every call still waiting on the old worker, and every later one,
 *   with `locked` (connection.ts), so the UI's cleanup runs.
 * - **Vault creation keeps its recovery key.** A recovery key exists only in the reply to `createVault`; ending
 *   the worker before that reply arrives could leave a vault on disk whose key nobody ever saw. So a lock that
 *   comes while a creation is under way lets the creation finish (seconds) before it ends the worker, and the key
 *   is then shown over the locked vault until the user confirms it is written down (`creation`). Undoing the
 *   creation instead would need a way to delete a vault from the UI, a worse tool to leave lying around. The
 *   worker's keys still go at once after the creation, as at any lock; what stays is the key on screen, as it
 *   would have been had the lock come a moment later. A creation asked for while a lock is under way is refused
 *   with `locked`. If the creation does not finish within CREATION_WAIT_MS the worker is ended anyway and the user
 *   is told it may or may not exist (with the passphrase, a vault that does can be unlocked and given a new
 *   recovery key in Settings).
 */
export class VaultRunner {
  private connection: VaultConnection;
  private state: VaultRunnerState;
  private locking: Promise<void> | null = null;
  private creating: Promise<{ recoveryKey: string }> | null = null;
  private readonly listeners = new Set<() => void>();

  private readonly timing: LockTiming;

  constructor(
    private readonly connect: () => VaultConnection,
    timing: Partial<LockTiming> = {},
  ) {
    this.timing = { lockGraceMs: LOCK_GRACE_MS, creationWaitMs: CREATION_WAIT_MS, saveWaitMs: SAVE_WAIT_MS, ...timing };
    this.connection = connect();
    this.state = { client: this.connection.client, generation: 0, creation: null };
  }

  /** For React's useSyncExternalStore: the same object until something changes. */
  readonly current = (): VaultRunnerState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Creates the vault through the current worker; a lock under way waits for it (see the class comment). */
  readonly createVault = (passphrase: Uint8Array): Promise<{ recoveryKey: string }> => {
    if (this.locking) {
      passphrase.fill(0);
      return Promise.reject(lockedError());
    }
    const creating = this.connection.client.createVault(passphrase);
    this.creating = creating;
    const clear = () => {
      if (this.creating === creating) this.creating = null;
    };
    creating.then(clear, clear);
    return creating;
  };

  /**
   * Locks: `beforeLock` (pending drafts to the vault) runs first, against the old worker, while the saves already
   * sent are answered (up to SAVE_WAIT_MS); then the worker wipes
   * its keys, is ended, and a fresh one takes its place. Every request made while a lock is under way gets that
   * same lock.
   */
  readonly lock = (beforeLock?: () => Promise<void>): Promise<void> => {
    if (!this.locking) {
      const locking = this.restart(beforeLock);
      this.locking = locking;
      void locking.finally(() => {
        if (this.locking === locking) this.locking = null;
      });
    }
    return this.locking;
  };

  /** The user has seen what a lock during creation left (`creation`). */
  readonly dismissCreation = (): void => {
    if (!this.state.creation) return;
    this.state = { ...this.state, creation: null };
    this.notify();
  };

  private async restart(beforeLock?: () => Promise<void>): Promise<void> {
    const old = this.connection;
    // Taken before anything is awaited: a creation that finishes during `beforeLock` still counts as one the
    // lock came during (its key may not have reached the screen). No creation can start from here on.
    const creating = this.creating;
    // Saves already sent land (or fail) while the drafts are written: a Save pressed just before the lock is kept.
    const saves = settleWithin(old.savesSettled(), this.timing.saveWaitMs);
    try {
      await beforeLock?.();
    } catch {
      // A failed save must not keep the vault open.
    }
    await saves;
    let creation = this.state.creation;
    if (creating) {
      const settled = await settleWithin(creating, this.timing.creationWaitMs);
      creation =
        settled.ok === true
          ? { outcome: 'created', recoveryKey: settled.value.recoveryKey }
          : settled.ok === 'timeout'
            ? { outcome: 'unknown' }
            : { outcome: 'not-created' };
      this.creating = null;
    }
    // The worker wipes its keys and removes unfinished intakes and staged bundles; calls under way get `locked`
    // from it. A worker that does not answer is ended all the same: its keys end with it.
    // Meanwhile it says what is left of the unlock back-off, timed on its own monotonic clock, which a new worker
    // starts from zero: the new one is handed that (continueBackoff), so ending a worker neither skips a wait (the
    // system clock set forward meanwhile) nor stretches it (a new worker could only date it by the stored end,
    // rounded up to the minute). Both answers within the same grace period.
    const locked = settleWithin(old.client.lock(), this.timing.lockGraceMs);
    const backoff = settleWithin(
      old.client.backoffHandover().then((handover) => ({ handover, at: performance.now() })),
      this.timing.lockGraceMs,
    );
    await locked;
    const handed = await backoff;
    if (!creating && !old.mayHoldKeys) {
      // This worker never held a key (the lock came at the unlock screen): nothing to end. It goes on timing
      // the back-off itself.
      return;
    }
    old.stop();
    this.connection = this.connect();
    if (handed.ok === true) {
      // The first call to the new worker, before the UI's: what was left, less the time since it was read.
      const { handover, at } = handed.value;
      const remainingMs = Math.max(0, handover.remainingMs - (performance.now() - at));
      this.connection.client.continueBackoff({ ...handover, remainingMs }).catch(() => undefined);
    }
    this.state = { client: this.connection.client, generation: this.state.generation + 1, creation };
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
