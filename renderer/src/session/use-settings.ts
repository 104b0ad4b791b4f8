import { DEFAULT_SETTINGS, type VaultSettings } from '../vault';
import { queryKeys } from './query-keys';
import { useVaultQuery } from './vault-session';

/**
 * The vault's settings: the one read of queryKeys.settings, so every view shares one fetch (and one
 * fallback). Settings that cannot be read fall back to the defaults: a damaged settings record must not
 * hide the workspace.
 */
export function useSettings() {
  return useVaultQuery<VaultSettings>(queryKeys.settings, (vault) => vault.getSettings().catch(() => DEFAULT_SETTINGS));
}
