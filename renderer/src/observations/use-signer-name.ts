import { useTranslation } from 'react-i18next';
import { queryKeys, useVaultQuery } from '../session';

/** "8e30df9cbf33143a" → "8e30 df9c bf33 143a": easier to read aloud and compare. */
function grouped(id: string): string {
  return id.match(/.{1,4}/g)?.join(' ') ?? id;
}

/**
 * Who signed a hearing version off, by name: this vault's identity when this vault signed it, else "an
 * unknown key" with its id, so a reader can still check it. (A signer id is the signing vault's actor id;
 * contacts are known by their recipient key id, a different number, so they cannot be matched yet.)
 */
export function useSignerName(): (signer: string) => string {
  const { t } = useTranslation();
  const identity = useVaultQuery(queryKeys.identity, (vault) => vault.getIdentity());
  return (signer: string) => {
    if (identity.data && identity.data.actor === signer) return identity.data.name || t('hearing.thisVault');
    return t('hearing.unknownSigner', { fingerprint: grouped(signer) });
  };
}
