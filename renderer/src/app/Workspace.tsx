import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ExchangePanel } from '../bundles';
import { AllDocumentsPanel, DocumentReader, type DocumentFind } from '../documents';
import { SearchPanel } from '../search';
import { CaseReport, HearingEditor, MonitoringPanel } from '../observations';
import type { Platform } from '../platform';
import { type CaseRecord, type CaseSummary, type VaultClient, type VaultSettings } from '../vault';
import { CasesScreen, type CaseTab } from './cases/CasesScreen';
import { Sidebar, type Section } from './shell/Sidebar';
import { errorMessage } from '../ui';
import { CaseHistory, CustodyLogPanel } from './log';
import { SettingsPanel, type SettingsTab } from './settings/SettingsPanel';
import { queryKeys, useIdleLock, useLock, useRefresh, useSettings, useVaultQuery } from '../session';

type CaseList = Awaited<ReturnType<VaultClient['listCases']>>;

/**
 * Where the user is; kept across a lock so unlocking returns there. A view opened out of another (a document, a
 * hearing, a case report, a case's history) keeps the view it was opened from as `back`: Back returns there
 * exactly (the Trial monitoring list, a search's results, the case's Hearings or Timeline tab).
 */
export type WorkspaceView =
  | {
      screen: 'cases';
      caseId: string | null;
      editing: boolean;
      /** The case's tab (details when absent). */
      tab?: CaseTab;
    }
  | { screen: 'search'; query: string }
  | { screen: 'reader'; caseId: string; documentId: string; find?: DocumentFind; back: WorkspaceView }
  | { screen: 'history'; caseId: string; back: WorkspaceView }
  | { screen: 'hearing'; caseId: string; hearingId: string | null; back: WorkspaceView }
  | { screen: 'report'; caseId: string; back: WorkspaceView }
  | { screen: 'documents' }
  | { screen: 'monitoring' }
  | { screen: 'exchange' }
  | { screen: 'log' }
  | { screen: 'settings'; tab?: SettingsTab };

export const INITIAL_VIEW: WorkspaceView = { screen: 'cases', caseId: null, editing: false };

function isTextEntry(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.matches('input, textarea, select, [role="textbox"], [role="combobox"]'))
  );
}

/**
 * The view kept across a lock without the words the user searched for: what stays in the page's memory while
 * the vault is locked is ids only.
 */
export function withoutSearchWords(view: WorkspaceView): WorkspaceView {
  if (view.screen === 'search') return { screen: 'search', query: '' };
  if (view.screen === 'reader') {
    const { find: _find, ...rest } = view;
    return { ...rest, back: withoutSearchWords(view.back) };
  }
  if (view.screen === 'hearing' || view.screen === 'report' || view.screen === 'history')
    return { ...view, back: withoutSearchWords(view.back) };
  return view;
}

/** The navigation rail's section a view belongs to: a view opened out of another belongs where it was opened. */
function sectionOf(view: WorkspaceView): Section {
  switch (view.screen) {
    case 'reader':
    case 'hearing':
    case 'report':
    case 'history':
      return sectionOf(view.back);
    default:
      return view.screen;
  }
}

/** Where Back leads from a view opened out of another: the view it was opened from; null for the rail's sections. */
export function parentOf(view: WorkspaceView): WorkspaceView | null {
  switch (view.screen) {
    case 'reader':
    case 'hearing':
    case 'report':
    case 'history':
      return view.back;
    default:
      return null;
  }
}

function summaryOf(record: CaseRecord): CaseSummary {
  const { id, title, references, status, tags, archived, updatedAt } = record;
  return { id, title, references, status, tags, archived, updatedAt };
}

export function Workspace({
  platform,
  view,
  onNavigate,
}: {
  platform: Platform;
  view: WorkspaceView;
  onNavigate: (view: WorkspaceView) => void;
}) {
  const { t } = useTranslation();
  /** Back says where it leads: "Back to the case" when the view was opened from the case, "Back" otherwise. */
  const backLabel = (back: WorkspaceView, toCase: string) => (back.screen === 'cases' ? toCase : t('common.back'));
  const { lockNow } = useLock();
  const queries = useQueryClient();
  const refresh = useRefresh();
  // Settings and cases load apart: a damaged case must not hide the settings.
  const settingsQuery = useSettings();
  const casesQuery = useVaultQuery(queryKeys.cases, (client) => client.listCases());
  const settings = settingsQuery.data ?? null;
  const cases = casesQuery.data?.cases ?? (casesQuery.isError ? [] : null);
  const damaged = casesQuery.data?.damaged ?? [];
  const error = casesQuery.error;
  const setCases = useCallback(
    (update: (previous: CaseSummary[]) => CaseSummary[]) =>
      queries.setQueryData<CaseList>(queryKeys.cases, (previous) =>
        previous ? { ...previous, cases: update(previous.cases) } : previous,
      ),
    [queries],
  );
  const setSettings = useCallback((next: VaultSettings) => queries.setQueryData(queryKeys.settings, next), [queries]);
  /** Cases arrived from elsewhere (a bundle import): list them again. */
  const reloadCases = useCallback(() => void refresh(queryKeys.cases), [refresh]);

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

  // Alt+←: back from a view opened out of another (a document, a hearing, a report, a case's history).
  useEffect(() => {
    const parent = parentOf(view);
    if (!parent) return;
    const onKey = (event: KeyboardEvent) => {
      // Not while typing: Option+← moves by word in a text field on macOS.
      if (event.defaultPrevented || isTextEntry(event.target)) return;
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.key === 'ArrowLeft') {
        event.preventDefault();
        onNavigate(parent);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, onNavigate]);

  const onSaved = useCallback(
    (record: CaseRecord) => {
      setCases((previous) => [...previous.filter((entry) => entry.id !== record.id), summaryOf(record)]);
      onNavigate({ screen: 'cases', caseId: record.id, editing: true });
    },
    [onNavigate, setCases],
  );

  const section = sectionOf(view);

  const goTo = (target: Section) =>
    onNavigate(
      target === 'cases' ? INITIAL_VIEW : target === 'search' ? { screen: 'search', query: '' } : { screen: target },
    );

  return (
    <div className="workspace">
      <Sidebar current={section} onGo={goTo} />
      <div className="workspace-content">
        {error && (
          <p role="alert" className="error">
            {errorMessage(t, error)}
          </p>
        )}
        {damaged.length > 0 && (
          <p role="alert" className="error">
            {t('cases.damaged', { count: damaged.length, ids: damaged.join(', ') })}
          </p>
        )}
        {view.screen === 'cases' && cases && (
          <CasesScreen
            platform={platform}
            cases={cases}
            view={view}
            onNavigate={onNavigate}
            onSaved={onSaved}
            onDeleted={() => {
              setCases((previous) => previous.filter((entry) => entry.id !== view.caseId));
              onNavigate(INITIAL_VIEW);
            }}
          />
        )}
        {view.screen === 'reader' && (
          // The reader fills the content area edge to edge.
          <div className="view-fill">
            <DocumentReader
              key={`reader-${view.documentId}-${view.find?.query ?? ''}-${view.find?.page ?? ''}`}
              platform={platform}
              caseId={view.caseId}
              documentId={view.documentId}
              find={view.find}
              onBack={() => onNavigate(view.back)}
            />
          </div>
        )}
        {view.screen !== 'cases' && view.screen !== 'reader' && (
          // Views that read as one page; the cases screen fills the area with its own panes.
          <div className="view-page">
            {view.screen === 'search' && cases && (
              <SearchPanel
                cases={cases}
                initialQuery={view.query}
                onOpen={(target) =>
                  onNavigate(
                    target.kind === 'hearing'
                      ? {
                          screen: 'hearing',
                          caseId: target.caseId,
                          hearingId: target.hearingId,
                          back: { screen: 'search', query: target.query },
                        }
                      : target.kind === 'document'
                        ? {
                            screen: 'reader',
                            caseId: target.caseId,
                            documentId: target.documentId,
                            find: { query: target.query, page: target.page },
                            back: { screen: 'search', query: target.query },
                          }
                        : { screen: 'cases', caseId: target.caseId, editing: true },
                  )
                }
              />
            )}
            {view.screen === 'history' && <CaseHistory caseId={view.caseId} onClose={() => onNavigate(view.back)} />}
            {view.screen === 'hearing' && settings && (
              <HearingEditor
                key={`hearing-${view.caseId}-${view.hearingId ?? 'new'}`}
                caseId={view.caseId}
                hearingId={view.hearingId}
                provisions={settings.provisions}
                onSaved={(record) => {
                  if (view.hearingId === null) onNavigate({ ...view, hearingId: record.id });
                }}
                closeLabel={backLabel(view.back, t('hearing.close'))}
                onClose={() => onNavigate(view.back)}
              />
            )}
            {view.screen === 'report' && (
              <CaseReport
                platform={platform}
                caseId={view.caseId}
                closeLabel={backLabel(view.back, t('report.close'))}
                onClose={() => onNavigate(view.back)}
              />
            )}
            {view.screen === 'monitoring' && cases && (
              <MonitoringPanel
                platform={platform}
                cases={cases}
                onOpenHearing={(caseId, hearingId) => onNavigate({ screen: 'hearing', caseId, hearingId, back: view })}
              />
            )}
            {view.screen === 'exchange' && cases && (
              <ExchangePanel
                platform={platform}
                cases={cases}
                onImported={reloadCases}
                onOpenCase={(caseId) => onNavigate({ screen: 'cases', caseId, editing: true })}
              />
            )}
            {view.screen === 'documents' && cases && (
              <AllDocumentsPanel
                cases={cases}
                onShowCase={(caseId) => onNavigate({ screen: 'cases', caseId, editing: true })}
                onOpenDocument={(caseId, documentId) =>
                  onNavigate({ screen: 'reader', caseId, documentId, back: view })
                }
              />
            )}
            {view.screen === 'log' && (
              <CustodyLogPanel onOpenCase={(caseId) => onNavigate({ screen: 'cases', caseId, editing: true })} />
            )}
            {view.screen === 'settings' && settings && (
              <SettingsPanel
                platform={platform}
                settings={settings}
                onChange={setSettings}
                tab={view.tab}
                onTabChange={(tab) => onNavigate({ screen: 'settings', tab })}
              />
            )}
          </div>
        )}
      </div>
    </div>
  );
}
