import { useTranslation } from 'react-i18next';

/** Twelve groups of five digits, laid out to be read aloud three groups at a time. */
export function Fingerprint({ groups, owner }: { groups: readonly string[]; owner: string }) {
  const { t } = useTranslation();
  return (
    <p className="fingerprint" aria-label={t('identity.fingerprintOf', { name: owner })}>
      {groups.map((group, index) => (
        <span key={`${index}-${group}`}>{group}</span>
      ))}
    </p>
  );
}
