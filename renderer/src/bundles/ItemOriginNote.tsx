import { useTranslation } from 'react-i18next';
import { queryKeys, useVaultQuery } from '../session';
import { useFormats } from '../ui';

/**
 * Says which bundle brought an item, who signed it and when, for items
 * that came from a bundle; nothing for items made in this vault.
 */
export function ItemOriginNote({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const formats = useFormats();
  // A note, not the point: nothing shows while it is read or when it cannot be.
  const { data: origin } = useVaultQuery(queryKeys.itemOrigin(itemId), (vault) => vault.itemOrigin(itemId));
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
