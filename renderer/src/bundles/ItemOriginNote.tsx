import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormats } from '../ui';
import type { ItemOrigin, VaultClient } from '../vault';

/**
 * Says which bundle brought an item, who signed it and when, for items
 * that came from a bundle; nothing for items made in this vault.
 */
export function ItemOriginNote({ vault, itemId }: { vault: VaultClient; itemId: string }) {
  const { t } = useTranslation();
  const formats = useFormats();
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
  // The sender's clock, as an ISO string: shown as sent if it is not one.
  const created = Date.parse(origin.createdAt);
  return (
    <p className="item-origin">
      {t('origin.received', {
        date: formats.day(origin.importedAt),
        name: origin.signer.name,
        status: t(`open.signer.${origin.signer.status}`, { contact: origin.signer.name }),
        created: Number.isNaN(created) ? origin.createdAt : formats.timestamp(created),
        bundleId: origin.bundleId.slice(0, 8),
      })}
    </p>
  );
}
