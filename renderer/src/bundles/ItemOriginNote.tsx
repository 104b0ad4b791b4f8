import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemOrigin, VaultClient } from '../vault';

/**
 * Says which bundle brought an item, who signed it and when, for items
 * that came from a bundle; nothing for items made in this vault.
 */
export function ItemOriginNote({ vault, itemId }: { vault: VaultClient; itemId: string }) {
  const { t, i18n } = useTranslation();
  const [origin, setOrigin] = useState<ItemOrigin | null>(null);
  useEffect(() => {
    let current = true;
    vault.itemOrigin(itemId).then(
      (found) => current && setOrigin(found),
      () => current && setOrigin(null),
    );
    return () => {
      current = false;
    };
  }, [vault, itemId]);
  if (!origin) return null;
  return (
    <p className="item-origin">
      {t('origin.received', {
        date: new Date(origin.importedAt).toLocaleDateString(i18n.language),
        name: origin.signer.name,
        status: t(`open.signer.${origin.signer.status}`, { contact: origin.signer.name }),
        created: new Date(origin.createdAt).toLocaleString(i18n.language),
        bundleId: origin.bundleId.slice(0, 8),
      })}
    </p>
  );
}
