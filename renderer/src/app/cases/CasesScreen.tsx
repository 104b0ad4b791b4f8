import { ArrowLeft, Plus } from 'lucide-react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { DocumentsPanel } from '../../documents';
import { HearingsPanel, TimelinePanel } from '../../observations';
import type { Platform } from '../../platform';
import { ResizablePanes, useMediaQuery } from '../../ui';
import type { CaseRecord, CaseSummary } from '../../vault';
import { OverviewPanel } from '../overview/OverviewPanel';
import type { WorkspaceView } from '../Workspace';
import { CaseEditor } from './CaseEditor';
import { CaseList } from './CaseList';
import './cases.css';

export const CASE_TABS = ['details', 'documents', 'hearings', 'timeline'] as const;
export type CaseTab = (typeof CASE_TABS)[number];

type CasesView = Extract<WorkspaceView, { screen: 'cases' }>;

/**
 * Cases as list | detail: the list stays where it is while the detail pane shows the overview, a new case, or
 * one case in tabs (details, documents, hearings, timeline). In a narrow window the two take turns.
 */
export function CasesScreen({
  platform,
  cases,
  view,
  onNavigate,
  onSaved,
  onDeleted,
}: {
  platform: Platform;
  cases: CaseSummary[];
  view: CasesView;
  onNavigate: (view: WorkspaceView) => void;
  onSaved: (record: CaseRecord) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const narrow = useMediaQuery('(max-width: 60rem)');

  const list = (
    <section className="case-list-pane" aria-labelledby="case-list-heading">
      <div className="pane-header">
        <h2 id="case-list-heading">{t('cases.heading')}</h2>
        <button
          type="button"
          className="primary"
          onClick={() => onNavigate({ screen: 'cases', caseId: null, editing: true })}
        >
          <Plus aria-hidden="true" size={16} />
          {t('cases.new')}
        </button>
      </div>
      <CaseList
        cases={cases}
        selectedId={view.caseId}
        onOpen={(id) => onNavigate({ screen: 'cases', caseId: id, editing: true })}
      />
    </section>
  );

  const detail = !view.editing ? (
    <div className="pane-body">
      <OverviewPanel
        cases={cases}
        onOpenCase={(caseId) => onNavigate({ screen: 'cases', caseId, editing: true })}
        onOpenBackupSettings={() => onNavigate({ screen: 'settings', tab: 'backup' })}
      />
    </div>
  ) : (
    <CaseDetail
      platform={platform}
      caseTitle={cases.find((entry) => entry.id === view.caseId)?.title ?? ''}
      view={view}
      onNavigate={onNavigate}
      onSaved={onSaved}
      onDeleted={onDeleted}
      backToList={
        narrow ? (
          <button type="button" onClick={() => onNavigate({ screen: 'cases', caseId: null, editing: false })}>
            <ArrowLeft aria-hidden="true" size={16} />
            {t('cases.backToList')}
          </button>
        ) : null
      }
    />
  );

  if (narrow) return <div className="view-fill cases-screen">{view.editing ? detail : list}</div>;
  return (
    <div className="view-fill cases-screen">
      <ResizablePanes id="cases" label={t('cases.resizeList')} start={list} end={detail} />
    </div>
  );
}

function CaseDetail({
  platform,
  caseTitle,
  view,
  onNavigate,
  onSaved,
  onDeleted,
  backToList,
}: {
  platform: Platform;
  caseTitle: string;
  view: CasesView;
  onNavigate: (view: WorkspaceView) => void;
  onSaved: (record: CaseRecord) => void;
  onDeleted: () => void;
  backToList: React.ReactNode;
}) {
  const { t } = useTranslation();
  const editor = (
    <CaseEditor
      key={`editor-${view.caseId ?? 'new'}`}
      caseId={view.caseId}
      onSaved={onSaved}
      onDeleted={onDeleted}
      onShowHistory={(caseId) => onNavigate({ screen: 'history', caseId, back: { ...view, tab: 'details' } })}
    />
  );
  // A new case has nothing but its form until it is saved.
  if (!view.caseId)
    return (
      <div className="pane-body case-detail">
        {backToList}
        {editor}
      </div>
    );
  const caseId = view.caseId;
  const tab = view.tab ?? 'details';
  return (
    <div className="case-detail">
      <header className="case-detail-header">
        {backToList}
        <h2 className="case-detail-title">{caseTitle || t('cases.untitled')}</h2>
      </header>
      <Tabs
        className="case-tabs"
        selectedKey={tab}
        onSelectionChange={(key) => onNavigate({ ...view, tab: key as CaseTab })}
      >
        <TabList aria-label={t('cases.sections')} className="tab-list">
          {CASE_TABS.map((id) => (
            <Tab key={id} id={id} className="tab">
              {t(`cases.tab.${id}`)}
            </Tab>
          ))}
        </TabList>
        {/* Panels stay mounted when hidden, so a draft being typed in one is never cut off by a tab change. */}
        <TabPanel id="details" className="tab-panel" shouldForceMount>
          {editor}
        </TabPanel>
        <TabPanel id="documents" className="tab-panel" shouldForceMount>
          <DocumentsPanel
            key={`documents-${caseId}`}
            platform={platform}
            caseId={caseId}
            caseTitle={caseTitle}
            onOpenDocument={(documentId) =>
              onNavigate({ screen: 'reader', caseId, documentId, back: { ...view, tab: 'documents' } })
            }
          />
        </TabPanel>
        <TabPanel id="hearings" className="tab-panel" shouldForceMount>
          <HearingsPanel
            key={`hearings-${caseId}`}
            caseId={caseId}
            onOpen={(hearingId) =>
              onNavigate({ screen: 'hearing', caseId, hearingId, back: { ...view, tab: 'hearings' } })
            }
            onReport={() => onNavigate({ screen: 'report', caseId, back: { ...view, tab: 'hearings' } })}
          />
        </TabPanel>
        <TabPanel id="timeline" className="tab-panel" shouldForceMount>
          <TimelinePanel
            key={`timeline-${caseId}`}
            caseId={caseId}
            onOpenHearing={(hearingId) =>
              onNavigate({ screen: 'hearing', caseId, hearingId, back: { ...view, tab: 'timeline' } })
            }
          />
        </TabPanel>
      </Tabs>
    </div>
  );
}
