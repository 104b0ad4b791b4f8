import { useEffect, useState } from 'react';
import type { Platform } from '../platform';
import type { CaseSummary, ContactView, VaultClient } from '../vault';
import { ContactsPanel } from './ContactsPanel';
import { IdentityPanel } from './IdentityPanel';
import { OpenBundle } from './OpenBundle';
import { ReceivedBundles } from './ReceivedBundles';
import { SendBundle } from './SendBundle';

/** Everything about exchanging evidence: who I am, whom I know, what I send and receive. */
export function ExchangePanel({
  vault,
  platform,
  cases,
  onImported,
}: {
  vault: VaultClient;
  platform: Platform;
  cases: readonly CaseSummary[];
  onImported: () => void;
}) {
  const [contacts, setContacts] = useState<ContactView[]>([]);
  const [imports, setImports] = useState(0);
  useEffect(() => {
    let current = true;
    vault.listContacts().then(
      (list) => current && setContacts(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [vault]);
  return (
    <div className="exchange">
      <OpenBundle
        vault={vault}
        platform={platform}
        onImported={() => {
          setImports((count) => count + 1);
          onImported();
        }}
      />
      <ReceivedBundles vault={vault} version={imports} />
      <SendBundle vault={vault} platform={platform} cases={cases} contacts={contacts} />
      <ContactsPanel vault={vault} platform={platform} onChange={setContacts} />
      <IdentityPanel vault={vault} platform={platform} />
    </div>
  );
}
