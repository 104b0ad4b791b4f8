import { useCallback, useEffect, useRef, useState } from 'react';
import type { VaultClient } from '../vault';
import { debounceWithMaxWait, type Debounced } from './debounce';
import { useFlushBeforeLock } from './lock-context';

export type DraftState = 'clean' | 'unsaved' | 'draft-saved';

/** A draft is written this long after typing pauses… */
export const DRAFT_PAUSE_MS = 250;
/** …and at least this often while typing goes on without a pause. */
export const DRAFT_MAX_WAIT_MS = 2000;

/**
 * Keeps an encrypted draft of a form in the vault as the user types, and
 * flushes it before a lock, so nothing typed is lost to an auto-lock, a
 * crash or a restart.
 */
export function useDraft<T>(vault: VaultClient, name: string) {
  const [state, setState] = useState<DraftState>('clean');
  const pending = useRef<{ value: T } | null>(null);
  const inFlight = useRef<Promise<void>>(Promise.resolve());

  /** The save that typing schedules, made for the `flush` it runs (a new name gets a new one). */
  const scheduled = useRef<{ flush: () => Promise<void>; debounced: Debounced } | null>(null);

  const flush = useCallback(async () => {
    scheduled.current?.debounced.cancel();
    // A save already under way must finish before anyone (a lock) moves on.
    await inFlight.current;
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    const save = vault.saveDraft(name, next.value).then(
      () => {
        if (!pending.current) setState('draft-saved');
      },
      (error: unknown) => {
        // Keep the text for the next attempt rather than losing it.
        pending.current ??= next;
        throw error;
      },
    );
    inFlight.current = save.catch(() => undefined);
    await save;
  }, [vault, name]);

  const update = useCallback(
    (value: T) => {
      pending.current = { value };
      setState('unsaved');
      if (scheduled.current?.flush !== flush) {
        scheduled.current?.debounced.cancel();
        scheduled.current = {
          flush,
          debounced: debounceWithMaxWait(() => void flush(), DRAFT_PAUSE_MS, DRAFT_MAX_WAIT_MS),
        };
      }
      scheduled.current.debounced.schedule();
    },
    [flush],
  );

  const discard = useCallback(async () => {
    scheduled.current?.debounced.cancel();
    pending.current = null;
    // A save under way lands first, so the discard is the last word.
    await inFlight.current;
    await vault.discardDraft(name);
    setState('clean');
  }, [vault, name]);

  useFlushBeforeLock(flush);
  useEffect(() => () => void flush(), [flush]);

  return { state, update, discard, flush };
}
