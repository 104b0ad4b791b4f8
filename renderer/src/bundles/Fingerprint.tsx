import { useTranslation } from 'react-i18next';

/** Twelve groups of five digits, laid out (app.css) in three rows of four to be read aloud row by row. */
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
