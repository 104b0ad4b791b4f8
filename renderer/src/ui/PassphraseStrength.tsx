import { useTranslation } from 'react-i18next';
import type { PassphraseEstimate } from '../vault';

/** The strength meter under a new passphrase field. */
export function PassphraseStrength({ estimate, id }: { estimate: PassphraseEstimate | null; id: string }) {
  const { t } = useTranslation();
  if (!estimate)
    return (
      <p id={id} className="hint">
        {t('passphrase.requirements')}
      </p>
    );
  return (
    <div id={id} className="strength" aria-live="polite">
      <meter
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={estimate.score}
        aria-label={t('passphrase.strength')}
      />
      <span>{t(`passphrase.score${estimate.score}`)}</span>
      {!estimate.acceptable && <span className="hint"> {t('passphrase.requirements')}</span>}
    </div>
  );
}
