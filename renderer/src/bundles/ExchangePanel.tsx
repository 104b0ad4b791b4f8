import { useState } from 'react';
import type { Platform } from '../platform';
import { queryKeys, useRefresh, useVaultQuery } from '../session';
import type { CaseSummary, VaultClient } from '../vault';
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
  onOpenCase,
}: {
  vault: VaultClient;
  platform: Platform;
  cases: readonly CaseSummary[];
  onImported: () => void;
  /** Opens a case (an import's result links to the cases it wrote to). */
  onOpenCase?: (caseId: string) => void;
}) {
  const { data: contacts = [] } = useVaultQuery(queryKeys.contacts, (client) => client.listContacts());
  const refresh = useRefresh();
  const [imports, setImports] = useState(0);
  return (
    <div className="exchange">
      <OpenBundle
        vault={vault}
        platform={platform}
        onOpenCase={onOpenCase}
        onImported={() => {
          setImports((count) => count + 1);
          // What an import wrote is read afresh wherever it is shown.
          void refresh(['case']);
          onImported();
        }}
      />
      <ReceivedBundles vault={vault} version={imports} />
      <SendBundle vault={vault} platform={platform} cases={cases} contacts={contacts} />
      <ContactsPanel vault={vault} platform={platform} onChange={() => void refresh(queryKeys.contacts)} />
      <IdentityPanel vault={vault} platform={platform} />
    </div>
  );
}
