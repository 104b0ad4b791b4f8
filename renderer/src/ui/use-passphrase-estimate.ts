import { useCallback, useRef, useState } from 'react';
import type { PassphraseEstimate, VaultClient } from '../vault';

/** Estimates a new passphrase in the vault worker as the user types. */
export function usePassphraseEstimate(vault: VaultClient) {
  const [estimate, setEstimate] = useState<PassphraseEstimate | null>(null);
  const latestRequest = useRef(0);
  const onInput = useCallback(
    (value: string) => {
      const request = ++latestRequest.current;
      if (value.length === 0) {
        setEstimate(null);
        return;
      }
      void vault.estimatePassphrase(new TextEncoder().encode(value)).then((result) => {
        if (request === latestRequest.current) setEstimate(result);
      });
    },
    [vault],
  );
  return { estimate, onInput };
}
