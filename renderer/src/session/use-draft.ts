import { useCallback, useEffect, useRef, useState } from 'react';
import type { VaultClient } from '../vault';
import { useFlushBeforeLock } from './lock-context';

export type DraftState = 'clean' | 'unsaved' | 'draft-saved';

const SAVE_DELAY_MS = 250;

/**
 * Keeps an encrypted draft of a form in the vault as the user types, and
 * flushes it before a lock, so nothing typed is lost to an auto-lock, a
 * crash or a restart.
 */
export function useDraft<T>(vault: VaultClient, name: string) {
  const [state, setState] = useState<DraftState>('clean');
  const pending = useRef<{ value: T } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const inFlight = useRef<Promise<void>>(Promise.resolve());

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
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
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    },
    [flush],
  );

  const discard = useCallback(async () => {
    clearTimeout(timer.current);
    pending.current = null;
    await vault.discardDraft(name);
    setState('clean');
  }, [vault, name]);

  useFlushBeforeLock(flush);
  useEffect(() => () => void flush(), [flush]);

  return { state, update, discard, flush };
}
