import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDeleteButton, errorMessage, StatusMessage } from '../ui';
import { FileTooLargeError, readTextFile, type Platform } from '../platform';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../session';
import type { ContactView } from '../vault';
import { Fingerprint } from './Fingerprint';

/** Identity cards are small; anything larger is not one. */
const MAX_CARD_BYTES = 64 * 1024;

type Message = { ok: boolean; text: string };

/** "Verified" or "Not verified", the same everywhere a contact appears. */
export function VerificationBadge({ contact }: { contact: Pick<ContactView, 'verified'> }) {
  const { t } = useTranslation();
  return (
    <span className={contact.verified ? 'badge final' : 'badge warning'}>
      {contact.verified ? t('contacts.verified') : t('contacts.notVerified')}
    </span>
  );
}

/** Other people's identities: import a card, compare the fingerprint, mark verified, rename, remove. */
export function ContactsPanel({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  // The same read as the send form's recipients: a change here shows there too.
  const query = useVaultQuery(queryKeys.contacts, (client) => client.listContacts());
  const contacts = query.data;
  const [message, setMessage] = useState<Message | null>(null);

  const reload = () => refresh(queryKeys.contacts);

  async function importCard() {
    setMessage(null);
    const [file] = await platform.pickFiles();
    if (!file) return;
    try {
      const text = await readTextFile(file, MAX_CARD_BYTES);
      const contact = await vault.addContact(text);
      await reload();
      setMessage({ ok: true, text: t('contacts.added', { name: contact.name }) });
    } catch (caught) {
      setMessage({
        ok: false,
        text:
          caught instanceof FileTooLargeError || caught instanceof TypeError
            ? t('contacts.notACard')
            : errorMessage(t, caught),
      });
    }
  }

  async function change(id: string, changes: { name?: string; verified?: boolean }) {
    try {
      await vault.updateContact(id, changes);
      await reload();
    } catch (caught) {
      setMessage({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <section aria-labelledby="contacts-heading" className="contacts">
      <h2 id="contacts-heading">{t('contacts.heading')}</h2>
      <button type="button" onClick={() => void importCard()}>
        {t('contacts.import')}
      </button>
      <StatusMessage message={message} />
      {query.status === 'pending' && <p>{t('common.loading')}</p>}
      {query.status === 'error' && (
        <p role="alert" className="error">
          {errorMessage(t, query.error)}
        </p>
      )}
      {contacts?.length === 0 && <p>{t('contacts.none')}</p>}
      <ul className="contact-list">
        {contacts?.map((contact) => (
          <ContactItem
            key={contact.id}
            contact={contact}
            onChange={(changes) => change(contact.id, changes)}
            onRemove={async () => {
              try {
                await vault.removeContact(contact.id);
                await reload();
              } catch (caught) {
                setMessage({ ok: false, text: errorMessage(t, caught) });
              }
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function ContactItem({
  contact,
  onChange,
  onRemove,
}: {
  contact: ContactView;
  onChange: (changes: { name?: string; verified?: boolean }) => Promise<void>;
  onRemove: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [comparing, setComparing] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  return (
    <li className="contact" aria-label={contact.name}>
      <strong>{contact.name}</strong> <VerificationBadge contact={contact} />
      <Fingerprint groups={contact.fingerprint} owner={contact.name} />
      {comparing && (
        <div role="group" aria-label={t('contacts.compareHeading', { name: contact.name })} className="compare">
          <p>{t('contacts.compareHelp', { name: contact.name })}</p>
          <button
            type="button"
            onClick={() => {
              setComparing(false);
              void onChange({ verified: true });
            }}
          >
            {t('contacts.theyMatch')}
          </button>
          <button type="button" onClick={() => setComparing(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {renaming !== null && (
        <form
          className="inline-form"
          autoComplete="off"
          onSubmit={(event) => {
            event.preventDefault();
            void onChange({ name: renaming }).then(() => setRenaming(null));
          }}
        >
          <label>
            {t('contacts.newName')}
            <input value={renaming} required maxLength={200} onChange={(event) => setRenaming(event.target.value)} />
          </label>
          <button type="submit">{t('contacts.saveName')}</button>
          <button type="button" onClick={() => setRenaming(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <div className="actions">
        {contact.verified ? (
          <button type="button" onClick={() => void onChange({ verified: false })}>
            {t('contacts.unverify', { name: contact.name })}
          </button>
        ) : (
          <button type="button" onClick={() => setComparing(true)}>
            {t('contacts.verify', { name: contact.name })}
          </button>
        )}
        <button type="button" onClick={() => setRenaming(contact.name)}>
          {t('contacts.rename', { name: contact.name })}
        </button>
        <ConfirmDeleteButton
          text={t('contacts.remove')}
          label={t('contacts.removeNamed', { name: contact.name })}
          confirmText={t('contacts.removeForever')}
          onConfirm={onRemove}
        />
      </div>
    </li>
  );
}
