import { useCallback, useEffect, useRef, useState } from 'react';
import type { VaultClient } from '../../vault';
import { useFlushBeforeLock } from '../lock-context';

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

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    await vault.saveDraft(name, next.value);
    if (!pending.current) setState('draft-saved');
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
