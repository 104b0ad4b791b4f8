import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../platform';
import { queryKeys, useRefresh, useVaultQuery } from '../session';
import type { CaseSummary } from '../vault';
import { ContactsPanel } from './ContactsPanel';
import { IdentityPanel } from './IdentityPanel';
import { OpenBundle } from './OpenBundle';
import { ReceivedBundles } from './ReceivedBundles';
import { SendBundle } from './SendBundle';

const EXCHANGE_TABS = ['receive', 'send', 'contacts', 'identity'] as const;

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
  const { t } = useTranslation();
  return (
    // One tab per task, each with its own one primary action; panels stay mounted, so a half-made bundle or a
    // preview waiting for Import survives a look at another tab.
    <Tabs className="exchange">
      <TabList aria-label={t('exchange.sections')} className="tab-list">
        {EXCHANGE_TABS.map((id) => (
          <Tab key={id} id={id} className="tab">
            {t(`exchange.tab.${id}`)}
          </Tab>
        ))}
      </TabList>
      <TabPanel id="receive" className="tab-panel" shouldForceMount>
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
      </TabPanel>
      <TabPanel id="send" className="tab-panel" shouldForceMount>
        <SendBundle platform={platform} cases={cases} contacts={contacts} />
      </TabPanel>
      <TabPanel id="contacts" className="tab-panel" shouldForceMount>
        <ContactsPanel platform={platform} />
      </TabPanel>
      <TabPanel id="identity" className="tab-panel" shouldForceMount>
        <IdentityPanel platform={platform} />
      </TabPanel>
    </Tabs>
  );
}
