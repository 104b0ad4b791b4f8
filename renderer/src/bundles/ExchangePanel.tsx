import type { Platform } from '../platform';
import { queryKeys, useRefresh, useVaultQuery } from '../session';
import type { CaseSummary } from '../vault';
import { ContactsPanel } from './ContactsPanel';
import { IdentityPanel } from './IdentityPanel';
import { OpenBundle } from './OpenBundle';
import { ReceivedBundles } from './ReceivedBundles';
import { SendBundle } from './SendBundle';

/** Everything about exchanging evidence: who I am, whom I know, what I send and receive. */
export function ExchangePanel({
  platform,
  cases,
  onImported,
  onOpenCase,
}: {
  platform: Platform;
  cases: readonly CaseSummary[];
  onImported: () => void;
  /** Opens a case (an import's result links to the cases it wrote to). */
  onOpenCase?: (caseId: string) => void;
}) {
  const { data: contacts = [] } = useVaultQuery(queryKeys.contacts, (client) => client.listContacts());
  const refresh = useRefresh();
  return (
    <div className="exchange">
      <OpenBundle
        platform={platform}
        onOpenCase={onOpenCase}
        onImported={() => {
          // What an import wrote is read afresh wherever it is shown.
          void refresh(queryKeys.receivedBundles);
          void refresh(['case']);
          onImported();
        }}
      />
      <ReceivedBundles />
      <SendBundle platform={platform} cases={cases} contacts={contacts} />
      <ContactsPanel platform={platform} />
      <IdentityPanel platform={platform} />
    </div>
  );
}
