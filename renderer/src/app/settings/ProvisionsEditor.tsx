import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVault } from '../../session';
import type { Provision, VaultSettings } from '../../vault';
import { errorMessage, localId, StatusMessage } from '../../ui';

/** The vault's vocabulary of legal provisions, which charges pick from. */
export function ProvisionsEditor({
  settings,
  onChange,
}: {
  settings: VaultSettings;
  onChange: (settings: VaultSettings) => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const [provisions, setProvisions] = useState<Provision[]>(settings.provisions);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const update = (id: string, patch: Partial<Provision>) =>
    setProvisions(provisions.map((provision) => (provision.id === id ? { ...provision, ...patch } : provision)));

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      const saved = await vault.updateSettings({
        ...settings,
        provisions: provisions.map((provision) => ({
          ...provision,
          law: provision.law.trim(),
          article: provision.article.trim(),
        })),
      });
      onChange(saved);
      setProvisions(saved.provisions);
      setMessage({ ok: true, text: t('settings.provisionsSaved') });
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  const fields = [
    ['law', 'settings.provisionLaw'],
    ['article', 'settings.provisionArticle'],
    ['name', 'settings.provisionName'],
    ['nameKm', 'settings.provisionNameKm'],
    ['source', 'settings.provisionSource'],
  ] as const;

  return (
    <form autoComplete="off" onSubmit={(event) => void save(event)} aria-labelledby="provisions-heading">
      <h3 id="provisions-heading">{t('settings.provisions')}</h3>
      <p className="muted">{t('settings.provisionsHelp')}</p>
      {provisions.map((provision, index) => (
        <div
          key={provision.id}
          className="row-group provision"
          role="group"
          aria-label={t('settings.provisionN', { n: index + 1 })}
        >
          {fields.map(([field, label]) => (
            <label key={field}>
              {t(label)}
              <input
                value={provision[field]}
                required={field === 'law' || field === 'article'}
                maxLength={200}
                onChange={(event) => update(provision.id, { [field]: event.target.value })}
              />
            </label>
          ))}
          <button
            type="button"
            className="danger"
            onClick={() => setProvisions(provisions.filter((entry) => entry.id !== provision.id))}
          >
            {t('settings.removeProvision', { n: index + 1 })}
          </button>
        </div>
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            setProvisions([
              ...provisions,
              { id: localId(), law: 'Criminal Code', article: '', name: '', nameKm: '', source: '' },
            ])
          }
        >
          {t('settings.addProvision')}
        </button>
        <button type="submit">{t('settings.saveProvisions')}</button>
      </div>
      <StatusMessage message={message} />
    </form>
  );
}
