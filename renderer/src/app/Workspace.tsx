import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExchangePanel } from '../bundles';
import { AllDocumentsPanel, DocumentsPanel, type DocumentFind } from '../documents';
import { SearchPanel } from '../search';
import { CaseReport, HearingEditor, HearingsPanel, MonitoringPanel, TimelinePanel } from '../observations';
import type { Platform } from '../platform';
import { DEFAULT_SETTINGS, type CaseRecord, type CaseSummary, type VaultClient, type VaultSettings } from '../vault';
import { CaseEditor } from './cases/CaseEditor';
import { CaseList } from './cases/CaseList';
import { OverviewPanel } from './overview/OverviewPanel';
import { errorMessage } from '../ui';
import { CaseHistory, CustodyLogPanel } from './log/CustodyLogPanel';
import { SettingsPanel } from './settings/SettingsPanel';
import { useIdleLock, useLock } from '../session';

/** Where the user is; kept across a lock so unlocking returns there. */
export type WorkspaceView =
  | {
      screen: 'cases';
      caseId: string | null;
      editing: boolean;
      /** A document to open in the case, from a search result. */
      openAt?: DocumentFind & { documentId: string };
    }
  | { screen: 'search'; query: string }
  | { screen: 'history'; caseId: string }
  | { screen: 'hearing'; caseId: string; hearingId: string | null }
  | { screen: 'report'; caseId: string }
  | { screen: 'documents' }
  | { screen: 'monitoring' }
  | { screen: 'exchange' }
  | { screen: 'log' }
  | { screen: 'settings' };

export const INITIAL_VIEW: WorkspaceView = { screen: 'cases', caseId: null, editing: false };

function summaryOf(record: CaseRecord): CaseSummary {
  const { id, title, references, status, tags, archived, updatedAt } = record;
  return { id, title, references, status, tags, archived, updatedAt };
}

export function Workspace({
  vault,
  platform,
  view,
  onNavigate,
}: {
  vault: VaultClient;
  platform: Platform;
  view: WorkspaceView;
  onNavigate: (view: WorkspaceView) => void;
}) {
  const { t } = useTranslation();
  const { lockNow } = useLock();
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [settings, setSettings] = useState<VaultSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [damaged, setDamaged] = useState<string[]>([]);
  /** Bumped when cases arrive from elsewhere (a bundle import), to list them again. */
  const [casesVersion, setCasesVersion] = useState(0);
  const reloadCases = useCallback(() => setCasesVersion((version) => version + 1), []);

  useEffect(() => {
    let current = true;
    // Settings and cases load apart: a damaged case must not hide the settings.
    vault.getSettings().then(
      (loaded) => current && setSettings(loaded),
      () => current && setSettings(DEFAULT_SETTINGS),
    );
    vault.listCases().then(
      (loaded) => {
        if (!current) return;
        setCases(loaded.cases);
        setDamaged(loaded.damaged);
      },
      (caught: unknown) => {
        if (!current) return;
        setCases([]);
        setError(caught);
      },
    );
    return () => {
      current = false;
    };
  }, [vault, casesVersion]);

  useIdleLock(settings?.autoLockMinutes ?? 5, () => void lockNow());

  // Ctrl/Cmd+K: search from anywhere.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        onNavigate({ screen: 'search', query: '' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onNavigate]);

  const onSaved = useCallback(
    (record: CaseRecord) => {
      setCases((previous) => [...(previous ?? []).filter((entry) => entry.id !== record.id), summaryOf(record)]);
      onNavigate({ screen: 'cases', caseId: record.id, editing: true });
    },
    [onNavigate],
  );

  const tabs = [
    { screen: 'cases', label: t('nav.cases') },
    { screen: 'search', label: t('nav.search') },
    { screen: 'documents', label: t('nav.documents') },
    { screen: 'monitoring', label: t('nav.monitoring') },
    { screen: 'exchange', label: t('nav.exchange') },
    { screen: 'log', label: t('nav.log') },
    { screen: 'settings', label: t('nav.settings') },
  ] as const;

  return (
    <div className="workspace">
      <nav aria-label={t('nav.label')}>
        {tabs.map((tab) => (
          <button
            key={tab.screen}
            type="button"
            aria-current={
              view.screen === tab.screen ||
              (tab.screen === 'cases' && ['hearing', 'report', 'history'].includes(view.screen))
                ? 'page'
                : undefined
            }
            onClick={() =>
              onNavigate(
                tab.screen === 'cases'
                  ? INITIAL_VIEW
                  : tab.screen === 'search'
                    ? { screen: 'search', query: '' }
                    : { screen: tab.screen },
              )
            }
          >
            {tab.label}
          </button>
        ))}
      </nav>
      {error !== null && (
        <p role="alert" className="error">
          {errorMessage(t, error)}
        </p>
      )}
      {damaged.length > 0 && (
        <p role="alert" className="error">
          {t('cases.damaged', { n: damaged.length, ids: damaged.join(', ') })}
        </p>
      )}
      {view.screen === 'cases' && cases && (
        <div className="cases-layout">
          <div>
            <button type="button" onClick={() => onNavigate({ screen: 'cases', caseId: null, editing: true })}>
              {t('cases.new')}
            </button>
            <CaseList
              cases={cases}
              selectedId={view.caseId}
              onOpen={(id) => onNavigate({ screen: 'cases', caseId: id, editing: true })}
            />
          </div>
          {!view.editing && (
            <OverviewPanel
              vault={vault}
              cases={cases}
              onOpenCase={(caseId) => onNavigate({ screen: 'cases', caseId, editing: true })}
            />
          )}
          {view.editing && (
            <div className="case-detail">
              <CaseEditor
                key={`editor-${view.caseId ?? 'new'}`}
                vault={vault}
                caseId={view.caseId}
                onSaved={onSaved}
                onDeleted={() => {
                  setCases((previous) => (previous ?? []).filter((entry) => entry.id !== view.caseId));
                  onNavigate(INITIAL_VIEW);
                }}
                onShowHistory={(caseId) => onNavigate({ screen: 'history', caseId })}
              />
              {view.caseId && (
                <DocumentsPanel
                  key={`documents-${view.caseId}-${view.openAt?.documentId ?? ''}-${view.openAt?.query ?? ''}`}
                  openAt={view.openAt}
                  vault={vault}
                  platform={platform}
                  caseId={view.caseId}
                  caseTitle={cases.find((entry) => entry.id === view.caseId)?.title ?? ''}
                />
              )}
              {view.caseId && (
                <HearingsPanel
                  key={`hearings-${view.caseId}`}
                  vault={vault}
                  caseId={view.caseId}
                  onOpen={(hearingId) => onNavigate({ screen: 'hearing', caseId: view.caseId!, hearingId })}
                  onReport={() => onNavigate({ screen: 'report', caseId: view.caseId! })}
                />
              )}
              {view.caseId && (
                <TimelinePanel
                  key={`timeline-${view.caseId}`}
                  vault={vault}
                  caseId={view.caseId}
                  onOpenHearing={(hearingId) => onNavigate({ screen: 'hearing', caseId: view.caseId!, hearingId })}
                />
              )}
            </div>
          )}
        </div>
      )}
      {view.screen === 'search' && cases && (
        <SearchPanel
          vault={vault}
          cases={cases}
          initialQuery={view.query}
          onOpen={(target) =>
            onNavigate(
              target.kind === 'hearing'
                ? { screen: 'hearing', caseId: target.caseId, hearingId: target.hearingId }
                : target.kind === 'document'
                  ? {
                      screen: 'cases',
                      caseId: target.caseId,
                      editing: true,
                      openAt: { documentId: target.documentId, query: target.query, page: target.page },
                    }
                  : { screen: 'cases', caseId: target.caseId, editing: true },
            )
          }
        />
      )}
      {view.screen === 'history' && (
        <CaseHistory
          vault={vault}
          caseId={view.caseId}
          onClose={() => onNavigate({ screen: 'cases', caseId: view.caseId, editing: true })}
        />
      )}
      {view.screen === 'hearing' && settings && (
        <HearingEditor
          key={`hearing-${view.caseId}-${view.hearingId ?? 'new'}`}
          vault={vault}
          caseId={view.caseId}
          hearingId={view.hearingId}
          provisions={settings.provisions}
          onSaved={(record) => {
            if (view.hearingId === null) onNavigate({ screen: 'hearing', caseId: view.caseId, hearingId: record.id });
          }}
          onClose={() => onNavigate({ screen: 'cases', caseId: view.caseId, editing: true })}
        />
      )}
      {view.screen === 'report' && (
        <CaseReport
          vault={vault}
          platform={platform}
          caseId={view.caseId}
          onClose={() => onNavigate({ screen: 'cases', caseId: view.caseId, editing: true })}
        />
      )}
      {view.screen === 'monitoring' && cases && <MonitoringPanel vault={vault} platform={platform} cases={cases} />}
      {view.screen === 'exchange' && cases && (
        <ExchangePanel vault={vault} platform={platform} cases={cases} onImported={reloadCases} />
      )}
      {view.screen === 'documents' && cases && (
        <AllDocumentsPanel
          vault={vault}
          cases={cases}
          onShowCase={(caseId) => onNavigate({ screen: 'cases', caseId, editing: true })}
        />
      )}
      {view.screen === 'log' && <CustodyLogPanel vault={vault} />}
      {view.screen === 'settings' && settings && (
        <SettingsPanel vault={vault} platform={platform} settings={settings} onChange={setSettings} />
      )}
    </div>
  );
}
