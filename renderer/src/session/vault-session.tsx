import { QueryClient, QueryClientProvider, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { VaultClient } from '../vault';

const VaultContext = createContext<VaultClient | null>(null);

/**
 * One unlocked session: the vault client and a query cache of what was read through it. The cache holds
 * decrypted records, so it lives exactly as long as the session: it is cleared when the session ends (a lock
 * unmounts it). A view that opens shows what was read before and reads again (another view may have written
 * since); nothing is retried or refetched on window focus.
 */
export function VaultSession({ vault, children }: { vault: VaultClient; children: ReactNode }) {
  const [queries] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: false, staleTime: 0, refetchOnWindowFocus: false, refetchOnReconnect: false },
        },
      }),
  );
  useEffect(() => () => queries.clear(), [queries]);
  return (
    <VaultContext.Provider value={vault}>
      <QueryClientProvider client={queries}>{children}</QueryClientProvider>
    </VaultContext.Provider>
  );
}

/** The unlocked vault's client. */
export function useVault(): VaultClient {
  const vault = useContext(VaultContext);
  if (!vault) throw new Error('useVault outside a VaultSession');
  return vault;
}

/**
 * Reads from the vault under `key`, with loading and error states (`status`: 'pending' | 'error' | 'success').
 * Keys name what is read (see query-keys.ts), so a write can mark exactly those reads stale.
 */
export function useVaultQuery<T>(key: QueryKey, read: (vault: VaultClient) => Promise<T>, enabled = true) {
  const vault = useVault();
  return useQuery({ queryKey: key, queryFn: () => read(vault), enabled });
}

/** Marks reads stale after a write, so every view showing them reads again. */
export function useRefresh(): (key: QueryKey) => Promise<void> {
  const queries = useQueryClient();
  return useCallback((key: QueryKey) => queries.invalidateQueries({ queryKey: key }), [queries]);
}
