import { createContext, useContext, useEffect, useRef } from 'react';

/** Work that must reach the vault before the keys go (e.g. a draft being typed). */
export type LockFlusher = () => Promise<void>;

export interface LockControls {
  /** Saves what is pending, then locks. */
  lockNow: () => Promise<void>;
  /** The user's own Lock button: in Electron it may first offer a backup to the last backup folder. */
  lockByUser: () => Promise<void>;
  registerFlusher: (flusher: LockFlusher) => () => void;
}

export const LockContext = createContext<LockControls | null>(null);

export function useLock(): LockControls {
  const controls = useContext(LockContext);
  if (!controls) throw new Error('useLock outside a LockContext');
  return controls;
}

/** Registers `flush` (always the latest one) to run before every lock. */
export function useFlushBeforeLock(flush: LockFlusher): void {
  const { registerFlusher } = useLock();
  const latest = useRef(flush);
  useEffect(() => {
    latest.current = flush;
  });
  useEffect(() => registerFlusher(() => latest.current()), [registerFlusher]);
}
